"""PDF for a batch: docgen's one LibreOffice run for all documents against the obvious way, one
`soffice --convert-to pdf` per document. Both convert the same 50 rendered reports with the same fonts;
the separate runs even share one warm profile (the kindest baseline), while docgen starts from a fresh
throw-away profile each time, as it does for users.

    .venv/bin/python benchmarks/pdf_batch.py [--reports 50] [--rounds 3]

Target (issue 7): docgen's batch at least 5× faster than the separate runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.api import render as render_report  # noqa: E402
from docgen.pdf import Conversion, convert, fontconfig_file, soffice  # noqa: E402


def separate_runs(program: str, documents: list[Path], work: Path) -> float:
    """One LibreOffice start per document, as a shell loop over `soffice --convert-to pdf` does."""
    environment = {"FONTCONFIG_FILE": str(fontconfig_file(work)), "PATH": "/usr/bin:/bin"}
    profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"
    started = time.perf_counter()
    for document in documents:
        subprocess.run(
            [program, profile, "--headless", "--convert-to", "pdf", "--outdir", str(work / "separate"), str(document)],
            check=True,
            capture_output=True,
            env=environment,
        )
    return time.perf_counter() - started


def one_run(documents: list[Path], work: Path) -> float:
    started = time.perf_counter()
    problems = convert([Conversion(document, work / "batch" / f"{document.stem}.pdf") for document in documents])
    elapsed = time.perf_counter() - started
    assert problems == [None] * len(documents), problems
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    program = soffice()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        for folder in ("docx", "separate", "batch"):
            (work / folder).mkdir()
        example = (ROOT / "examples" / "2021-baode.toml").read_text(encoding="utf-8")
        documents = []
        for number in range(arguments.reports):
            data = work / "docx" / f"county-{number:03d}.toml"
            data.write_text(example.replace("保德县", f"第{number + 1}县"), encoding="utf-8")
            documents.append(render_report(data))
        separate_runs(program, documents[:1], work)  # create the shared profile outside the timing
        separate: list[float] = []
        batch: list[float] = []
        for _ in range(arguments.rounds):  # alternating, so both see the same machine
            separate.append(separate_runs(program, documents, work))
            batch.append(one_run(documents, work))
    separate_median, batch_median = statistics.median(separate), statistics.median(batch)
    print(f"{arguments.reports} reports → PDF, median of {arguments.rounds} rounds")
    print(f"  separate soffice runs : {separate_median:7.2f} s  ({separate_median / arguments.reports:.2f} s/report)")
    print(f"  docgen, one run       : {batch_median:7.2f} s  ({batch_median / arguments.reports:.2f} s/report)")
    ratio = separate_median / batch_median
    print(f"  speed-up              : {ratio:7.1f}×  (target ≥ 5×: {'met' if ratio >= 5 else 'MISSED'})")
    return 0 if ratio >= 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
