"""What narrative expressions cost: render the example as is, and the same example with every {{ … }}
replaced by a plain number (the render slice's work), alternating, in one run; report medians and the ratio.

    .venv/bin/python benchmarks/narrative_overhead.py [--rounds 40]

Target (issue 3): the example with expressions renders < 10% slower than without.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.api import render_bytes as render_report  # noqa: E402
from docgen.load import loads  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    rounds = parser.parse_args().rounds
    with_expressions = (ROOT / "examples" / "2021-baode.toml").read_text(encoding="utf-8")
    # Only the narrative strings hold {{ … }} outside comments; comments may too, harmlessly.
    plain = re.sub(r"\{\{.*?\}\}", "0", with_expressions)
    assert "{{" in with_expressions and "{{" not in plain
    variants = {"plain text (baseline)": plain, "with expressions": with_expressions}
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for text in variants.values():  # warm caches: imports, babel data
        render_report(loads(text))
    for _ in range(rounds):
        for name, text in variants.items():
            start = time.perf_counter()
            render_report(loads(text))
            timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"{name:24} median {value * 1000:7.2f} ms over {rounds} renders")
    ratio = medians["with expressions"] / medians["plain text (baseline)"]
    print(f"ratio with/without expressions: {ratio:.3f} (target < 1.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
