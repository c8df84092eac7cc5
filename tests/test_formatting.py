"""Number, date and numbering forms: examples from the reference, and properties."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import formatting
from docgen.derive import column_sums, with_total
from docgen.errors import FilterError


@pytest.mark.parametrize(
    ("function", "arguments", "text"),
    [
        # The table, row by row.
        (formatting.num, (1841,), "1841"),
        (formatting.num, (12345,), "12345"),  # ungrouped by default, as published reports print
        (formatting.num, (12345, True), "12,345"),
        (formatting.num, (Decimal("59237.2449"), True), "59,237.2449"),
        (formatting.pct, (0.9328,), "93%"),
        (formatting.pct, (0.988, 1), "98.8%"),
        (formatting.rate, (125, 134), "93%"),
        (formatting.wan, (12345,), "1.2万"),
        (formatting.wan, (123456789,), "1.2亿"),
        (formatting.cn, (0,), "零"),
        (formatting.cn, (10,), "十"),
        (formatting.cn, (101,), "一百零一"),
        (formatting.cn, (1841,), "一千八百四十一"),
        (formatting.cn, (100000001,), "一亿零一"),
        (formatting.cn_upper, (1841,), "壹仟捌佰肆拾壹"),
        (formatting.rmb, (Decimal("10203.04"),), "壹万零贰佰零叁元零肆分"),
        (formatting.rmb, (5,), "伍元整"),
        (formatting.cn_year, (2022,), "二〇二二"),
        (formatting.date, (datetime.date(2022, 2, 18),), "2022年2月18日"),
        (formatting.cn_date, (datetime.date(2022, 2, 18),), "二〇二二年二月十八日"),
        (formatting.heading, (3, 1), "三、"),
        (formatting.heading, (3, 2), "（三）"),
        (formatting.heading, (3, 3), "3."),
        (formatting.heading, (3, 4), "（3）"),
        (formatting.heading, (11, 2), "（十一）"),
        (formatting.enum_cn, (["甲", "乙。", "丙"],), "一是甲；二是乙；三是丙。"),
        # More of the same forms.
        (formatting.num, (0,), "0"),
        (formatting.num, (9999,), "9999"),
        (formatting.num, (517645,), "517645"),
        (formatting.num, (Decimal("4068.208"),), "4068.208"),
        (formatting.num, (Decimal("12.50"),), "12.50"),
        (formatting.num, (Decimal("1E+3"),), "1000"),
        (formatting.pct, (Decimal("0.125"),), "13%"),  # half-up, where banker's rounding gives 12%
        (formatting.rate, (76, 85), "89%"),
        (formatting.rate, (76, 85, 1), "89.4%"),
        (formatting.wan, (999,), "999"),
        (formatting.rmb, (Decimal("0.005"),), "壹分"),
        (formatting.cn_date, (datetime.date(2023, 10, 31),), "二〇二三年十月三十一日"),
        (formatting.date, (datetime.date(2023, 12, 1),), "2023年12月1日"),
        (formatting.enum_cn, (["甲。乙", "丙"], "问题：", "。"), "问题：一是甲。乙。二是丙。"),
    ],
)
def test_forms(function: object, arguments: tuple[object, ...], text: str) -> None:
    assert function(*arguments) == text  # type: ignore[operator]


@pytest.mark.parametrize(
    ("function", "arguments", "name"),
    [
        (formatting.num, ("12",), "num"),
        (formatting.num, (True,), "num"),
        (formatting.num, (Decimal("NaN"),), "num"),
        (formatting.pct, (-0.5,), "pct"),
        (formatting.rate, (1, 0), "rate"),
        (formatting.cn, (-1,), "cn"),
        (formatting.cn, (1.5,), "cn"),
        (formatting.cn, (10**16,), "cn"),
        (formatting.cn_upper, ("一",), "cn_upper"),
        (formatting.rmb, (-3,), "rmb"),
        (formatting.cn_year, (2022.5,), "cn_year"),
        (formatting.date, ("2022-02-18",), "date"),
        (formatting.cn_date, (20220218,), "cn_date"),
        (formatting.heading, (3, 5), "heading"),
        (formatting.wan, (None,), "wan"),
        (formatting.enum_cn, ([1, 2],), "enum_cn"),
        (formatting.enum_cn, ("甲乙",), "enum_cn"),
    ],
)
def test_invalid_input_names_the_filter_and_value(function: object, arguments: tuple[object, ...], name: str) -> None:
    with pytest.raises(FilterError) as caught:
        function(*arguments)  # type: ignore[operator]
    assert caught.value.filter_name == name
    assert any(repr(argument) in str(caught.value) or str(argument) in str(caught.value) for argument in arguments)


@given(st.integers(0, 10**15))
def test_num_keeps_every_digit_and_groups_only_long_numbers(value: int) -> None:
    assert formatting.num(value) == str(value)
    text = formatting.num(value, grouped=True)
    assert text.replace(",", "") == str(value)
    assert ("," in text) == (value >= 10_000)
    with formatting.digit_grouping(True):  # a report's [style] group_digits = true
        assert formatting.num(value) == text


@given(st.integers(0, 9999))
def test_num_never_groups_four_digit_integers(value: int) -> None:
    assert formatting.num(value) == str(value)


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_num_never_rounds_a_decimal(value: Decimal) -> None:
    assert Decimal(formatting.num(value).replace(",", "")) == value


def _sparse_integers() -> st.SearchStrategy[int]:
    """Integers below 10**16 with many zeros inside (the hard cases of 零): each digit is 0 half the time."""
    digit = st.one_of(st.just(0), st.integers(0, 9))
    return st.lists(digit, min_size=1, max_size=16).map(lambda digits: int("".join(map(str, digits))))


@given(st.one_of(_sparse_integers(), st.integers(0, 10**16 - 1)))
def test_chinese_numerals_read_back_as_the_number(value: int) -> None:
    """docgen writes its own numerals (cn2an cost every process 0.1 s to import); cn2an's strict reader is the
    oracle. (cn2an's own writer is not: it says 一亿一千 for 100001000, where a whole 万 group of zeros is read
    as 零.)"""
    import cn2an

    assert cn2an.cn2an(formatting.cn(value), "strict") == value
    assert cn2an.cn2an(formatting.cn_upper(value), "strict") == value


@pytest.mark.parametrize(
    ("value", "counting", "capital"),
    [
        (10, "十", "壹拾"),
        (110000, "十一万", "壹拾壹万"),
        (100000001, "一亿零一", "壹亿零壹"),
        (1001000000000, "一万零一十亿", "壹万零壹拾亿"),
        (1010, "一千零一十", "壹仟零壹拾"),
        (100001000, "一亿零一千", "壹亿零壹仟"),
        (
            12345678901234,
            "十二万三千四百五十六亿七千八百九十万一千二百三十四",
            "壹拾贰万叁仟肆佰伍拾陆亿柒仟捌佰玖拾万壹仟贰佰叁拾肆",
        ),
    ],
)
def test_chinese_numerals_read_zeros_once(value: int, counting: str, capital: str) -> None:
    assert (formatting.cn(value), formatting.cn_upper(value)) == (counting, capital)


_UPPER_DIGITS = {digit: index for index, digit in enumerate("零壹贰叁肆伍陆柒捌玖")}


def _parse_rmb(text: str) -> Decimal:
    """Read a 大写 amount back (test oracle): 壹万零贰佰零叁元零肆分 → 10203.04."""
    import cn2an

    yuan_text, _, cents_text = text.partition("元")
    if not _:  # less than one yuan: only 角/分
        yuan_text, cents_text = "", text
    yuan = Decimal(int(cn2an.cn2an(yuan_text, "normal"))) if yuan_text else Decimal(0)
    jiao = re.search(r"(.)角", cents_text)
    fen = re.search(r"(.)分", cents_text)
    cents = (10 * _UPPER_DIGITS[jiao.group(1)] if jiao else 0) + (_UPPER_DIGITS[fen.group(1)] if fen else 0)
    return yuan + Decimal(cents) / 100


@given(st.decimals(min_value=0, max_value=10**12 - 1, places=2, allow_nan=False, allow_infinity=False))
def test_rmb_parses_back_to_the_amount(amount: Decimal) -> None:
    text = formatting.rmb(amount)
    assert _parse_rmb(text) == amount
    assert text.endswith(("整", "分", "角"))


@given(st.decimals(min_value=0, max_value=100, places=6, allow_nan=False, allow_infinity=False), st.integers(0, 3))
def test_pct_rounds_half_up(ratio: Decimal, digits: int) -> None:
    expected = (ratio * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    assert formatting.pct(ratio, digits) == f"{expected}%"


@given(
    st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False, allow_infinity=False),
    st.integers(-2, 4),
)
def test_pct_prints_as_babel_does_for_zh_cn(ratio: Decimal, digits: int) -> None:
    from babel.numbers import format_percent

    percent = (ratio * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "0" + ("." + "0" * digits if digits > 0 else "") + "%"
    assert formatting.pct(ratio, digits) == format_percent(percent / 100, format=pattern, locale="zh_CN")


@given(st.dates())
def test_date_prints_as_babel_does_for_zh_cn(day: datetime.date) -> None:
    from babel.dates import format_date

    assert formatting.date(day) == format_date(day, "y年M月d日", locale="zh_CN")


@given(st.lists(st.lists(st.integers(0, 10**9), min_size=7, max_size=7), min_size=1, max_size=30))
def test_column_sums_add_each_column(rows: list[list[int]]) -> None:
    sums = column_sums(rows)
    assert len(sums) == 7
    assert sum(sums) == sum(map(sum, rows))
    assert all(sums[i] == sum(row[i] for row in rows) for i in range(7))


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=10))
def test_with_total_appends_the_sum(values: list[int]) -> None:
    assert with_total(values) == (*values, sum(values))
