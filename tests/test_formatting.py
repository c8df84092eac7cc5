"""Number, date and numbering forms: examples from the reference, and properties."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import formatting
from docgen.derive import column_sums, with_total


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (1841, "1841"),
        (9999, "9999"),
        (12345, "12,345"),
        (517645, "517,645"),
        (Decimal("4068.208"), "4068.208"),
        (Decimal("59237.2449"), "59,237.2449"),
        (Decimal("12.50"), "12.50"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_num(value: int | Decimal, text: str) -> None:
    assert formatting.num(value) == text


@given(st.integers(0, 10**15))
def test_num_keeps_every_digit_and_groups_only_long_numbers(value: int) -> None:
    text = formatting.num(value)
    assert text.replace(",", "") == str(value)
    assert ("," in text) == (value >= 10_000)


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_num_never_rounds_a_decimal(value: Decimal) -> None:
    assert Decimal(formatting.num(value).replace(",", "")) == value


def test_num_rejects_non_numbers() -> None:
    with pytest.raises(TypeError):
        formatting.num("12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        formatting.num(True)


def test_date_has_no_zero_padding() -> None:
    assert formatting.date(datetime.date(2022, 2, 18)) == "2022年2月18日"
    assert formatting.date(datetime.date(2023, 12, 1)) == "2023年12月1日"


@pytest.mark.parametrize(
    ("number", "level", "text"),
    [(3, 1, "三、"), (3, 2, "（三）"), (3, 3, "3."), (3, 4, "（3）"), (11, 2, "（十一）"), (10, 1, "十、")],
)
def test_heading(number: int, level: int, text: str) -> None:
    assert formatting.heading(number, level) == text


def test_enum_cn_normalises_item_endings() -> None:
    assert formatting.enum_cn(["甲", "乙。", "丙；"]) == "一是甲；二是乙；三是丙。"
    assert formatting.enum_cn(["甲。乙", "丙"], lead="问题：", separator="。") == "问题：一是甲。乙。二是丙。"


@given(st.lists(st.lists(st.integers(0, 10**9), min_size=7, max_size=7), min_size=1, max_size=30))
def test_column_sums_add_each_column(rows: list[list[int]]) -> None:
    sums = column_sums(rows)
    assert len(sums) == 7
    assert sum(sums) == sum(map(sum, rows))
    assert all(sums[i] == sum(row[i] for row in rows) for i in range(7))


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=10))
def test_with_total_appends_the_sum(values: list[int]) -> None:
    assert with_total(values) == (*values, sum(values))
