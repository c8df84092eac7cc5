"""The 通报: what the reviewing office tells the leaders of a year's reports — how many bodies, how many
published, missing and late; a table of the bodies with their problems and scores; each problem quoted with
where it stands; a chart of the problems by rule and by kind of body.

It is rendered from a Word template a user can replace (`templates/audit-notice.docx`, drawn by
tools/build_template.py as the reports' templates are), by the same sandboxed templating. The template only
places what is here: every count, name and sentence arrives finished (`Notice`); the chart is a picture in
the template (named `CHART_NAME`) whose image is replaced by the one drawn here.

This module knows nothing of how reports are read: `docgen.audit` hands it one `Entry` per body or report.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docgen import docxzip, labels
from docgen.errors import Problem, TemplateFileError
from docgen.formats.base import template_dir
from docgen.formats.layout import parse_key
from docgen.formatting import date as written_date
from docgen.formatting import heading
from docgen.messages import message
from docgen.ooxml import core_properties, parse_xml
from docgen.sandbox import environment
from docgen.wordtemplate import compile_template

TEMPLATE_NAME = "audit-notice.docx"
# The picture of the template the chart is drawn into: found by its name or its alternative text, which Word,
# WPS and LibreOffice keep when the template is edited (they rename the image file itself).
CHART_NAME = "问题分布图"
CHART_DPI = 200
UNCLASSIFIED = "（未分类）"
# The fonts the chart's labels may be set in, the first installed wins: Debian's, then Windows', then others.
CHART_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Serif CJK SC",
    "SimSun",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


def builtin_template() -> Path:
    return template_dir() / TEMPLATE_NAME


@dataclass(frozen=True)
class Entry:
    """One line of the 通报: a body on the roster (with its report, or none) or a report no roster names."""

    name: str
    kind: str  # the roster's 类别, "" when it gives none
    status: str  # 已公开, 逾期 N 天, 未公开, 名单外, 无法读取
    file: str  # the report's file name, "" for a body without one
    faults: tuple[Problem, ...]  # what is wrong with the report (not what docgen could not read)
    doubts: int  # findings in doubt: counted, not quoted
    score: Decimal | None = None
    rank: int | None = None
    missing: bool = False
    late_days: int | None = None
    listed: bool = True  # on the roster (always, without one)
    place: int = 0  # its place on the roster


# --- what the template is handed (read-only: frozen, tuples) -----------------------------------------


@dataclass(frozen=True)
class Counts:
    bodies: int  # on the roster
    published: int  # of them, with a report (on time or late)
    late: int
    missing: int
    reports: int  # reports audited
    failed: int  # with a fault that is an error, or unreadable
    faulty: int  # with any fault
    clean: int  # with none
    findings: int  # faults, all reports together
    doubts: int  # findings in doubt, all reports together


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    kind: str
    status: str
    problems: str  # 表三勾稽关系不符 2；逾期公开 1 — or 无
    score: str  # 98.5 — or — when nothing is scored
    rank: str


@dataclass(frozen=True)
class Item:
    number: int
    text: str  # the finding, as the audit says it (without its full stop)
    where: str  # 表三“…”行“自然人”列 — or "" when it is about the report as a whole


@dataclass(frozen=True)
class Findings:
    heading: str  # （一）保德县教育局
    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Notice:
    year: int
    office: str  # who sends the 通报 (its signature)
    date: str  # 2022年4月6日
    roster: bool  # whether a roster was given (else counts of bodies mean nothing)
    scored: bool
    counts: Counts
    missing: str  # the bodies without a report, 、-joined
    late: str  # 甲局（逾期 12 天）、乙镇（逾期 3 天）
    unlisted: str  # the issuers of reports no body on the roster claims, 、-joined
    rows: tuple[Row, ...]
    findings: tuple[Findings, ...]
    chart: bool  # whether there is a chart to show


def distribution(entries: Iterable[Entry]) -> tuple[Counter[str], Counter[str]]:
    """The faults counted by what they are (the rule's name) and by the kind of body they were found in."""
    by_rule: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for entry in entries:
        for problem in entry.faults:
            by_rule[labels.rule_name(problem.rule)] += 1
            by_kind[entry.kind or UNCLASSIFIED] += 1
    return by_rule, by_kind


def where(problem: Problem) -> str:
    """Where a finding stands in the printed report: the table and cell its key names (表三“…”行“…”列)."""
    if not problem.key or not re.fullmatch(r"table[234][\w.\[\]]*", problem.key):
        return ""
    path = parse_key(problem.key)
    described = labels.describe(path)
    return labels.TABLE_NAMES[str(path[0])] if described == labels.key_path_text(path) else described


def clause(text: str) -> str:
    """A finding as the 通报 quotes it: on one line (a message may quote a line below it), without its full
    stop (the template puts one after where it stands)."""
    return " ".join(text.split()).rstrip("。")


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")


def _problems(entry: Entry) -> str:
    if entry.missing:
        return labels.rule_name("roster-missing")
    counts = Counter(labels.rule_name(problem.rule) for problem in entry.faults)
    return "；".join(f"{name} {count}" for name, count in counts.most_common()) or "无"


def notice(
    entries: Sequence[Entry], year: int, office: str = "", date: datetime.date | None = None, roster: bool = False
) -> Notice:
    """What the 通报 says of `entries` (those of one year), its lines in rank order when they are scored."""
    listed = [entry for entry in entries if entry.listed] if roster else []
    scored = any(entry.score is not None for entry in entries)
    shown = listed if roster else list(entries)  # a report no body on the roster claims is named apart
    reports = [entry for entry in shown if not entry.missing]
    ordered = sorted(shown, key=lambda entry: (entry.rank or 0, entry.place) if scored else entry.place)
    rows = tuple(
        Row(
            number,
            entry.name,
            entry.kind or "—",
            entry.status,
            _problems(entry),
            _points(entry.score) if entry.score is not None else "—",
            str(entry.rank) if entry.rank is not None else "—",
        )
        for number, entry in enumerate(ordered, start=1)
    )
    with_faults = [entry for entry in ordered if entry.faults]  # in the table's order
    findings = tuple(
        Findings(
            heading(number, 2) + entry.name,
            entry.name,
            tuple(
                Item(index, clause(problem.message), where(problem))
                for index, problem in enumerate(entry.faults, start=1)
            ),
        )
        for number, entry in enumerate(with_faults, start=1)
    )
    late = [entry for entry in reports if entry.late_days is not None]
    counts = Counts(
        bodies=len(listed),
        published=sum(not entry.missing for entry in listed),
        late=len(late),
        missing=sum(entry.missing for entry in listed),
        reports=len(reports),
        failed=sum(any(str(problem.severity) == "error" for problem in entry.faults) for entry in reports),
        faulty=sum(bool(entry.faults) for entry in reports),
        clean=sum(not entry.faults for entry in reports),
        findings=sum(len(entry.faults) for entry in reports),
        doubts=sum(entry.doubts for entry in reports),
    )
    return Notice(
        year=year,
        office=office or message("notice-no-office"),
        date=written_date(date or datetime.date.today()),
        roster=roster,
        scored=scored,
        counts=counts,
        missing="、".join(entry.name for entry in listed if entry.missing),
        unlisted="、".join(entry.name for entry in entries if not entry.listed) if roster else "",
        late="、".join(message("notice-late", name=entry.name, days=entry.late_days) for entry in late),
        rows=rows,
        findings=findings,
        chart=any(entry.faults for entry in shown),
    )


def sample() -> Notice:
    """A notice with one of everything, for `lint` to resolve a template's names against."""
    problem = Problem("t3-balance", "表三勾稽关系不符", key="table3.new[0]")
    entries = [
        Entry("某县教育局", "部门", "逾期 3 天", "a.docx", (problem,), 1, Decimal(95), 2, late_days=3),
        Entry("某镇人民政府", "乡镇", "未公开", "", (), 0, Decimal(0), 3, missing=True),
        Entry("某县人民政府", "县政府", "已公开", "b.docx", (), 0, Decimal(100), 1),
    ]
    return notice(entries, 2021, "某县人民政府办公室", datetime.date(2022, 4, 6), roster=True)


# --- the chart ------------------------------------------------------------------------------------------


def chart_font() -> str | None:
    """The first installed font of CHART_FONTS (or any CJK face), None when no font here shows Chinese."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    preferred = next((name for name in CHART_FONTS if name in installed), None)
    return preferred or next((name for name in sorted(installed) if "CJK" in name), None)


def _plain(text: str) -> str:
    # matplotlib reads text between two $ as mathematics: a body's name must be printed as it is.
    return text.replace("$", r"\$")


def chart_png(by_rule: Counter[str], by_kind: Counter[str], width_mm: float, height_mm: float) -> bytes | None:
    """A horizontal bar chart of the faults by rule (and, when bodies have kinds, by kind), as a PNG of the
    picture's size; None when there is nothing to draw or no font to draw Chinese with."""
    font = chart_font() if by_rule else None
    if font is None:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = [(message("notice-chart-by-rule"), by_rule)]
    if len(by_kind) > 1 or (by_kind and UNCLASSIFIED not in by_kind):
        panels.append((message("notice-chart-by-kind"), by_kind))
    figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=CHART_DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(panels), squeeze=False)[0]
    for axis, (title, counts) in zip(axes, panels):
        names = [name for name, _ in counts.most_common()][::-1]
        values = [counts[name] for name in names]
        bars = axis.barh(range(len(names)), values, color="#3b6ea5", height=0.6)
        axis.set_yticks(range(len(names)), [_plain(name) for name in names], fontfamily=font, fontsize=8)
        axis.set_title(_plain(title), fontfamily=font, fontsize=10)
        axis.bar_label(bars, fontsize=8, padding=2)
        axis.set_xlim(0, max(values) * 1.2 + 0.5)
        axis.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            axis.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# --- rendering ------------------------------------------------------------------------------------------

_EMU_PER_MM = 36_000


def _chart_member(document_xml: bytes, relationships: bytes) -> tuple[str, float, float] | None:
    """The package member of the chart's picture and its printed size in mm, when the document shows it."""
    root = parse_xml(document_xml, "word/document.xml")
    for properties in root.iter("{*}docPr"):
        if CHART_NAME not in (properties.get("name"), properties.get("descr")):
            continue
        drawing = properties.getparent()
        extent = drawing.find("{*}extent")
        blip = next(drawing.iter("{*}blip"), None)
        if extent is None or blip is None:
            continue
        embed = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        for relation in parse_xml(relationships, "word/_rels/document.xml.rels").iter("{*}Relationship"):
            target = relation.get("Target", "")
            if relation.get("Id") == embed and target.lower().endswith(".png") and "://" not in target:
                name = "word/" + target.lstrip("/").removeprefix("word/")
                return name, int(extent.get("cx", 0)) / _EMU_PER_MM, int(extent.get("cy", 0)) / _EMU_PER_MM
    return None


def render(
    content: Notice,
    by_rule: Counter[str],
    by_kind: Counter[str],
    date: datetime.date,
    template: Path | None = None,
) -> bytes:
    """The 通报 as .docx bytes, from `template` (docgen's own when None) — raises TemplateFileError for a
    template that cannot be rendered (lint says what is wrong with it beforehand)."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    path = template or builtin_template()
    compiled = compile_template(path, environment())
    variables = {"notice": content}
    try:
        parts = compiled.render_parts(variables, verify=template is not None)
    except (SecurityError, TemplateError) as error:
        raise TemplateFileError(
            [Problem("template", message("template-error", path=str(path), reason=str(error)), file=str(path))]
        ) from None
    rels_name = "word/_rels/document.xml.rels"
    if content.chart and rels_name in compiled.members:
        placed = _chart_member(parts[compiled.document_name], docxzip.inflate(compiled.members[rels_name]))
        if placed is not None and placed[0] in compiled.members:
            image = chart_png(by_rule, by_kind, placed[1], placed[2])
            if image is not None:
                parts[placed[0]] = image
    signed = datetime.datetime.combine(date, datetime.time())
    properties = {"title": message("notice-title", year=content.year), "author": content.office}
    parts[compiled.core_name] = core_properties(
        compiled.core_xml, {**properties, "created": signed, "modified": signed}
    )
    return compiled.package(parts)
