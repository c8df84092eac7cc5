"""Precision and recall of the audit's rules on published reports: every example report as .docx, web page
and LibreOffice PDF, as it is (no rule may fire) and with one fault put in at a time — a printed total
changed, a contradicting sentence, fees not explained, a heading misnumbered, the old tables for 2021, a
date in the year, a placeholder left, a part left empty. Each fault names the rule that must find it and the
rules that may follow from it (a changed 总计 breaks 勾稽 too); any other rule that fires is a false alarm.
Run: python benchmarks/rule_corpus.py (needs LibreOffice)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent

import docgen  # noqa: E402
from docgen.messages import message  # noqa: E402
from docgen.publish import html_page  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLES = ["2021-baode.toml", "2021-department.toml", "2021-township.toml"]
OLD_FORMAT = "2020-county-2019-format.toml"

# --- faults put into the data before rendering --------------------------------------------------------

Data = dict[str, Any]


def _received(data: Data) -> int:
    return sum(data["table3"]["new"]) + sum(data["table3"]["carried_over"])


def _contradicting_sentence(data: Data) -> None:
    data["overview"].setdefault("paragraphs", []).append(f"本年度共收到政府信息公开申请{_received(data) + 7}件。")


def _fees(data: Data) -> None:
    data["table2"]["fees"] = 3.5


def _placeholder(data: Data) -> None:
    data["overview"]["paragraphs"] = [message("init-overview"), *data["overview"].get("paragraphs", [])[1:]]


def _problems_empty(data: Data) -> None:
    data["problems"]["paragraphs"] = []


def _old_tables_for_2021(data: Data) -> None:
    data["report"]["year"], data["report"]["date"] = 2021, datetime.date(2022, 3, 1)


# --- faults put into the printed document ------------------------------------------------------------

Row = list[Any]  # a table row's cells (w:tc or td/th elements)


@dataclass(frozen=True)
class Printed:
    """A document's tables and paragraphs as elements, with their text read and written one way."""

    tables: list[list[Row]]
    paragraphs: list[Any]
    text: Callable[[Any], str]
    set_text: Callable[[Any, str], None]


def _docx_printed(root: Any) -> Printed:
    def text(element: Any) -> str:
        return "".join(node.text or "" for node in element.iter(f"{W}t"))

    def set_text(element: Any, value: str) -> None:
        nodes = list(element.iter(f"{W}t"))
        nodes[0].text = value
        for node in nodes[1:]:
            node.text = ""

    tables = [[row.findall(f"{W}tc") for row in table.iter(f"{W}tr")] for table in root.iter(f"{W}tbl")]
    return Printed(tables, list(root.iter(f"{W}p")), text, set_text)


def _html_printed(root: Any) -> Printed:
    def set_text(element: Any, value: str) -> None:
        for child in list(element):
            element.remove(child)
        element.text = value

    tables = [
        [[cell for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")] for table in root.iter("table")
    ]
    paragraphs = [element for element in root.iter("p", "h1", "h2", "h3", "h4", "div") if len(element) == 0]
    return Printed(tables, paragraphs, lambda element: element.text_content(), set_text)


def _row(printed: Printed, label: str) -> Row:
    return next(
        row for table in printed.tables for row in table if any(printed.text(cell).startswith(label) for cell in row)
    )


def _add_one(printed: Printed, cell: Any) -> None:
    printed.set_text(cell, str(int(printed.text(cell)) + 1))


def _results_total(printed: Printed) -> None:
    _add_one(printed, _row(printed, "（七）总计")[-1])


def _new_row_total(printed: Printed) -> None:
    _add_one(printed, _row(printed, "一、本年新收")[-1])


def _carried_forward_unbalanced(printed: Printed) -> None:
    row = _row(printed, "四、结转下年度")  # its 自然人 and 总计 both: the row adds up, the table does not balance
    _add_one(printed, row[-7])
    _add_one(printed, row[-1])


def _review_total(printed: Printed) -> None:
    table = next(table for table in printed.tables if any("行政复议" in printed.text(cell) for cell in table[0]))
    _add_one(printed, table[-1][4])  # 行政复议 总计


def _dated_in_year(printed: Printed) -> None:
    """The signature's date (signed the year after) printed as a day of the report's year."""
    dated = [
        element for element in printed.paragraphs if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", printed.text(element))
    ]
    printed.set_text(dated[-1], f"{int(printed.text(dated[-1])[:4]) - 1}年6月30日")


def _heading_misnumbered(printed: Printed) -> None:
    heading = next(element for element in printed.paragraphs if printed.text(element).startswith("二、主动公开"))
    printed.set_text(heading, "三、" + printed.text(heading)[2:])


@dataclass(frozen=True)
class Fault:
    name: str
    rule: str  # the rule that must find it
    follows: frozenset[str] = frozenset()  # rules that may fire too, as they follow from it
    data: Callable[[Data], None] | None = None
    printed: Callable[[Printed], None] | None = None
    example: str | None = None  # only this example (the old tables)


FAULTS = [
    Fault(
        "（七）总计 printed +1", "t3-results-total", frozenset({"t3-balance", "t3-row-total"}), printed=_results_total
    ),
    Fault("本年新收 总计 printed +1", "t3-row-total", frozenset({"t3-balance", "text-table"}), printed=_new_row_total),
    Fault(
        "结转下年度 自然人 and 总计 +1", "t3-balance", frozenset({"text-table"}), printed=_carried_forward_unbalanced
    ),
    Fault("行政复议 总计 printed +1", "t4-total", frozenset({"text-table"}), printed=_review_total),
    Fault("二、 printed as 三、", "headings", printed=_heading_misnumbered),
    Fault("收到申请 stated 7 more", "text-table", data=_contradicting_sentence),
    Fault("fees charged, 六 silent", "fees-unexplained", data=_fees),
    Fault("成文日期 in the year", "date-in-year", printed=_dated_in_year),
    Fault("placeholder left", "placeholder", data=_placeholder),
    Fault("五 left empty", "section-empty", data=_problems_empty),
    Fault("2019 tables for 2021", "old-format", data=_old_tables_for_2021, example=OLD_FORMAT),
]


# --- documents ----------------------------------------------------------------------------------------


def _docx_edited(docx: bytes, edit: Callable[[Printed], None]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read("word/document.xml"))
    edit(_docx_printed(root))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, body if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


def _html_edited(page: str, edit: Callable[[Printed], None]) -> str:
    root = lxml_html.document_fromstring(page)
    edit(_html_printed(root))
    return "<!DOCTYPE html>\n" + lxml_html.tostring(root, encoding="unicode")


def _pdfs(docxs: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Every .docx exported to PDF by LibreOffice, in one run."""
    for stem, docx in docxs.items():
        (folder / f"{stem}.docx").write_bytes(docx)
    command = ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf"]
    sources = [str(folder / f"{stem}.docx") for stem in docxs]
    subprocess.run([*command, "--outdir", str(folder), *sources], check=True, capture_output=True, timeout=900)
    return {stem: (folder / f"{stem}.pdf").read_bytes() for stem in docxs}


@dataclass
class Case:
    fault: Fault | None  # None: the report as it is
    kind: str
    path: Path


def _cases(folder: Path) -> Iterator[Case]:
    docxs: dict[str, bytes] = {}
    cases: list[tuple[Fault | None, str]] = []
    for number, name in enumerate([*EXAMPLES, OLD_FORMAT]):
        own = name if name == OLD_FORMAT else None  # the old tables take only their own fault
        for fault in [None, *(fault for fault in FAULTS if fault.example == own)]:
            data = tomlkit.parse((ROOT / "examples" / name).read_text(encoding="utf-8"))
            if fault is not None and fault.data is not None:
                fault.data(data)
            report = docgen.loads(tomlkit.dumps(data), name)
            docx, page = docgen.render_bytes(report), html_page(report)
            if fault is not None and fault.printed is not None:
                docx, page = _docx_edited(docx, fault.printed), _html_edited(page, fault.printed)
            stem = f"c{number}-{len(cases)}"
            docxs[stem] = docx
            cases.append((fault, stem))
            (folder / f"{stem}.html").write_text(page, encoding="utf-8")
            (folder / f"{stem}.docx").write_bytes(docx)
    pdf_folder = folder / "pdf"
    pdf_folder.mkdir()
    for stem, pdf in _pdfs(docxs, pdf_folder).items():
        (folder / f"{stem}.pdf").write_bytes(pdf)
    for fault, stem in cases:
        for kind in ("docx", "html", "pdf"):
            yield Case(fault, kind, folder / f"{stem}.{kind}")


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        cases = list(_cases(folder))
        outcomes = docgen.audit([case.path for case in cases], jobs=None)
    rules = sorted({fault.rule for fault in FAULTS})
    found = {rule: [0, 0, 0] for rule in rules}  # true alarms, false alarms, missed
    doubts = 0
    for case, outcome in zip(cases, outcomes):
        fired = {problem.rule for problem in outcome.problems if problem.severity.value != "doubt"}
        doubts += any(problem.severity.value == "doubt" for problem in outcome.problems)
        allowed = {case.fault.rule, *case.fault.follows} if case.fault else set()
        for rule in fired - allowed:
            found.setdefault(rule, [0, 0, 0])[1] += 1
            print(f"false alarm {rule}: {case.kind} {case.fault.name if case.fault else 'as it is'}")
        if case.fault is not None:
            hit = case.fault.rule in fired
            found[case.fault.rule][0 if hit else 2] += 1
            if not hit:
                print(f"missed {case.fault.rule}: {case.kind} {case.path.name}")
    clean = sum(case.fault is None for case in cases)
    print(f"{len(cases)} documents ({clean} as they are), {doubts} with 读取存疑")
    print(f"{'rule':18} precision recall  (true alarms, false alarms, missed)")
    for rule, (true, false, missed) in sorted(found.items()):
        precision = true / (true + false) if true + false else 1.0
        recall = true / (true + missed) if true + missed else 1.0
        print(f"{rule:18} {precision:9.3f} {recall:6.3f}  ({true}, {false}, {missed})")


if __name__ == "__main__":
    main()
