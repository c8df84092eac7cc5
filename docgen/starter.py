"""Init: start a data file — a blank one with every field explained, or next year's from last year's.

Files are written with tomlkit so that comments survive: a file started from last year's keeps every
comment and text its authors wrote, with only the figures reset.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from docgen import labels
from docgen.derive import TABLE3_ENTERED_KEYS, TABLE4_KEYS
from docgen.errors import OutputError, Problem
from docgen.load import load
from docgen.messages import message
from docgen.model import Table2
from docgen.write import write_atomic

_TABLE2_ROWS = Table2.DOCUMENT_ROWS
_TABLE2_DECISIONS = ("licensing", "punishment", "enforcement")


def signing_date(year: int) -> datetime.date:
    """A placeholder 成文日期: departments publish by 31 January of the following year."""
    return datetime.date(year + 1, 1, 31)


def blank(issuer: str, year: int) -> str:
    """A complete data file: every field present and explained, every figure 0, placeholder narrative.
    It renders as it is."""
    import tomlkit

    def commented(value: Any, comment: str) -> Any:
        item = tomlkit.item(value)
        item.comment(comment)
        return item

    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"{issuer} {year} 年政府信息公开工作年度报告 —— docgen 数据文件"))
    doc.add(tomlkit.comment("生成 Word：docgen render 本文件。格式：国办公开办函〔2021〕30号。字段说明见 README。"))
    doc.add(tomlkit.comment("所有“总计”由 docgen 计算，不必填写；正文中可用 {{ table3.new.total }} 等引用数字。"))
    doc.add(tomlkit.nl())

    report = tomlkit.table()
    report.add("issuer", commented(issuer, "机关名称（标题第一行和落款署名）"))
    report.add("year", commented(year, "报告年度"))
    report.add("date", commented(signing_date(year), "成文日期，请改为实际日期（不加引号）"))
    report.add(tomlkit.comment('title = ["……", "……"]      # 可选：自定义标题，每项一行'))
    report.add(tomlkit.comment('preamble = ["……"]          # 可选：导语，印在“一、总体情况”之前'))
    report.add(tomlkit.comment('signature = "……"           # 可选：落款署名，默认为机关名称'))
    doc.add("report", report)

    headings = tomlkit.table()
    headings.comment("六个一级标题的文字（序号“一、”至“六、”自动生成），可按本单位习惯修改")
    for key, text in labels.HEADINGS.items():
        headings.add(key, text)
    doc.add("headings", headings)

    overview = tomlkit.table()
    overview.comment(f"一、{labels.HEADINGS['overview']}")
    overview.add("paragraphs", commented(["（请填写总体情况概述。）"], "小标题之前的段落，每项一段"))
    sections = tomlkit.aot()
    for topic in labels.OVERVIEW_TOPICS:
        section = tomlkit.table()
        section.add("title", commented(topic, "小标题（编号自动生成）"))
        section.add("run_in", commented(False, "true：小标题与正文同段；false：小标题单独成行"))
        section.add("paragraphs", [f"（请填写{topic}情况。）"])
        sections.append(section)
    overview.add("sections", sections)
    doc.add("overview", overview)

    table2 = tomlkit.table()
    table2.comment(f"二、{labels.HEADINGS['proactive']}（表二）")
    t = labels.TABLE2_LABELS
    for row in _TABLE2_ROWS:
        counts = tomlkit.inline_table()
        counts.update({"issued": 0, "repealed": 0, "in_force": 0})
        table2.add(row, commented(counts, f"{t['item_1']} {t[row]}：{t['issued']}、{t['repealed']}、{t['in_force']}"))
    for row, item in zip(_TABLE2_DECISIONS, ("item_5", "item_6", "item_6"), strict=True):
        table2.add(row, commented(0, f"{t[item]} {t[row]}：{t['decisions']}"))
    table2.add("fees", commented(0, f"{t['item_8']} {t['fees']}：{t['fee_amount']}，可带小数"))
    doc.add("table2", table2)

    table3 = tomlkit.table()
    table3.comment(f"三、{labels.HEADINGS['requests']}（表三）：每行 [{', '.join(labels.APPLICANT_COLUMNS)}]")
    row_labels = dict(labels.TABLE3_ROWS)
    for key in TABLE3_ENTERED_KEYS:
        *groups, name = key.split(".")
        node = table3
        for depth in range(len(groups)):
            group = ".".join(groups[: depth + 1])
            if groups[depth] not in node:
                child = tomlkit.table()
                child.comment(labels.TABLE3_GROUPS[group])
                node.add(groups[depth], child)
            node = node[groups[depth]]
        node.add(name, commented(tomlkit.array([0] * 6), row_labels[key]))
    doc.add("table3", table3)

    table4 = tomlkit.table()
    table4.comment(f"四、{labels.HEADINGS['review_litigation']}（表四）：每组 [{', '.join(labels.RESULT_COLUMNS)}]")
    for key in TABLE4_KEYS:
        table4.add(key, commented(tomlkit.array([0] * 4), labels.TABLE4_GROUPS[key]))
    doc.add("table4", table4)

    problems = tomlkit.table()
    problems.comment(f"五、{labels.HEADINGS['problems']}：段落可以是文字，也可以是列举 {{ lead = …, items = [...] }}")
    enumeration = tomlkit.inline_table()
    enumeration.update({"lead": "（请填写存在的主要问题：）", "items": ["问题一", "问题二"]})
    problems.add("paragraphs", [enumeration, "（请填写改进情况。）"])
    doc.add("problems", problems)

    other = tomlkit.table()
    other.comment(f"六、{labels.HEADINGS['other']}")
    other.add("paragraphs", [labels.NOTHING_ELSE_TO_REPORT])
    doc.add("other", other)

    figures = tomlkit.table()
    figures.comment(
        "正文中引用的其他数字（不进表格），例如 [figures.hotline] consulting = 167，正文写 {{ figures.hotline.total }}"
    )
    doc.add("figures", figures)
    return tomlkit.dumps(doc)


def next_year(previous_path: Path) -> str:
    """Next year's data file from last year's: same issuer, headings and narrative (kept as a starting
    point, comments included), year + 1, 上年结转 = last year's 结转下年度继续办理, 现行有效件数 carried,
    every other table figure 0. [figures] keep last year's numbers as placeholders for the text."""
    import tomlkit

    previous = load(previous_path)  # refuse to start from a file that does not load
    doc = tomlkit.parse(previous_path.read_text(encoding="utf-8-sig"))
    year = previous.report.year + 1
    doc["report"]["year"] = year
    doc["report"]["date"] = signing_date(year)
    if previous.format != "2021":  # a 2020 report starts 2021 in the new format: its table 2 and 其他处理 rows
        fresh = tomlkit.parse(blank(previous.report.issuer, year))
        del doc["format"]
        doc["table2"] = fresh["table2"]
        del doc["table3"]["results"]["other"]
        doc["table3"]["results"]["other"] = fresh["table3"]["results"]["other"]

    table2 = doc["table2"]
    for row in _TABLE2_ROWS:
        counts = getattr(previous.table2, row)
        table2[row]["issued"] = 0
        table2[row]["repealed"] = 0
        # 现行有效件数; the 2019 format's nearest figure is 对外公开总数量
        table2[row]["in_force"] = counts.in_force if hasattr(counts, "in_force") else counts.public_total
    for row in (*_TABLE2_DECISIONS, "fees"):
        table2[row] = 0

    for key in TABLE3_ENTERED_KEYS:
        *groups, name = key.split(".")
        node = doc["table3"]
        for group in groups:
            node = node[group]
        node[name] = list(previous.table3.carried_forward.figures) if key == "carried_over" else [0] * 6
    results = doc["table3"]["results"]
    if "total" in results:
        del results["total"]
    for key in TABLE4_KEYS:
        doc["table4"][key] = [0] * 4
    if "unplaced" in doc:  # what `docgen extract` could not place belonged to last year's report
        del doc["unplaced"]
    return tomlkit.dumps(doc)


def write_new(path: Path, content: str | bytes, force: bool) -> None:
    """Write a new file (text as UTF-8); an existing file is replaced only with `force`."""
    if path.exists() and not force:
        raise OutputError([Problem("output", message("init-exists", path=path), file=str(path))])
    write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)
