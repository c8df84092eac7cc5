"""Shared test helpers: the example, a reader that opens rendered .docx files again, and data variants."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree

from docgen.formats import LATEST
from docgen.formats.layout import result_keys

# No time limit per example: the first example of a test pays for lazy imports, and a busy two-core machine
# made that a flaky failure (timings belong in benchmarks/, never in the suite).
settings.register_profile("docgen", deadline=None)
settings.load_profile("docgen")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2021-baode.toml"
RESULT_ROW_KEYS = result_keys(LATEST.table3_rows)  # the rows of 三、本年度办理结果 in the newest format
# The real 保德县 2021 report as extracted from its .docx (shared/seeds/000_191449d737980eaf.txt), kept here
# so the comparison runs from a bare clone.
SAMPLE = ROOT / "tests" / "fixtures" / "baode-2021-sample.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates go to a folder of this run's own (every process the tests start inherits it), not
    to the user's cache."""
    if "DOCGEN_CACHE_DIR" not in os.environ:
        os.environ["DOCGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="docgen-test-cache-")
        config.stash[_OWN_CACHE] = os.environ["DOCGEN_CACHE_DIR"]


def pytest_unconfigure(config: pytest.Config) -> None:
    if (folder := config.stash.get(_OWN_CACHE, None)) is not None:
        shutil.rmtree(folder, ignore_errors=True)


_OWN_CACHE = pytest.StashKey[str]()


def _text(element: etree._Element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t"))


def _squeeze(text: str) -> str:
    return "".join(text.split())


def docx_units(docx: bytes, cells: bool = True) -> list[str]:
    """The document's text in reading order: one unit per body paragraph and per table cell (a cell's
    paragraphs joined; left out with cells=False), whitespace removed, empty units dropped."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    units: list[str] = []
    for child in body:
        if child.tag == f"{W}p":
            units.append(_squeeze(_text(child)))
        elif child.tag == f"{W}tbl" and cells:
            units += [_squeeze(_text(cell)) for cell in child.iter(f"{W}tc")]
    return [unit for unit in units if unit]


def docx_tables(docx: bytes) -> list[list[list[str]]]:
    """Every table as rows of cell texts (one entry per <w:tc>, merged continuations included as '')."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    return [
        [[_squeeze(_text(cell)) for cell in row.iter(f"{W}tc")] for row in table.iter(f"{W}tr")]
        for table in body.iter(f"{W}tbl")
    ]


def sample_units() -> list[str]:
    """The sample report's text in the same units: a line starting with a tab opens a table cell, and the
    lines right after it (no blank line between) continue that cell."""
    units: list[str] = []
    in_cell = False
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            units.append(line)
            in_cell = True
        elif not line.strip():
            in_cell = False
        elif in_cell:
            units[-1] += line
        else:
            units.append(line)
    return [unit for unit in (_squeeze(u) for u in units) if unit]


def required_program(name: str, why: str) -> str:
    """A program the tests use: in CI its absence fails the run (.ci/run installs it), elsewhere it skips."""
    import os
    import shutil

    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {name}: {why}")
        pytest.skip(f"{name} is not installed here; scripts/test.sh installs it")
    return found


def server_ports() -> Iterator[int]:
    """Ports for a server a test starts in another process (which must be told its port): below the range
    the kernel hands out for port 0, and a range of their own for each pytest-xdist worker, so tests side by
    side never pick one port. A port something else holds is for the caller to pass over."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    first = 20_000 + 500 * (int(worker[2:]) % 20 if worker[2:].isdigit() else 0)
    yield from range(first, first + 500)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, the real consumer of every rendered document."""
    return required_program("soffice", ".ci/run installs libreoffice-writer-nogui")


def libreoffice_convert(soffice: str, source: Path, to: str, outdir: Path, profile: Path) -> Path:
    """`source` converted by LibreOffice headless (its own profile under `profile`); the file it wrote."""
    command = [soffice, "--headless", f"-env:UserInstallation=file://{profile}/profile", "--convert-to", to]
    subprocess.run([*command, "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=180)
    return outdir / f"{source.stem}.{to}"


@pytest.fixture
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def make_data(tmp_path: Path, example_text: str) -> Callable[..., Path]:
    """Write a variant of the example: each (pattern, replacement) pair is a regex substitution that must match."""

    def make(*edits: tuple[str, str], name: str = "2021.toml") -> Path:
        text = example_text
        for pattern, replacement in edits:
            text, count = re.subn(pattern, lambda _, new=replacement: new, text, count=1, flags=re.MULTILINE)
            assert count == 1, f"edit {pattern!r} did not apply"
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


# --- valid reports of every shape, for property tests ------------------------------------------------------

_XML_UNSAFE = {*map(chr, range(0x20)), "\ufffe", "\uffff", "{", "\r"} - {"\t", "\n"}
NARRATIVE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(_XML_UNSAFE)),
    min_size=1,
    max_size=60,
).filter(str.strip)


@dataclass(frozen=True)
class GeneratedReport:
    """A valid report made from the example: its TOML and the figures put into it."""

    source: str
    rows: dict[str, list[int]]
    totals: list[int]
    licensing: int
    text: str


@st.composite
def valid_reports(draw: st.DrawFn) -> GeneratedReport:
    """The example with random figures (table 3 balanced by construction), a random 行政许可 count and a
    random paragraph of any Unicode a Word document can hold."""
    results = draw(
        st.lists(
            st.lists(st.integers(0, 99_999), min_size=6, max_size=6),
            min_size=len(RESULT_ROW_KEYS),
            max_size=len(RESULT_ROW_KEYS),
        )
    )
    forward = draw(st.lists(st.integers(0, 999), min_size=6, max_size=6))
    licensing = draw(st.integers(0, 10**12))
    text = draw(NARRATIVE)
    source = EXAMPLE.read_text(encoding="utf-8")
    rows = dict(zip(RESULT_ROW_KEYS, results))
    totals = [sum(column) for column in zip(*results)]
    rows["new"] = [t + f for t, f in zip(totals, forward)]
    rows["carried_forward"] = forward
    for key, values in rows.items():
        name = key.rsplit(".", 1)[-1]
        source = re.sub(rf"^{name} = .*$", f"{name} = {values}", source, count=1, flags=re.MULTILINE)
    source = re.sub(r"^licensing = 0", f"licensing = {licensing}", source, count=1, flags=re.MULTILINE)
    # A TOML basic string: JSON's escapes, plus DEL, which TOML (unlike JSON) does not allow raw.
    quoted = json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")
    source = source.replace('"无其他需报告的事项。"', quoted)
    return GeneratedReport(source, rows, totals, licensing, text)
