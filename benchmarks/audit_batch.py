"""`docgen audit` over many published reports (issue 30): a third Word documents, a third web pages (GBK, in a
site's chrome), a third PDFs exported by LibreOffice, every report different (benchmarks/reports.py). Each
case is a whole `docgen audit FOLDER -q` process at --jobs 1 and --jobs 2, timed; its peak memory is the
largest process of its tree (the audit or one of its workers), read by a wrapper process of its own.

    .venv/bin/python benchmarks/audit_batch.py [--documents 1000] [--small 100]

Targets: --jobs 2 at least 1.7× faster than --jobs 1 on two cores; peak memory about the same at --small and
--documents (flat in the number of reports).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import pages  # noqa: E402
from reports import varied_reports  # noqa: E402

import docgen  # noqa: E402
from docgen.pdf import Conversion, convert  # noqa: E402

# Runs the audit and prints the peak memory (MB) of the largest process it waited for: the audit itself or
# one of its workers (ru_maxrss of RUSAGE_CHILDREN).
_WRAPPER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def documents(folder: Path, count: int, work: Path) -> None:
    """`count` published reports in `folder`: .docx, .html and .pdf in turn."""
    folder.mkdir(parents=True)
    conversions = []
    for number, source in enumerate(varied_reports(work / f"data-{count}", count)):
        report = docgen.load(source)
        rendered = docgen.render_bytes(report)
        kind = number % 3
        if kind == 0:
            (folder / f"{number:04d}.docx").write_bytes(rendered)
        elif kind == 1:
            (folder / f"{number:04d}.html").write_bytes(pages.report_page(report, rendered))
        else:
            staged = work / f"staged-{count}-{number:04d}.docx"
            staged.write_bytes(rendered)
            conversions.append(Conversion(staged, folder / f"{number:04d}.pdf"))
    problems = convert(conversions, instances=2)
    assert not any(problems), problems


def run(folder: Path, jobs: int) -> tuple[float, float]:
    command = [sys.executable, "-m", "docgen", "audit", str(folder), "-q", "-j", str(jobs)]
    started = time.perf_counter()
    found = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if found.returncode != 0:
        raise SystemExit(found.stderr[-2000:])
    return elapsed, float(found.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-audit-bench-") as scratch:
        work = Path(scratch)
        sizes = (arguments.small, arguments.documents)
        for size in sizes:
            documents(work / f"reports-{size}", size, work)
        print(f"{'':10} {'--jobs 1 秒/份':>14} {'--jobs 2 秒/份':>14} {'加速':>6} {'内存峰值 j1/j2':>16}")
        for size in sizes:
            one, memory_one = run(work / f"reports-{size}", 1)
            two, memory_two = run(work / f"reports-{size}", 2)
            print(
                f"{size:>5} 份    {one / size:14.3f} {two / size:14.3f} {one / two:5.2f}× {memory_one:7.0f} / {memory_two:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
