"""Build the official Word templates `templates/annual-report-<format>.docx`, one per format of
docgen.formats, from this readable description of the page and the formats' declared tables.

    python tools/build_template.py          # rewrite the templates
    python tools/build_template.py --check  # exit 1 if a committed template differs from what this builds

The document is written part by part (no hidden Word defaults), byte for byte reproducible. Layout follows
GB/T 9704-2012; the tables are drawn from each format's grids (docgen/formats/), cell for cell as the
official notice prints them. Every number cell holds exactly one Jinja tag naming the key path of its
figure; totals are tags too, filled from docgen's derived figures, so no arithmetic happens in Word.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import docxzip, labels, notice  # noqa: E402
from docgen.formats import FORMATS, Format  # noqa: E402
from docgen.formats.layout import Figure, Grid  # noqa: E402

# --- page and type (GB/T 9704-2012), in twentieths of a point (twips) and half-points ------------------
MM = 1440 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM = round(37 * MM), round(35 * MM)
MARGIN_LEFT, MARGIN_RIGHT = round(28 * MM), round(26 * MM)
TEXT_WIDTH = round(156 * MM)  # 8844: every table is exactly this wide
FOOTER_DISTANCE = round(23 * MM)  # puts the page number about 7 mm below the text block
LINE_PITCH = 579  # 22 lines on 225 mm: fixed line spacing of 28.95 pt
BODY_SIZE = 32  # 3号 (16 pt)
TITLE_SIZE = 44  # 2号 (22 pt)
TABLE_SIZE = 21  # 五号 (10.5 pt)
TABLE_LINE = 260  # fixed 13 pt lines: table 3's 28 rows fit one page below its heading
PAGE_NUMBER_SIZE = 28  # 4号 (14 pt)
CHAR = 320  # one character of body text
CELL_MARGIN = 20  # 1 pt left and right inside table cells, so narrow columns keep their figures on one line
# In the table style and again on each table: LibreOffice ignores margins that only the style sets.
CELL_MARGINS = f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING1 = "黑体"
FONT_HEADING2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
# Word and WPS fall back to the alternative name where the official font is not installed.
FONT_ALTERNATIVES = {FONT_BODY: "仿宋", FONT_HEADING2: "楷体", FONT_TITLE: "宋体"}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# --- XML pieces ---------------------------------------------------------------------------------------


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:eastAsia="{name}" w:hAnsi="{name}" w:cs="{name}" w:hint="eastAsia"/>'


def run(text: str, char_style: str | None = None) -> str:
    props = f'<w:rPr><w:rStyle w:val="{char_style}"/></w:rPr>' if char_style else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*runs: str, style: str | None = None, keep_next: bool = False) -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "")
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{''.join(runs)}</w:p>"


def loop(variable: str, items: str, body: Sequence[str], style: str | None = None) -> list[str]:
    """docxtpl paragraph loop: the body paragraphs repeat once per item."""
    return [
        paragraph(run(f"{{%p for {variable} in {items} %}}"), style=style),
        *body,
        paragraph(run("{%p endfor %}"), style=style),
    ]


def narrative(items: str) -> list[str]:
    """Paragraphs of narrative: each block is a run-in or own-line 楷体 head and its 仿宋 text."""
    return loop("block", items, [paragraph(run("{{ block.head }}", "Heading2Char"), run("{{ block.text }}"))])


def table(grid: Grid) -> str:
    """A declared table drawn: grid columns, merged cells, a figure cell holding its one tag."""
    widths = grid.widths
    assert sum(widths) == TEXT_WIDTH, f"table is {sum(widths)} twips wide, the text block {TEXT_WIDTH}"
    columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    xml_rows = []
    for index, cells in enumerate(grid.rows):
        assert sum(cell.span for cell in cells) == len(widths), f"row {index + 1} does not fill the grid"
        header = "<w:tblHeader/>" if index < grid.header_rows else ""
        column, xml_cells = 0, []
        for cell in cells:
            width = sum(widths[column : column + cell.span])
            column += cell.span
            span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
            merge = None if isinstance(cell, Figure) else cell.merge
            merge_xml = {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>", None: ""}[merge]
            # keepNext on every row but the last keeps a table on one page, with its heading.
            keep = index < len(grid.rows) - 1
            lines = (f"{{{{ {cell.key}|num }}}}",) if isinstance(cell, Figure) else cell.printed_lines
            content = "".join(
                paragraph(*([run(line)] if line else []), style="TableText", keep_next=keep) for line in lines or ("",)
            )
            xml_cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge_xml}<w:vAlign w:val="center"/></w:tcPr>'
                f"{content}</w:tc>"
            )
        xml_rows.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(xml_cells)}</w:tr>")
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/>'
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{CELL_MARGINS}'
        f"</w:tblPr><w:tblGrid>{columns}</w:tblGrid>{''.join(xml_rows)}</w:tbl>"
    )


# --- the document ---------------------------------------------------------------------------------


def heading(number: str, key: str) -> str:
    return paragraph(run(f"{number}、{{{{ headings.{key} }}}}"), style="Heading1")


def document(fmt: Format) -> str:
    table2, table3, table4 = (table(grid) for grid in fmt.grids)
    body = [
        *loop("line", "title_lines", [paragraph(run("{{ line }}"), style="ReportTitle")], style="ReportTitle"),
        # [report] title_date: （2022年2月18日） under the title, 楷体 3号 as the heading-2 font.
        *loop(
            "line",
            "title_date_lines",
            [paragraph(run("{{ line }}", "Heading2Char"), style="TitleDate")],
            style="TitleDate",
        ),
        paragraph(),  # GB/T 9704: one blank line below the title
        *narrative("preamble"),
        heading("一", "overview"),
        *narrative("overview"),
        heading("二", "proactive"),
        table2,
        heading("三", "requests"),
        table3,
        heading("四", "review_litigation"),
        table4,
        heading("五", "problems"),
        *narrative("problems"),
        heading("六", "other"),
        *narrative("other"),
        paragraph(),
        paragraph(run("{{ signature }}"), style="Signature"),
        paragraph(run("{{ signing_date }}"), style="Signature"),
    ]
    return page(body)


def page(body: Sequence[str], namespaces: str = "") -> str:
    """document.xml: the body's paragraphs and tables on the GB/T 9704 page, page numbers in the footers."""
    section = (
        '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
        '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
        f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" '
        f'w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/></w:sectPr>'
    )
    return (
        f'{XML_DECLARATION}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"{namespaces}><w:body>'
        + "".join(body)
        + section
        + "</w:body></w:document>"
    )


# --- the 通报 of the reviewing office (docgen/notice.py fills it) ---------------------------------------

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
EMU_PER_MM = 36_000
CHART_WIDTH_MM, CHART_HEIGHT_MM = 156, 80
# The columns of the notice's table of bodies: (heading, width in twips, the row's field).
NOTICE_COLUMNS = (
    ("序号", 620, "number"),
    ("机关名称", 3024, "name"),
    ("类别", 900, "kind"),
    ("公开情况", 1200, "status"),
    ("发现的问题", 1900, "problems"),
    ("得分", 600, "score"),
    ("排名", 600, "rank"),
)


def picture(name: str, relationship: str, width_mm: float, height_mm: float) -> str:
    """An inline picture the size given, named (and described) `name` so that a renderer can find it."""
    cx, cy = round(width_mm * EMU_PER_MM), round(height_mm * EMU_PER_MM)
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="1" name={quoteattr(name)} descr={quoteattr(name)}/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{PIC_NS}"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="chart.png"/>'
        f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{relationship}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def placeholder_png(width: int = 4, height: int = 2) -> bytes:
    """A small grey PNG the picture shows until the chart is drawn into it (the same bytes every build)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xdd" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def notice_table() -> str:
    """The bodies, one a row under a repeated header row: docxtpl's row loop around the row of tags."""
    widths = [width for _, width, _ in NOTICE_COLUMNS]
    assert sum(widths) == TEXT_WIDTH, f"the notice's table is {sum(widths)} twips wide, the text block {TEXT_WIDTH}"

    def cell(width: int, text: str) -> str:
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f"{paragraph(run(text), style='TableText')}</w:tc>"
        )

    def row(texts: Sequence[str], header: bool = False) -> str:
        props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cell(w, t) for w, t in zip(widths, texts))}</w:tr>"

    def loop_row(tag: str) -> str:  # a row holding only docxtpl's {%tr %} tag: removed when rendered
        return row([tag, *("" for _ in widths[1:])])

    columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    rows = [
        row([heading for heading, _, _ in NOTICE_COLUMNS], header=True),
        loop_row("{%tr for row in notice.rows %}"),
        row([f"{{{{ row.{field} }}}}" for _, _, field in NOTICE_COLUMNS]),
        loop_row("{%tr endfor %}"),
    ]
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/>'
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{CELL_MARGINS}'
        f"</w:tblPr><w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def condition(test: str, body: Sequence[str], style: str | None = None) -> list[str]:
    """docxtpl paragraph condition: the body paragraphs are printed only when `test` holds."""
    return [paragraph(run(f"{{%p if {test} %}}"), style=style), *body, paragraph(run("{%p endif %}"), style=style)]


def notice_document() -> str:
    """The 通报: title, addressee, the counts, the chart, the table of bodies, every finding, the requests,
    signature and date. Fixed wording is the template's own (a user edits it in Word); figures are tags."""
    counts = "notice.counts"
    body = [
        paragraph(run("关于{{ notice.year }}年度政府信息公开工作年度报告审核情况的通报"), style="ReportTitle"),
        paragraph(),
        paragraph(run("各有关单位："), style="Addressee"),
        paragraph(
            run(
                "根据《中华人民共和国政府信息公开条例》第五十条的规定，{{ notice.office }}对各单位公开的"
                "{{ notice.year }}年度政府信息公开工作年度报告进行了审核。现将审核情况通报如下。"
            )
        ),
        paragraph(run("一、总体情况"), style="Heading1"),
        *condition(
            "notice.roster",
            [
                paragraph(
                    run(
                        f"应公开年度报告的单位{{{{ {counts}.bodies }}}}个，已公开{{{{ {counts}.published }}}}个"
                        f"（其中逾期公开{{{{ {counts}.late }}}}个），未公开{{{{ {counts}.missing }}}}个。"
                    )
                ),
                *condition("notice.missing", [paragraph(run("未公开年度报告的单位：{{ notice.missing }}。"))]),
                *condition("notice.late", [paragraph(run("逾期公开的单位：{{ notice.late }}。"))]),
                *condition(
                    "notice.unlisted",
                    [paragraph(run("另收到名单以外单位的报告：{{ notice.unlisted }}，未列入本次审核结果。"))],
                ),
            ],
        ),
        paragraph(
            run(
                f"共审核年度报告{{{{ {counts}.reports }}}}份，发现问题{{{{ {counts}.findings }}}}个；"
                f"有问题的报告{{{{ {counts}.faulty }}}}份，其中有错误的{{{{ {counts}.failed }}}}份；"
                f"未发现问题的报告{{{{ {counts}.clean }}}}份。"
            )
        ),
        *condition(
            f"{counts}.doubts",
            [
                paragraph(
                    run(
                        f"另有{{{{ {counts}.doubts }}}}处因原文表格未能确定读出，列入审核表待人工核对，不作为问题通报。"
                    )
                )
            ],
        ),
        *condition(
            "notice.chart",
            [
                paragraph(picture(notice.CHART_NAME, "rIdChart", CHART_WIDTH_MM, CHART_HEIGHT_MM), style="Figure"),
                paragraph(run("图  发现的问题分布"), style="Caption"),
            ],
        ),
        paragraph(run("二、各单位审核结果"), style="Heading1"),
        notice_table(),
        paragraph(run("三、发现的主要问题"), style="Heading1"),
        *loop(
            "body",
            "notice.findings",
            [
                paragraph(run("{{ body.heading }}", "Heading2Char")),
                *loop(
                    "item",
                    "body.items",
                    [
                        paragraph(
                            run(
                                "{{ item.number }}. {{ item.text }}{% if item.where %}（{{ item.where }}）{% endif %}。"
                            )
                        )
                    ],
                ),
            ],
        ),
        *condition("not notice.findings", [paragraph(run("本次审核未发现问题。"))]),
        paragraph(run("四、工作要求"), style="Heading1"),
        paragraph(
            run(
                "请有问题的单位对照本通报逐项核实，修改后重新公开年度报告；未公开年度报告的单位须尽快公开。"
                "整改情况纳入政务公开工作考核。"
            )
        ),
        paragraph(),
        paragraph(run("{{ notice.office }}"), style="Signature"),
        paragraph(run("{{ notice.date }}"), style="Signature"),
    ]
    return page(body, f' xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:pic="{PIC_NS}"')


def footer(odd: bool) -> str:
    """— 1 — in 4号 宋体: odd pages at the right, even pages at the left, one character in."""
    side = '<w:jc w:val="right"/><w:ind w:right="280"/>' if odd else '<w:jc w:val="left"/><w:ind w:left="280"/>'
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        f'{XML_DECLARATION}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>{side}</w:pPr>'
        f'<w:r><w:t xml:space="preserve">— </w:t></w:r>{field}<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
    )


def styles(notice: bool = False) -> str:
    """The styles of a report's template; with `notice`, also those only the 通报 uses."""

    def paragraph_style(style_id: str, name: str, ppr: str, rpr: str, based_on: str | None = "Normal") -> str:
        base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
        return (
            f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>{base}<w:qFormat/>'
            f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )

    no_indent = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
    # The body snaps to the 22-line grid; tables and footers keep their own, tighter spacing.
    off_grid = '<w:snapToGrid w:val="0"/>'
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'{XML_DECLARATION}<w:styles xmlns:w="{W_NS}">'
        f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts(FONT_BODY)}<w:kern w:val="2"/>'
        f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        # overflowPunct on is Word's own default, written out because LibreOffice reads its absence as
        # "hang punctuation" and then never paints a 、 or ， that hangs at the end of a justified line.
        '<w:pPrDefault><w:pPr><w:overflowPunct w:val="1"/><w:spacing w:before="0" w:after="0"/></w:pPr>'
        "</w:pPrDefault></w:docDefaults>"
        + paragraph_style(
            "Normal",
            "Normal",
            f'<w:jc w:val="both"/><w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/>'
            f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/>',
            fonts(FONT_BODY),
            based_on=None,
        ).replace('<w:style w:type="paragraph"', '<w:style w:type="paragraph" w:default="1"', 1)
        + paragraph_style(
            "ReportTitle",
            "报告标题",
            f'<w:jc w:val="center"/><w:spacing w:line="700" w:lineRule="exact"/>{no_indent}',
            f'{fonts(FONT_TITLE)}<w:sz w:val="{TITLE_SIZE}"/><w:szCs w:val="{TITLE_SIZE}"/>',
        )
        + paragraph_style("TitleDate", "标题日期", f'<w:jc w:val="center"/>{no_indent}', "")
        + paragraph_style("Heading1", "heading 1", '<w:keepNext/><w:outlineLvl w:val="0"/>', fonts(FONT_HEADING1))
        + paragraph_style(
            "TableText",
            "表格文字",
            f'{off_grid}<w:jc w:val="center"/><w:spacing w:line="{TABLE_LINE}" w:lineRule="exact"/>{no_indent}',
            f'<w:sz w:val="{TABLE_SIZE}"/><w:szCs w:val="{TABLE_SIZE}"/>',
        )
        + paragraph_style(
            "Signature", "署名", f'<w:jc w:val="right"/><w:ind w:right="{2 * CHAR}" w:firstLine="0"/>', ""
        )
        + paragraph_style(
            "Footer",
            "footer",
            f'{off_grid}<w:spacing w:line="240" w:lineRule="auto"/>{no_indent}',
            f'{fonts(FONT_PAGE_NUMBER)}<w:sz w:val="{PAGE_NUMBER_SIZE}"/><w:szCs w:val="{PAGE_NUMBER_SIZE}"/>',
        )
        + f'<w:style w:type="character" w:styleId="Heading2Char"><w:name w:val="标题 2 字符"/><w:qFormat/>'
        f"<w:rPr>{fonts(FONT_HEADING2)}</w:rPr></w:style>"
        + '<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="报告表格"/><w:tblPr>'
        f"<w:tblBorders>{borders}</w:tblBorders>{CELL_MARGINS}</w:tblPr></w:style>"
        + (
            paragraph_style("Addressee", "主送机关", f'<w:jc w:val="left"/>{no_indent}', "")
            # a picture on an exact line height would be cut to one line
            + paragraph_style(
                "Figure",
                "图片",
                f'{off_grid}<w:jc w:val="center"/><w:spacing w:line="240" w:lineRule="auto"/>{no_indent}',
                "",
            )
            + paragraph_style(
                "Caption", "图题", f'<w:keepLines/><w:jc w:val="center"/>{no_indent}', fonts(FONT_HEADING2)
            )
            if notice
            else ""
        )
        + "</w:styles>"
    )


def settings() -> str:
    return (
        f'{XML_DECLARATION}<w:settings xmlns:w="{W_NS}"><w:evenAndOddHeaders/>'
        '<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'
    )


def font_table() -> str:
    entries = []
    for name in (FONT_BODY, FONT_TITLE, FONT_HEADING1, FONT_HEADING2, FONT_PAGE_NUMBER):
        alternative = f"<w:altName w:val={quoteattr(FONT_ALTERNATIVES[name])}/>" if name in FONT_ALTERNATIVES else ""
        entries.append(
            f'<w:font w:name="{name}">{alternative}<w:charset w:val="86"/><w:family w:val="modern"/></w:font>'
        )
    return f'{XML_DECLARATION}<w:fonts xmlns:w="{W_NS}">{"".join(entries)}</w:fonts>'


def relationships(targets: dict[str, tuple[str, str]]) -> str:
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, (kind, target) in targets.items()
    )
    return f'{XML_DECLARATION}<Relationships xmlns="{REL_NS}">{rels}</Relationships>'


OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def parts(fmt: Format) -> dict[str, str | bytes]:
    """Every part of a report's template, in the order it is zipped."""
    return package_parts(document(fmt), labels.REPORT_TITLE_SUFFIX.lstrip("年"), styles())


def notice_parts() -> dict[str, str | bytes]:
    """Every part of the 通报's template: a report's page and styles, a picture for the chart."""
    chart = {"rIdChart": (f"{OFFICE_REL}/image", "media/chart.png")}
    parts = package_parts(notice_document(), "政府信息公开工作年度报告审核情况通报", styles(notice=True), chart)
    return {**parts, "word/media/chart.png": placeholder_png()}


def package_parts(
    document_xml: str, title: str, styles_xml: str, relations: dict[str, tuple[str, str]] | None = None
) -> dict[str, str | bytes]:
    """The parts of a template around its document and styles, in the order they are zipped."""
    content_types = (
        f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + ('<Default Extension="png" ContentType="image/png"/>' if relations else "")
        + f'<Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{WML}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{WML}.settings+xml"/>'
        f'<Override PartName="/word/fontTable.xml" ContentType="{WML}.fontTable+xml"/>'
        f'<Override PartName="/word/footer1.xml" ContentType="{WML}.footer+xml"/>'
        f'<Override PartName="/word/footer2.xml" ContentType="{WML}.footer+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )
    core = (
        f"{XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>docgen</dc:creator>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2021-09-26T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2021-09-26T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        f'{XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>docgen</Application></Properties>"
    )
    return {
        "[Content_Types].xml": content_types,
        "_rels/.rels": relationships(
            {
                "rId1": (f"{OFFICE_REL}/officeDocument", "word/document.xml"),
                "rId2": (
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                ),
                "rId3": (f"{OFFICE_REL}/extended-properties", "docProps/app.xml"),
            }
        ),
        "docProps/core.xml": core,
        "docProps/app.xml": app,
        "word/document.xml": document_xml,
        "word/styles.xml": styles_xml,
        "word/settings.xml": settings(),
        "word/fontTable.xml": font_table(),
        "word/footer1.xml": footer(odd=True),
        "word/footer2.xml": footer(odd=False),
        "word/_rels/document.xml.rels": relationships(
            {
                "rIdStyles": (f"{OFFICE_REL}/styles", "styles.xml"),
                "rIdSettings": (f"{OFFICE_REL}/settings", "settings.xml"),
                "rIdFonts": (f"{OFFICE_REL}/fontTable", "fontTable.xml"),
                "rIdFooterOdd": (f"{OFFICE_REL}/footer", "footer1.xml"),
                "rIdFooterEven": (f"{OFFICE_REL}/footer", "footer2.xml"),
                **(relations or {}),
            }
        ),
    }


def build(package: dict[str, str | bytes]) -> bytes:
    """A template as bytes: fixed member order and timestamps, so the same source builds the same file."""
    return docxzip.pack(
        (name, content.encode("utf-8") if isinstance(content, str) else content) for name, content in package.items()
    )


def templates() -> list[tuple[Path, dict[str, str | bytes]]]:
    """Every template docgen ships: one per format, and the 通报's."""
    return [*((fmt.template, parts(fmt)) for fmt in FORMATS.values()), (notice.builtin_template(), notice_parts())]


def main(argv: list[str]) -> int:
    stale = []
    for path, package in templates():
        built = build(package)
        if "--check" in argv:
            # Compare contents, not zip bytes: another zlib may compress the same parts differently.
            if not path.is_file() or docxzip.members(path.read_bytes()) != docxzip.members(built):
                stale.append(path)
            continue
        path.write_bytes(built)
        print(f"wrote {path.relative_to(ROOT)} ({len(built)} bytes)")
    for path in stale:
        print(f"{path} is out of date: run python tools/build_template.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
