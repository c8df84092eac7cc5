"""Faults: a killed batch leaves only whole documents, the next run clears what it left; --debug shows
tracebacks, nothing else does; any text at all either loads or is refused with a DocgenError."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from conftest import EXAMPLE, GeneratedReport, valid_reports
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import docgen

import docgen as api
from docgen.formatting import num
from docgen.load import loads
from docgen.tomlkeys import KeyLines


def test_sigkill_mid_batch_leaves_whole_documents_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    """A batch finishes its files in groups (write.GroupCommit: the first group closes at 200 files); killed
    after the first group, it has shown those whole and left the rest as hidden temporaries."""
    count = 700
    reports = tmp_path / "reports"
    reports.mkdir()
    for number in range(count):
        (reports / f"r{number:03d}.toml").write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "render", str(reports), "-o", str(out), "--jobs", "2", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob("*.docx")):
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # docgen and its worker processes, mid-batch
    process.wait()
    documents = list(out.glob("*.docx"))
    assert 1 <= len(documents) < count
    for document in documents:  # every visible document is complete
        assert zipfile.ZipFile(document).testzip() is None
    left = [path for path in out.iterdir() if not path.name.endswith(".docx")]
    assert left, "killed mid-batch, rendered files not yet put in place remain as temporaries"
    assert all(path.name.startswith(".") and path.name.endswith(".tmp") for path in left)
    assert docgen("render", reports, "-o", out, "--quiet").returncode == 0
    assert sorted(path.name for path in out.iterdir()) == sorted(f"r{n:03d}.docx" for n in range(count))


def test_debug_shows_the_traceback_of_an_internal_error(tmp_path: Path, monkeypatch) -> None:
    # An internal error, made by a sitecustomize that breaks docgen's derive step in the child process.
    (tmp_path / "sitecustomize.py").write_text(
        "import docgen.derive\ndef broken(report):\n    raise RuntimeError('boom')\ndocgen.derive.derive = broken\n"
        "import docgen.check\ndocgen.check.derive.derive = broken\nimport docgen.api\ndocgen.api.derive = broken\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("DOCGEN_DEBUG", None)
    run = [sys.executable, "-m", "docgen"]
    plain = subprocess.run(
        [*run, "render", EXAMPLE, "-o", tmp_path / "x.docx"], capture_output=True, text=True, env=env
    )
    assert plain.returncode == 3 and "内部错误" in plain.stderr and "--debug" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = subprocess.run(
        [*run, "--debug", "render", EXAMPLE, "-o", tmp_path / "x.docx"], capture_output=True, text=True, env=env
    )
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "boom" in debug.stderr


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_key_scanner_ends_on_any_text(text: str) -> None:
    keys = KeyLines(text)  # must return (it once looped forever on "[0, 0}, 0]")
    assert keys.line_of(("a",)) is None or keys.line_of(("a",)) >= 1


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_data_loads_or_is_refused(data: st.DataObject) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    position = data.draw(st.integers(0, len(text)))
    pieces = st.sampled_from([*"[]{}=\"'#,.-\n0123456789x一", "\x00", "{{", "}}"])
    inserted = "".join(data.draw(st.lists(pieces, max_size=4)))
    deleted = data.draw(st.integers(0, 8))
    mutant = text[:position] + inserted + text[position + deleted :]
    with contextlib.suppress(api.DocgenError):  # refused is fine; any other exception fails the test
        api.check(loads(mutant))


@settings(max_examples=25, deadline=None)
@given(generated=valid_reports())
def test_any_valid_report_renders_with_exactly_its_figures(generated: GeneratedReport, tmp_path_factory) -> None:
    import docx

    rows, totals, licensing, text = generated.rows, generated.totals, generated.licensing, generated.text
    source = generated.source
    report = loads(source)
    assert api.check(report) == []
    path = tmp_path_factory.mktemp("render") / "out.docx"
    path.write_bytes(api.render_bytes(report))
    document = docx.Document(str(path))
    table3 = document.tables[1]
    printed_new = [cell.text for cell in table3.rows[3].cells[-7:]]
    assert printed_new == [num(value) for value in (*rows["new"], sum(rows["new"]))]
    printed_total = [cell.text for cell in table3.rows[26].cells[-7:]]
    assert printed_total == [num(value) for value in (*totals, sum(totals))]
    assert document.tables[0].rows[6].cells[-1].text == num(licensing)
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    expected = [line.strip() for line in text.splitlines() if line.strip()]
    index = paragraphs.index("六、其他需要报告的事项")
    assert paragraphs[index + 1 : index + 1 + len(expected)] == expected
