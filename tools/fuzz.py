"""Fuzz docgen with mutated real inputs. Anything but a DocgenError (or success) is a finding, and so is a
case slower than --slow seconds or one that runs out of the --memory-mb address space.

    .venv/bin/python tools/fuzz.py --minutes 10 [--seed N] [--render-every 20]     # data files
    .venv/bin/python tools/fuzz.py --docx --minutes 10 [--seed N]                  # .docx: extract and lint

Data files: mutate the examples and feed them through load → check → render. Documents: mutate a rendered
report and the official templates — their XML (tags, spans, entities, numbers) or their zip (bytes flipped,
cut short) — and feed each to `extract` and `template lint`. Prints the number of executions, outcomes and
findings (each with its seed, so it replays exactly).
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
import traceback
import zipfile
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


# What a hostile or broken document may hold, as text spliced into its XML.
XML_PIECES = [
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "</w:tr>",
    "<w:tc>",
    "</w:tc>",
    "<w:p>",
    "</w:p>",
    '<w:gridSpan w:val="100000000"/>',
    '<w:gridSpan w:val="abc"/>',
    '<w:gridSpan w:val="-3"/>',
    '<w:trPr><w:gridBefore w:val="99999999"/></w:trPr>',
    '<w:vMerge w:val="continue"/>',
    '<w:vMerge w:val="restart"/>',
    "<!DOCTYPE d [<!ENTITY x 'y'>]>",
    "&x;",
    "&#0;",
    "&amp;",
    "{{",
    "}}",
    "{%",
    "%}",
    "{{ 9**999999 }}",
    "{% for i in range(99999) %}",
    "<w:t>1,234</w:t>",
    "<w:t>２２（其中修订16件）</w:t>",
    "<w:t>一、总体情况</w:t>",
    "<w:t>申请人情况</w:t>",
    "\x00",
    "\udcff",
]


def mutate_xml(xml: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 5)):
        position = rng.randrange(len(xml) + 1)
        action = rng.random()
        if action < 0.4:
            xml = xml[:position] + rng.choice(XML_PIECES) + xml[position:]
        elif action < 0.6:
            xml = xml[:position] + xml[position + rng.randint(1, 200) :]
        elif action < 0.8:  # copy a stretch elsewhere: rows, cells, paragraphs many times over
            start = rng.randrange(len(xml) + 1)
            piece = xml[start : start + rng.randint(10, 2000)]
            xml = xml[:position] + piece * rng.randint(1, 50) + xml[position:]
        else:  # change a number
            digits = [i for i in range(len(xml)) if xml[i].isdigit()] if len(xml) < 400_000 else []
            if digits:
                i = rng.choice(digits)
                xml = xml[:i] + str(rng.choice([0, 9, 99999, 10**9, -1])) + xml[i + 1 :]
    return xml


def mutate_docx(docx: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.75:  # the XML of one part
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        xml_parts = [name for name in parts if name.endswith(".xml")]
        name = "word/document.xml" if rng.random() < 0.7 else rng.choice(xml_parts)
        parts[name] = mutate_xml(parts[name].decode("utf-8", "replace"), rng).encode("utf-8", "surrogatepass")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, content in parts.items():
                archive.writestr(member, content)
        return buffer.getvalue()
    data = bytearray(docx)  # the zip itself
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        if rng.random() < 0.2:
            del data[rng.randrange(len(data)) :]
        else:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def run_docx(docx: bytes, folder: Path) -> str:
    """extract and lint on one document; their outcomes as one word."""
    from docgen.extract import extract
    from docgen.lint import lint

    outcome = []
    try:
        extract(docx, "fuzz.docx")
        outcome.append("read")
    except docgen.DocgenError:
        outcome.append("refused")
    path = folder / "fuzz.docx"
    path.write_bytes(docx)
    outcome.append("clean" if not lint(path) else "linted")
    return "+".join(outcome)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--render-every", type=int, default=20, help="render one mutant in N (rendering is slow)")
    parser.add_argument("--docx", action="store_true", help="fuzz extract and template lint with .docx files")
    parser.add_argument("--memory-mb", type=int, default=1536, help="address space of this process")
    parser.add_argument("--slow", type=float, default=10.0, help="seconds after which a case is a finding")
    arguments = parser.parse_args()
    limit = arguments.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    seeds = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").glob("*.toml"))]
    documents = [docgen.render_bytes(path) for path in sorted((ROOT / "examples").glob("*.toml"))]
    documents += [path.read_bytes() for path in sorted((ROOT / "templates").glob("*.docx"))]
    deadline = time.monotonic() + arguments.minutes * 60
    outcomes: Counter[str] = Counter()
    findings: list[tuple[int, str]] = []
    executions = 0
    slowest = 0.0
    with tempfile.TemporaryDirectory(prefix="docgen-fuzz-") as folder:
        while time.monotonic() < deadline:
            case_seed = arguments.seed * 1_000_003 + executions
            rng = random.Random(case_seed)
            started = time.monotonic()
            try:
                if arguments.docx:
                    outcome = run_docx(mutate_docx(rng.choice(documents), rng), Path(folder))
                else:
                    outcome = run_one(mutate(rng.choice(seeds), rng), render=executions % arguments.render_every == 0)
                outcomes[outcome] += 1
            except Exception:
                outcomes["finding"] += 1
                findings.append((case_seed, traceback.format_exc(limit=3)))
            elapsed = time.monotonic() - started
            slowest = max(slowest, elapsed)
            if elapsed > arguments.slow:
                outcomes["finding"] += 1
                findings.append((case_seed, f"took {elapsed:.1f} s"))
            executions += 1
    print(f"executions: {executions} in {arguments.minutes:g} min (seed {arguments.seed}); slowest {slowest:.2f} s")
    print("outcomes:", dict(outcomes))
    for case_seed, trace in findings[:10]:
        print(f"--- finding, case seed {case_seed}\n{trace}")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
