"""A blank data file of a format: every field present and explained, every figure 0, placeholder narrative
(what `docgen init` writes, and the sample report `template lint` renders). Apart from the rest of `init`,
which reads published documents and workbooks: lint, and so every `import docgen`, need only this."""

from __future__ import annotations

from typing import Any

from docgen import labels
from docgen.formats import LATEST, Format
from docgen.formats.layout import entered_keys
from docgen.messages import message
from docgen.model import signing_date


def _commented(value: Any, comment: str) -> Any:
    import tomlkit

    item = tomlkit.item(value)
    item.comment(comment)
    return item


def blank(issuer: str, year: int, fmt: Format = LATEST) -> str:
    """A complete data file of a format: every field present and explained, every figure 0, placeholder
    narrative. It renders as it is."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"{issuer} {year} 年政府信息公开工作年度报告 —— docgen 数据文件"))
    doc.add(tomlkit.comment(f"生成 Word：docgen render 本文件。格式：{fmt.notice}。字段说明见 README。"))
    doc.add(tomlkit.comment("所有“总计”由 docgen 计算，不必填写；正文中可用 {{ table3.new.total }} 等引用数字。"))
    doc.add(tomlkit.nl())
    if fmt.requires_format_key:
        doc.add("format", _commented(fmt.name, f"报告格式：{fmt.notice}"))

    report = tomlkit.table()
    report.add("issuer", _commented(issuer, "机关名称（标题第一行和落款署名）"))
    report.add("year", _commented(year, "报告年度"))
    report.add("date", _commented(signing_date(year), "成文日期，请改为实际日期（不加引号）"))
    report.add(tomlkit.comment('title = ["……", "……"]      # 可选：自定义标题，每项一行'))
    report.add(tomlkit.comment('preamble = ["……"]          # 可选：导语，印在“一、总体情况”之前'))
    report.add(tomlkit.comment('signature = "……"           # 可选：落款署名，默认为机关名称'))
    report.add(
        tomlkit.comment('previous = "2021.toml"     # 可选：上年的数据文件，正文可写 {{ previous.table3.new.total }}')
    )
    doc.add("report", report)

    headings = tomlkit.table()
    headings.comment("六个一级标题的文字（序号“一、”至“六、”自动生成），可按本单位习惯修改")
    for key, text in labels.HEADINGS.items():
        headings.add(key, text)
    doc.add("headings", headings)

    overview = tomlkit.table()
    overview.comment(f"一、{labels.HEADINGS['overview']}")
    overview.add("paragraphs", _commented([message("init-overview")], "小标题之前的段落，每项一段"))
    sections = tomlkit.aot()
    for topic in labels.OVERVIEW_TOPICS:
        section = tomlkit.table()
        section.add("title", _commented(topic, "小标题（编号自动生成）"))
        section.add("run_in", _commented(False, "true：小标题与正文同段；false：小标题单独成行"))
        section.add("paragraphs", [message("init-topic", topic=topic)])
        sections.append(section)
    overview.add("sections", sections)
    doc.add("overview", overview)

    for name, table in _tables(fmt).items():
        doc.add(name, table)

    problems = tomlkit.table()
    problems.comment(f"五、{labels.HEADINGS['problems']}：段落可以是文字，也可以是列举 {{ lead = …, items = [...] }}")
    enumeration = tomlkit.inline_table()
    items = [message("init-problem-item", number=number) for number in "一二"]
    enumeration.update({"lead": message("init-problems-lead"), "items": items})
    problems.add("paragraphs", [enumeration, message("init-improvements")])
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


def _tables(fmt: Format) -> dict[str, Any]:
    """Tables 2–4 of a blank data file, every figure 0, each row commented with its official labels."""
    import tomlkit

    table2 = tomlkit.table()
    table2.comment(f"二、{labels.HEADINGS['proactive']}（表二）")
    blank = fmt.blank_tables()
    for row in fmt.table2_rows:
        if row.key in table2:  # a figure printed in a second row of the grid is still one key of the file
            continue
        headings = "、".join(cell.heading for cell in row.cells)
        decimals = "，可带小数" if any(fmt.is_amount(cell.path) for cell in row.cells) else ""
        value = blank["table2"][row.key]
        if isinstance(value, dict):
            value = tomlkit.inline_table()
            value.update(blank["table2"][row.key])
        table2.add(row.key, _commented(value, f"{row.item} {row.label}：{headings}{decimals}"))

    table3 = tomlkit.table()
    table3.comment(f"三、{labels.HEADINGS['requests']}（表三）：每行 [{', '.join(labels.APPLICANT_COLUMNS)}]")
    row_labels = dict(fmt.table3_rows)
    for key in entered_keys(fmt.table3_rows):
        *groups, name = key.split(".")
        node = table3
        for depth in range(len(groups)):
            group = ".".join(groups[: depth + 1])
            if groups[depth] not in node:
                child = tomlkit.table()
                child.comment(labels.TABLE3_GROUPS[group])
                node.add(groups[depth], child)
            node = node[groups[depth]]
        node.add(name, _commented(tomlkit.array([0] * len(labels.APPLICANT_COLUMNS)), row_labels[key]))

    table4 = tomlkit.table()
    table4.comment(f"四、{labels.HEADINGS['review_litigation']}（表四）：每组 [{', '.join(labels.RESULT_COLUMNS)}]")
    for key, group in labels.TABLE4_GROUPS.items():
        table4.add(key, _commented(tomlkit.array([0] * len(labels.RESULT_COLUMNS)), group))
    return {"table2": table2, "table3": table3, "table4": table4}


def blank_data(issuer: str, year: int, fmt: Format = LATEST) -> dict[str, Any]:
    """A blank data file's data, as a mapping (what `blank` writes, without its comments)."""
    import tomlkit

    return tomlkit.parse(blank(issuer, year, fmt)).unwrap()
