"""Fuzz the data loader and renderer: mutate real data files at random and feed them through
load → check → render. Anything but a DocgenError (or success) is a finding.

    .venv/bin/python tools/fuzz.py --minutes 10 [--seed N] [--render-every 20]

Prints the number of executions, outcomes and findings (each with its seed, so it replays exactly).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docgen  # noqa: E402
from docgen.load import loads  # noqa: E402

# Characters that matter to TOML, XML, Jinja and Word, and a few that are merely unusual.
ALPHABET = [
    *"[]{}=\"'#,.-+_:\n\t\\ 0123456789eEinfa",
    "{{",
    "}}",
    "{%",
    "%}",
    "\x00",
    "\x07",
    "\ufffe",
    "\ud800",
    "&",
    "<",
    ">",
    "“",
    "”",
    "〇",
    "一",
    "1e999",
    "-0",
    "nan",
    "inf",
    "true",
    "2022-02-30",
    "99999999999999999999",
    "__class__",
]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(text) + 1)
        action = rng.random()
        if action < 0.45:
            text = text[:position] + rng.choice(ALPHABET) + text[position:]
        elif action < 0.75:
            text = text[:position] + text[position + rng.randint(1, 12) :]
        elif action < 0.9:  # copy a line elsewhere (duplicate keys, tables)
            lines = text.splitlines(keepends=True)
            if lines:
                lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
                text = "".join(lines)
        else:  # replace a number
            digits = [i for i, char in enumerate(text) if char.isdigit()]
            if digits:
                i = rng.choice(digits)
                text = text[:i] + str(rng.choice([0, 1, -1, 10**15, 10**16, 7])) + text[i + 1 :]
    return text


def run_one(text: str, render: bool) -> str:
    try:
        report = loads(text)
        problems = docgen.check(report)
        if render and not any(p.severity is docgen.Severity.ERROR for p in problems):
            docgen.render_bytes(report)
            return "rendered"
        return "checked"
    except docgen.DocgenError:
        return "refused"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--render-every", type=int, default=20, help="render one mutant in N (rendering is slow)")
    arguments = parser.parse_args()
    seeds = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").glob("*.toml"))]
    deadline = time.monotonic() + arguments.minutes * 60
    outcomes: Counter[str] = Counter()
    findings: list[tuple[int, str]] = []
    executions = 0
    while time.monotonic() < deadline:
        case_seed = arguments.seed * 1_000_003 + executions
        rng = random.Random(case_seed)
        text = mutate(rng.choice(seeds), rng)
        try:
            outcomes[run_one(text, render=executions % arguments.render_every == 0)] += 1
        except Exception:
            outcomes["finding"] += 1
            findings.append((case_seed, traceback.format_exc(limit=3)))
        executions += 1
    print(f"executions: {executions} in {arguments.minutes:g} min (seed {arguments.seed})")
    print("outcomes:", dict(outcomes))
    for case_seed, trace in findings[:10]:
        print(f"--- finding, case seed {case_seed}\n{trace}")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
