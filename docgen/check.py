"""Check: the rules the figures obey (勾稽关系, reference section 6), each with a stable id.

Every rule runs and every problem is returned, so a person fixes a file in one pass. Rule 6 (every count a
whole number ≥ 0) is enforced while loading (`model.Count`) and reported with the id `count`. Rules only one
format has are declared with that format (docgen/formats/).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from docgen import derive, formatting, labels, prose
from docgen.errors import DataError, KeyPath, Problem, Severity
from docgen.files import data_files
from docgen.formats import FORMATS, LATEST, CrossYearRule, Rule, format_of
from docgen.load import ReportLike, as_report, previous_of
from docgen.messages import message
from docgen.model import Enumeration, FigureRow, Report, narrative_lists, signing_date
from docgen.narrative import NarrativeRenderer
from docgen.variables import context, figure_variables

_APPLICANT_AND_TOTAL = (*labels.APPLICANT_COLUMNS, labels.TOTAL)


def column_balances(report: Report) -> list[tuple[str, int, int]]:
    """Each applicant column of table 3 as the 勾稽 rule weighs it: (column, 一 + 二, 三（七）总计 + 四)."""
    table3 = report.table3
    stated = table3.results.total
    totals = stated.figures if stated is not None else derive.results_total(table3)
    return [
        (column, new + carried_over, total + carried_forward)
        for column, new, carried_over, total, carried_forward in zip(
            labels.APPLICANT_COLUMNS,
            table3.new.figures,
            table3.carried_over.figures,
            totals,
            table3.carried_forward.figures,
        )
    ]


def balance(report: Report) -> Iterator[Problem]:
    """t3-balance (rule 1): per applicant column, 一 + 二 = 三（七）总计 + 四, with the （七）总计 the file gives
    where it gives one (the figure a published table prints). The 总计 column balances whenever the six do,
    unless the file states row totals of its own: then it is checked as stated too."""
    table3 = report.table3
    stated = table3.results.total
    for column, left, right in column_balances(report):
        if left != right:
            text = message("t3-balance", column=column, left=left, right=right)
            yield report.problem("t3-balance", ("table3",), text, expected=left, actual=right)
    rows = (table3.new, table3.carried_over, stated, table3.carried_forward)
    if any(row is not None and row.stated_total is not None for row in rows):
        new, carried_over, total, forward = (
            (row.stated_total if row.stated_total is not None else sum(row.figures)) if row is not None else None
            for row in rows
        )
        total = total if total is not None else sum(derive.results_total(table3))
        left, right = new + carried_over, total + forward  # type: ignore[operator]
        if left != right:
            text = message("t3-balance-total", left=left, right=right)
            yield report.problem("t3-balance", ("table3",), text, expected=left, actual=right)


def results_total(report: Report) -> Iterator[Problem]:
    """t3-results-total (rule 3): a （七）总计 row given in the file equals the sum of the result rows."""
    stated = report.table3.results.total
    if stated is None:
        return
    derived = derive.with_total(derive.results_total(report.table3))
    for index, value in enumerate(stated.root):
        if value != derived[index]:
            text = message("t3-results-total", column=_APPLICANT_AND_TOTAL[index], stated=value, derived=derived[index])
            path = ("table3", "results", "total", index)
            yield report.problem("t3-results-total", path, text, expected=derived[index], actual=value)


def _stated_total(
    report: Report, rule: str, path: KeyPath, row: FigureRow | None, name: Callable[[], str]
) -> Iterator[Problem]:
    """A row's optional last number (its 总计) must equal its figures added. (`name` gives the row's label,
    asked only for a problem.)"""
    if row is None or row.stated_total is None or row.stated_total == sum(row.figures):
        return
    derived = sum(row.figures)
    text = message(rule, name=name(), stated=row.stated_total, derived=derived)
    yield report.problem(rule, (*path, len(row.COLUMNS)), text, expected=derived, actual=row.stated_total)


def row_totals(report: Report) -> Iterator[Problem]:
    """t3-row-total (rule 4): a row's 7th number, where given, equals its six applicant columns added."""
    table3 = report.table3
    for key, _ in table3.ROWS:
        row = table3.results.total if key == derive.RESULTS_TOTAL else derive.table3_row(table3, key)
        path = ("table3", *key.split("."))
        yield from _stated_total(report, "t3-row-total", path, row, partial(labels.table3_row_label, key))


def table4_totals(report: Report) -> Iterator[Problem]:
    """t4-total (rule 5): a group's 5th number, where given, equals its four results added."""
    for key, group in labels.TABLE4_GROUPS.items():
        row = derive.table4_row(report.table4, key)
        yield from _stated_total(report, "t4-total", ("table4", key), row, partial(str, group))


def narrative(report: Report) -> Iterator[Problem]:
    """narrative: every {{ … }} in the text names something that exists and can be computed (building the
    template's variables is the one walk over every narrative string, as rendering does it)."""
    try:
        context(report, derive.derive(report))
    except DataError as error:
        yield from error.problems


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def title_year(report: Report) -> Iterator[Problem]:
    """title-year: a title that names another year than the report's (a title copied from last year's)."""
    for index, line in enumerate(report.report.title or []):
        for found in _YEAR.finditer(line):
            if int(found.group(1)) != report.report.year and "{{" not in line:
                text = message("title-year", title=line, found=found.group(1), year=report.report.year)
                yield report.problem("title-year", ("report", "title", index), text)


def date_in_year(report: Report) -> Iterator[Problem]:
    """date-in-year: a 成文日期 within the reporting year — the year's figures were not complete then."""
    info = report.report
    if info.date.year <= info.year:
        text = message("date-in-year", date=formatting.date(info.date), year=info.year)
        yield report.problem("date-in-year", ("report", "date"), text)


def _placeholders() -> set[str]:
    texts = {message("init-overview"), message("init-problems-lead"), message("init-improvements")}
    texts.add(message("sum-overview"))
    texts |= {message("init-topic", topic=topic) for topic in labels.OVERVIEW_TOPICS}
    return texts | {message("init-problem-item", number=number) for number in "一二三四五"}


def placeholders(report: Report) -> Iterator[Problem]:
    """placeholder (warning): text `docgen init` left for the author to replace, and its 成文日期."""
    known = _placeholders()
    for path, text in narrative_texts(report):
        if text.strip() in known:
            yield report.problem(
                "placeholder", path, message("placeholder", text=text.strip()), severity=Severity.WARNING
            )
    if report.report.date == signing_date(report.report.year):
        text = message("placeholder-date", date=formatting.date(report.report.date))
        yield report.problem("placeholder", ("report", "date"), text, severity=Severity.WARNING)


def narrative_texts(report: Report) -> Iterator[tuple[KeyPath, str]]:
    """Every narrative text of a report with its key path: paragraphs, enumeration leads and items,
    sub-section titles."""
    for listed in narrative_lists(report):
        if listed.section is not None:
            yield ("overview", "sections", listed.number, "title"), listed.section.title
        for index, paragraph in enumerate(listed.paragraphs):
            here = (*listed.path, index)
            if isinstance(paragraph, Enumeration):
                yield (*here, "lead"), paragraph.lead
                yield from (((*here, "items", number), item) for number, item in enumerate(paragraph.items))
            else:
                yield here, paragraph


def empty_sections(report: Report) -> Iterator[Problem]:
    """section-empty (warning): 一、总体情况 or 五、存在的主要问题及改进情况 says nothing."""
    parts = {
        "overview": report.overview.paragraphs or report.overview.sections,
        "problems": report.problems.paragraphs,
    }
    for key, content in parts.items():
        if not content:
            heading = getattr(report.headings, key)
            yield report.problem(
                "section-empty", (key,), message("section-empty", heading=heading), severity=Severity.WARNING
            )


def _in_requests_part(report: Report, path: KeyPath) -> bool:
    """Whether a narrative text stands in 一、总体情况's part on applications (（二）依申请公开)."""
    if path[:2] != ("overview", "sections") or not isinstance(path[2], int):
        return False
    return "申请" in report.overview.sections[path[2]].title


def text_table(report: Report) -> Iterator[Problem]:
    """text-table (warning): a figure the narrative states (收到申请 12 件, 办结率 100%) that tables 3 and 4
    contradict. The text is read as printed, its {{ … }} expressions rendered."""
    derived = derive.derive(report)
    table = prose.figures(derived, report.report.year)
    renderer = NarrativeRenderer(report, figure_variables(report, derived))
    for path, raw in narrative_texts(report):
        text = renderer.text(raw, path)
        if len(text) > prose.MAX_TEXT:  # no report states its figures in a text this long
            continue
        for found in prose.contradictions(text, table, _in_requests_part(report, path)):
            sentence = found.sentence if len(found.sentence) <= 60 else found.sentence[:60] + "…"
            what = message(f"prose-{found.means}")
            text_problem = message("text-table", sentence=sentence, what=what, stated=found.stated, table=found.table)
            yield report.problem(
                "text-table", path, text_problem, severity=Severity.WARNING, expected=found.table, actual=found.stated
            )


def old_format(report: Report) -> Iterator[Problem]:
    """old-format (warning): a report for 2021 or later in the 2019 tables (国办公开办函〔2021〕30号 replaced them;
    reviewers mark it 未按新模板)."""
    if report.format != LATEST.name and report.report.year >= LATEST.first_year:
        text = message("old-format", year=report.report.year, notice=LATEST.notice, first=LATEST.first_year)
        yield report.problem("old-format", ("format",), text, severity=Severity.WARNING)


def unplaced(report: Report) -> Iterator[Problem]:
    """unplaced (warning): content `docgen extract` kept but could not place is never printed."""
    if report.unplaced:
        text = message("unplaced", count=len(report.unplaced))
        yield report.problem("unplaced", ("unplaced",), text, severity=Severity.WARNING)


# Every format's rules, in the order they run: the table rules, then the format's own, then these.
RULES: dict[str, Rule] = {
    "t3-balance": balance,
    "t3-results-total": results_total,
    "t3-row-total": row_totals,
    "t4-total": table4_totals,
}
# Rules that only ever warn: rendering, which stops only for errors, need not run them.
WARNING_RULES = frozenset(
    {
        "placeholder",
        "section-empty",
        "text-table",
        "old-format",
        "fees-unexplained",
        "repeats-previous",
        "unplaced",
        "figure-jump",
        "t2-in-force",
        "previous-issuer",
        "previous-year",
    }
)

CLOSING_RULES: dict[str, Rule] = {
    "title-year": title_year,
    "date-in-year": date_in_year,
    "placeholder": placeholders,
    "section-empty": empty_sections,
    "text-table": text_table,
    "old-format": old_format,
    "unplaced": unplaced,
    "narrative": narrative,  # last: rendering runs it as part of building the document (api.render_bytes)
}


# --- across years: this report against last year's ------------------------------------------------

# A change smaller than this in both years is ordinary noise in small counts, not worth a warning.
JUMP_FLOOR = 10
JUMP_FACTOR = 5


def previous_year(report: Report, previous: Report) -> Iterator[Problem]:
    """previous-year (warning): --previous is the report of the year before."""
    expected = report.report.year - 1
    if previous.report.year != expected:
        text = message("previous-year", previous=previous.report.year, expected=expected)
        yield report.problem("previous-year", ("report", "year"), text, severity=Severity.WARNING)


def previous_issuer(report: Report, previous: Report) -> Iterator[Problem]:
    """previous-issuer (warning): last year's report is another body's."""
    if previous.report.issuer != report.report.issuer:
        text = message("previous-issuer", previous=previous.report.issuer, issuer=report.report.issuer)
        yield report.problem("previous-issuer", ("report", "issuer"), text, severity=Severity.WARNING)


def carry_over(report: Report, previous: Report) -> Iterator[Problem]:
    """carry-over (error): this year's 二、上年结转 = last year's 四、结转下年度继续办理, column by column."""
    pairs = zip(report.table3.carried_over.figures, previous.table3.carried_forward.figures)
    for index, (this, before) in enumerate(pairs):
        if this != before:
            text = message("carry-over", column=labels.APPLICANT_COLUMNS[index], this=this, previous=before)
            yield report.problem("carry-over", ("table3", "carried_over", index), text, expected=before, actual=this)


def figure_cells(report: Report) -> Iterator[tuple[KeyPath, int | Decimal]]:
    """Every figure the user entered, with its key path."""
    for name, value in report.table2:
        if isinstance(value, BaseModel):  # a row of several columns (本年制发件数 …)
            yield from ((("table2", name, column), count) for column, count in value)
        else:
            yield ("table2", name), value
    for key in derive.entered_keys(report.table3.ROWS):
        for index, count in enumerate(derive.table3_row(report.table3, key).figures):
            yield ("table3", *key.split("."), index), count
    for key in derive.TABLE4_KEYS:
        for index, count in enumerate(derive.table4_row(report.table4, key).figures):
            yield ("table4", key, index), count


def figure_jumps(report: Report, previous: Report) -> Iterator[Problem]:
    """figure-jump (warning): a figure more than 5× or less than 0.2× last year's. A figure of 0 is not
    compared: in a file `init --from` has just made every figure not carried over is 0, still to be filled in."""
    before = dict(figure_cells(previous))
    for path, this in figure_cells(report):
        last = before.get(path)  # a cell the other year's format does not have is not compared
        if last is None or last <= 0 or this <= 0 or max(last, this) < JUMP_FLOOR:
            continue
        factor = Decimal(this) / Decimal(last)
        if factor > JUMP_FACTOR or factor < Decimal(1) / JUMP_FACTOR:
            change = message("figure-jump-up" if factor > 1 else "figure-jump-down", factor=f"{factor:.1f}")
            text = message("figure-jump", label=labels.describe(path), previous=last, this=this, change=change)
            yield report.problem("figure-jump", path, text, severity=Severity.WARNING, expected=last, actual=this)


# A narrative more than half of whose sentences are last year's (digits aside) was copied: one city's
# assessment deducts for exactly that. Sentences shorter than this are set phrases every report shares.
REPEAT_SHARE = Decimal("0.5")
REPEAT_MIN_SENTENCE = 12
REPEAT_MIN_SENTENCES = 5
_NOT_COMPARED = re.compile(r"\{\{.*?\}\}|[\d０-９\s，,、。；;：:！？“”\"'（）()]")


def _sentences_of(report: Report) -> list[str]:
    """The narrative's sentences as compared across years: figures, expressions and punctuation left out."""
    found = []
    for _path, text in narrative_texts(report):
        for sentence in prose.sentences(text):
            bare = _NOT_COMPARED.sub("", sentence)
            if len(bare) >= REPEAT_MIN_SENTENCE:
                found.append(bare)
    return found


def repeats_previous(report: Report, previous: Report) -> Iterator[Problem]:
    """repeats-previous (warning): more than half of the narrative's sentences are last year's, word for word
    but for the figures."""
    this, before = _sentences_of(report), set(_sentences_of(previous))
    if len(this) < REPEAT_MIN_SENTENCES:
        return
    repeated = sum(sentence in before for sentence in this)
    if Decimal(repeated) / len(this) > REPEAT_SHARE:
        share = f"{Decimal(repeated) * 100 / len(this):.0f}%"
        text = message("repeats-previous", share=share, repeated=repeated, total=len(this), year=previous.report.year)
        yield report.problem("repeats-previous", ("overview",), text, severity=Severity.WARNING, actual=share)


# Every format's cross-year rules, in the order they run: these, the format's own, then the closing ones.
CROSS_YEAR_RULES: dict[str, CrossYearRule] = {
    "previous-year": previous_year,
    "previous-issuer": previous_issuer,
    "carry-over": carry_over,
}
CLOSING_CROSS_YEAR_RULES: dict[str, CrossYearRule] = {"figure-jump": figure_jumps, "repeats-previous": repeats_previous}


def rules_for(report: Report) -> dict[str, Rule]:
    """The rules a report of this format is checked by, in order."""
    return {**RULES, **format_of(report).rules, **CLOSING_RULES}


def cross_year_rules_for(report: Report) -> dict[str, CrossYearRule]:
    """The rules comparing a report of this format with last year's, in order."""
    return {**CROSS_YEAR_RULES, **format_of(report).cross_year_rules, **CLOSING_CROSS_YEAR_RULES}


def _ordered(first: dict[str, object], own: list[dict[str, object]], last: dict[str, object]) -> list[str]:
    return list(dict.fromkeys([*first, *(rule for rules in own for rule in rules), *last]))


def rule_ids() -> tuple[list[str], list[str]]:
    """Every rule id there is, in the order the rules run: the rules of one report, then those comparing it
    with last year's (the README's rule table lists them)."""
    formats = list(FORMATS.values())
    single = _ordered(RULES, [fmt.rules for fmt in formats], CLOSING_RULES)  # type: ignore[arg-type]
    cross = _ordered(CROSS_YEAR_RULES, [fmt.cross_year_rules for fmt in formats], CLOSING_CROSS_YEAR_RULES)  # type: ignore[arg-type]
    return single, cross


def check(report_or_path: ReportLike, previous: ReportLike | None = None, skip: Collection[str] = ()) -> list[Problem]:
    """Every problem every rule finds, in rule order; with `previous` (last year's report, or its data file)
    the cross-year rules too (without it, against the file [report] previous names, if any); `skip` leaves
    out rules of either kind by id. Errors have severity ERROR, what is suspicious but legal WARNING.

    A data file given by path that does not load gives its loading problems (it is checked as far as it
    can be); last year's file failing to load raises DataError, since then nothing can be compared."""
    last_year = as_report(previous) if previous is not None else None
    try:
        report = as_report(report_or_path)
    except DataError as error:
        return error.problems
    problems = [problem for name, rule in rules_for(report).items() if name not in skip for problem in rule(report)]
    if last_year is None and report.report.previous is not None:  # [report] previous: last year's data file
        try:
            last_year = previous_of(report)
        except DataError as error:
            problems += [problem for problem in error.problems if problem.rule not in skip]
    if last_year is not None:
        problems += [
            problem
            for name, rule in cross_year_rules_for(report).items()
            if name not in skip
            for problem in rule(report, last_year)
        ]
    return problems


@dataclass(frozen=True)
class Checked:
    """One data file checked: its problems (loading problems included), errors and warnings alike."""

    file: Path
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.ERROR]


# The shape of `check --json`; raised when a field changes meaning or goes, not when one is added.
CHECK_JSON_VERSION = 1


def check_report(checked: list[Checked]) -> dict[str, object]:
    """`check --json`: every file checked — with no problems too — its problems as `Problem.to_dict` gives
    them, and the counts, under a format `version` scripts can test."""
    files = []
    for one in checked:
        errors = len(one.errors)
        files.append(
            {
                "file": str(one.file),
                "errors": errors,
                "warnings": len(one.problems) - errors,
                "problems": [problem.to_dict() for problem in one.problems],
            }
        )
    return {
        "version": CHECK_JSON_VERSION,
        "files": files,
        "errors": sum(entry["errors"] for entry in files),
        "warnings": sum(entry["warnings"] for entry in files),
    }


def check_files(
    paths: Iterable[Path | str], previous: ReportLike | None = None, on_misnamed: Callable[[Path], None] | None = None
) -> list[Checked]:
    """Check every data file named (folders searched for data files; `on_misnamed` told of a 乙.toml.txt
    passed over); raises DataError when a folder holds none or last year's file does not load."""
    last_year = as_report(previous) if previous is not None else None
    return [Checked(file, check(file, last_year)) for file in data_files(map(Path, paths), on_misnamed)]
