"""The data of one annual report: the parts every official format shares, section by section.

The data file, these models and the printed tables line up: `[table3.results.withheld]` in the file is
`Table3.results.withheld` here and the （三）不予公开 block of the printed table 3. What differs between the
formats (table 2, the （六）其他处理 rows) is declared with each format in `docgen/formats/`; official labels
are in `labels.py`; figures the user never types (totals) are computed in `derive.py`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Optional, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    RootModel,
    Tag,
)
from pydantic_core import PydanticCustomError

from docgen import labels
from docgen.errors import KeyPath, Problem
from docgen.readers.base import Source

# A count larger than this is a typing slip, not a statistic (and would not fit a table cell).
MAX_COUNT = 10**15

# Characters XML 1.0 (and so Word) cannot hold: C0 controls other than tab/newline, lone surrogates,
# U+FFFE and U+FFFF.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    if found := _FORBIDDEN_CHARS.search(text):
        raise PydanticCustomError(
            "text_char",
            "forbidden character {char} at {position}",
            {"char": f"U+{ord(found.group()):04X}", "position": found.start() + 1},
        )
    return text


def _amount(value: object) -> Decimal:
    # TOML is read with parse_float=Decimal, so an amount arrives as int or Decimal with its digits intact.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise PydanticCustomError("amount_type", "amount must be a number")
    amount = Decimal(value)
    if not amount.is_finite():
        raise PydanticCustomError("amount_type", "amount must be a finite number")
    if amount < 0:
        raise PydanticCustomError("amount_negative", "amount must not be negative")
    if amount >= MAX_COUNT:
        raise PydanticCustomError("count_too_large", "amount too large")
    return amount


# [figures] nest tables and arrays this deep at most ([figures.hotline.categories] is 2).
MAX_FIGURES_DEPTH = 8


def _figures(value: object, depth: int = 1) -> object:
    # [figures]: numbers that only the narrative quotes — a number, or arrays and tables of them.
    if isinstance(value, (dict, list)) and depth > MAX_FIGURES_DEPTH:
        raise PydanticCustomError("figures_depth", "figures nested too deep", {"limit": MAX_FIGURES_DEPTH})
    if isinstance(value, dict):
        return {key: _figures(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_figures(item, depth + 1) for item in value]
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
        raise PydanticCustomError("figures_type", "figures hold numbers only")
    if abs(value) >= MAX_COUNT:
        raise PydanticCustomError("count_too_large", "figure too large")
    return value


def signing_date(year: int) -> datetime.date:
    """The placeholder 成文日期 a new data file gets: bodies publish by 31 January of the following year."""
    return datetime.date(year + 1, 1, 31)


Count = Annotated[int, Field(strict=True, ge=0, lt=MAX_COUNT)]
Change = Annotated[int, Field(strict=True, gt=-MAX_COUNT, lt=MAX_COUNT)]  # 本年增/减 (2019 format): may be negative
Amount = Annotated[Decimal, BeforeValidator(_amount)]
Text = Annotated[str, Field(strict=True), AfterValidator(_xml_safe)]
Year = Annotated[int, Field(strict=True, ge=1990, le=2100)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Enumeration(_Section):
    """An inline enumeration: `lead` + 一是……；二是……；三是……。 (the separator can be 。 for long items)."""

    lead: Text = ""
    items: Annotated[list[Text], Field(min_length=1)]
    separator: Literal["；", "。"] = "；"


def _paragraph_kind(value: object) -> str:
    return "enumeration" if isinstance(value, (dict, Enumeration)) else "text"


# A narrative paragraph: plain text, or an enumeration table. The two tags never show in a key path.
PARAGRAPH_TAGS = frozenset({"text", "enumeration"})
Paragraph = Annotated[
    Union[Annotated[Text, Tag("text")], Annotated[Enumeration, Tag("enumeration")]],
    Discriminator(_paragraph_kind),
]


class ReportInfo(_Section):
    """[report] — who issues the report, for which year, and when it is signed."""

    issuer: Annotated[Text, Field(min_length=1)]
    year: Year
    date: Annotated[datetime.date, Field(strict=True)]
    title: Optional[list[Text]] = None
    preamble: list[Paragraph] = []
    signature: Optional[Text] = None
    title_date: Annotated[bool, Field(strict=True)] = False  # 标题下一行印“（2026年1月23日）”（楷体 3号）
    # Last year's data file, relative to this one: its figures are `previous.…` in the narrative, and
    # `check` compares the two years without --previous.
    previous: Optional[Annotated[Text, Field(min_length=1)]] = None

    @property
    def title_lines(self) -> list[str]:
        if self.title is not None:
            return list(self.title)
        return [self.issuer, f"{self.year}{labels.REPORT_TITLE_SUFFIX}"]

    @property
    def signed_by(self) -> str:
        return self.signature if self.signature is not None else self.issuer


class Headings(_Section):
    """[headings] — optional wording of the six headings; the numbers 一、…六、 are never typed."""

    overview: Text = labels.HEADINGS["overview"]
    proactive: Text = labels.HEADINGS["proactive"]
    requests: Text = labels.HEADINGS["requests"]
    review_litigation: Text = labels.HEADINGS["review_litigation"]
    problems: Text = labels.HEADINGS["problems"]
    other: Text = labels.HEADINGS["other"]


class Subsection(_Section):
    """[[overview.sections]] — （一）（二）…, numbered by docgen; `run_in` puts the title at the start of the
    first paragraph, as in "（一）高度重视，高位推动。加强组织领导。……"."""

    title: Annotated[Text, Field(min_length=1)]
    run_in: Annotated[bool, Field(strict=True)] = False
    paragraphs: list[Paragraph] = []


class Overview(_Section):
    """[overview] — 一、总体情况: lead paragraphs, then the sub-sections."""

    paragraphs: list[Paragraph] = []
    sections: list[Subsection] = []


class Narrative(_Section):
    """[problems] (五) and [other] (六): paragraphs, each plain text or an enumeration."""

    paragraphs: list[Paragraph]


class FigureRow(RootModel[list[Count]]):
    """A row of figures in the official column order, optionally followed by its 总计 (checked, not trusted)."""

    model_config = ConfigDict(frozen=True)

    COLUMNS: ClassVar[tuple[str, ...]]  # official labels, for messages
    NAMES: ClassVar[tuple[str, ...]]  # the columns' names in narrative expressions ({{ table3.new.natural }})

    @property
    def figures(self) -> tuple[int, ...]:
        return tuple(self.root[: len(self.COLUMNS)])

    @property
    def stated_total(self) -> Optional[int]:
        return self.root[len(self.COLUMNS)] if len(self.root) > len(self.COLUMNS) else None


class ApplicantRow(FigureRow):
    """One row of table 3: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他] and, optionally, the
    row's 总计 as a 7th number."""

    root: Annotated[list[Count], Field(min_length=6, max_length=7)]
    COLUMNS: ClassVar[tuple[str, ...]] = labels.APPLICANT_COLUMNS
    NAMES: ClassVar[tuple[str, ...]] = ("natural", "business", "research", "public_welfare", "legal", "other")


class Withheld(_Section):
    """（三）不予公开"""

    state_secret: ApplicantRow
    prohibited_by_law: ApplicantRow
    security_stability: ApplicantRow
    third_party_rights: ApplicantRow
    internal_affairs: ApplicantRow
    process_information: ApplicantRow
    enforcement_files: ApplicantRow
    inquiry_matters: ApplicantRow


class UnableToProvide(_Section):
    """（四）无法提供"""

    not_held: ApplicantRow
    needs_creation: ApplicantRow
    still_unclear: ApplicantRow


class NotProcessed(_Section):
    """（五）不予处理"""

    petitions: ApplicantRow
    repeated: ApplicantRow
    publications: ApplicantRow
    excessive: ApplicantRow
    confirmation: ApplicantRow


class Results(_Section):
    """三、本年度办理结果, the rows every format has (each format adds its （六）其他处理). `total` （七）总计 is
    derived; when given (e.g. copied from an old report) it is checked."""

    granted: ApplicantRow
    partially_granted: ApplicantRow
    withheld: Withheld
    unable_to_provide: UnableToProvide
    not_processed: NotProcessed
    total: Optional[ApplicantRow] = None


class Table3(_Section):
    """[table3] — 三、收到和处理政府信息公开申请情况; each format sets its printed `ROWS`."""

    ROWS: ClassVar[tuple[tuple[str, str], ...]]  # printed rows: (key path, label)

    new: ApplicantRow  # 一、本年新收政府信息公开申请数量
    carried_over: ApplicantRow  # 二、上年结转政府信息公开申请数量
    results: Results  # 三、本年度办理结果
    carried_forward: ApplicantRow  # 四、结转下年度继续办理


class ResultRow(FigureRow):
    """One group of table 4: [结果维持, 结果纠正, 其他结果, 尚未审结] and, optionally, its 总计."""

    root: Annotated[list[Count], Field(min_length=4, max_length=5)]
    COLUMNS: ClassVar[tuple[str, ...]] = labels.RESULT_COLUMNS
    NAMES: ClassVar[tuple[str, ...]] = ("upheld", "corrected", "other", "pending")


class Table4(_Section):
    """[table4] — 四、政府信息公开行政复议、行政诉讼情况."""

    review: ResultRow  # 行政复议
    litigation_direct: ResultRow  # 行政诉讼 — 未经复议直接起诉
    litigation_after_review: ResultRow  # 行政诉讼 — 复议后起诉


FontName = Annotated[Text, Field(min_length=1, max_length=64)]


class Style(_Section):
    """[style] — typography set per report, applied to the rendered document's styles, so one template
    serves every province (e.g. Jiangsu's 方正仿宋_GBK set). Unset fields keep the template's choice."""

    title_font: Optional[FontName] = None  # 标题（默认 方正小标宋简体）
    heading1_font: Optional[FontName] = None  # 一级标题“一、”（默认 黑体）
    heading2_font: Optional[FontName] = None  # 二级标题“（一）”（默认 楷体_GB2312）
    body_font: Optional[FontName] = None  # 正文和表格（默认 仿宋_GB2312）
    table_size: Optional[Annotated[Decimal, Field(ge=Decimal("10.5"), le=Decimal(12))]] = None  # 表格字号（磅）
    date: Literal["arabic", "chinese"] = "arabic"  # 成文日期：2022年2月18日 / 二〇二二年二月十八日
    group_digits: Annotated[bool, Field(strict=True)] = False  # 五位以上的数字加千分位逗号：517,645（默认 517645）


class Report(_Section):
    """One 政府信息公开工作年度报告. Each official format is a subclass (docgen/formats/) that fixes `format`
    and gives its own table 2 and table 3."""

    _source: Optional[Source] = PrivateAttr(default=None)

    format: str
    template: Optional[Text] = None  # a Word template of one's own, relative to the data file
    style: Style = Style()
    report: ReportInfo
    headings: Headings = Headings()
    overview: Overview
    table2: _Section
    table3: Table3
    table4: Table4
    problems: Narrative
    other: Narrative = Narrative(paragraphs=[labels.NOTHING_ELSE_TO_REPORT])
    # Free-form numbers the narrative quotes ({{ figures.hotline.total }}); never printed in a table.
    figures: dict[str, Annotated[Any, BeforeValidator(_figures)]] = {}
    # What `docgen extract` read from a report but could not place; never printed, `check` warns.
    unplaced: list[Text] = []
    # The bodies whose reports this one adds up (written by `docgen sum`); never printed.
    sum_of: list[Text] = []

    @property
    def source(self) -> Optional[Source]:
        """Where the report was read from (None for a report built in code)."""
        return self._source

    def problem(self, rule: str, path: KeyPath, text: str, **details: Any) -> Problem:
        """A problem at a key path of this report, located in its source as its reader knows how."""
        problem = Problem(rule=rule, message=text, key=labels.key_path_text(path), **details)
        return problem.at(self._source.locate(path)) if self._source else problem


# Where each part's own paragraphs stand in the data; 一's sub-sections hold theirs under overview.sections[i].
NARRATIVE_LISTS: dict[str, tuple[str, str]] = {
    "preamble": ("report", "preamble"),
    "overview": ("overview", "paragraphs"),
    "problems": ("problems", "paragraphs"),
    "other": ("other", "paragraphs"),
}


class NarrativeList(NamedTuple):
    """One list of paragraphs of a report's narrative: the part it belongs to (a NARRATIVE_LISTS key), where
    it stands, its paragraphs, and the sub-section it opens (with its index) when it is one's."""

    part: str
    path: KeyPath
    paragraphs: list[Union[str, Enumeration]]
    section: Optional[Subsection] = None
    number: int = -1


def narrative_lists(report: Report) -> Iterator[NarrativeList]:
    """Every list of paragraphs of the narrative in the order printed: 导语, 一's own and each sub-section's,
    五, 六 — the one walk of the narrative's shape that checks, workbooks and the template's variables share."""
    for part, (table, key) in NARRATIVE_LISTS.items():
        yield NarrativeList(part, (table, key), getattr(getattr(report, table), key))
        if part == "overview":
            for number, section in enumerate(report.overview.sections):
                here = ("overview", "sections", number, "paragraphs")
                yield NarrativeList(part, here, section.paragraphs, section, number)
