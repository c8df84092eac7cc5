"""TOML parsers measured against tomllib (issue 19): parse time of each report of a varied batch, and whether
each parser gives tomllib's result on every data file of the repository and on the edge cases where TOML
parsers part ways (TOML 1.1 syntax tomllib refuses, out-of-range floats, big integers, time zones).

    python benchmarks/toml_parsers.py            # whichever of rtoml, pytomlpp, tomli are installed

docgen keeps tomllib (tomli < 2.4 before Python 3.11): a faster parser is adopted only if it gives identical
results everywhere and has compiled wheels for every platform of the offline kit.
"""

from __future__ import annotations

import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from reports import varied_reports  # noqa: E402

EDGE_CASES = [
    "a = {b=1,\n c=2}",  # TOML 1.1: newline in an inline table
    'a = "\\e"',  # TOML 1.1: escape
    "a = 07:32",  # TOML 1.1: time without seconds
    'a = "\\x41"',  # TOML 1.1: \\x escape
    "a = {b=1,}",  # TOML 1.1: trailing comma
    "a = 1e400",  # a float beyond double range: tomllib gives inf
    "a = 99999999999999999999",  # beyond 64 bits: tomllib gives the integer
    "a = 1979-05-27 07:32:00Z",  # time zone object
    "a=1\na=2",
    'a = "\x01"',
]


def _outcome(parse: Callable[[str], object], text: str) -> object:
    try:
        result = parse(text)
    except Exception:  # each parser has its own error type
        return "error"
    return repr(result)


def main() -> int:
    import tempfile

    candidates: dict[str, Callable[[str], object]] = {"tomllib": tomllib.loads}
    for name in ("rtoml", "pytomlpp", "tomli"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        compiled = not str(getattr(module, "__file__", "")).endswith(".py")
        label = f"{name} {getattr(module, '__version__', '')}{' (compiled)' if compiled else ''}".strip()
        candidates[label] = module.loads
    with tempfile.TemporaryDirectory() as temporary:
        texts = [path.read_text(encoding="utf-8") for path in varied_reports(Path(temporary), 200)]
    files = sorted({*ROOT.glob("examples/*.toml"), *ROOT.glob("tests/**/*.toml")})
    samples = [path.read_text(encoding="utf-8") for path in files] + texts + EDGE_CASES
    expected = [_outcome(tomllib.loads, text) for text in samples]
    print(f"{'parser':32} {'ms/report':>10} {'× tomllib':>10} {'differs on':>11}")
    base = 0.0
    for label, parse in candidates.items():
        rounds = [statistics.median(_time(parse, text) for text in texts) for _ in range(5)]
        seconds = statistics.median(rounds)
        base = base or seconds
        differs = sum(_outcome(parse, text) != want for text, want in zip(samples, expected))
        print(f"{label:32} {1000 * seconds:10.3f} {seconds / base:9.2f}× {differs:>5} of {len(samples)}")
    return 0


def _time(parse: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    parse(text)
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
