"""How many table cells docgen reads right from each kind of published document: every example report
rendered as .docx, published as a web page, exported to PDF by LibreOffice (ruled, and with the tables'
rulings taken off, that also as an OFD), and the hand-typed report of the tests as .docx and PDF; each
reading compared cell by cell with what the data file holds. Run: python benchmarks/reading_corpus.py (needs LibreOffice)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.errors import KeyPath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import docgen  # noqa: E402
from docgen.extract import extract  # noqa: E402
from docgen.publish import html_page  # noqa: E402
from docgen.workbook import figure_paths  # noqa: E402


def cells(data: dict[str, Any]) -> Iterator[tuple[KeyPath, Any]]:
    """Every figure of tables 2–4, by key path."""
    for table in ("table2", "table3", "table4"):
        yield from figure_paths(data.get(table, {}), (table,))


def score(expected: dict[str, Any], document: bytes, name: str) -> tuple[int, int]:
    read = dict(cells(extract(document, name).data))
    truth = list(cells(expected))
    return sum(read.get(path) == value for path, value in truth), len(truth)


def pdf_of(docx: bytes, folder: Path, stem: str) -> bytes:
    source = folder / f"{stem}.docx"
    source.write_bytes(docx)
    command = ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=300)
    return (folder / f"{stem}.pdf").read_bytes()


def main() -> None:
    import ofds
    from test_extract import hand_made
    from test_pdf_tables import _without_rulings
    from test_published import _ruled

    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        documents: list[tuple[str, dict[str, Any], bytes, str]] = []
        for number, example in enumerate(sorted((ROOT / "examples").glob("*.toml"))):
            docx = docgen.render_bytes(example)
            truth = extract(docx, "truth.docx").data
            plain = pdf_of(_without_rulings(docx), folder, f"p{number}")
            documents += [
                ("docx", truth, docx, "r.docx"),
                ("html", truth, html_page(docgen.load(example)).encode("utf-8"), "r.html"),
                ("pdf (LibreOffice, ruled)", truth, pdf_of(docx, folder, f"e{number}"), "r.pdf"),
                ("pdf (no rulings)", truth, plain, "r.pdf"),
                ("ofd (no rulings, a character at a time)", truth, ofds.from_pdf(plain, "characters"), "r.ofd"),
            ]
        typed = _ruled(hand_made())
        truth = extract(typed, "typed.docx").data
        documents += [
            ("docx (hand-typed)", truth, typed, "t.docx"),
            ("pdf (hand-typed, LibreOffice)", truth, pdf_of(typed, folder, "typed"), "t.pdf"),
        ]
        for kind, truth, document, name in documents:
            right, total = score(truth, document, name)
            found = totals.setdefault(kind, [0, 0, 0])
            found[0], found[1], found[2] = found[0] + right, found[1] + total, found[2] + 1
    for kind, (right, total, count) in totals.items():
        print(f"{kind}: {right}/{total} cells right ({100 * right / total:.1f}%) in {count} documents")


if __name__ == "__main__":
    main()
