"""Precision and recall of the audit's rules on published reports. Every example report is read as .docx,
web page, LibreOffice PDF (ruled, and with its rulings taken off) and the page printed by Chromium; the
tests' report typed in Word by hand as .docx and PDF. Each is read as it is (no rule may fire but what the
report truly gets wrong) and with one fault put in at a time: a printed total changed, a contradicting
sentence, fees not explained, a heading misnumbered, the old tables for 2021, a date in the year, a
placeholder left, a part left empty. Each fault names the rule that must find it and the rules that may
follow from it (a changed 总计 breaks 勾稽 too); any other rule that fires is a false alarm. Notes on the
reading (a cell read as 2 from "2（其中修订1件）") are counted apart. Run: python benchmarks/rule_corpus.py
(needs LibreOffice and Chromium)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
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
sys.path.insert(0, str(ROOT / "tests"))

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


def _said_of_applications(data: Data, sentence: str) -> None:
    """The sentence added where a report speaks of its applications: at the end of 一（二）依申请公开's first
    paragraph, or of the first paragraph of 一 that names 申请, or as a paragraph of 一 of its own."""
    overview = data["overview"]
    for section in overview.get("sections", []):
        if "申请" in section["title"] and section["paragraphs"] and isinstance(section["paragraphs"][0], str):
            section["paragraphs"][0] += sentence
            return
    paragraphs = overview.setdefault("paragraphs", [])
    for index, paragraph in enumerate(paragraphs):
        if isinstance(paragraph, str) and "申请" in paragraph:
            paragraphs[index] = paragraph + sentence
            return
    paragraphs.append(sentence)


def _contradicting_sentence(data: Data) -> None:
    _said_of_applications(data, f"本年度共收到政府信息公开申请{_received(data) + 7}件。")


def _granted_overstated(data: Data) -> None:
    granted = sum(data["table3"]["results"]["granted"])
    _said_of_applications(data, f"对收到的申请，其中予以公开{granted + 2}件，均在法定期限内答复。")


def _carried_forward_overstated(data: Data) -> None:
    carried = sum(data["table3"]["carried_forward"])
    _said_of_applications(data, f"因办理期限未届满，有{carried + 1}件申请结转至下年度继续办理。")


def _fees(data: Data) -> None:
    data["table2"]["fees"] = 3.5
    data["other"] = {"paragraphs": ["无其他需报告的事项。"]}


def _fees_and_no_information_fee(data: Data) -> None:
    """Sound: 表二's fees are the body's of every kind; 六 says no 信息处理费 was charged."""
    data["table2"]["fees"] = 50
    data["other"] = {"paragraphs": ["本年度未收取信息处理费。"]}


def _handled(data: Data) -> int:
    def rows(mapping: Any) -> Iterator[list[int]]:
        for value in mapping.values():
            yield from rows(value) if isinstance(value, dict) else [value]

    return sum(sum(row) for row in rows(data["table3"]["results"]))


def _true_sentences(data: Data) -> None:
    """Sound: what real reports say of their tables, in their words, all true."""
    new, received, done = sum(data["table3"]["new"]), _received(data), _handled(data)
    rate = f"{100 * done / received:.1f}%" if received else "100%"
    data["overview"].setdefault("paragraphs", []).extend(  # paragraphs of their own, as 一's lead paragraphs
        [
            f"全年共受理政府信息公开申请{received}件，其中本年新收{new}件；已办结{done}件。",
            f"依申请公开办结率{rate}，未发生因政府信息公开被纠错的情况。" if received else "依法依规做好申请答复。",
            "对申请公开的信息，凡属于公开范围的，均予以公开。",
        ]
    )


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
    rule: str | None  # the rule that must find it (None: a change that leaves the report sound)
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
    Fault("予以公开 stated 2 more", "text-table", data=_granted_overstated),
    Fault("结转下年度 stated 1 more, number first", "text-table", data=_carried_forward_overstated),
    Fault("fees charged, 六 silent", "fees-unexplained", data=_fees),
    Fault("fees charged, no 信息处理费 (sound)", None, data=_fees_and_no_information_fee),
    Fault("true statements of the tables (sound)", None, data=_true_sentences),
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
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
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
    known: frozenset[str] = frozenset()  # what the report gets wrong as it is


# The hand-typed report charges 12.50 万元 of fees and says nothing of them in 六: a true finding
TYPED_FAULTS = frozenset({"fees-unexplained"})


def _reading_note(rule: str) -> bool:
    """A note on the reading (a cell read as 2 from "2（其中修订1件）", a table of no official kind kept
    aside), not a finding on the report."""
    return rule.startswith("extract") or rule == "unplaced"


def _cases(folder: Path) -> Iterator[Case]:
    # the tables' rulings taken off (as some WPS exports print), and the web page printed by a browser
    from test_pdf_tables import _print_with_chromium, _without_rulings

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
            docxs[f"{stem}-plain"] = _without_rulings(docx)
            cases.append((fault, stem))
            (folder / f"{stem}.html").write_text(page, encoding="utf-8")
            (folder / f"{stem}.web.html").write_text(page, encoding="utf-8")  # printed by Chromium
            (folder / f"{stem}.docx").write_bytes(docx)
    # The report typed in Word by hand (tests/test_extract.py), with the faults a printed copy can carry
    from test_extract import hand_made
    from test_published import _ruled

    typed = _ruled(hand_made())
    for fault in [None, *(fault for fault in FAULTS if fault.printed is not None)]:
        stem = f"typed-{len(cases)}"
        docxs[stem] = typed if fault is None or fault.printed is None else _docx_edited(typed, fault.printed)
        (folder / f"{stem}.docx").write_bytes(docxs[stem])
        cases.append((fault, stem))
    pdf_folder = folder / "pdf"
    pdf_folder.mkdir()
    _print_with_chromium(sorted(folder.glob("*.web.html")))
    for stem, pdf in _pdfs(docxs, pdf_folder).items():
        (folder / f"{stem.replace('-plain', '')}.{'plain.pdf' if stem.endswith('-plain') else 'pdf'}").write_bytes(pdf)
    for fault, stem in cases:
        typed = stem.startswith("typed")
        for kind in ("docx", "pdf") if typed else ("docx", "html", "pdf", "plain.pdf", "web.pdf"):
            yield Case(fault, kind, folder / f"{stem}.{kind}", TYPED_FAULTS if typed else frozenset())


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        cases = list(_cases(folder))
        outcomes = docgen.audit([case.path for case in cases], jobs=None)
    rules = sorted({fault.rule for fault in FAULTS if fault.rule is not None})
    found = {rule: [0, 0, 0] for rule in rules}  # true alarms, false alarms, missed
    doubts = notes = 0
    for case, outcome in zip(cases, outcomes):
        fired = {problem.rule for problem in outcome.problems if problem.severity.value != "doubt"}
        doubts += any(problem.severity.value == "doubt" for problem in outcome.problems)
        notes += any(_reading_note(rule) for rule in fired)
        fired = {rule for rule in fired if not _reading_note(rule)}
        allowed = {case.fault.rule, *case.fault.follows} - {None} if case.fault else set()
        for rule in case.known:  # found as it should be, or missed
            found.setdefault(rule, [0, 0, 0])[0 if rule in fired else 2] += 1
        for rule in fired - allowed - case.known:
            found.setdefault(rule, [0, 0, 0])[1] += 1
            print(f"false alarm {rule}: {case.kind} {case.fault.name if case.fault else 'as it is'}")
        if case.fault is not None and case.fault.rule is not None:
            hit = case.fault.rule in fired
            found[case.fault.rule][0 if hit else 2] += 1
            if not hit:
                print(f"missed {case.fault.rule}: {case.kind} {case.path.name}")
    clean = sum(case.fault is None or case.fault.rule is None for case in cases)
    print(f"{len(cases)} documents ({clean} sound), {doubts} with 读取存疑, {notes} with reading notes")
    print(f"{'rule':18} precision recall  (true alarms, false alarms, missed)")
    for rule, (true, false, missed) in sorted(found.items()):
        precision = true / (true + false) if true + false else 1.0
        recall = true / (true + missed) if true + missed else 1.0
        print(f"{rule:18} {precision:9.3f} {recall:6.3f}  ({true}, {false}, {missed})")


if __name__ == "__main__":
    main()
