"""The 2019 format (国办公开办函〔2019〕60号), for the reports of 2019 and 2020: its own table 2 (本年增/减
may be negative) and a single （六）其他处理 row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Literal

from docgen import labels
from docgen.errors import Problem
from docgen.formats.base import Format
from docgen.formats.layout import Cell, Figure, Grid, label
from docgen.messages import message
from docgen.model import Amount, ApplicantRow, Change, Count, Report, Results, Table3, _Section

# --- model ---------------------------------------------------------------------------------------------


class PublishedCounts2019(_Section):
    """第二十条第（一）项 row (2019)."""

    made: Count  # 本年新制作数量
    published: Count  # 本年新公开数量
    public_total: Count  # 对外公开总数量


class ItemCounts2019(_Section):
    """第二十条第（五）（六）项 row (2019)."""

    previous: Count  # 上一年项目数量
    change: Change  # 本年增/减
    decisions: Count  # 处理决定数量


class FeeItems2019(_Section):
    """第二十条第（八）项 row (2019)."""

    previous: Count  # 上一年项目数量
    change: Change  # 本年增/减


class Procurement2019(_Section):
    """第二十条第（九）项 row (2019)."""

    projects: Count  # 采购项目数量 (not "items": a template reads dict keys as attributes, and dicts have .items)
    amount: Amount  # 采购总金额（万元）, digits kept


class Table2v2019(_Section):
    """[table2] of the 2019 format."""

    regulations: PublishedCounts2019  # 规章
    normative_documents: PublishedCounts2019  # 规范性文件
    licensing: ItemCounts2019  # 行政许可
    other_services: ItemCounts2019  # 其他对外管理服务事项
    punishment: ItemCounts2019  # 行政处罚
    enforcement: ItemCounts2019  # 行政强制
    fees: FeeItems2019  # 行政事业性收费
    procurement: Procurement2019  # 政府集中采购


class Results2019(Results):
    """三、本年度办理结果 (2019): （六）其他处理 is a single row."""

    other: ApplicantRow


class Table3v2019(Table3):
    ROWS: ClassVar[tuple[tuple[str, str], ...]] = labels.TABLE3_ROWS_2019

    new: ApplicantRow
    carried_over: ApplicantRow
    results: Results2019
    carried_forward: ApplicantRow


class Report2019(Report):
    """One annual report in the 2019 format: a data file says `format = "2019"`."""

    format: Literal["2019"]
    table2: Table2v2019
    table3: Table3v2019


# --- printed table 2: 4 grid columns × 18 rows (reference section 7) -----------------------------------

_T = labels.TABLE2_LABELS_2019
_ITEMS = (label(_T["content"]), label(_T["previous"]), label(_T["change"]), label(_T["decisions"]))
_DECISIONS = ("previous", "change", "decisions")
_PUBLISHED = ("made", "published", "public_total")


def _row(name: str, columns: tuple[str, ...]) -> tuple[Cell, ...]:
    return (label(_T[name]), *(Figure(f"table2.{name}.{column}") for column in columns))


TABLE2 = Grid(
    "table2",
    (2844, 2000, 2000, 2000),
    (
        (label(_T["item_1"], span=4),),
        (label(_T["content"]), label(_T["made"]), label(_T["published"]), label(_T["public_total"])),
        _row("regulations", _PUBLISHED),
        _row("normative_documents", _PUBLISHED),
        (label(_T["item_5"], span=4),),
        _ITEMS,
        _row("licensing", _DECISIONS),
        _row("other_services", _DECISIONS),
        (label(_T["item_6"], span=4),),
        _ITEMS,
        _row("punishment", _DECISIONS),
        _row("enforcement", _DECISIONS),
        (label(_T["item_8"], span=4),),
        (label(_T["content"]), label(_T["previous"]), label(_T["change"], span=2)),
        (label(_T["fees"]), Figure("table2.fees.previous"), Figure("table2.fees.change", span=2)),
        (label(_T["item_9"], span=4),),
        (label(_T["content"]), label(_T["projects"]), label(_T["amount"], span=2)),
        (label(_T["procurement"]), Figure("table2.procurement.projects"), Figure("table2.procurement.amount", span=2)),
    ),
    marker=_T["made"],
)


# --- rules ---------------------------------------------------------------------------------------------


def items(report: Report) -> Iterator[Problem]:
    """t2-items: 上一年项目数量 + 本年增/减 cannot fall below 0."""
    for name, row in report.table2:
        if isinstance(row, (ItemCounts2019, FeeItems2019)) and row.previous + row.change < 0:
            path = ("table2", name, "change")
            text = message(
                "t2-items", label=labels.describe(("table2", name)), previous=row.previous, change=row.change
            )
            yield report.problem("t2-items", path, text, actual=row.change)


FORMAT = Format(
    name="2019",
    notice="国办公开办函〔2019〕60号",
    first_year=2019,
    model=Report2019,
    table2=TABLE2,
    in_force_field="public_total",
    # （六）其他处理 is printed by the 2021 format too, as a group; a table 3 of either format alone ties,
    # and the 2021 rows' 不再处理其政府信息公开申请 breaks the tie (formats.detect).
    markers=(_T["made"], _T["previous"], _T["procurement"], labels.TABLE3_GROUPS["results.other"]),
    aliases={"本年增减": _T["change"]},
    rules={"t2-items": items},
)
