"""Chinese official number, date and numbering forms (GB/T 15835-2011, GB/T 9704-2012).

Pure functions with no knowledge of Word; the same functions are the Jinja filters of the document template
and of narrative text (`FILTERS`, `FUNCTIONS`). Every function checks its input and raises `FilterError`,
naming itself and the value, rather than printing a wrong figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from docgen.errors import FilterError
from docgen.messages import message

if TYPE_CHECKING:
    from babel import Locale

# Integers of up to this many digits are never grouped (GB/T 15835: 1841, not 1,841). Longer ones are grouped
# only where a report asks ([style] group_digits): GB/T 15835-2011 lets non-technical texts leave numbers
# ungrouped, and published reports print 517645.
UNGROUPED_DIGITS = 4
_GROUPING: ContextVar[bool] = ContextVar("docgen_group_digits", default=False)
# The Chinese numeral forms stop at 千万亿 (16 digits).
MAX_DIGITS = 16
_ITEM_END = "。；;，,、"
_NUMBERING_DIGITS = "〇一二三四五六七八九"  # 〇 is U+3007, the numbering zero (二〇二二), never ○


_UNGROUPED_LIMIT = 10**UNGROUPED_DIGITS


@cache
def _locale() -> Locale:
    from babel import Locale

    return Locale.parse("zh_CN")


def _number(name: str, value: object, *, integer: bool = False, negative: bool = False) -> Decimal:
    """Check a filter's input and return it as an exact Decimal (floats via their shortest repr)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise FilterError(name, value, message("filter-not-number"))
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise FilterError(name, value, message("filter-not-number"))
    if integer and number != number.to_integral_value():
        raise FilterError(name, value, message("filter-not-integer"))
    if not negative and number < 0:
        raise FilterError(name, value, message("filter-negative"))
    if abs(number) >= Decimal(10) ** MAX_DIGITS:
        raise FilterError(name, value, message("filter-too-long"))
    return number


def _half_up(number: Decimal, digits: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@contextmanager
def digit_grouping(grouped: bool) -> Iterator[None]:
    """Figures printed inside this block (tables, narrative, pages) group their digits as a report's
    [style] group_digits asks; the default prints them as typed."""
    token = _GROUPING.set(grouped)
    try:
        yield
    finally:
        _GROUPING.reset(token)


def num(value: int | Decimal, grouped: bool | None = None) -> str:
    """A figure as printed in a table or text: 1841 → 1841, 517645 → 517645, or with `grouped` (by default the
    report's [style] group_digits) 517645 → 517,645 and Decimal('59237.2449') → 59,237.2449.

    Decimals keep exactly the digits given (a fee reported as 12.50 万元 prints as 12.50); nothing is rounded.
    """
    if type(value) is int and 0 <= value < _UNGROUPED_LIMIT:  # most table cells: nothing to format
        return str(value)
    grouped = _GROUPING.get() if grouped is None else grouped
    text = format(_number("num", value, negative=True), "f")
    sign = "-" if text.startswith("-") else ""
    whole, point, fraction = text.lstrip("-").partition(".")
    if grouped and len(whole) > UNGROUPED_DIGITS:
        from babel.numbers import format_decimal

        whole = format_decimal(int(whole), locale=_locale())
    return f"{sign}{whole}{point}{fraction}"


def pct(value: int | float | Decimal, digits: int = 0) -> str:
    """A ratio as a percentage, rounded half-up (四舍五入): 0.9328 → 93%; pct(0.988, 1) → 98.8%. Written
    here, not by babel: loading its zh_CN data cost every process that quotes a rate 0.02 s, for a format
    with nothing of the locale in it (no grouping, "." and "%"; babel is the tests' oracle)."""
    percent = _half_up(_number("pct", value) * 100, digits)
    return f"{percent:f}%"


def rate(part: int | Decimal, whole: int | Decimal, digits: int = 0) -> str:
    """part / whole as a percentage: rate(125, 134) → 93%. A zero `whole` is an error, never a crash."""
    numerator, denominator = _number("rate", part), _number("rate", whole)
    if denominator == 0:
        raise FilterError("rate", f"{part}/{whole}", message("filter-zero-base"))
    return pct(numerator / denominator, digits)


def change(value: int | Decimal, previous: int | Decimal, unit: str = "件", digits: int = 1) -> str:
    """This year's figure against last year's, in the wording reports use: change(107, 95) → 增加12件，增长12.6%;
    change(37, 40) → 减少3件，下降7.5%; equal → 与上年持平; a zero base → 增加5件（上年为 0）.
    `unit` follows the difference (万元, 条 …); `digits` are the percentage's decimals."""
    this, before = _number("change", value), _number("change", previous)
    difference = this - before
    if difference == 0:
        return message("change-same")
    amount = num(abs(difference)) + unit
    direction = "change-up" if difference > 0 else "change-down"
    if before == 0:
        return message(f"{direction}-from-zero", amount=amount)
    percent = pct(abs(difference) / before, digits)
    return message(direction, amount=amount, percent=percent)


def wan(value: int | Decimal, digits: int = 1) -> str:
    """A large amount with 万/亿 as unit: 12345 → 1.2万, 123456789 → 1.2亿 (smaller numbers as they are)."""
    from babel.numbers import format_compact_decimal

    return format_compact_decimal(_number("wan", value), locale=_locale(), fraction_digits=digits)


def cn(value: int) -> str:
    """Chinese counting numeral: 0 → 零, 10 → 十, 101 → 一百零一, 100000001 → 一亿零一."""
    return _counting_numeral(int(_number("cn", value, integer=True)))


@lru_cache(maxsize=1024)  # headings number （一）（二）… in every report of a batch
def _counting_numeral(value: int) -> str:
    return _chinese_integer(value, upper=False)


_DIGITS = {False: "零一二三四五六七八九", True: "零壹贰叁肆伍陆柒捌玖"}
_SMALL_UNITS = {False: ("", "十", "百", "千"), True: ("", "拾", "佰", "仟")}


def _chinese_integer(value: int, upper: bool) -> str:
    """0 ≤ value < 10**16 in Chinese numerals, grouped by 万 and 亿: 100010000 → 一亿零一万. In the counting form
    a leading 一十 is said 十 (十五, 十万); the 大写 form keeps it (壹拾伍), as cheques and contracts must."""
    if value == 0:
        return _DIGITS[upper][0]
    text = _grouped(value, upper)
    return text[1:] if not upper and text.startswith("一十") else text


def _grouped(value: int, upper: bool) -> str:
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if value >= size:
            high, low = divmod(value, size)
            # A zero between two parts is read once: 一亿零一 (100000001), 一万零一十 (10010).
            gap = "零" if 0 < low < size // 10 else ""
            return _grouped(high, upper) + unit + gap + (_grouped(low, upper) if low else "")
    digits, units = _DIGITS[upper], _SMALL_UNITS[upper]
    parts, zero = [], False
    for position in range(3, -1, -1):
        digit = value // 10**position % 10
        if digit:
            parts.append(("零" if zero and parts else "") + digits[digit] + units[position])
            zero = False
        else:
            zero = True
    return "".join(parts)


def cn_upper(value: int) -> str:
    """Capital (大写) numeral for legal and financial text: 1841 → 壹仟捌佰肆拾壹."""
    return _chinese_integer(int(_number("cn_upper", value, integer=True)), upper=True)


def rmb(value: int | Decimal) -> str:
    """An amount of 人民币 in 大写, quantised to 分 first: Decimal('10203.04') → 壹万零贰佰零叁元零肆分, 5 → 伍元整,
    Decimal('0.5') → 伍角."""
    cents = int(_half_up(_number("rmb", value), 2) * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    digits = _DIGITS[True]
    text = _chinese_integer(yuan, upper=True) + "元" if yuan or not rest else ""
    if not rest:
        return text + "整"
    if jiao:
        text += digits[jiao] + "角"
    if fen:
        text += ("零" if yuan and not jiao else "") + digits[fen] + "分"
    return text


def cn_year(value: int) -> str:
    """A year in numbering form, digit by digit with 〇: 2022 → 二〇二二."""
    year = int(_number("cn_year", value, integer=True))
    return "".join(_NUMBERING_DIGITS[int(digit)] for digit in str(year))


def date(value: datetime.date) -> str:
    """成文日期 form: 2022-02-18 → 2022年2月18日 (Arabic numerals, no zero padding; written here, as pct is)."""
    if not isinstance(value, datetime.date):
        raise FilterError("date", value, message("filter-not-date"))
    return f"{value.year}年{value.month}月{value.day}日"


def cn_date(value: datetime.date) -> str:
    """The older Chinese-numeral date form: 2022-02-18 → 二〇二二年二月十八日."""
    if not isinstance(value, datetime.date):
        raise FilterError("cn_date", value, message("filter-not-date"))
    return f"{cn_year(value.year)}年{cn(value.month)}月{cn(value.day)}日"


def heading(number: int, level: int) -> str:
    """The number of a heading at `level`: 3 → 三、 (1), （三） (2), 3. (3), （3） (4)."""
    count = int(_number("heading", number, integer=True))
    if level in (1, 2):
        return f"{cn(count)}、" if level == 1 else f"（{cn(count)}）"
    if level in (3, 4):
        return f"{count}." if level == 3 else f"（{count}）"
    raise FilterError("heading", level, message("filter-bad-level"))


def enum_cn(items: Sequence[str], lead: str = "", separator: str = "；") -> str:
    """An inline enumeration: ["甲", "乙。"] → 一是甲；二是乙。 — each item's own end punctuation is replaced."""
    if isinstance(items, str) or not all(isinstance(item, str) for item in items):
        raise FilterError("enum_cn", items, message("filter-not-texts"))
    parts = [f"{cn(index)}是{item.rstrip().rstrip(_ITEM_END)}" for index, item in enumerate(items, start=1)]
    return f"{lead}{separator.join(parts)}。"


# Filters: {{ value|name(arguments) }}. Functions: {{ name(arguments) }}.
FILTERS: dict[str, Callable[..., str]] = {
    "num": num,
    "pct": pct,
    "wan": wan,
    "cn": cn,
    "cn_upper": cn_upper,
    "rmb": rmb,
    "cn_year": cn_year,
    "date": date,
    "cn_date": cn_date,
    "heading": heading,
    "enum_cn": enum_cn,
    "change": change,
}
FUNCTIONS: dict[str, Callable[..., Any]] = {"rate": rate}
