"""Chinese official number, date and numbering forms (GB/T 15835-2011, GB/T 9704-2012).

Pure functions with no knowledge of Word; the same functions are the template's Jinja filters.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Integers of up to this many digits are written without group separators (GB/T 15835: 1841, not 1,841).
UNGROUPED_DIGITS = 4
_ITEM_END = "。；;，,、"


@cache
def _locale() -> Locale:
    from babel import Locale

    return Locale.parse("zh_CN")


def num(value: int | Decimal) -> str:
    """A figure as printed in a table or text: 1841 → 1841, 12345 → 12,345, Decimal('59237.2449') → 59,237.2449.

    Decimals keep exactly the digits given (a fee reported as 12.50 万元 prints as 12.50); nothing is rounded.
    """
    from babel.numbers import format_decimal

    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"num: not a number: {value!r}")
    text = format(Decimal(value), "f")
    sign = "-" if text.startswith("-") else ""
    whole, point, fraction = text.lstrip("-").partition(".")
    if len(whole) > UNGROUPED_DIGITS:
        whole = format_decimal(int(whole), locale=_locale())
    return f"{sign}{whole}{point}{fraction}"


def date(value: datetime.date) -> str:
    """成文日期 form: 2022-02-18 → 2022年2月18日 (Arabic numerals, no zero padding)."""
    from babel.dates import format_date

    return format_date(value, "y年M月d日", locale=_locale())


def cn(value: int) -> str:
    """Chinese counting numeral: 10 → 十, 101 → 一百零一."""
    import cn2an  # slow to import; only numbering needs it

    return str(cn2an.an2cn(value))


def heading(number: int, level: int) -> str:
    """The number of a heading at `level`: 3 → 三、 (1), （三） (2), 3. (3), （3） (4)."""
    forms = {1: "{cn}、", 2: "（{cn}）", 3: "{n}.", 4: "（{n}）"}
    return forms[level].format(cn=cn(number) if level <= 2 else "", n=number)


def enum_cn(items: Sequence[str], lead: str = "", separator: str = "；") -> str:
    """An inline enumeration: ["甲", "乙。"] → 一是甲；二是乙。 — each item's own end punctuation is replaced."""
    parts = [f"{cn(index)}是{item.rstrip().rstrip(_ITEM_END)}" for index, item in enumerate(items, start=1)]
    return f"{lead}{separator.join(parts)}。"
