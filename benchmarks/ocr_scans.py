"""Scans read back by OCR (issue 28): the project's own reports — the four examples (2019 and 2021 formats) and
varied generated ones — rendered, exported to PDF by LibreOffice, rasterised as a scanner would (grey paper,
specks, soft print) at 300 and 150 dpi, plus one scan turned 0.8° and one with a grey seal over the
signature, saved as image-only PDFs and read by `docgen extract` on one core (`taskset -c 0`, a fresh process
per document, so its start-up and the OCR models' loading are counted).

Reported per variant: table cells read right / all cells (a cell counts as right only when its value is the
report's and its row was found), issuer, year and date right, seconds per page, peak memory — each beside the
same document's text-layer PDF read the same way in the same run (the baseline: what the reader costs without
OCR).

    .venv/bin/python benchmarks/ocr_scans.py [--varied 2]

Targets: every cell right at 300 dpi, at least 99.5 % at 150 dpi.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import scans  # noqa: E402
from reports import varied_reports  # noqa: E402

import docgen  # noqa: E402
from docgen.pdf import Conversion, convert  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
# Reads one document in a fresh process and prints what was read, the time it took and its peak memory.
# The peak is the process's own high-water mark (VmHWM): ru_maxrss carries over from the parent across exec.
_CHILD = """
import json, re, sys, time
started = time.perf_counter()
import docgen
result = docgen.extract(sys.argv[1])
elapsed = time.perf_counter() - started
with open("/proc/self/status") as status:
    peak = int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1)) / 1024
missing = [problem.key for problem in result.warnings if problem.rule == "extract-missing"]
print(json.dumps({"data": result.data, "missing": missing, "seconds": elapsed, "peak_mb": peak}, default=str))
"""


def _read(path: Path) -> dict[str, Any]:
    command = ["taskset", "-c", "0", sys.executable, "-c", _CHILD, str(path)]
    if shutil.which("taskset") is None:
        command = command[3:]
    found = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(found.stdout)


def _cells(data: Any, path: str = "") -> dict[str, Any]:
    """Every figure of tables 2–4, by its key path."""
    if isinstance(data, dict):
        return {key: value for name, child in data.items() for key, value in _cells(child, f"{path}.{name}").items()}
    if isinstance(data, list):
        return {f"{path}[{index}]": value for index, value in enumerate(data)}
    return {path: data}


def _score(read: dict[str, Any], truth: dict[str, Any]) -> tuple[int, int, bool]:
    """Cells right and cells in all, and whether issuer, year and date are right. Values compare as text: the
    child hands them over as JSON (a date, or an amount in 万元, as its text)."""
    truth = json.loads(json.dumps(truth, default=str))
    expected = {
        key: value for table in ("table2", "table3", "table4") for key, value in _cells(truth[table], table).items()
    }
    got = {
        key: value
        for table in ("table2", "table3", "table4")
        for key, value in _cells(read["data"].get(table, {}), table).items()
    }
    missing = tuple(f"{key}" for key in read["missing"])
    right = sum(1 for key, value in expected.items() if got.get(key) == value and not key.startswith(missing))
    identity = all(read["data"]["report"].get(key) == truth["report"].get(key) for key in ("issuer", "year", "date"))
    return right, len(expected), identity


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--varied", type=int, default=2, help="generated reports besides the four examples")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-ocr-bench-") as scratch:
        work = Path(scratch)
        sources = [*EXAMPLES, *varied_reports(work / "varied", arguments.varied)]
        documents = []
        for number, source in enumerate(sources):
            docx = work / f"r{number}.docx"
            docx.write_bytes(docgen.render_bytes(source))
            documents.append((source, docx, work / f"r{number}.pdf"))
        problems = convert([Conversion(docx, pdf) for _, docx, pdf in documents])
        assert not any(problems), problems
        variants: dict[str, list[tuple[Path, Path, int]]] = {
            "text": [],
            "300": [],
            "150": [],
            "150-rotated": [],
            "150-seal": [],
        }
        for number, (_source, docx, pdf) in enumerate(documents):
            variants["text"].append((pdf, docx, 0))
            for dpi in (300, 150):
                pages = [
                    scans.as_scanned(page, seed=index) for index, page in enumerate(scans.pages(pdf.read_bytes(), dpi))
                ]
                scanned = work / f"r{number}-{dpi}.pdf"
                scanned.write_bytes(scans.image_pdf(pages, dpi))
                variants[str(dpi)].append((scanned, docx, len(pages)))
            if number == 0:
                pages = [
                    scans.as_scanned(page, angle=0.8, seed=index)
                    for index, page in enumerate(scans.pages(pdf.read_bytes(), 150))
                ]
                rotated = work / "rotated.pdf"
                rotated.write_bytes(scans.image_pdf(pages, 150))
                variants["150-rotated"].append((rotated, docx, len(pages)))
                pages = [
                    scans.as_scanned(page, seed=index) for index, page in enumerate(scans.pages(pdf.read_bytes(), 150))
                ]
                page, point = _signature(pdf.read_bytes(), 150)
                pages[page] = scans.stamped(pages[page], 120, point)
                sealed = work / "sealed.pdf"
                sealed.write_bytes(scans.image_pdf(pages, 150))
                variants["150-seal"].append((sealed, docx, len(pages)))
        print(
            f"{len(documents)} 份报告（{len(EXAMPLES)} 份示例、{arguments.varied} 份生成），每份 OCR 在一个核上、新进程中读取"
        )
        print(f"{'':12} {'单元格正确':>14} {'机关/年度/日期':>12} {'秒/页':>8} {'倍数':>6} {'内存峰值':>9}")
        baseline_per_page = None
        for name, entries in variants.items():
            right = total = identities = pages_total = 0
            seconds = peak = 0.0
            for document, docx, pages in entries:
                truth = docgen.extract(docx.read_bytes(), docx.name).data
                started = time.perf_counter()
                read = _read(document)
                seconds += time.perf_counter() - started
                peak = max(peak, read["peak_mb"])
                got, cells, identity = _score(read, truth)
                right, total, identities = right + got, total + cells, identities + identity
                pages_total += pages or _page_count(document)
            per_page = seconds / max(pages_total, 1)
            baseline_per_page = baseline_per_page or per_page
            label = {
                "text": "文字层 PDF",
                "300": "300 dpi",
                "150": "150 dpi",
                "150-rotated": "150 dpi 转0.8°",
                "150-seal": "150 dpi 盖章",
            }[name]
            print(
                f"{label:12} {right:>6}/{total:<6} {100 * right / max(total, 1):6.2f}% {identities}/{len(entries):>3}"
                f" {per_page:8.2f} {per_page / baseline_per_page:6.1f}× {peak:7.0f} MB"
            )
    return 0


def _page_count(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf.read_bytes())
    try:
        return len(document)
    finally:
        document.close()


def _signature(pdf: bytes, dpi: int) -> tuple[int, tuple[int, int]]:
    """The page the signature (the last line before the date) stands on, and where, in pixels at `dpi`."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number in reversed(range(len(document.pages))):
            lines = [
                line
                for line in document.pages[number].extract_text_lines()
                if "年" in line["text"] and "日" in line["text"]
            ]
            if lines:
                date = lines[-1]
                return number, (int(date["x1"] * dpi / 72), int((date["top"] - 20) * dpi / 72))
    return len(document.pages) - 1, (0, 0)


if __name__ == "__main__":
    raise SystemExit(main())
