"""Summing thousands of reports: seconds and peak memory of `docgen sum` against loading the same files
alone, and peak memory for 500 against 5,000 files (it must not grow with the number of inputs beyond the
per-body summary). Each case runs in a fresh process whose peak resident memory is its own VmHWM (which,
unlike ru_maxrss, does not carry the parent's over).

    .venv/bin/python benchmarks/sum_scale.py [--files 5000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2021-baode.toml"

CHILD = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import docgen
from docgen.files import data_files
files = data_files([Path(sys.argv[3])])
started = time.perf_counter()
if sys.argv[2] == "load":
    for path in files:
        docgen.load(path)
else:
    docgen.sum_reports(files, "某县人民政府")
elapsed = time.perf_counter() - started
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]
print(elapsed, int(peak))
"""


def make_reports(folder: Path, count: int) -> None:
    """`count` different valid reports: the example with its own issuer and figures."""
    example = EXAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = example.replace("保德县人民政府", f"第{number + 1}单位")
        text = re.sub(r"^licensing = 0", f"licensing = {number}", text, flags=re.M)
        (folder / f"r{number:05d}.toml").write_text(text, encoding="utf-8")


def run(kind: str, folder: Path) -> tuple[float, int]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), kind, str(folder)], check=True, capture_output=True, text=True
    )
    seconds, kib = result.stdout.split()
    return float(seconds), int(kib)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-sum-") as work:
        big, small = Path(work) / "big", Path(work) / "small"
        make_reports(big, arguments.files)
        make_reports(small, arguments.files // 10)
        results: dict[str, list[tuple[float, int]]] = {}
        for _ in range(arguments.rounds):
            for name, kind, folder in (("load alone", "load", big), ("sum", "sum", big), ("sum (1/10)", "sum", small)):
                results.setdefault(name, []).append(run(kind, folder))
    print(f"{arguments.files} data files, median of {arguments.rounds} rounds, each in a fresh process\n")
    print(f"{'case':<14}{'seconds':>10}{'ms/file':>10}{'peak MiB':>10}")
    medians = {}
    for name, runs in results.items():
        seconds = statistics.median(run[0] for run in runs)
        peak = statistics.median(run[1] for run in runs) / 1024
        files = arguments.files // 10 if "1/10" in name else arguments.files
        medians[name] = (seconds, peak)
        print(f"{name:<14}{seconds:>10.2f}{seconds * 1000 / files:>10.2f}{peak:>10.1f}")
    load_seconds, load_peak = medians["load alone"]
    sum_seconds, sum_peak = medians["sum"]
    print(f"\nsum / load alone: {sum_seconds / load_seconds:.2f}× the time, {sum_peak / load_peak:.2f}× the memory")
    print(f"peak memory, {arguments.files} files / {arguments.files // 10}: {sum_peak / medians['sum (1/10)'][1]:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
