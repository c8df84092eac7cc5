"""Reading numbers as Chinese text prints them: the inverse of docgen's own formatting."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from docgen import formatting
from docgen.extract import _date
from docgen.numerals import counting_numeral, digit_string, half_width, typed_date, typing_slip, written_date


@given(st.integers(0, 9999))
def test_counting_numerals_read_back_what_cn_prints(value: int) -> None:
    assert counting_numeral(formatting.cn(value)) == value


@given(st.integers(1000, 9999))
def test_years_read_back_what_cn_year_prints(value: int) -> None:
    assert digit_string(formatting.cn_year(value)) == value


@given(st.integers(-(10**12), 10**12), st.integers(0, 99))
def test_full_width_numbers_read_as_typed_with_half_width_digits(whole: int, cents: int) -> None:
    typed = f"{whole}.{cents:02d}"
    full = typed.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.-"})  # what a Chinese IME gives
    assert half_width(full) == typed


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2099, 12, 31)))
def test_printed_dates_of_both_forms_read_back(day: datetime.date) -> None:
    assert _date(formatting.date(day)) == (day, "arabic")
    assert _date(formatting.cn_date(day)) == (day, "chinese")


def test_what_is_not_a_numeral_is_none() -> None:
    assert [counting_numeral(text) for text in ("", "十二件", "12", "百分之")] == [None, None, None, None]
    # numerals no one writes are not read (a misread date is worse than none): 一二 is not 2, 二百三 not 203
    assert [counting_numeral(text) for text in ("一二", "二二", "十十", "二百三", "零五")] == [None] * 5
    assert [digit_string(text) for text in ("", "二〇2二", "二十", "两〇二二")] == [None] * 4
    assert _date("二〇二二年十三月一日") is None and _date("二〇二二年二月三十日") is None
    assert _date("二〇二二年一二月一日") is None and _date("二〇二二年一月一一日") is None


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(st.integers(0, 10**12))
def test_a_plain_figure_is_no_slip_and_each_habit_is_named_with_the_figure_rewritten(value: int) -> None:
    assert typing_slip(str(value)) is None
    assert (
        typing_slip(str(value).translate(FULL_WIDTH))
        == f"“{str(value).translate(FULL_WIDTH)}” 是全角数字，请改为半角 {value}"
    )
    assert typing_slip(f"{value}件") == f"“{value}件” 带了单位“件”，请只填数字 {value}"
    assert typing_slip(f"{value} 万元") == f"“{value} 万元” 带了单位“万元”，请只填数字 {value}"
    if value >= 1000:
        for separator in (",", "，"):
            grouped = f"{value:,}".replace(",", separator)
            assert typing_slip(grouped) == f"“{grouped}” 带千分位逗号，请写作 {value}"


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)))
def test_dates_as_typed_are_rewritten_and_the_official_form_is_left_alone(day: datetime.date) -> None:
    assert typed_date(day.isoformat()) is None
    for typed in (
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day:%m.%d}",
    ):
        assert typed_date(f"date = {typed}  # 成文日期") == (typed, day.isoformat())
    assert typed_date(f"{day.year}年2月30日") is None  # no such day: not a date to rewrite


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
    st.sampled_from(
        ["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日", "发布日期：{y} 年 {m} 月 {d} 日 10:30"]
    ),
)
def test_a_written_date_is_read_whichever_way_it_is_written(day: datetime.date, form: str) -> None:
    assert written_date(form.format(y=day.year, m=day.month, d=day.day)) == day


def test_a_day_no_calendar_has_is_no_date() -> None:
    assert written_date("2022-02-30") is None and written_date("公开日期：") is None
