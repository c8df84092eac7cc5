"""PDF for a batch, three ways on the same 50 different reports with the same fonts:

  separate   the obvious way, one `soffice --convert-to pdf` per document (sharing one warm profile, the
             kindest baseline)
  --jobs 1   `docgen render FOLDER --pdf-only -j 1`, whole process: one LibreOffice run for the batch
  --jobs 2   the same with -j 2: two LibreOffice runs side by side, each with its own profile and half the
             documents

    .venv/bin/python benchmarks/pdf_batch.py [--reports 50] [--rounds 3]

Targets: docgen --jobs 1 at least 5× faster than separate runs (issue 7); --jobs 2 at least 1.6× faster
than --jobs 1 on this 2-core machine (issue 19). Medians of rounds that alternate the cases.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

from reports import varied_reports  # noqa: E402

from docgen.api import render as render_report  # noqa: E402
from docgen.pdf import fontconfig_file, soffice  # noqa: E402


def separate_runs(program: str, documents: list[Path], work: Path, out: Path) -> float:
    """One LibreOffice start per document, as a shell loop over `soffice --convert-to pdf` does."""
    environment = {"FONTCONFIG_FILE": str(fontconfig_file(work)), "PATH": "/usr/bin:/bin"}
    profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"
    started = time.perf_counter()
    for document in documents:
        subprocess.run(
            [program, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(document)],
            check=True,
            capture_output=True,
            env=environment,
        )
    return time.perf_counter() - started


def docgen_run(sources: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "docgen", "render", str(sources), "-o", str(out), "--pdf-only", "-j", str(jobs)]
    subprocess.run(command, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    assert len(list(out.glob("*.pdf"))) == len(list(sources.glob("*.toml")))
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    program = soffice()
    count = arguments.reports
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        sources = varied_reports(work / "reports", count)
        (work / "docx").mkdir()
        documents = [render_report(source, work / "docx" / f"{source.stem}.docx") for source in sources]
        separate_runs(program, documents[:1], work, work / "warm")  # create the shared profile outside the timing
        times: dict[str, list[float]] = {"separate": [], "--jobs 1": [], "--jobs 2": []}
        for number in range(arguments.rounds):  # alternating, so all see the same machine; fresh folders
            times["separate"].append(separate_runs(program, documents, work, work / f"separate-{number}"))
            times["--jobs 1"].append(docgen_run(work / "reports", work / f"jobs1-{number}", 1))
            times["--jobs 2"].append(docgen_run(work / "reports", work / f"jobs2-{number}", 2))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{count} reports → PDF, median of {arguments.rounds} rounds")
    for name, seconds in medians.items():
        print(f"  {name:10} {seconds:7.2f} s  ({seconds / count:.3f} s/report)")
    one_run = medians["separate"] / medians["--jobs 1"]
    side_by_side = medians["--jobs 1"] / medians["--jobs 2"]
    targets = {
        f"--jobs 1 ≥ 5× faster than separate runs ({one_run:.1f}×)": one_run >= 5,
        f"--jobs 2 ≥ 1.6× faster than --jobs 1 ({side_by_side:.2f}×)": side_by_side >= 1.6,
    }
    for target, met in targets.items():
        print(f"  {'met   ' if met else 'MISSED'} {target}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
