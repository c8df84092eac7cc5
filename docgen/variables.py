"""The template's variables: every figure by name (tables 2–4 with their derived totals, `[figures]`), the
report's information and its narrative rendered — plain data, figure rows and groups only, so a template's
expressions reach no object of docgen's. The document template and the narrative both read these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from docgen import formatting
from docgen.derive import Derived, derive
from docgen.errors import DataError, KeyPath
from docgen.load import previous_of
from docgen.model import (
    NARRATIVE_LISTS,
    ApplicantRow,
    Enumeration,
    Report,
    ResultRow,
    Subsection,
    narrative_lists,
)
from docgen.narrative import NarrativeRenderer
from docgen.sandbox import Members

_RUN_IN_END = "。！？：；"


class Row(tuple, Members):  # type: ignore[type-arg]
    """A printed row of figures: `row[1]` as in the TOML array (the template's form), `row.business` and
    `row.total` by name (the narrative's form)."""

    NAMES: ClassVar[tuple[str, ...]] = ()

    def member(self, name: str) -> int:
        if name in self.NAMES:
            return int(self[self.NAMES.index(name)])
        raise KeyError(name)

    def __getattr__(self, name: str) -> int:
        try:
            return self.member(name)
        except KeyError:
            raise AttributeError(name) from None


class ApplicantFigures(Row):
    NAMES = (*ApplicantRow.NAMES, "total")


class ResultFigures(Row):
    NAMES = (*ResultRow.NAMES, "total")


class FigureGroup(Members):
    """A table or array of [figures]: its members by name or index, and `total`, their sum (a `total` the
    file gives itself wins: "其中" lists often name only some parts of a whole)."""

    __slots__ = ("_members",)

    def __init__(self, members: Mapping[str, Any] | list[Any]) -> None:
        self._members = members

    def __getitem__(self, key: str | int) -> Any:
        if key == "total" and not (isinstance(self._members, Mapping) and "total" in self._members):
            return sum(_value(member) for member in self._values())
        return self._members[key]  # type: ignore[index]

    def member(self, name: str) -> Any:
        try:
            return self[name]
        except (KeyError, TypeError, IndexError):
            raise KeyError(name) from None

    def __getattr__(self, name: str) -> Any:
        try:
            return self.member(name)
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterable[Any]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._members)

    def _values(self) -> list[Any]:
        return list(self._members.values()) if isinstance(self._members, Mapping) else list(self._members)


def _value(member: Any) -> int | Decimal:
    return member["total"] if isinstance(member, FigureGroup) else member


def _group(value: Any) -> Any:
    if isinstance(value, dict):
        return FigureGroup({key: _group(item) for key, item in value.items()})
    if isinstance(value, list):
        return FigureGroup([_group(item) for item in value])
    return value


def _nested(rows: dict[str, Row]) -> dict[str, Any]:
    """{"results.withheld.state_secret": row} → {"results": {"withheld": {"state_secret": row}}}."""
    tree: dict[str, Any] = {}
    for key, row in rows.items():
        *groups, name = key.split(".")
        node = tree
        for group in groups:
            node = node.setdefault(group, {})
        node[name] = row
    return tree


def figure_variables(report: Report, derived: Derived, previous: bool = True) -> dict[str, Any]:
    """Every figure by name: what the document template's cells and the narrative both quote; with
    `previous`, last year's too (as `previous.…`) when [report] previous names a file that reads (when it
    does not, `check` says why, and a text quoting it names `previous` as unknown)."""
    variables = {
        "report": {"issuer": report.report.issuer, "year": report.report.year, "date": report.report.date},
        "table2": report.table2.model_dump(),
        "table3": _nested({key: ApplicantFigures(values) for key, values in derived.table3.items()}),
        "table4": {key: ResultFigures(values) for key, values in derived.table4.items()},
        "figures": _group(report.figures),
    }
    if previous and report.report.previous is not None:
        try:
            last = previous_of(report)
        except DataError:
            last = None
        if last is not None:
            variables["previous"] = figure_variables(last, derive(last), previous=False)
    return variables


Expand = Callable[[str, KeyPath], str]


def _lines(paragraph: str | Enumeration, path: KeyPath, expand: Expand) -> list[str]:
    """A narrative paragraph as printed: an enumeration in one line, text split at its line breaks."""
    if isinstance(paragraph, Enumeration):
        items = [expand(item, (*path, "items", index)) for index, item in enumerate(paragraph.items)]
        return [formatting.enum_cn(items, expand(paragraph.lead, (*path, "lead")), paragraph.separator)]
    return [line.strip() for line in expand(paragraph, path).splitlines() if line.strip()]


def _blocks(
    paragraphs: Iterable[str | Enumeration], path: KeyPath, expand: Expand, head: str = ""
) -> list[dict[str, str]]:
    """Printed paragraphs as {head, text}; `head` (a run-in sub-section title) opens the first one."""
    texts = [line for index, paragraph in enumerate(paragraphs) for line in _lines(paragraph, (*path, index), expand)]
    blocks = [{"head": "", "text": text} for text in texts]
    if head:
        if blocks:
            blocks[0]["head"] = head
        else:
            blocks = [{"head": head, "text": ""}]
    return blocks


def _subsection(number: int, section: Subsection, path: KeyPath, expand: Expand) -> list[dict[str, str]]:
    head = formatting.heading(number, level=2) + expand(section.title, (*path, "title"))
    paragraphs = (*path, "paragraphs")
    if not section.run_in:
        return [{"head": head, "text": ""}, *_blocks(section.paragraphs, paragraphs, expand)]
    if not head.endswith(tuple(_RUN_IN_END)):
        head += "。"
    return _blocks(section.paragraphs, paragraphs, expand, head)


def context(report: Report, derived: Derived) -> dict[str, Any]:
    """Every variable the template may use: plain data and figure rows only, so the sandbox exposes no
    objects. Narrative strings are rendered here; any problem in them raises DocgenError, all at once."""
    with formatting.digit_grouping(report.style.group_digits):
        return _context(report, derived)


def _context(report: Report, derived: Derived) -> dict[str, Any]:
    info = report.report
    figures = figure_variables(report, derived)
    narrative = NarrativeRenderer(report, figures)
    expand = narrative.text
    # Expanded in the order printed, so that problems in them are told in that order too.
    title_lines = [expand(line, ("report", "title", index)) for index, line in enumerate(info.title_lines)]
    printed: dict[str, list[dict[str, str]]] = {part: [] for part in NARRATIVE_LISTS}
    for listed in narrative_lists(report):
        if listed.section is None:
            printed[listed.part] += _blocks(listed.paragraphs, listed.path, expand)
        else:
            printed[listed.part] += _subsection(listed.number + 1, listed.section, listed.path[:-1], expand)
    signing_date = (formatting.cn_date if report.style.date == "chinese" else formatting.date)(info.date)
    variables = {
        **figures,
        "title_lines": title_lines,
        "issuer": info.issuer,
        "year": info.year,
        "report_date": info.date,
        # 成文日期 as [style] asks: 2022年2月18日, or 二〇二二年二月十八日.
        "signing_date": signing_date,
        # The date line many reports print under the title: none, or one.
        "title_date_lines": [f"（{signing_date}）"] if info.title_date else [],
        "signature": info.signed_by,
        "headings": report.headings.model_dump(),
        **printed,
    }
    narrative.raise_problems()
    return variables
