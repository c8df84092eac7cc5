"""The 2021 format (国办公开办函〔2021〕30号), for the reports of 2021 on: its table 2, its three （六）其他处理
rows, and the cross-year rule on 现行有效件数."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar, Literal

from docgen import labels
from docgen.errors import Problem, Severity
from docgen.formats.base import Format
from docgen.formats.layout import Figure, Grid, label
from docgen.messages import message
from docgen.model import Amount, ApplicantRow, Count, Enumeration, Report, Results, Table3, _Section

# --- model ---------------------------------------------------------------------------------------------


class DocumentCounts(_Section):
    """A 第二十条第（一）项 row of table 2."""

    issued: Count  # 本年制发件数
    repealed: Count  # 本年废止件数
    in_force: Count  # 现行有效件数


class Table2(_Section):
    """[table2] — 二、主动公开政府信息情况."""

    regulations: DocumentCounts  # 规章
    normative_documents: DocumentCounts  # 行政规范性文件
    licensing: Count  # 行政许可 — 本年处理决定数量
    punishment: Count  # 行政处罚 — 本年处理决定数量
    enforcement: Count  # 行政强制 — 本年处理决定数量
    fees: Amount  # 行政事业性收费 — 本年收费金额（单位：万元）, digits kept as given


class OtherHandling(_Section):
    """（六）其他处理"""

    no_correction: ApplicantRow
    fee_unpaid: ApplicantRow
    other: ApplicantRow


class Results2021(Results):
    other: OtherHandling


class Table3v2021(Table3):
    ROWS: ClassVar[tuple[tuple[str, str], ...]] = labels.TABLE3_ROWS

    new: ApplicantRow  # 一、本年新收政府信息公开申请数量
    carried_over: ApplicantRow  # 二、上年结转政府信息公开申请数量
    results: Results2021  # 三、本年度办理结果
    carried_forward: ApplicantRow  # 四、结转下年度继续办理


class Report2021(Report):
    """One annual report in the 2021 format (the default: a data file need not say `format`)."""

    format: Literal["2021"] = "2021"
    table2: Table2
    table3: Table3v2021


# --- printed table 2: 4 grid columns × 14 rows -----------------------------------------------------------

_T = labels.TABLE2_LABELS
_DECISIONS = (label(_T["content"]), label(_T["decisions"], span=3))

TABLE2 = Grid(
    "table2",
    (2844, 2000, 2000, 2000),
    (
        (label(_T["item_1"], span=4),),
        (label(_T["content"]), label(_T["issued"]), label(_T["repealed"]), label(_T["in_force"])),
        *(
            (label(_T[row]), *(Figure(f"table2.{row}.{column}") for column in ("issued", "repealed", "in_force")))
            for row in ("regulations", "normative_documents")
        ),
        (label(_T["item_5"], span=4),),
        _DECISIONS,
        (label(_T["licensing"]), Figure("table2.licensing", span=3)),
        (label(_T["item_6"], span=4),),
        _DECISIONS,
        (label(_T["punishment"]), Figure("table2.punishment", span=3)),
        (label(_T["enforcement"]), Figure("table2.enforcement", span=3)),
        (label(_T["item_8"], span=4),),
        (label(_T["content"]), label(_T["fee_amount"], span=3)),
        (label(_T["fees"]), Figure("table2.fees", span=3)),
    ),
    marker=_T["issued"],
)


# --- rules ---------------------------------------------------------------------------------------------


_ABOUT_FEES = re.compile(r"收费|收取|费用|信息处理费")


def fees_unexplained(report: Report) -> Iterator[Problem]:
    """fees-unexplained (warning): 行政事业性收费 charged (表二) of which 六、其他需要报告的事项 says nothing."""
    fees = getattr(report.table2, "fees", 0)
    texts = [
        text
        for paragraph in report.other.paragraphs
        for text in ([paragraph.lead, *paragraph.items] if isinstance(paragraph, Enumeration) else [paragraph])
    ]
    if fees and fees > 0 and not any(_ABOUT_FEES.search(text) for text in texts):
        text = message("fees-unexplained", fees=fees, heading=report.headings.other)
        yield report.problem("fees-unexplained", ("table2", "fees"), text, severity=Severity.WARNING, actual=fees)


def in_force(report: Report, previous: Report) -> Iterator[Problem]:
    """t2-in-force (warning): 现行有效件数 = last year's + 本年制发 − 本年废止."""
    if not (isinstance(report.table2, Table2) and isinstance(previous.table2, Table2)):
        return  # last year's report is of a format with no 现行有效件数
    for row in FORMAT.document_rows:
        this, before = getattr(report.table2, row), getattr(previous.table2, row)
        expected = before.in_force + this.issued - this.repealed
        if this.in_force != expected:
            path = ("table2", row, "in_force")
            text = message(
                "t2-in-force",
                label=labels.describe(path),
                this=this.in_force,
                previous=before.in_force,
                issued=this.issued,
                repealed=this.repealed,
                expected=expected,
            )
            yield report.problem(
                "t2-in-force", path, text, severity=Severity.WARNING, expected=expected, actual=this.in_force
            )


FORMAT = Format(
    name="2021",
    notice="国办公开办函〔2021〕30号",
    first_year=2021,
    model=Report2021,
    table2=TABLE2,
    in_force_field="in_force",
    markers=(_T["issued"], _T["in_force"], labels.NO_LONGER_PROCESSED),
    aliases={"本年收费金额": _T["fee_amount"], "规范性文件": _T["normative_documents"]},
    rules={"fees-unexplained": fees_unexplained},
    cross_year_rules={"t2-in-force": in_force},
)
