"""Prose against the tables: the figures a report's narrative states (收到申请 12 件, 予以公开 5 件, 行政复议 2 件,
办结率 100%, 均获维持 …) found in its sentences and compared with tables 3 and 4.

A statement is a term of the tables followed closely by a number of 件 (or a rate, or a claim). Terms are
matched longest first, so 予以公开及部分公开 is one statement, not two; statements that add rows up are
read as such — 受理/收到申请 may count 新收 alone or 新收 + 上年结转, 办理/办结 the （七）总计 row, 行政复议、
行政诉讼案件 the sum of table 4's totals. Figures about other things (网站发布信息 1841 条) match no term and
are left alone; so is a number the sentence does not tie to a term (一年内, 12345 热线)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Union

from docgen.labels import APPLICANT_COLUMNS
from docgen.model import ApplicantRow
from docgen.numerals import counting_numeral

if TYPE_CHECKING:  # the derived tables only as a type: the 2021 format's rules read sentences from here
    from docgen.derive import Derived

# Texts longer than this are not read for statements (a report's paragraphs run to a few hundred characters).
MAX_TEXT = 10_000

# A statement's figures, by name: what the tables say.
Figures = dict[str, Union[int, Decimal]]

_NUMBER = r"(\d[\d,，]*|[零〇一二两三四五六七八九十百千]+)"
# Applications and cases are counted in 件 (宗, 起); 个, 份 and 条 count other things (信息 1841 条, 20 个
# 工作日, 第三十六条, 问题 3 个)
_UNIT = r"\s*(?:件|宗|起)(?!事)"


def _value(text: str) -> int | None:
    """12, 1,234, 十二, 二十五, 一百零三 → the number."""
    digits = text.replace(",", "").replace("，", "")
    if digits.isdigit():
        return int(digits) if len(digits) <= 15 else None  # no figure of the tables has 16 digits
    return counting_numeral(text)


@dataclass(frozen=True)
class Term:
    """Words that state one of the tables' figures, and the figures they may mean (any may be right)."""

    words: str  # a regular expression
    means: tuple[str, ...]
    # Words used of other things too (办结 of a hotline's calls): a statement only in a sentence about
    # applications for information and nothing else.
    ambiguous: bool = False


# The applicant columns a sentence may name by their printed words (商业企业申请 2 件), but 其他 (a word of
# every sentence) and 自然人 (its own term, beside 法人或其他组织).
_OTHER_APPLICANTS = tuple(zip(APPLICANT_COLUMNS[1:-1], ApplicantRow.NAMES[1:-1]))

# Longest first: a longer term is one statement, whatever shorter terms it holds.
TERMS: tuple[Term, ...] = (
    Term(r"行政复议[、和及与](?:提起)?行政诉讼(?:案件)?", ("review_and_litigation",)),
    Term(r"予以公开[和及与、]部分公开", ("granted_and_partial",)),
    Term(r"(?:从)?上一?年度?结转(?:至|到)?(?:本年度?)?", ("carried_over",)),
    # 结转至 2022 年 is 结转下年度 only in the 2021 report (see _carried_to)
    Term(r"结转(?:至|到)?(?:下(?:一)?年度?|\d{4}年度?)(?:继续办理)?|结转下年", ("carried_forward",)),
    Term(r"(?:本年)?新收(?:到)?(?:政府信息公开)?申请|新增(?:政府信息公开)?申请", ("new",)),
    Term(
        r"(?:共|累计|全年)?(?:收到|受理|接收|办理了?)(?:各类)?(?:依申请公开|政府信息公开申请|信息公开申请|申请公开)",
        ("new", "received"),
    ),
    # 受理申请 N 件 with no word of disclosure: of applications for information only where the paragraph
    # speaks of them (a 便民服务中心 受理申请 2360 件 too)
    Term(
        r"(?:共|累计|全年)?(?:收到|受理|接收|办理了?)(?:各类)?申请(?!人|表|书|材料|之日)",
        ("new", "received"),
        ambiguous=True,
    ),
    # 延期答复, 按时答复, 当场答复, 分批答复, 原答复: some of the answers, not all
    Term(r"(?:已|均已|共|全部)?办结|(?<![期时场批原])(?:共)?答复", ("results_total",), ambiguous=True),
    # Who applied: of the 新收 or of all received (新收 + 上年结转), as the clause they qualify counts.
    Term(r"法人或(?:者)?其他组织(?:申请)?|法人(?:申请)?", ("legal_new", "legal_received"), ambiguous=True),
    Term(r"自然人(?:申请)?", ("natural_new", "natural_received"), ambiguous=True),
    *(
        Term(rf"{words}(?:申请)?", (f"applicant_{column}_new", f"applicant_{column}_received"), ambiguous=True)
        for words, column in _OTHER_APPLICANTS
    ),
    Term(r"予以公开|(?<![不方])同意公开|全部公开", ("granted",)),  # not 不同意公开, 第三方同意公开
    Term(r"部分公开", ("partially_granted",)),
    Term(r"不予公开", ("withheld",)),
    Term(r"无法提供|信息不存在", ("unable_to_provide",)),
    Term(r"不予处理", ("not_processed",)),
    Term(r"其他处理", ("other_handling",)),
    Term(r"行政复议", ("review",)),
    Term(r"行政诉讼", ("litigation",)),
    Term(r"(?<!行政)复议(?!机)", ("review",)),  # 复议维持 1 件, 诉讼纠正 1 件: the short forms
    Term(r"(?<!行政)诉讼", ("litigation",)),
    # The outcomes of table 4: of 行政复议 or of 行政诉讼 as the sentence said last (see _bound); 被纠错 is the
    # reviewers' word for both together, and meant so where no case kind is named.
    Term(r"被纠错|纠错", ("corrected",)),
    Term(r"(?:结果)?(?:被)?纠正", ("corrected",)),
    Term(r"(?:结果)?(?:被)?维持", ("upheld",)),
    Term(r"尚未审结|未审结", ("pending",)),
)
# What an outcome means after a case kind: (figure for 行政复议, figure for 行政诉讼); 被纠错 may be either.
_OUTCOMES = {"corrected": 1, "upheld": 0, "pending": 3}  # columns of table 4
# The case kind a term names, that the outcomes after it are of (both, after 行政复议和行政诉讼)
_CASE_KINDS: dict[str, str | None] = {"review": "review", "litigation": "litigation", "review_and_litigation": None}
_KIND_OF = {"行政复议": "review", "行政诉讼": "litigation"}
# A sentence about applications for information, and one about something else that docgen has no table of.
_ABOUT_APPLICATIONS = re.compile(r"申请")
# Subjects a sentence is about whatever else it names (公文's 公开属性审核: 予以公开 186 件, 依申请公开 21 件)
_ALWAYS_OTHER = re.compile(r"公文|公开属性|预算|决算|网站|网民")
_NAMES_DISCLOSURE = re.compile(r"信息公开|申请公开")  # 政府信息公开, 依申请公开 among them
_NAMES_APPLICATIONS = re.compile(r"政府信息公开申请|信息公开申请|依申请公开")
# 各类行政复议案件, 作为复议机关, 受理行政复议申请: the body's caseload as the reviewing authority (a 司法局,
# a 政府), not the reviews of its own disclosure — the reviews brought against it it does not 受理.
_ABOUT_OTHER = re.compile(
    r"热线|平台|事项|诉求|来电|来信|信访|建议|提案|投诉|工单|留言|咨询|审批|许可|办件|政务服务|(?<!复)议案|问询|复议机[关构]"
    r"|各类(?:行政)?(?:复议|诉讼|案件)|(?:收到|受理|办理|审理|审结)(?:各类)?行政复议(?:申请|案件)|(?:办理|审理|审结)(?:各类)?行政诉讼案件|应诉率"
    r"|被申请人的行政复议|自查|检查|应诉|中心|窗口|登记|业务|认定|救助|经办|审查|招生"
)
# Words a sentence may open with before its statement: when, and 其中
_OPENING = re.compile(r"^(?:全年|本年度?|(?:\d{4}|二〇[一二]\S)年度?|其中|同时|此外)?[，,]?")
_TERM = re.compile("|".join(f"(?P<t{index}>{term.words})" for index, term in enumerate(TERMS)))
# Between a term and its number: a few characters that are not themselves a statement or a new clause.
# Comparisons (较上年减少 5 件, 同比增加 3 件) and parts (申请中涉及……的 8 件) are not statements of a figure.
# Nor do links run across 第 (第三十六条) or a title (《条例》), or name how a part came (通过, 方式, 提交).
_LINK = r"[^，。；：、！？\d零〇一二两三四五六七八九十较比增减降升多少中占约超近涉第《》每]{0,8}?"
_PART = re.compile(r"..的$|通过|方式|提交|内容|文件|决定书|问题|链接|专栏|账号|文本")
# Before a term: how or from whom some of the applications came (通过网络收到申请, 自然人申请予以公开)
_CHANNEL = re.compile(r"通过|方式|季度|网络|信函|当面")
_APPLICANT_BEFORE = re.compile(r"自然人|法人|企业|机构|组织")
_RESULT_TERMS = {"granted", "partially_granted", "withheld", "unable_to_provide", "not_processed", "other_handling"}
_RESULT_TERMS |= {"granted_and_partial", "results_total"}
# A statement's words followed by its figure and nothing else (办结 13 件。 办结率为 92.3%。)
_BARE_FIGURE = re.compile(
    r"(?:为|达到|达|是)?\s*[\d.,，零〇一二两三四五六七八九十百千]+\s*(?:件|宗|起|%|％)?\s*[。；！？]?"
)
_DISCLOSURE_WORDS = re.compile(r"信息公开|纠错")
_CLAUSE = re.compile(r"[，,；：:]")  # what parts a sentence's clauses (a ； ends its sentence)
_BRACKETED = re.compile(r"（[^）]*）|\([^)]*\)")
_OF_SOME = re.compile(r"件(?:申请)?中|有[\d一二两三四五六七八九十]+件申请因")
_OUTCOME_NEXT = re.compile(r"\s*(?:被|结果)?(?:维持|纠正)")
# A clause of another year (2020年度受理申请 9 件, 上年同期, 去年) or scope (全县各级, 以来, 期间) is no
# statement of this report's tables.
_LAST_YEAR = re.compile(
    r"上一?年度?(?![度结])|去年|上年同期|全[县市区]|各级|以来|期间|十三五|十四五|近[一二两三四五\d]年|截[至止]"
)
_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = re.compile(r"(?<!\d)(\d{4}|二[〇零][〇零一二三四五六七八九]{2})年")
_SUBSET = re.compile(r"(?:从)?上一?年度?结转|结转(?:至|到)?下一?年度?|(?:\d{4}年度?|本年度?)?新收")
# A claim that there was none of a figure (未发生行政复议, 无不予公开情形, 未出现被纠错情况, 无结转下年度).
_NONE = r"(?:未发生|没有发生|未收到|未出现|没有出现|(?<!有)无(?![效法]))"  # not 有无, 无效, 无法
_NO_OUTCOME = r"(?![^。；，]{0,8}?(?:纠错|纠正|败诉|维持|其他结果|审结|判决|申请人|决定|撤回|结果|机关|通知))"
# The case kinds are claimed none only where no outcome follows: 未发生行政复议被纠错 says none was corrected.
_NEGATED = re.compile(
    rf"{_NONE}(?:任何)?(?:因?政府信息公开(?:工作)?(?:而)?(?:引起|引发)?的?)?(?:案件)?"
    rf"(行政复议{_NO_OUTCOME}|行政诉讼{_NO_OUTCOME}|不予公开|部分公开|无法提供|不予处理|结转(?:至|到)?下一?年度?"
    r"|上一?年度?结转|法人或其他组织)"
)
_NEGATED_MEANS = {
    "行政复议": "review",
    "行政诉讼": "litigation",
    "不予公开": "withheld",
    "部分公开": "partially_granted",
    "无法提供": "unable_to_provide",
    "不予处理": "not_processed",
    "法人或其他组织": "legal_received",
}
# 未出现被纠错情况, 未发生行政复议被纠错情况, 未出现行政诉讼败诉: none corrected (of the kind named, or of both)
_NONE_CORRECTED = re.compile(
    rf"{_NONE}[^。；，]{{0,12}}?(?:(行政复议|行政诉讼)[^。；，]{{0,6}}?)?(被纠错|被纠正|纠错|败诉)"
)
# 有 3 件申请结转至 2022 年: a number whose words come after it (from the number's first digit only: a
# search from every digit of a long run of them would take time on the square of its length)
_CARRIED_FORWARD_BEFORE = re.compile(
    rf"(?<![\d,，零〇一二两三四五六七八九十百千的]){_NUMBER}{_UNIT}(?:申请)?(?:需)?结转(?:至|到)?(下一?年度?|\d{{4}}年度?)"
)
_RATE = re.compile(r"办结率(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)\s*[%％]")
# What may stand before 办结率 in its clause: the applications' own rate; anything else (按期, 法定时限内,
# 行政许可申请) makes it another measure's
_RATE_SUBJECT = re.compile(
    r"政府信息公开|依申请公开|信息公开|申请|全年|本年度?|\d{4}年度?|年度|总体|整体|其中|共|的|为|[\s，,]"
)
_ALL_UPHELD = re.compile(r"(行政复议|行政诉讼|复议|诉讼)[^。；复诉]{0,20}?(?:均|全部)(?:获|被|予以|为)?维持")
# 行政诉讼 1 件，结果维持: every case of the kind had that outcome — said right after the count and ending
# its clause (其中1件结果维持, 结果维持的1件 are one case's)
_EVERY_CASE = re.compile(
    rf"(行政复议|行政诉讼)(?:案件)?{_NUMBER}{_UNIT}[，,]\s*(?:结果)(?:均)?(?:为)?(维持|纠正)(?=\s*(?:[。；，,]|$))"
)
_ANOTHER_OUTCOME = re.compile(r"维持|纠正|各")
# 全部申请均由自然人提出, 所有申请均予以公开: one figure claimed to be all the applications (of the 新收
# where the sentence says so)
_ALL_APPLICATIONS = re.compile(
    r"(?:所有|全部)(?:的)?(?:政府信息公开)?申请(?:均|全部|都)(?:已)?(?:由)?(自然人|予以公开)(?![或和及与、])"
    r"|申请(?:均|全部|都)(?:由|为)(自然人)"
)


def figures(derived: Derived, year: int | None = None) -> Figures:
    """What each statement may be compared with, from the tables as printed (and the report's year, that
    结转至 2022 年 names the year after)."""
    table3, table4 = derived.table3, derived.table4

    def total(key: str) -> int:
        return table3[key][-1]

    def group(prefix: str) -> int:
        return sum(values[-1] for key, values in table3.items() if key.startswith(prefix))

    review = table4["review"]
    litigation = [table4["litigation_direct"], table4["litigation_after_review"]]
    outcomes: Figures = {}
    for outcome, column in _OUTCOMES.items():
        outcomes[f"review_{outcome}"] = review[column]
        outcomes[f"litigation_{outcome}"] = sum(row[column] for row in litigation)
        outcomes[outcome] = review[column] + sum(row[column] for row in litigation)
    result: Figures = {
        **outcomes,
        "new": total("new"),
        "carried_over": total("carried_over"),
        "received": total("new") + total("carried_over"),
        "results_total": total("results.total"),
        "carried_forward": total("carried_forward"),
        "granted": total("results.granted"),
        "partially_granted": total("results.partially_granted"),
        "granted_and_partial": total("results.granted") + total("results.partially_granted"),
        "withheld": group("results.withheld"),
        "unable_to_provide": group("results.unable_to_provide"),
        "not_processed": group("results.not_processed"),
        "other_handling": group("results.other"),
        "review": review[-1],
        "litigation": sum(row[-1] for row in litigation),
        "review_and_litigation": review[-1] + sum(row[-1] for row in litigation),
    }
    new, carried = table3["new"], table3["carried_over"]
    result["natural_new"], result["natural_received"] = new[0], new[0] + carried[0]
    result["legal_new"] = sum(new[1:-1])
    result["legal_received"] = sum(new[1:-1]) + sum(carried[1:-1])
    for column, (_, name) in enumerate(_OTHER_APPLICANTS, start=1):
        result[f"applicant_{name}_new"] = new[column]
        result[f"applicant_{name}_received"] = new[column] + carried[column]
    result["year"] = year or 0
    received = result["received"]
    result["rate"] = Decimal(result["results_total"]) * 100 / Decimal(received) if received else Decimal(0)
    return result


@dataclass(frozen=True)
class Contradiction:
    """A sentence stating a figure the tables do not have."""

    sentence: str
    stated: object
    table: object
    means: str  # which figure (a key of `figures`)


def sentences(text: str) -> Iterator[str]:
    for sentence in re.split(r"(?<=[。；！？])", text):
        if sentence.strip():
            yield sentence.strip()


def contradictions(text: str, table: Figures, in_requests: bool = False) -> Iterator[Contradiction]:
    """Every figure a text states that its tables contradict. A sentence about something else (a hotline,
    a platform, a 司法局's caseload of every kind) states none of them, whatever words it shares; bare
    受理申请 and 办结 are of applications for information only in a paragraph that names them, or in the
    part of the report about them (`in_requests`: 一（二）依申请公开)."""
    about = False
    disclosure = in_requests or bool(_NAMES_DISCLOSURE.search(text))
    for sentence in sentences(text):
        if (_ABOUT_OTHER.search(sentence) and not _NAMES_APPLICATIONS.search(sentence)) or _ALWAYS_OTHER.search(
            sentence
        ):
            about = False
            continue
        about = _about_applications(sentence, about) and (disclosure or bool(_NAMES_DISCLOSURE.search(sentence)))
        yield from _statements(sentence, table, about)
        yield from _claims(sentence, table, about)


def _about_applications(sentence: str, previous: bool = False) -> bool:
    """Whether a sentence speaks of applications for information (and nothing else); one that opens with a
    figure's words and its number, naming nothing else (办结率为 92.3%, 全年办结 13 件), goes on with the
    sentence before it."""
    if _ABOUT_OTHER.search(sentence):  # 受理政府信息公开申请 18 件，办理热线工单 215 件: of both
        return False
    if _ABOUT_APPLICATIONS.search(sentence):
        return True
    opening = _OPENING.sub("", sentence)
    term = re.match("办结率", opening) or _TERM.match(opening)
    return previous and term is not None and bool(_BARE_FIGURE.fullmatch(opening[term.end() :]))


def _statements(sentence: str, table: Figures, about: bool) -> Iterator[Contradiction]:
    case_kind: str | None = None  # 行政复议 or 行政诉讼, the last the sentence named: its outcomes follow
    # 上年结转的 3 件申请，已办结 3 件: the figures after it are of those applications, not of the tables' rows
    subset = _SUBSET.match(_OPENING.sub("", sentence))
    read = sentence  # what is read for statements; the contradiction quotes the sentence as printed
    scoped = read.find("涉及政府信息公开")  # 全年行政复议 15 件，其中涉及政府信息公开的 2 件: only the latter
    if scoped > 0:
        read = read[scoped:]
    read = _BRACKETED.sub("", read)  # （其中上年度结转1件）: a part of the figure before it
    if (within := _OF_SOME.search(read)) is not None:
        read = read[: within.start()]  # 无法提供的 2 件中，……1 件: the figures after are of those
    for clause, another_year in _dated_clauses(read, table):
        if _ABOUT_OTHER.search(clause) or another_year:
            continue
        for term, means, stated in _clause_statements(clause, table, case_kind):
            case_kind = _CASE_KINDS.get(term.means[0], case_kind)
            if stated is None or (term.ambiguous and not about) or (subset and term.means[0] in _RESULT_TERMS):
                continue
            if term.means[0] in _OUTCOMES and case_kind is None and not (about or _DISCLOSURE_WORDS.search(read)):
                continue  # 纠正问题, 维持原状: an outcome of nothing the sentence names (被纠错 is the reviewers' word)
            if not any(table[name] == stated for name in means):
                yield Contradiction(sentence, stated, table[means[0]], means[0])


def _of_another_year(clause: str, table: Figures, before: bool = False) -> bool:
    """A clause about another year's applications (2020年度受理申请 9 件, 上年同期, 去年), or, naming no
    year, about the year the clause `before` it was; 结转 aside, which joins two years."""
    if "结转" in clause:
        return before
    if _LAST_YEAR.search(clause):
        return True
    years = {int(year.translate(_YEAR_DIGITS)) for year in _YEAR.findall(clause)}
    if not years or not table.get("year"):
        return before and not years
    return bool(years - {table["year"], table["year"] + 1})


def _dated_clauses(text: str, table: Figures) -> Iterator[tuple[str, bool]]:
    """A sentence's clauses, each with whether it is of another year or scope: a year a clause names holds
    for the clauses after it, till another is named."""
    another = False
    for clause in _CLAUSE.split(text):
        another = _of_another_year(clause, table, another)
        yield clause, another


def _of_another_year_at(sentence: str, position: int, table: Figures) -> bool:
    """Whether the sentence is of another year or scope where `position` stands (上年度未发生……，本年度发生……)."""
    *_, (_, another) = _dated_clauses(sentence[:position], table)  # the last clause's (there is always one)
    return another


def _clause_statements(
    clause: str, table: Figures, case_kind: str | None
) -> Iterator[tuple[Term, tuple[str, ...], int | None]]:
    """Each term of a clause with the figures it may mean and the number it states (None: none it owns)."""
    position = 0
    while found := _TERM.search(clause, position):
        term = TERMS[int(next(name for name, value in found.groupdict().items() if value)[1:])]
        position = found.end()
        means = _bound(term, found.group(0), case_kind)
        case_kind = _CASE_KINDS.get(term.means[0], case_kind)
        number = re.match(rf"({_LINK}){_NUMBER}{_UNIT}", clause[found.end() :])
        if number is None or _TERM.search(number.group(1)) or "各" in number.group(1):
            yield term, means, None  # no number, or a nearer term owns it (行政复议结果纠正 1 件: the 纠正's)
            continue
        position = found.end() + number.end()
        before = clause[: found.start()]
        if (term.means[0] in _RESULT_TERMS and _APPLICANT_BEFORE.search(before)) or _CHANNEL.search(before[-4:]):
            yield term, means, None  # 自然人申请予以公开 5 件, 通过网络收到申请 9 件: a column's or a channel's
            continue
        if _PART.search(number.group(1)) or (term.means[0] in _CASE_KINDS and _OUTCOME_NEXT.match(clause, position)):
            yield term, means, None  # 内容为财政资金的 4 件: a part; 行政复议 1 件维持: one case's outcome
            continue
        if term.means == ("carried_forward",) and re.search(r"\d{4}", found.group(0)):
            means = _carried_to(found.group(0), table)
            if not means:
                yield term, means, None
                continue
        yield term, means, _value(number.group(2))


def _bound(term: Term, words: str, case_kind: str | None) -> tuple[str, ...]:
    """The figures a term may mean where it stands: an outcome (纠正, 维持, 未审结) after 行政复议 is the review
    column's, after 行政诉讼 the lawsuits'; 被纠错 may also mean both together, as reviewers count it."""
    outcome = term.means[0]
    if outcome not in _OUTCOMES:
        return term.means
    if case_kind is None:  # 被纠错 with no case kind named is the reviewers' count of both together
        return (outcome,) if "纠错" in words else (outcome, f"review_{outcome}", f"litigation_{outcome}")
    bound = f"{case_kind}_{outcome}"
    return (bound, outcome) if "纠错" in words else (bound,)


def _carried_to(words: str, table: Figures) -> tuple[str, ...]:
    """What 结转至 N 年 counts: 结转下年度 where N is the year after the report's, 上年结转 where N is the
    report's own (2020年度结转至2021年度 in the 2021 report); of another year, nothing of these tables."""
    year = re.search(r"\d{4}", words)
    if year is None or not table.get("year"):
        return ()
    return {table["year"] + 1: ("carried_forward",), table["year"]: ("carried_over",)}.get(int(year.group(0)), ())


def _claims(sentence: str, table: Figures, about: bool) -> Iterator[Contradiction]:
    yield from _none_claims(sentence, table)
    if about:
        yield from _carried_forward_claims(sentence, table)
        yield from _rate_claims(sentence, table)
    yield from _outcome_claims(sentence, table)
    yield from _all_applications_claims(sentence, table)


def _none_claims(sentence: str, table: Figures) -> Iterator[Contradiction]:
    """未发生行政复议, 无不予公开情形, 未出现行政诉讼败诉: a figure claimed to be 0 (this year's)."""
    if _of_another_year_at(sentence, len(sentence), table):
        return
    for found in _NEGATED.finditer(sentence):
        if _of_another_year_at(sentence, found.start(), table):
            continue
        means = _NEGATED_MEANS.get(found.group(1), "carried_over" if "上" in found.group(1) else "carried_forward")
        if table[means]:
            yield Contradiction(sentence, 0, table[means], means)
    for found in _NONE_CORRECTED.finditer(sentence):
        if _of_another_year_at(sentence, found.start(), table):
            continue
        both = "行政复议" in found.group(0) and "行政诉讼" in found.group(0)
        kind = "litigation" if found.group(2) == "败诉" else _KIND_OF.get(found.group(1) or "")
        means = f"{kind}_corrected" if kind and not both else "corrected"
        if table[means]:
            yield Contradiction(sentence, 0, table[means], means)


def _carried_forward_claims(sentence: str, table: Figures) -> Iterator[Contradiction]:
    """有 3 件申请结转至 2022 年继续办理: 结转下年度, its number before its words."""
    for clause in _CLAUSE.split(sentence):
        for found in _CARRIED_FORWARD_BEFORE.finditer(clause):
            stated = _value(found.group(1))
            means = _carried_to(found.group(2), table) if re.search(r"\d", found.group(2)) else ("carried_forward",)
            if stated is not None and means and stated != table[means[0]]:
                yield Contradiction(sentence, stated, table[means[0]], means[0])


def _rate_claims(sentence: str, table: Figures) -> Iterator[Contradiction]:
    for found in _RATE.finditer(sentence):
        clause = _CLAUSE.split(sentence[: found.start()])[-1]
        if _RATE_SUBJECT.sub("", clause):
            continue  # 按法定时限办结率, 行政许可申请办结率: another measure
        stated = Decimal(found.group(1))
        if table["received"] and abs(stated - Decimal(table["rate"])) >= 1:  # 99.5% may be printed as 100%
            yield Contradiction(sentence, f"{stated}%", f"{Decimal(table['rate']).quantize(Decimal('0.1'))}%", "rate")


def _outcome_claims(sentence: str, table: Figures) -> Iterator[Contradiction]:
    """行政诉讼 1 件，结果维持; 均获维持: one outcome claimed for every case of a kind (once a kind)."""
    every: set[str] = set()
    for found in _EVERY_CASE.finditer(sentence):
        if _ANOTHER_OUTCOME.search(sentence, found.end()):
            continue  # 结果维持，纠正 1 件: the outcomes listed, not one for all
        kind = _KIND_OF[found.group(1)]
        every.add(kind)
        means = f"{kind}_{'upheld' if found.group(3) == '维持' else 'corrected'}"
        if table[means] != table[kind]:
            yield Contradiction(sentence, table[kind], table[means], means)
    for found in _ALL_UPHELD.finditer(sentence):
        kind = "review" if "复议" in found.group(1) else "litigation"
        means = f"{kind}_corrected"
        if table[means] and kind not in every:
            yield Contradiction(sentence, "均维持", f"纠正 {table[means]} 件", means)


def _all_applications_claims(sentence: str, table: Figures) -> Iterator[Contradiction]:
    """全部申请均由自然人提出, 所有申请均予以公开: one figure claimed to be all the applications."""
    for found in _ALL_APPLICATIONS.finditer(sentence):
        if "自然人" in found.group(0):
            before = sentence[max(0, found.start() - 8) : found.start()]
            new_only = "新收" in before
            if (found.group(1) is None and not new_only) or "结转" in before:
                continue  # 上年结转的申请均由自然人提出: of some of the applications only
            means, of = ("natural_new", "new") if new_only else ("natural_received", "received")
        else:
            means, of = "granted", "results_total"  # every application handled was granted
        if table[means] != table[of]:
            yield Contradiction(sentence, table[of], table[means], means)
