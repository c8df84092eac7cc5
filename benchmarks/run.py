"""docgen's performance in one run: rendering against the obvious docxtpl script and against the least work
any renderer must do, batch throughput, start-up, and memory. Medians over repeated rounds; every figure is
compared with a baseline measured in the same run (machines are noisy), never with a fixed number.

    .venv/bin/python benchmarks/run.py [--reports 200] [--rounds 3]

Cases (issue 8):
  baseline   the obvious docxtpl script: for each report DocxTemplate(path), render(context), save(), on the
             same template and the same context docgen builds (context made beforehand, not timed)
  floor      the least work a renderer must do: the template's zip written again with word/document.xml
             replaced by XML rendered beforehand
  template   docgen's render step from the same ready context (compiled template → .docx bytes → file)
  api        docgen.render(path) per report: read TOML, check, derive, render, write
  batch      docgen's batch of all reports (render_many) at --jobs 1 and --jobs 2
  processes  `docgen --help` and `docgen render example` as whole processes, against `python -c pass`
  memory     peak RSS of one process rendering 50, 200 and 800 reports in a batch (--jobs 1)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.api import render as api_render  # noqa: E402
from docgen.batch import render_many  # noqa: E402
from docgen.derive import derive  # noqa: E402
from docgen.load import load  # noqa: E402
from docgen.render import BUILTIN_TEMPLATE  # noqa: E402
from docgen.render import render as render_document  # noqa: E402
from docgen.sandbox import environment  # noqa: E402
from docgen.variables import context  # noqa: E402

EXAMPLE = ROOT / "examples" / "2021-baode.toml"
PYTHON = sys.executable
MEMORY_SIZES = (50, 200, 800)


def make_reports(folder: Path, count: int) -> list[Path]:
    """`count` different, valid reports: the example with another issuer and other figures."""
    example = EXAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        text = example.replace("保德县", f"第{number + 1}县").replace("licensing = 0", f"licensing = {number}")
        path = folder / f"county-{number:04d}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_of(rounds: int, action: Callable[[], object]) -> float:
    return statistics.median(timed(action) for _ in range(rounds))


def baseline(contexts: list[dict[str, object]], out: Path) -> None:
    from docxtpl import DocxTemplate

    for index, variables in enumerate(contexts):
        document = DocxTemplate(BUILTIN_TEMPLATE)
        document.render(variables, environment(), autoescape=True)
        document.save(out / f"baseline-{index}.docx")


def floor(members: dict[str, bytes], documents: list[bytes], out: Path) -> None:
    for index, document_xml in enumerate(documents):
        with zipfile.ZipFile(out / f"floor-{index}.docx", "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                archive.writestr(name, document_xml if name == "word/document.xml" else content)


def template_step(reports: list[tuple[object, object]], contexts: list[dict[str, object]], out: Path) -> None:
    """docgen's render step given the same ready context as the baseline: compiled template → file."""
    for index, ((report, derived), variables) in enumerate(zip(reports, contexts)):
        document = render_document(report, derived, BUILTIN_TEMPLATE, variables)  # type: ignore[arg-type]
        (out / f"template-{index}.docx").write_bytes(document)


def api_step(sources: list[Path], out: Path) -> None:
    for source in sources:
        api_render(source, out / f"api-{source.stem}.docx")


def process_seconds(rounds: int, *command: str) -> float:
    return median_of(rounds, lambda: subprocess.run(command, check=True, capture_output=True))


def peak_memory(folder: Path, count: int) -> int:
    """Peak RSS (KiB) of a fresh process that renders `count` reports in one batch."""
    sources = make_reports(folder / f"memory-{count}", count)
    script = (
        "import resource, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
        "from docgen.batch import render_many; from docgen.files import data_files\n"
        "outcomes = render_many(data_files([Path(sys.argv[2])]), Path(sys.argv[3]), jobs=1)\n"
        "assert all(outcome.ok for outcome in outcomes)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = folder / f"memory-out-{count}"
    out.mkdir()
    result = subprocess.run(
        [PYTHON, "-c", script, str(ROOT), str(sources[0].parent), str(out)], check=True, capture_output=True, text=True
    )
    return int(result.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    count, rounds = arguments.reports, arguments.rounds
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        sources = make_reports(work / "reports", count)
        reports = [(report, derive(report)) for report in map(load, sources)]
        contexts = [context(report, derived) for report, derived in reports]
        with zipfile.ZipFile(BUILTIN_TEMPLATE) as archive:
            template_members = {name: archive.read(name) for name in archive.namelist()}
        rendered_xml = []
        for report, derived in reports:
            with zipfile.ZipFile(io.BytesIO(render_document(report, derived, BUILTIN_TEMPLATE))) as archive:
                rendered_xml.append(archive.read("word/document.xml"))
        out = work / "out"
        out.mkdir()
        template_step(reports[:1], contexts[:1], out)  # compile outside the timing, as a long batch has
        cases: dict[str, Callable[[], object]] = {
            "baseline (docxtpl per report)": lambda: baseline(contexts, out),
            "floor (zip with rendered XML)": lambda: floor(template_members, rendered_xml, out),
            "docgen template step": lambda: template_step(reports, contexts, out),
            "docgen API render (TOML → .docx)": lambda: api_step(sources, out),
        }
        for jobs in (1, 2):
            batch_out = work / f"batch-{jobs}"
            batch_out.mkdir()
            cases[f"docgen batch --jobs {jobs}"] = lambda jobs=jobs, batch_out=batch_out: render_many(
                sources, batch_out, jobs=jobs
            )
        for name, action in cases.items():
            results[name] = median_of(rounds, action)
            print(f"  measured {name}", file=sys.stderr)

        process_rounds = max(5, rounds * 3)
        python_pass = process_seconds(process_rounds, PYTHON, "-c", "pass")
        docgen_help = process_seconds(process_rounds, PYTHON, "-m", "docgen", "--help")
        single = work / "single.toml"
        single.write_bytes(EXAMPLE.read_bytes())
        docgen_render = process_seconds(process_rounds, PYTHON, "-m", "docgen", "render", str(single))
        memory = {size: peak_memory(work, size) for size in MEMORY_SIZES}

    base, least = results["baseline (docxtpl per report)"], results["floor (zip with rendered XML)"]
    print(f"\n{count} reports, median of {rounds} rounds (process timings: median of {process_rounds} runs)\n")
    print(f"{'case':36} {'total s':>9} {'ms/report':>10} {'reports/s':>10} {'× baseline':>11} {'× floor':>8}")
    for name, seconds in results.items():
        speed = base / seconds
        print(
            f"{name:36} {seconds:9.3f} {1000 * seconds / count:10.2f} {count / seconds:10.0f} "
            f"{speed:10.1f}× {seconds / least:7.2f}×"
        )
    print(f"\n{'process':36} {'median s':>9} {'over python -c pass':>20}")
    for name, seconds in (
        ("python -c pass", python_pass),
        ("docgen --help", docgen_help),
        ("docgen render", docgen_render),
    ):
        print(f"{name:36} {seconds:9.3f} {seconds - python_pass:19.3f}s")
    print(f"\n{'peak memory, batch --jobs 1':36} {'MiB':>9} {'× 50 reports':>13}")
    for size, kib in memory.items():
        print(f"{f'{size} reports':36} {kib / 1024:9.1f} {kib / memory[MEMORY_SIZES[0]]:12.2f}×")

    jobs1 = results["docgen batch --jobs 1"]
    targets = {
        "batch --jobs 1 ≥ 3× baseline throughput": base / jobs1 >= 3,
        "batch --jobs 1 within 2× of the floor": jobs1 / least <= 2,
        "template step within 2× of the floor": results["docgen template step"] / least <= 2,
        "800 reports use ≤ 1.2× the memory of 50": memory[800] / memory[50] <= 1.2,
        "docgen --help ≤ 0.25 s over python -c pass": docgen_help - python_pass <= 0.25,
    }
    print()
    for target, met in targets.items():
        print(f"  {'met   ' if met else 'MISSED'} {target}")
    per_core = count / jobs1
    print(
        f"\nScale: {per_core:.0f} reports/s on one core (batch --jobs 1, TOML → .docx on disk); "
        f"2,800 county governments × ~41 reports ≈ 114,800 reports ≈ {114_800 / per_core / 60:.1f} min on one core."
    )
    if arguments.json:
        figures = {**results, "python -c pass": python_pass, "docgen --help": docgen_help}
        figures |= {"docgen render process": docgen_render, **{f"peak KiB {n}": kib for n, kib in memory.items()}}
        arguments.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    os.environ.pop("DOCGEN_DEBUG", None)
    raise SystemExit(main())
