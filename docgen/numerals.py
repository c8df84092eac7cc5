"""Numbers as people type and print them in Chinese text: full-width digits and signs, and the counting
numerals of prose and dates (十二, 二十五, 一百零三, 二〇二二). One place for the readers of workbooks,
published documents and narrative."""

from __future__ import annotations

import datetime
import re

from docgen.messages import message

# Full-width digits, decimal point, minus signs and comma → their ASCII forms (an IME's digits are full-width).
HALF_WIDTH = str.maketrans("０１２３４５６７８９．－−，", "0123456789.--,")

# 〇 (U+3007) is the numbering zero; ○ (U+25CB, a circle) is typed for it often enough to read it too.
DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
# Characters a counting numeral below 10,000 is written with.
NUMERAL_CHARACTERS = "".join(DIGITS) + "".join(_MULTIPLIERS)


def half_width(text: str) -> str:
    """１２．５ → 12.5, －３ → -3."""
    return text.translate(HALF_WIDTH)


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_WITH_UNIT = re.compile(r"(-?\d+(?:\.\d+)?)\s*([^\d\s.,\-\[\]{}\"'=#][^\s,\]]*)")
# 2026年1月23日, 2026-1-23, 2026/01/23, 2026.1.23: a date as typed in Word, Excel or a form.
# A date as sites, rosters and typists write it: 2022-01-20, 2022/1/20, 2022.1.20, 2022年1月20日.
_WRITTEN_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TYPED_DATE = re.compile(r"(\d{4}) ?(?:年|[-/.]) ?(\d{1,2}) ?(?:月|[-/.]) ?(\d{1,2})(?: ?日)?")


# The longest text still read as a figure typed with a slip (1,000,000,000,000.000000 万元 and the like);
# anything longer is not a figure, and its message must not repeat it.
_LONGEST_TYPED = 40


def typing_slip(text: str) -> str | None:
    """What is wrong with a figure typed the way people type them — full-width digits, a thousands separator,
    a unit after it — as a message with the figure rewritten; None when `text` is not such a figure (a plain
    number included). One diagnosis for a workbook cell and a data file's line."""
    typed = text.strip()
    if len(typed) > _LONGEST_TYPED:
        return None
    half = half_width(typed)
    shown = f"“{typed}”"
    if _PLAIN_NUMBER.fullmatch(half):
        return message("typed-full-width", value=shown, fixed=half) if half != typed else None
    if _GROUPED.fullmatch(half):
        return message("typed-grouped", value=shown, fixed=half.replace(",", ""))
    found = _WITH_UNIT.fullmatch(half)
    if found:
        return message("typed-unit", value=shown, unit=found.group(2), fixed=found.group(1))
    return None


def calendar_date(found: re.Match[str]) -> datetime.date | None:
    """The date a match's first three groups (year, month, day) name; None for a day no calendar has."""
    try:
        return datetime.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def written_date(text: str) -> datetime.date | None:
    """The first date written in `text` (2022-01-20, 2022年1月20日, …), None when there is none or it does
    not exist."""
    found = _WRITTEN_DATE.search(text)
    return calendar_date(found) if found else None


def typed_date(text: str) -> tuple[str, str] | None:
    """The first date in `text` written other than as YYYY-MM-DD, and that form of it: ("2026年1月23日",
    "2026-01-23"). None when there is none, or the date does not exist."""
    for found in _TYPED_DATE.finditer(half_width(text)):
        year, month, day = (int(part) for part in found.groups())
        try:
            iso = datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
        if found.group(0) != iso:
            return found.group(0), iso
    return None


def counting_numeral(text: str) -> int | None:
    """十二, 二十五, 一百零三, 三十一 → the number (below 10,000); None for anything else, including numerals
    no one writes (一二, 十十, 二百三): a misread figure is worse than none."""
    if text in ("零", "〇"):
        return 0
    found = _COUNTING.fullmatch(text)
    if not text or found is None:
        return None
    thousands, hundreds, zero_after_hundreds, tens, ones = found.groups()
    if zero_after_hundreds and not (hundreds or thousands):
        return None
    value = 0
    for digit, multiplier in ((thousands, 1000), (hundreds, 100)):
        value += DIGITS[digit] * multiplier if digit else 0
    if tens is not None:
        value += (DIGITS[tens[0]] if len(tens) > 1 else 1) * 10
    elif ones and (thousands or hundreds) and not zero_after_hundreds:
        return None  # 二百三 is 230 to some and 203 to others
    return value + (DIGITS[ones] if ones else 0)


_DIGIT = "[一二两三四五六七八九]"
_COUNTING = re.compile(rf"(?:({_DIGIT})千)?(?:({_DIGIT})百)?(零)?({_DIGIT}?十)?({_DIGIT})?")


def digit_string(text: str) -> int | None:
    """二〇二二 → 2022: numerals read digit by digit, as a year is printed; None for anything else."""
    if not text or any(char not in DIGITS or char == "两" for char in text):
        return None
    return int("".join(str(DIGITS[char]) for char in text))
