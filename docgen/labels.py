"""Official wording of the 2021 annual-report format (国办公开办函〔2021〕30号), in one place.

Every label printed in the Word template, named in a message or written as a comment in an example comes
from here, character for character as in the official notice. Keys are the TOML key paths of the data
file, so the data, the model and the printed table can be read side by side.
"""

from __future__ import annotations

import re
from typing import Final

REPORT_TITLE_SUFFIX: Final = "年政府信息公开工作年度报告"
NOTHING_ELSE_TO_REPORT: Final = "无其他需报告的事项。"

# The six headings, in order; the numbers 一、…六、 are printed by the template, never typed.
HEADINGS: Final[dict[str, str]] = {
    "overview": "总体情况",
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}

# The five topics the notice asks 一、总体情况 to cover; `docgen init` offers them as sub-sections.
OVERVIEW_TOPICS: Final[tuple[str, ...]] = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")

# Table 2 — 主动公开政府信息情况
TABLE2_LABELS: Final[dict[str, str]] = {
    "item_1": "第二十条第（一）项",
    "item_5": "第二十条第（五）项",
    "item_6": "第二十条第（六）项",
    "item_8": "第二十条第（八）项",
    "content": "信息内容",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "fee_amount": "本年收费金额（单位：万元）",
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "punishment": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
}

# Table 3 — 收到和处理政府信息公开申请情况
TABLE3_BALANCE_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANTS: Final = "申请人情况"
TABLE3_ORGANISATIONS: Final = "法人或其他组织"
TOTAL: Final = "总计"

# The six applicant columns in official order; the 7th printed column is 总计.
APPLICANT_COLUMNS: Final[tuple[str, ...]] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
)
# How the official file breaks the narrow header cells (商业⏎企业).
APPLICANT_COLUMN_LINES: Final[dict[str, tuple[str, ...]]] = {
    "商业企业": ("商业", "企业"),
    "科研机构": ("科研", "机构"),
}

# Group rows of 三、本年度办理结果 that span several leaf rows.
TABLE3_GROUPS: Final[dict[str, str]] = {
    "results": "三、本年度办理结果",
    "results.withheld": "（三）不予公开",
    "results.unable_to_provide": "（四）无法提供",
    "results.not_processed": "（五）不予处理",
    "results.other": "（六）其他处理",
}

# Every printed row of table 3, in order: (key path under [table3], label of the row's own cell).
# The tables as a reader names them (workbook sheets, notes in data files and extract warnings).
TABLE_NAMES: Final[dict[str, str]] = {"table2": "表二", "table3": "表三", "table4": "表四"}

TABLE3_ROWS: Final[tuple[tuple[str, str], ...]] = (
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("results.granted", "（一）予以公开"),
    ("results.partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("results.withheld.state_secret", "1.属于国家秘密"),
    ("results.withheld.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("results.withheld.security_stability", "3.危及“三安全一稳定”"),
    ("results.withheld.third_party_rights", "4.保护第三方合法权益"),
    ("results.withheld.internal_affairs", "5.属于三类内部事务信息"),
    ("results.withheld.process_information", "6.属于四类过程性信息"),
    ("results.withheld.enforcement_files", "7.属于行政执法案卷"),
    ("results.withheld.inquiry_matters", "8.属于行政查询事项"),
    ("results.unable_to_provide.not_held", "1.本机关不掌握相关政府信息"),
    ("results.unable_to_provide.needs_creation", "2.没有现成信息需要另行制作"),
    ("results.unable_to_provide.still_unclear", "3.补正后申请内容仍不明确"),
    ("results.not_processed.petitions", "1.信访举报投诉类申请"),
    ("results.not_processed.repeated", "2.重复申请"),
    ("results.not_processed.publications", "3.要求提供公开出版物"),
    ("results.not_processed.excessive", "4.无正当理由大量反复申请"),
    ("results.not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "results.other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "results.other.fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("results.other.other", "3.其他"),
    ("results.total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)

# The words that end both 2021 rows of （六）其他处理 about an application no longer processed; the 2019
# format's single （六）其他处理 row has no such words.
NO_LONGER_PROCESSED: Final = "不再处理其政府信息公开申请"

# The 2019 format (国办公开办函〔2019〕60号): the same rows, but （六）其他处理 is one row spanning two columns.
TABLE3_ROWS_2019: Final[tuple[tuple[str, str], ...]] = (
    *(row for row in TABLE3_ROWS if not row[0].startswith(("results.other.", "results.total", "carried_forward"))),
    ("results.other", "（六）其他处理"),
    ("results.total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)

# Table 2 of the 2019 format.
TABLE2_LABELS_2019: Final[dict[str, str]] = {
    "item_1": "第二十条第（一）项",
    "item_5": "第二十条第（五）项",
    "item_6": "第二十条第（六）项",
    "item_8": "第二十条第（八）项",
    "item_9": "第二十条第（九）项",
    "content": "信息内容",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "public_total": "对外公开总数量",
    "previous": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "采购总金额",
    "regulations": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}

# Short names of the four blocks of the 勾稽 rule, as messages quote them.
BALANCE_TERMS: Final[dict[str, str]] = {
    "new": "一",
    "carried_over": "二",
    "results.total": "三（七）总计",
    "carried_forward": "四",
}

# Table 4 — 政府信息公开行政复议、行政诉讼情况
TABLE4_REVIEW: Final = "行政复议"
TABLE4_LITIGATION: Final = "行政诉讼"
TABLE4_GROUPS: Final[dict[str, str]] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}
# The result columns of each group in official order; the 5th printed column is 总计.
RESULT_COLUMNS: Final[tuple[str, ...]] = ("结果维持", "结果纠正", "其他结果", "尚未审结")
# How the official file breaks the narrow header cells (结果⏎纠正).
RESULT_COLUMN_LINES: Final[dict[str, tuple[str, ...]]] = {
    "结果维持": ("结果", "维持"),
    "结果纠正": ("结果", "纠正"),
    "其他结果": ("其他", "结果"),
    "尚未审结": ("尚未", "审结"),
}


# How a problem's severity is named to people.
SEVERITY: Final[dict[str, str]] = {"error": "错误", "warning": "警告", "doubt": "读取存疑"}

# Every row label of every format (a key means the same row wherever it appears).
_TABLE3_LABELS: Final[dict[str, str]] = {**dict(TABLE3_ROWS_2019), **dict(TABLE3_ROWS)}


def table3_row_label(key: str) -> str:
    """The full label of a table-3 row, its group labels first: 三、本年度办理结果（三）不予公开1.属于国家秘密."""
    parts = key.split(".")
    groups = [TABLE3_GROUPS[".".join(parts[:i])] for i in range(1, len(parts)) if ".".join(parts[:i]) in TABLE3_GROUPS]
    return "".join([*groups, _TABLE3_LABELS[key]])


def key_path_text(path: tuple[str | int, ...]) -> str:
    """`table3.new[1]` — a key path as a person types it in the data file."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def describe(path: tuple[str | int, ...]) -> str:
    """Name the cell a key path fills in the official wording (表三“二、上年结转…”行“商业企业”列), or, outside the
    tables, the key path itself."""
    if not path:
        return "数据文件"
    table, rest = path[0], path[1:]
    names = [part for part in rest if isinstance(part, str)]
    indices = [part for part in rest if isinstance(part, int)]
    column = indices[0] if indices else None
    table2_labels = {**TABLE2_LABELS_2019, **TABLE2_LABELS}
    if table == "table2" and names and names[0] in table2_labels:
        cells = "”“".join(table2_labels[name] for name in names if name in table2_labels)
        return f"表二“{cells}”"
    if table == "table3" and ".".join(names) in _TABLE3_LABELS:
        columns = (*APPLICANT_COLUMNS, TOTAL)
        where = f"表三“{table3_row_label('.'.join(names))}”行"
        return where + (f"“{columns[column]}”列" if column is not None and column < len(columns) else "")
    if table == "table4" and names and names[0] in TABLE4_GROUPS:
        columns = (*RESULT_COLUMNS, TOTAL)
        where = f"表四“{TABLE4_GROUPS[names[0]]}”"
        return where + (f"“{columns[column]}”" if column is not None and column < len(columns) else "")
    return key_path_text(path)


# What each rule finds, in a few words: the 通报's and the workbook's name for a kind of problem (the README's
# rule table says it at length). A rule not named here is shown by its id.
RULE_NAMES: Final[dict[str, str]] = {
    "t3-balance": "表三勾稽关系不符",
    "t3-results-total": "表三办理结果总计不符",
    "t3-row-total": "表三申请人总计不符",
    "t4-total": "表四总计不符",
    "t2-items": "表二项目数量不符",
    "t2-in-force": "表二现行有效件数存疑",
    "carry-over": "上年结转与上年报告不符",
    "title-year": "标题年份有误",
    "date-in-year": "成文日期有误",
    "placeholder": "留有占位文字",
    "section-empty": "内容缺项",
    "text-table": "正文与表格矛盾",
    "fees-unexplained": "收费情况未说明",
    "old-format": "未按新模板",
    "headings": "一级标题缺失或编号不对",
    "repeats-previous": "照抄上年报告",
    "figure-jump": "数字与上年相差悬殊",
    "previous-issuer": "上年报告机关不符",
    "previous-year": "上年报告年度不符",
    "previous-missing": "未找到上年报告",
    "unplaced": "有未归位的内容",
    "narrative": "正文表达式有误",
    "late": "逾期公开",
    "roster-missing": "未公开年度报告",
    "roster-duplicate": "重复公开",
    "roster-unlisted": "不在名单中",
    "internal": "无法读取",
    "extract": "无法读取",
}


def rule_name(rule: str) -> str:
    return RULE_NAMES.get(rule, rule)


# The parts of the narrative as a reader names them (the workbook's 正文 sheet, the web form's fields).
NARRATIVE_PARTS: Final[dict[str, str]] = {
    "preamble": "导语",
    "overview": f"一、{HEADINGS['overview']}",
    "problems": f"五、{HEADINGS['problems']}",
    "other": f"六、{HEADINGS['other']}",
    "unplaced": "（未归位的内容）",
}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_ORDINALS = "一二三四五六七八九十"


def _short(label: str) -> str:
    """A printed row label as a sentence names it: 一、本年新收政府信息公开申请数量 → 本年新收."""
    label = _NUMBERING.sub("", label)
    label = re.sub(r"（[^）]*）$", "", label).replace("政府信息公开申请数量", "")
    return label.split("、行政机关")[0]


def figure_label(path: tuple[str | int, ...]) -> str:
    """A figure's short name, unique among a format's figures: 表三 本年新收 总计, 表四 行政复议 结果纠正,
    表二 规章 本年制发件数 — the web form's token for a quoted figure. Outside the tables, the key path."""
    if not path or path[0] not in TABLE_NAMES:
        return key_path_text(path)
    names = [part for part in path[1:] if isinstance(part, str)]
    index = next((part for part in path[1:] if isinstance(part, int)), None)
    words = [TABLE_NAMES[str(path[0])]]
    if path[0] == "table2":
        table2 = {**TABLE2_LABELS_2019, **TABLE2_LABELS}
        words += [table2.get(name, name) for name in names]
    elif path[0] == "table3":
        row = ".".join(names)
        if row not in _TABLE3_LABELS and names[-1:] and names[-1] in (*_APPLICANT_NAMES, "total"):
            row = ".".join(names[:-1])  # table3.results.other.other.total: the row 3.其他, its 总计
        else:
            names = names[:0]  # the column is the index, or none
        group = ".".join(row.split(".")[:-1])
        if group in TABLE3_GROUPS and group != "results":
            words.append(_short(TABLE3_GROUPS[group]))
        words.append("办理结果总计" if row == "results.total" else _short(_TABLE3_LABELS.get(row, row)))
        column = _column(names[-1:], index, _APPLICANT_NAMES, APPLICANT_COLUMNS)
        words += [column] if column else []
    elif path[0] == "table4":
        words.append(TABLE4_GROUPS.get(names[0], names[0]) if names else "")
        column = _column(names, index, _RESULT_NAMES, RESULT_COLUMNS)
        words += [column] if column else []
    return " ".join(word for word in words if word)


# The names a narrative gives table columns (table3.new.natural, table4.review.total), as the model has them.
_APPLICANT_NAMES: Final = ("natural", "business", "research", "public_welfare", "legal", "other")
_RESULT_NAMES: Final = ("upheld", "corrected", "other", "pending")


def _column(names: list[str], index: int | None, named: tuple[str, ...], printed: tuple[str, ...]) -> str:
    columns = (*printed, TOTAL)
    if index is None and names and names[-1] in (*named, "total"):
        index = (*named, "total").index(names[-1])
    return columns[index] if index is not None and index < len(columns) else ""


def narrative_label(path: tuple[str | int, ...], data: object = None) -> str:
    """Where a text stands in the printed report: 一、总体情况 （一）主动公开 第1段, 五、存在的主要问题及改进情况
    第2段 列举第3项 — from the key path, and the sub-section titles `data` (the data file's mapping) gives."""
    if not path:
        return ""
    head, rest = str(path[0]), list(path[1:])
    if head == "report":
        if rest[:1] == ["preamble"]:
            return " ".join([NARRATIVE_PARTS["preamble"], *_paragraph_words(rest[1:])])
        if rest[:1] == ["title"]:
            return "报告标题" + (f" 第{int(rest[1]) + 1}行" if len(rest) > 1 and isinstance(rest[1], int) else "")
        return key_path_text(path)
    if head == "headings" and rest and str(rest[0]) in HEADINGS:
        return f"一级标题 {_ORDINALS[list(HEADINGS).index(str(rest[0]))]}、"
    if head == "unplaced":
        return " ".join([NARRATIVE_PARTS["unplaced"], *_paragraph_words(rest)])
    if head not in NARRATIVE_PARTS:
        return key_path_text(path)
    words = [NARRATIVE_PARTS[head]]
    if head == "overview" and rest[:1] == ["sections"] and len(rest) > 1 and isinstance(rest[1], int):
        title = _lookup(data, ("overview", "sections", rest[1], "title"))
        words.append(f"（{_ordinal(rest[1] + 1)}）{title if isinstance(title, str) else ''}")
        rest = rest[2:]
        if rest == ["title"]:
            return " ".join([*words[:-1], f"（{_ordinal(int(path[2]) + 1)}）小标题"])
    return " ".join(words + _paragraph_words(rest[1:] if rest[:1] == ["paragraphs"] else rest))


def _paragraph_words(rest: list[str | int]) -> list[str]:
    """第2段, 第2段 引语, 第2段 第3项 — a paragraph's place below its part."""
    if not rest or not isinstance(rest[0], int):
        return []
    words = [f"第{rest[0] + 1}段"]
    if rest[1:2] == ["lead"]:
        words.append("列举的引语")
    elif rest[1:2] == ["items"] and len(rest) > 2 and isinstance(rest[2], int):
        words.append(f"第{rest[2] + 1}项")
    return words


def _ordinal(number: int) -> str:
    if number <= 10:
        return _ORDINALS[number - 1]
    return (
        ("" if number < 20 else _ORDINALS[number // 10 - 1])
        + "十"
        + (_ORDINALS[number % 10 - 1] if number % 10 else "")
    )


def _lookup(data: object, path: tuple[str | int, ...]) -> object:
    for part in path:
        if isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        elif isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        else:
            return None
    return data
