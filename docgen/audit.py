"""Audit: the reviewing office's view of a year's reports — published documents (.docx, web pages, PDFs) read
with `extract`, data files loaded — each checked, its key figures and problems in one row, compared with last
year's report of the same body when those are given; and the whole as a workbook (审核.xlsx)."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import labels
from docgen.check import check
from docgen.derive import derive
from docgen.errors import DataError, DocgenError, Problem, Severity, TemplateFileError
from docgen.extract import extract
from docgen.fetch import FOLDER, RECORD, download_all, is_address, linking_page, recorded_date
from docgen.files import DOCUMENT_SUFFIXES, collect
from docgen.lint import lint
from docgen.load import MAX_FILE_BYTES, from_dict, load
from docgen.messages import message
from docgen.model import Report
from docgen.notice import Entry, distribution, notice
from docgen.notice import render as render_notice
from docgen.prose import figures as prose_figures
from docgen.readers import data_suffixes, reader_for
from docgen.readers.xlsx import check_package
from docgen.roster import Body, deadline, deadline_setting, match, read_roster, roster_findings
from docgen.scores import load_scheme, ranks, score
from docgen.workers import each_in_order, follow_parent
from docgen.write import write_atomic
from docgen.xlsxout import append, new_book, put, to_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# The figures a reviewer compares across bodies and years (named as prose.figures names them, which the
# prose is checked against), in the order of the audit's columns.
KEY_FIGURES: dict[str, str] = {
    "new": "新收申请",
    "carried_over": "上年结转",
    "results_total": "办结（七）总计",
    "granted": "予以公开",
    "carried_forward": "结转下年度",
    "review": "行政复议",
    "review_corrected": "复议纠正",
    "litigation": "行政诉讼",
    "litigation_corrected": "诉讼纠正",
}


def key_figures(report: Report) -> dict[str, int]:
    every = prose_figures(derive(report))
    return {key: int(every[key]) for key in KEY_FIGURES}


@dataclass(frozen=True)
class Reading:
    """What an audit keeps of a report it read: who, which year, which format, its key figures — not the
    report itself, so that a thousand outcomes take no more room than the workbook's rows."""

    issuer: str
    year: int
    format: str
    figures: dict[str, int]

    @classmethod
    def of(cls, report: Report) -> Reading:
        return cls(report.report.issuer, report.report.year, report.format, key_figures(report))


@dataclass
class Audited:
    """One report audited: what it reads as (None when it cannot be read), every problem, last year's."""

    source: Path
    reading: Reading | None
    problems: list[Problem] = field(default_factory=list)
    previous: Reading | None = None
    dismissed: list[tuple[Problem, str]] = field(default_factory=list)  # findings a reviewer dismissed, why
    confirmed: dict[str, str] = field(default_factory=dict)  # finding id → the reviewer's note
    dates: Dates = field(default_factory=lambda: Dates())  # what the document says of when it went up
    published_on: datetime.date | None = None  # when it went up, as the desk settled it
    published_from: str = ""  # where that date was read (a message id)
    body: Body | None = None  # the roster's body it was matched to
    missing: bool = False  # a body on the roster with no report: `source` is the roster
    year: int | None = None  # the year a missing (or unreadable) report was due for
    score: Decimal | None = None
    points_off: Counter[str] = field(default_factory=Counter)
    rank: int | None = None

    def finding(self, problem: Problem) -> str:
        return finding_id(problem, self.reading)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.ERROR]

    @property
    def doubts(self) -> list[Problem]:
        """Findings on figures the reader could not place with certainty (the report may well be right)."""
        return [problem for problem in self.problems if problem.severity is Severity.DOUBT]

    @property
    def failed(self) -> bool:
        """Unreadable, or wrong by a rule."""
        return self.reading is None or bool(self.errors)

    @property
    def uncertain(self) -> bool:
        """Read, with no error, but with findings in doubt."""
        return not self.failed and bool(self.doubts)

    @property
    def figures(self) -> dict[str, int]:
        return self.reading.figures if self.reading is not None else {}

    @property
    def by_rule(self) -> str:
        counts = Counter(problem.rule for problem in self.problems)
        return "；".join(f"{rule}×{count}" for rule, count in counts.items())


def sources(paths: Iterable[Path | str]) -> list[Path]:
    """Published reports and data files named, folders searched for both (addresses are not files: see
    `audit`)."""
    local = [Path(path) for path in paths if not is_address(path)]
    found = collect(local, (*DOCUMENT_SUFFIXES, *data_suffixes()), "no-audit-files") if local else []
    # the reviewers' marks, a download folder's record and the pages saved for their attachments: no reports
    return [path for path in found if path.name not in (OPINIONS, RECORD) and not linking_page(path)]


@dataclass(frozen=True)
class Dates:
    """What a document says of when it went up: the site's date, and the day the file was made."""

    published: datetime.date | None = None
    created: datetime.date | None = None


def read(source: Path) -> tuple[Report | None, list[Problem], Dates]:
    """A report from a published document (what extract reads, with its warnings and dates) or a data file."""
    try:
        if source.suffix.lower() in DOCUMENT_SUFFIXES:
            result = extract(source)
            report = from_dict(result.data, str(source), result.locator())  # problems name where it was printed
            published = result.published_on or recorded_date(source)  # a download's page gave it
            return report, list(result.warnings), Dates(published, result.created_on)
        return load(source), [], Dates()
    except DocgenError as error:
        return None, list(error.problems), Dates()
    except Exception as error:  # a bug must not take the rest of the audit down with it (as batch.render_one)
        text = message("internal-error", kind=type(error).__name__, reason=str(error)[:200])
        return None, [Problem("internal", text, file=str(source))], Dates()


def finding_id(problem: Problem, reading: Reading | None) -> str:
    """A finding's stable id: its rule, the body, the year and where it stands (the key path; for prose, the
    sentence), so a reviewer's mark on it still applies when the audit runs again."""
    body, year = (reading.issuer, str(reading.year)) if reading is not None else (problem.file, "")
    where = problem.key or "-"
    quoted = re.search(r"“([^”]{1,80})", problem.message) if problem.rule == "text-table" else None
    if quoted:
        where += "#" + hashlib.sha256(quoted.group(1).encode("utf-8")).hexdigest()[:8]
    return f"{problem.rule}/{body}/{year}/{where}"


OPINIONS = "审核意见.toml"
_DISMISSED, _CONFIRMED = ("驳回", "dismissed"), ("确认", "confirmed")


def opinions_in(paths: Iterable[Path]) -> dict[str, tuple[str, str]]:
    """The reviewers' marks (finding id → (status, reason)) from 审核意见.toml in the folders audited (or the
    files themselves): a list of [[意见]] tables, each with 编号, 结论 (确认/驳回) and 理由."""
    marks: dict[str, tuple[str, str]] = {}
    for path in paths:
        found = path if path.name == OPINIONS else path / OPINIONS if path.is_dir() else None
        if found is None or not found.is_file():
            continue
        entries = reader_for(".toml")(found.read_bytes()[: MAX_FILE_BYTES + 1], str(found), found).data.get("意见", [])
        if not isinstance(entries, list):
            raise DataError([Problem("opinions", message("opinions-shape", path=found), file=str(found))])
        for number, entry in enumerate(entries, start=1):
            status = str(entry.get("结论", "")) if isinstance(entry, dict) else ""
            if not isinstance(entry, dict) or not entry.get("编号") or status not in (*_DISMISSED, *_CONFIRMED):
                text = message("opinions-entry", number=number)
                raise DataError([Problem("opinions", text, file=str(found), key=f"意见[{number - 1}]")])
            marks[str(entry["编号"])] = (
                "dismissed" if status in _DISMISSED else "confirmed",
                str(entry.get("理由", "")),
            )
    return marks


def opinions_in_workbook(path: Path) -> dict[str, tuple[str, str]]:
    """The marks a reviewer typed into last run's 审核 workbook: the 审核意见 column of 问题明细 ("驳回：理由",
    "确认"), and the findings on its 已驳回 sheet. A workbook that is not one docgen wrote gives none."""
    from openpyxl import load_workbook

    try:
        data = path.read_bytes()
        check_package(data, str(path))  # edited by hand: read as carefully as any workbook from outside
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, DocgenError):
        return {}
    except Exception:  # openpyxl refuses a damaged workbook in many ways: then it holds no marks
        return {}
    marks: dict[str, tuple[str, str]] = {}
    if "问题明细" in book.sheetnames:
        rows = book["问题明细"].iter_rows(values_only=True)
        head = list(next(rows, ()))
        if "编号" in head and "审核意见" in head:
            at, noted = head.index("编号"), head.index("审核意见")
            for row in rows:
                mark = _typed_mark(str(row[noted] or "")) if len(row) > noted else None
                if mark and row[at]:
                    marks[str(row[at])] = mark
    if "已驳回" in book.sheetnames:
        for row in list(book["已驳回"].iter_rows(values_only=True))[1:]:
            if len(row) >= 5 and row[3]:
                marks[str(row[3])] = ("dismissed", str(row[4] or ""))
    return marks


def _typed_mark(text: str) -> tuple[str, str] | None:
    """ "驳回：理由" → ("dismissed", "理由"); "确认" → ("confirmed", ""); anything else → None."""
    status, _, reason = text.strip().partition("：") if "：" in text else text.strip().partition(":")
    if status in _DISMISSED:
        return "dismissed", reason.strip()
    if status in _CONFIRMED:
        return "confirmed", reason.strip()
    return None


def _marked(outcome: Audited, marks: dict[str, tuple[str, str]]) -> Audited:
    """The outcome with the findings a reviewer dismissed set apart, and the confirmed ones noted."""
    kept = []
    for problem in outcome.problems:
        status, reason = marks.get(outcome.finding(problem), ("", ""))
        if status == "dismissed":
            outcome.dismissed.append((problem, reason))
            continue
        if status == "confirmed":
            outcome.confirmed[outcome.finding(problem)] = reason
        kept.append(problem)
    outcome.problems = kept
    return outcome


@dataclass(frozen=True)
class Desk:
    """What the reviewing office adds to an audit: the roster of bodies expected, the deadline (month-day,
    the statutory 1月31日 of the next year when None) and the scoring scheme (docgen's default when None)."""

    roster: Path | None = None
    deadline: str | None = None
    scheme: Path | None = None
    scored: bool = False  # score even without a roster (`--scores`)
    office: str = ""  # who signs the 通报


def audit(
    paths: Iterable[Path | str],
    previous: Iterable[Path | str] = (),
    output: Path | str | Sequence[Path | str] | None = None,
    on_done: Callable[[Audited], None] = lambda _: None,
    desk: Desk | None = None,
    jobs: int | None = 1,
    reports: list[Path] | None = None,
    template: Path | str | None = None,
    downloads: Path | str | None = None,
    on_start: Callable[[int], None] = lambda _: None,
) -> list[Audited]:
    """`docgen audit`: every report named, read and checked — against last year's report of the same body
    (by 机关名称) when `previous` names last year's reports; with `output`, the 审核 workbook written there.
    Findings a reviewer marked in 审核意见.toml (beside the reports) are carried: dismissed ones set apart.
    With a `desk`: reports matched to the roster's bodies (a body without a report is an outcome of its own),
    late ones found, every body scored and ranked. `jobs` processes read and check side by side (None: one
    per core); outcomes come back in the order of the reports, `on_done` told of each as it ends. `reports`:
    the files `sources(paths)` found, when the caller has them already. `output` is one path or several: an
    .xlsx gets the workbook, a .docx the 通报 (from `template`, docgen's own when None). http(s) addresses
    among `paths` and in the roster's 报告地址 column are downloaded into `downloads` (default: 下载/ beside
    the first output, or here) and audited from there; `on_start` is told how many reports there are."""
    given = list(paths)
    addresses = [str(path).strip() for path in given if is_address(path)]
    paths = [Path(path) for path in given if not is_address(path)]
    outputs = _outputs(output, template)
    if desk is not None:  # a mistyped deadline, a broken scheme or roster: said before any report is read
        if desk.deadline:
            deadline_setting(desk.deadline)
        if desk.roster is not None or desk.scored:
            load_scheme(desk.scheme)
        if desk.roster is not None:
            addresses += [body.source.strip() for body in read_roster(desk.roster) if is_address(body.source)]
    # Marks typed into last run's workbook are carried; 审核意见.toml, written on purpose, has the last word.
    books = [path for path in outputs if path.suffix.lower() == ".xlsx"]
    marks = {**(opinions_in_workbook(books[0]) if books else {}), **opinions_in(paths)}
    earlier: dict[str, Report] = {}
    unreadable: list[str] = []
    for path in sources(previous) if previous else []:
        report, _, _ = read(path)
        if report is not None:
            earlier[report.report.issuer] = report
        else:
            unreadable.append(path.name)
    if not paths and not addresses:
        raise DataError(
            [Problem("file", message("audit-nothing"), file=str(desk.roster if desk and desk.roster else ""))]
        )
    found = (sources(paths) if reports is None else reports) if paths else []
    failed: list[Audited] = []
    origins: dict[Path, str] = {}  # each downloaded file (or failed address) → the address it was given by
    if addresses:
        folder = Path(downloads) if downloads else (outputs[0].parent if outputs else Path.cwd()) / FOLDER
        fetched, unfetched = download_all(addresses, folder)
        known = {path.resolve() for path in found}
        found += [item.path for item in fetched if item.path.resolve() not in known]
        failed = [Audited(Path(address), None, [problem]) for address, problem in unfetched]
        origins = {item.path: item.page or item.address for item in fetched}
        origins.update((outcome.source, address) for outcome, (address, _) in zip(failed, unfetched))
    on_start(len(found) + len(failed))
    for outcome in failed:
        on_done(outcome)
    context = _Context(earlier, bool(previous), unreadable)
    results: dict[int, Audited] = {}

    def done(index: int, outcome: Audited) -> None:
        results[index] = outcome if desk is not None else _marked(outcome, marks)
        on_done(results[index])

    each_in_order(
        _audit_in_worker,
        found,
        jobs or os.cpu_count() or 1,
        done,
        here=partial(audit_one, context=context),
        initializer=_in_worker,
        initargs=(context,),
    )
    audited = [results[index] for index in range(len(found))] + failed
    if desk is not None:
        audited = _at_the_desk(audited, desk, marks, origins)
    for path in outputs:
        if path.suffix.lower() == ".xlsx":
            write_atomic(path, workbook(audited))
        else:
            write_atomic(path, notice_document(audited, desk, Path(template) if template else None))
    return audited


def _outputs(output: Path | str | Sequence[Path | str] | None, template: Path | str | None) -> list[Path]:
    """The files to write, each an .xlsx or a .docx; a 通报 template linted: both said before any report is
    read."""
    named = [] if output is None else [output] if isinstance(output, (str, Path)) else list(output)
    paths = [Path(path) for path in named]
    for path in paths:
        if path.suffix.lower() not in (".xlsx", ".docx"):
            raise DataError([Problem("output", message("audit-output-kind", path=str(path)), file=str(path))])
    if template is not None:
        problems = [problem for problem in lint(template) if problem.severity is Severity.ERROR]
        if problems:
            raise TemplateFileError(problems)
    return paths


@dataclass(frozen=True)
class _Context:
    """What auditing one report needs besides the report: last year's reports by body, whether any were
    given, and the names of those that could not be read."""

    earlier: dict[str, Report]
    previous_given: bool
    unreadable: list[str]


def audit_one(source: Path, context: _Context) -> Audited:
    """One report read and checked (never raising: a file that cannot be read is an outcome like any other)."""
    try:
        report, problems, dates = read(source)
        last = context.earlier.get(report.report.issuer) if report is not None else None
        if report is not None:
            doubtful = doubtful_tables(problems)
            found = [problem for problem in check(report, last) if not _printed_date(problem, source)]
            problems += [in_doubt(problem, doubtful) for problem in found]
            if context.previous_given and last is None and report.report.previous is None:  # else check used its own
                problems.append(_no_previous(report, source, context.unreadable))
        reading = Reading.of(report) if report is not None else None
        return Audited(source, reading, problems, Reading.of(last) if last is not None else None, dates=dates)
    except Exception as error:  # a bug must not take the rest of the audit down with it (as batch.render_one)
        text = message("internal-error", kind=type(error).__name__, reason=str(error)[:200])
        return Audited(source, None, [Problem("internal", text, file=str(source))])


_WORKER_CONTEXT: _Context | None = None


def _in_worker(parent: int, context: _Context) -> None:
    """A worker's start: last year's reports handed over once, not with every report."""
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context
    follow_parent(parent)


def _audit_in_worker(source: Path) -> Audited:
    assert _WORKER_CONTEXT is not None
    return audit_one(source, _WORKER_CONTEXT)


def _at_the_desk(
    audited: list[Audited], desk: Desk, marks: dict[str, tuple[str, str]], origins: dict[Path, str]
) -> list[Audited]:
    """The outcomes matched to the roster (and a missing body's own outcome after them), each late report
    found, the reviewers' marks applied, and every outcome scored (without what they dismissed) and ranked."""
    if desk.roster is not None:
        bodies = read_roster(desk.roster)
        matched = match(bodies, [outcome.reading.issuer if outcome.reading else None for outcome in audited])
        for position in matched.unlisted:
            issuer = audited[position].reading.issuer  # type: ignore[union-attr]
            text = message("roster-unlisted", issuer=issuer)
            audited[position].problems.append(
                Problem(
                    "roster-unlisted",
                    text,
                    file=str(audited[position].source),
                    key="report.issuer",
                    severity=Severity.WARNING,
                )
            )
        years = sorted({outcome.reading.year for outcome in audited if outcome.reading is not None})
        unread = _unread_by_body(audited, bodies, origins)
        for number, body in enumerate(bodies):
            positions = matched.reports.get(number, [])
            for position in positions:
                audited[position].body = body
            for position in unread.get(number, []):  # its report is there, docgen could not read it: no 未公开
                audited[position].body = body
                audited[position].year = years[0] if len(years) == 1 else None
            for year in years:
                of_year = [position for position in positions if audited[position].reading.year == year]  # type: ignore[union-attr]
                count = len(of_year) + (len(unread.get(number, [])) if len(years) == 1 else 0)
                for problem in roster_findings(body, year, count, desk.roster, len(years) > 1):
                    if count:  # two reports of one year: said on each
                        for position in of_year or unread[number]:
                            audited[position].problems.append(replace(problem, file=str(audited[position].source)))
                    else:
                        audited.append(Audited(desk.roster, None, [problem], body=body, missing=True, year=year))
    if desk.roster is not None or desk.deadline is not None:
        for outcome in audited:
            _settle_date(outcome)
            _check_published(outcome, desk.deadline)
    audited = [_marked(outcome, marks) for outcome in audited]
    if desk.roster is not None or desk.scored:
        scheme = load_scheme(desk.scheme)
        for outcome in audited:
            outcome.score, outcome.points_off = score(outcome.problems, scheme)
        # With a roster, the ranking is of its bodies: a report no body claims is scored, not ranked.
        ranked = [outcome for outcome in audited if desk.roster is None or outcome.body is not None]
        for outcome, rank in zip(ranked, ranks([outcome.score or Decimal(0) for outcome in ranked])):
            outcome.rank = rank
    return audited


def _unread_by_body(audited: list[Audited], bodies: list[Body], origins: dict[Path, str]) -> dict[int, list[int]]:
    """The reports that could not be read (so name no issuer), by the body whose roster row names their
    address or file: each body number → their positions."""
    by_source: dict[str, int] = {}
    for number, body in enumerate(bodies):
        if body.source.strip():
            by_source.setdefault(body.source.strip(), number)
            by_source.setdefault(Path(body.source.strip()).name, number)
    found: dict[int, list[int]] = {}
    for position, outcome in enumerate(audited):
        if outcome.reading is not None or outcome.missing:
            continue
        number = by_source.get(origins.get(outcome.source, ""), by_source.get(outcome.source.name))
        if number is not None:
            found.setdefault(number, []).append(position)
    return found


def _settle_date(outcome: Audited) -> None:
    """When a report went up: the site's own date, else the roster's, else (no earlier than) the day its PDF
    was made — the weakest, as a site may put up a PDF made again later."""
    roster = outcome.body.published if outcome.body is not None else None
    if roster is not None and outcome.reading is not None and roster.year != outcome.reading.year + 1:
        roster = None  # the roster's one date is the year's whose reports are due then (a roster kept over years)
    for date, source in ((outcome.dates.published, "date-from-page"), (roster, "date-from-roster")):
        if date is not None:
            outcome.published_on, outcome.published_from = date, source
            return
    if outcome.dates.created is not None:
        outcome.published_on, outcome.published_from = outcome.dates.created, "date-from-pdf"


def _check_published(outcome: Audited, setting: str | None) -> None:
    """A report out after the deadline is a finding (with the days late); a published document whose date
    was found nowhere, a warning that lateness could not be judged."""
    if outcome.reading is None or outcome.missing:
        return
    due = deadline(outcome.reading.year, setting)
    if outcome.published_on is not None and outcome.published_on > due:
        days = (outcome.published_on - due).days
        text = message(
            "late",
            published=outcome.published_on.isoformat(),
            deadline=due.isoformat(),
            days=days,
            source=message(outcome.published_from),
        )
        outcome.problems.append(Problem("late", text, file=str(outcome.source), key="report.date", actual=days))
    elif outcome.published_on is None and outcome.source.suffix.lower() in DOCUMENT_SUFFIXES:
        text = message("late-unknown")
        outcome.problems.append(Problem("late-unknown", text, file=str(outcome.source), severity=Severity.WARNING))


# What a reader says when it could not place part of a table: rows it could not name, rows or a whole table
# it did not find, a header it could not read.
# Readings that leave a table's figures uncertain: rows not placed or not found, and figures recognised by OCR.
_UNCERTAIN_READINGS = frozenset({"extract-unplaced", "extract-missing", "extract-layout", "extract-ocr"})
_TABLES = ("table2", "table3", "table4")


def doubtful_tables(readings: Iterable[Problem]) -> dict[str, list[str]]:
    """Each table some of whose content the reader could not place, with what it said of it."""
    doubtful: dict[str, list[str]] = {}
    for problem in readings:
        table = problem.key.split(".")[0].split("[")[0]
        if problem.rule in _UNCERTAIN_READINGS and table in _TABLES:
            doubtful.setdefault(table, []).append(problem.message)
    return doubtful


def in_doubt(problem: Problem, doubtful: dict[str, list[str]]) -> Problem:
    """A rule's finding as doubt, not fault, when it rests on a table the reader could not place whole: its
    key's table, or (for prose against the tables) tables 3 and 4."""
    table = problem.key.split(".")[0].split("[")[0]
    tables = [table] if table in _TABLES else ["table3", "table4"] if problem.rule == "text-table" else []
    reasons = [reason for name in tables for reason in doubtful.get(name, [])]
    if not reasons or problem.severity is Severity.DOUBT:
        return problem
    names = "、".join(labels.TABLE_NAMES[name] for name in tables if name in doubtful)
    return replace(
        problem,
        severity=Severity.DOUBT,
        message=problem.message + message("audit-doubt", table=names),
        doubt="；".join(reasons)[:2000],
    )


def _printed_date(problem: Problem, source: Path) -> bool:
    """The placeholder rule's 成文日期 of a published document: the date it was signed, not one `init` left
    (bodies often sign on 31 January, the placeholder's day)."""
    return problem.rule == "placeholder" and problem.key == "report.date" and source.suffix.lower() in DOCUMENT_SUFFIXES


def _no_previous(report: Report, source: Path, unreadable: list[str]) -> Problem:
    """previous-missing (warning): last year's reports were given, none of them this body's — perhaps
    because it is among those that could not be read, which the reviewer must then see."""
    among = message("previous-missing-unreadable", count=len(unreadable), names="、".join(unreadable[:5]))
    text = message("previous-missing", issuer=report.report.issuer, unreadable=among if unreadable else "")
    return Problem("previous-missing", text, file=str(source), key="report.issuer", severity=Severity.WARNING)


def change(this: int, before: int) -> str:
    """+3（+25%）, −2（−40%）, 0 — a figure's change, as a reviewer reads it."""
    difference = this - before
    if difference == 0:
        return "0"
    sign = "+" if difference > 0 else "−"
    percent = f"（{sign}{abs(difference) * 100 / before:.0f}%）" if before else ""
    return f"{sign}{abs(difference)}{percent}"


def _late_days(outcome: Audited) -> int | None:
    late = next((problem for problem in outcome.problems if problem.rule == "late"), None)
    return int(late.actual) if late is not None else None  # type: ignore[call-overload]


def _status(outcome: Audited) -> str:
    if outcome.missing:
        return message("status-missing")
    if outcome.reading is None:
        return message("status-unreadable")
    days = _late_days(outcome)
    return message("status-late", days=days) if days is not None else message("status-published")


# What docgen says of its own reading, not of the report: never a fault of the body, never in the 通报.
READING_NOTES = frozenset({"late-unknown", "roster-unlisted", "previous-missing", "unplaced"})


def is_fault(problem: Problem) -> bool:
    """Whether a finding is something wrong with the report (not doubt, not a note on how it was read)."""
    reading = problem.rule in READING_NOTES or problem.rule.startswith("extract")
    return problem.severity is not Severity.DOUBT and not reading


def notice_entry(outcome: Audited, roster: bool) -> Entry:
    """One outcome as the 通报 and the charts see it."""
    body = outcome.body
    if outcome.reading is not None:
        name = outcome.reading.issuer if body is None else body.name
    else:
        name = body.name if body is not None else outcome.source.name
    listed = body is not None or not roster
    return Entry(
        name=name,
        kind=body.kind if body is not None else "",
        status=_status(outcome) if listed or outcome.reading is None else message("status-unlisted"),
        file="" if outcome.missing else outcome.source.name,
        faults=tuple(problem for problem in outcome.problems if is_fault(problem))
        if outcome.reading is not None or outcome.missing
        else (),
        doubts=len(outcome.doubts),
        score=outcome.score,
        rank=outcome.rank,
        missing=outcome.missing,
        late_days=_late_days(outcome),
        listed=listed,
        place=body.number if body is not None else 0,
    )


def notice_document(audited: list[Audited], desk: Desk | None, template: Path | None) -> bytes:
    """通报.docx: the latest year's outcomes (the year under review) as the 通报 says them."""
    roster = desk is not None and desk.roster is not None
    years = [year for outcome in audited if (year := _year(outcome)) is not None]
    year = max(years) if years else datetime.date.today().year - 1
    entries = [notice_entry(outcome, roster) for outcome in audited if _year(outcome) in (year, None)]
    today = datetime.date.today()
    content = notice(entries, year, desk.office if desk is not None else "", today, roster=roster)
    shown = [entry for entry in entries if entry.listed]
    return render_notice(content, *distribution(shown), today, template)


def _charts_sheet(book: Workbook, audited: list[Audited]) -> None:
    """问题分布: the faults counted by what they are and, where the roster gives bodies a 类别, by kind of
    body — each a table and a native bar chart over it (Excel, WPS and LibreOffice draw it; no formula)."""
    from openpyxl.chart import BarChart, Reference

    sheet = book.create_sheet("问题分布")  # type: ignore[attr-defined]
    roster = any(outcome.body is not None for outcome in audited)
    by_rule, kinds = distribution(notice_entry(outcome, roster) for outcome in audited)
    tables = [("按问题", "问题", by_rule)] + ([("按机关类别", "类别", kinds)] if roster and kinds else [])
    below = max(len(counts) for _, _, counts in tables) + 3
    for number, (title, label, counts) in enumerate(tables):
        column = 1 + 10 * number  # each table and its chart in a band of its own
        put(sheet, 1, column, label)
        put(sheet, 1, column + 1, "问题数")
        for row, (name, count) in enumerate(counts.most_common(), start=2):
            put(sheet, row, column, name)  # a body kind is the roster's text: never a formula
            put(sheet, row, column + 1, count)
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"问题分布（{title}）"
        chart.legend = None
        chart.add_data(Reference(sheet, min_col=column + 1, min_row=1, max_row=len(counts) + 1), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=column, min_row=2, max_row=len(counts) + 1))
        chart.height, chart.width = max(6.0, 0.7 * len(counts) + 3), 16.0
        sheet.add_chart(chart, sheet.cell(row=below, column=column).coordinate)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 22


def _year(outcome: Audited) -> int | None:
    return outcome.reading.year if outcome.reading is not None and not outcome.missing else outcome.year


def _standing(outcomes: list[Audited]) -> str:
    """How a body stands in a year, for the matrix's colour: the worst of its reports'."""
    if any(outcome.missing for outcome in outcomes):
        return "missing"
    return "late" if any(_late_days(outcome) is not None for outcome in outcomes) else "published"


# The matrix read at a glance: missing red, late amber, published green (the summary's red and amber).
_STANDING_COLOURS = {"missing": "FFC7CE", "late": "FFEB9C", "published": "C6EFCE"}


def _matrix_sheet(book: object, listed: list[Audited], years: list[int]) -> None:
    """历年公开情况: the roster's bodies down, the years across, each cell 已公开, 逾期 N 天 or 未公开."""
    from openpyxl.styles import Font, PatternFill

    sheet = book.create_sheet("历年公开情况", 2)  # type: ignore[attr-defined]
    append(sheet, ["机关名称", "类别", *(f"{year}年度" for year in years)])
    bodies: dict[int, tuple[Body, dict[int, list[Audited]]]] = {}
    for outcome in listed:
        assert outcome.body is not None
        year = _year(outcome)
        if year is not None:
            bodies.setdefault(outcome.body.number, (outcome.body, {}))[1].setdefault(year, []).append(outcome)
    for number in sorted(bodies):
        body, cells = bodies[number]
        texts = ["；".join(_status(outcome) for outcome in cells.get(year, [])) for year in years]
        append(sheet, [body.name, body.kind, *texts])
        for cell, year in zip(sheet[sheet.max_row][2:], years):
            if year in cells:
                cell.fill = PatternFill("solid", fgColor=_STANDING_COLOURS[_standing(cells[year])])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate([30, 10, *(14 for _ in years)], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "C2"


def _roster_sheet(book: Workbook, audited: list[Audited]) -> None:
    """名单核对: every body of the roster, in its order, with its report, when it went up, its score and rank;
    then the reports no body on the roster claims."""
    sheet = book.create_sheet("名单核对", 1)  # type: ignore[attr-defined]
    append(sheet, ["机关名称", "类别", "年度", "状态", "报告文件", "公开日期", "得分", "排名", "扣分（按规则）"])
    listed = [outcome for outcome in audited if outcome.body is not None]
    for outcome in sorted(listed, key=lambda outcome: (outcome.body.number, _year(outcome) or 0)):  # type: ignore[union-attr]
        body = outcome.body
        assert body is not None
        taken = "；".join(f"{rule} −{points:g}" for rule, points in outcome.points_off.items())
        append(
            sheet,
            [
                body.name,
                body.kind,
                _year(outcome),
                _status(outcome),
                "" if outcome.missing else outcome.source.name,
                outcome.published_on.isoformat() if outcome.published_on else "",
                float(outcome.score) if outcome.score is not None else "",
                outcome.rank or "",
                taken,
            ],
        )
    for outcome in audited:
        if outcome.body is None and outcome.reading is not None:
            row = [outcome.reading.issuer, "", outcome.reading.year, "名单外", outcome.source.name]
            append(sheet, [*row, "", "", "", ""])
    years = sorted({year for outcome in listed if (year := _year(outcome)) is not None})
    if len(years) > 1:
        _matrix_sheet(book, listed, years)
    for index, width in enumerate([30, 10, 8, 12, 30, 12, 8, 6, 60], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "B2"


def _summary_row(outcome: Audited, compared: bool, scored: bool) -> list[object]:
    """One report's row of 审核汇总: who and what it is, its key figures, its problems counted (and the change
    from last year's figures, its score and rank, when the audit has them)."""
    reading, figures = outcome.reading, outcome.figures
    row: list[object] = ["" if outcome.missing else outcome.source.name]
    if outcome.missing and outcome.body is not None:
        row += [outcome.body.name, message("audit-missing-body"), ""]
    else:
        row += [reading.issuer, reading.year, reading.format] if reading else [message("audit-unreadable"), "", ""]
    row += [figures.get(key, "") for key in KEY_FIGURES]
    warnings = len(outcome.problems) - len(outcome.errors) - len(outcome.doubts)
    row += [len(outcome.errors), len(outcome.doubts), warnings, outcome.by_rule]
    if compared:
        before = outcome.previous.figures if outcome.previous is not None else {}
        row += [change(figures[key], before[key]) if before and figures else "" for key in KEY_FIGURES]
    if scored:
        row += [float(outcome.score) if outcome.score is not None else "", outcome.rank or ""]
    return row


def _summary_sheet(book: Workbook, audited: list[Audited]) -> Worksheet:
    """审核汇总: one row per report, red where the report is wrong or unreadable, amber where it is in doubt."""
    from openpyxl.styles import Alignment, Font, PatternFill

    summary = book.active
    summary.title = "审核汇总"
    compared = any(outcome.previous is not None for outcome in audited)
    scored = any(outcome.score is not None for outcome in audited)
    head = ["文件", "机关名称", "年度", "格式", *KEY_FIGURES.values(), "错误", "读取存疑", "警告", "问题（按规则）"]
    if compared:
        head += [f"{label}同比" for label in KEY_FIGURES.values()]
    if scored:
        head += ["得分", "排名"]
    append(summary, head)
    red = PatternFill("solid", fgColor="FFC7CE")
    amber = PatternFill("solid", fgColor="FFEB9C")
    for outcome in audited:
        append(summary, _summary_row(outcome, compared, scored))
        if outcome.errors or outcome.reading is None or outcome.doubts:
            for cell in summary[summary.max_row]:
                cell.fill = red if outcome.errors or outcome.reading is None else amber
    for cell in summary[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    summary.freeze_panes = "C2"
    return summary


def _problem_sheets(book: Workbook, audited: list[Audited]) -> tuple[Worksheet, Worksheet]:
    """问题明细 (every problem, with its finding's id and the reviewer's confirmation) and 已驳回 (the findings
    a reviewer dismissed, with the reason)."""
    details = book.create_sheet("问题明细")
    head = [
        "文件",
        "位置",
        "原文",
        "规则",
        "严重程度",
        "键",
        "说明",
        "存疑之处（未能确定读出的内容）",
        "编号",
        "审核意见",
    ]
    append(details, head)
    dismissed = book.create_sheet("已驳回")
    append(dismissed, ["文件", "规则", "说明", "编号", "驳回理由"])
    for outcome in audited:
        for problem in outcome.problems:
            severity = labels.SEVERITY[str(problem.severity)]
            row = [outcome.source.name, problem.location.format(), problem.printed or "", problem.rule, severity]
            row += [problem.key, problem.message]
            finding = outcome.finding(problem)
            confirmed = outcome.confirmed.get(finding)
            note = "" if confirmed is None else f"确认：{confirmed}" if confirmed else "确认"
            row += [problem.doubt or "", finding, note]
            append(details, row)
        for problem, reason in outcome.dismissed:
            append(dismissed, [outcome.source.name, problem.rule, problem.message, outcome.finding(problem), reason])
    return details, dismissed


def workbook(audited: list[Audited]) -> bytes:
    """审核.xlsx: a sheet with one row per report, one with every problem, the findings dismissed; with a
    roster, the bodies × years matrix; with faults, their distribution in native charts."""
    book = new_book()
    summary = _summary_sheet(book, audited)
    details, dismissed = _problem_sheets(book, audited)
    if any(outcome.body is not None for outcome in audited):
        _roster_sheet(book, audited)
    if any(is_fault(problem) for outcome in audited for problem in outcome.problems):
        _charts_sheet(book, audited)
    sheets = (
        (summary, [24, 24, 8, 8]),
        (details, [24, 36, 30, 16, 10, 36, 100, 60, 50, 30]),
        (dismissed, [24, 16, 100, 50, 40]),
    )
    for sheet, widths in sheets:
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[chr(64 + index)].width = width
    return to_bytes(book)
