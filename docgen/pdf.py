"""Convert: rendered .docx files → PDF (and PDF → page images), through LibreOffice headless, the engine
that lays the document out as it will be printed on a machine without Word.

One LibreOffice run converts a whole batch (or, with several instances, one share of it each): starting it
costs about a second, a document a tenth of that, and one run uses one core. Each run gets a throw-away
profile, so parallel docgen processes never share (and lock) one, and its own fontconfig file, which maps the
official font names to free look-alikes (fonts/docgen-fonts.conf).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from html import escape
from pathlib import Path
from typing import IO

try:
    import resource
except ImportError:  # Windows: LibreOffice runs without these limits, the timeout still holds
    resource = None  # type: ignore[assignment]

from docgen.errors import ConvertError, DocgenError, Problem
from docgen.limits import PDF_TIMEOUT
from docgen.messages import message
from docgen.write import write_atomic

FONTS_CONF = Path(__file__).with_name("fonts") / "docgen-fonts.conf"
PDF_FILTER = "pdf:writer_pdf_Export"
# LibreOffice 7.4 and later take export options as JSON after the filter name; version 2 is PDF/A-2b.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
PDFA_MARK = b"<pdfaid:part>2</pdfaid:part>"
_INSTALL_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_HEADLESS = ("--headless", "--invisible", "--nodefault", "--nolockcheck", "--nologo", "--norestore")
# LibreOffice announces each document as it starts on it: "convert …/000003.docx -> …/000003.pdf using …".
_ANNOUNCEMENT = re.compile(r"(\d{6})\.docx\s+->")


@dataclass(frozen=True)
class PdfOptions:
    """What `--pdf`, `--pdf-only`, `--pdfa` and `--pdf-timeout` ask for."""

    keep_docx: bool = True
    pdfa: bool = False
    timeout: float = PDF_TIMEOUT  # seconds LibreOffice may spend on one document (or on starting)


@dataclass(frozen=True)
class Conversion:
    """One document to convert: the .docx to read, and the PDF to write (atomically)."""

    docx: Path
    pdf: Path
    inputs: dict[str, Path] = field(default_factory=dict)  # files the PDF must never replace


def soffice(missing: str = "pdf-no-soffice") -> str:
    """The LibreOffice program: $DOCGEN_SOFFICE, else soffice or libreoffice on PATH, else where the
    Windows and macOS installers put it. Raises ConvertError with install instructions (message `missing`)."""
    configured = os.environ.get("DOCGEN_SOFFICE")
    found = [configured] if configured else [shutil.which("soffice"), shutil.which("libreoffice"), *_INSTALL_PLACES]
    for candidate in found:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ConvertError([Problem("pdf", message(missing), file="soffice")])


def fontconfig_file(directory: Path) -> Path:
    """A fontconfig file: the machine's own configuration, then docgen's font substitutions."""
    system = os.environ.get("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(system, quote=False)}</include>\n'
        f"  <include>{escape(str(FONTS_CONF), quote=False)}</include>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def _stage(source: Path, staged: Path) -> None:
    try:
        os.link(source, staged)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, staged)


def _stop(process: subprocess.Popen[str]) -> None:
    """Kill LibreOffice and the processes it started (it runs in its own process group)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()


def _announcements(process: subprocess.Popen[str]) -> queue.Queue[int | None]:
    """The positions of the documents LibreOffice starts on, as it prints them; None when it has ended."""
    announced: queue.Queue[int | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout or ():
            if match := _ANNOUNCEMENT.search(line):
                announced.put(int(match.group(1)))
        announced.put(None)

    threading.Thread(target=read, daemon=True).start()
    return announced


def _last_line(stream: IO[str]) -> str:
    stream.seek(0)
    lines = [line.strip() for line in stream if line.strip() and "javaldx" not in line]
    return f"：{lines[-1]}" if lines else ""


# The throw-away profile's settings: documents from outside may carry macros, and none may run (level 3
# trusts no one; DisableMacrosExecution turns the engine off), nor may links be fetched to update a document.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def _profile(work: Path) -> str:
    """A new profile under `work` that runs no macros, as LibreOffice's -env:UserInstallation argument."""
    user = work / "profile" / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
    return f"-env:UserInstallation={(work / 'profile').as_uri()}"


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """A temporary folder, removed afterwards as far as it can be: a LibreOffice that was killed may still
    hold a file in it, and that must not turn a finished batch into an error."""
    folder = Path(tempfile.mkdtemp(prefix="docgen-pdf-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# The official font names docgen-fonts.conf gives a look-alike for: aliases, and the title's <match> rules.
_OFFICIAL_FONT = re.compile(
    r"<alias[^>]*>\s*<family>([^<]+)</family>|<test name=\"family\"[^>]*>\s*<string>([^<]+)</string>"
)
_STYLE_FONT = re.compile(rb'w:eastAsia="([^"]+)"')


@cache
def official_fonts() -> frozenset[str]:
    text = FONTS_CONF.read_text(encoding="utf-8")
    return frozenset(alias or test for alias, test in _OFFICIAL_FONT.findall(text))


def substituted_fonts(documents: Sequence[Path], fonts_conf: Path) -> dict[str, str]:
    """The official fonts the documents' styles name that this machine lacks, each with the look-alike
    fontconfig gives LibreOffice under docgen's substitutions (`fonts_conf`): {"仿宋_GB2312": "Noto Serif CJK
    SC", …}. Empty when fontconfig's fc-match is not there to ask."""
    program = shutil.which("fc-match")
    if program is None:
        return {}
    named: set[str] = set()
    for document in documents:
        with contextlib.suppress(OSError, KeyError, zipfile.BadZipFile), zipfile.ZipFile(document) as archive:
            named |= {name.decode("utf-8", "replace") for name in _STYLE_FONT.findall(archive.read("word/styles.xml"))}
    replaced = {}
    for name in sorted(named & official_fonts()):
        found = subprocess.run(
            [program, "-f", "%{family[0]}", name],
            capture_output=True,
            text=True,
            errors="replace",
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
            check=False,
        ).stdout.strip()
        if found and found != name:
            replaced[name] = found
    return replaced


def convert(
    conversions: Sequence[Conversion],
    options: PdfOptions | None = None,
    on_done: Callable[[int, Problem | None], None] = lambda index, problem: None,
    on_fonts: Callable[[dict[str, str]], None] | None = None,
    instances: int = 1,
) -> list[Problem | None]:
    """Convert every document, in `instances` LibreOffice runs side by side (each with its own profile and a
    share of the documents; one run when 1). Returns each document's problem (None when its PDF was
    written), in order; `on_done(index, problem)` is told of each as it ends (one call at a time), and
    `on_fonts` once, before, of the official fonts the PDFs will show in look-alikes (`substituted_fonts`),
    when there are any. Raises ConvertError when LibreOffice is missing or cannot start."""
    options = options or PdfOptions()
    program = soffice()
    count = max(1, min(instances, len(conversions)))
    # Every count-th document to each run: the documents of a batch are alike, so the shares take alike long.
    shares = [range(first, len(conversions), count) for first in range(count)]
    results: dict[int, Problem | None] = {}
    lock = threading.Lock()

    def done(index: int, problem: Problem | None) -> None:
        with lock:
            results[index] = problem
            on_done(index, problem)

    if on_fonts is not None:
        with _scratch() as work:
            if replaced := substituted_fonts([conversion.docx for conversion in conversions], fontconfig_file(work)):
                on_fonts(replaced)
    if count == 1:
        _convert_share(program, conversions, shares[0], options, done, [])
    else:
        _convert_shares(program, conversions, shares, options, done)
    return [results[index] for index in range(len(conversions))]


def _convert_shares(
    program: str,
    conversions: Sequence[Conversion],
    shares: list[range],
    options: PdfOptions,
    done: Callable[[int, Problem | None], None],
) -> None:
    """One LibreOffice run per share, each in a thread of its own; all of them stopped if this is interrupted."""
    running: list[subprocess.Popen[str]] = []
    failures: list[BaseException] = []

    def run(share: range) -> None:
        try:
            _convert_share(program, conversions, share, options, done, running)
        except BaseException as error:  # re-raised below, in the caller's thread
            failures.append(error)

    # Each thread in a copy of this context: the caller's write settings (write.captured) hold there too.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(run, share), name="docgen-soffice")
        for share in shares
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for process in list(running):  # only after an interruption is any still running
            _stop(process)
        for thread in threads:
            if thread.is_alive():
                thread.join()
    if failures:
        raise failures[0]


def _convert_share(
    program: str,
    conversions: Sequence[Conversion],
    share: range,
    options: PdfOptions,
    done: Callable[[int, Problem | None], None],
    running: list[subprocess.Popen[str]],
) -> None:
    """Convert the documents at the positions in `share` in one LibreOffice run with a throw-away profile."""
    finished: set[int] = set()
    with _scratch() as work, open(work / "stderr.txt", "w+", encoding="utf-8", errors="replace") as errors:
        (work / "in").mkdir()
        # Staged under their position: two reports both called 2021.docx must not meet in the output folder.
        staged = [work / "in" / f"{index:06d}.docx" for index in share]
        for index, path in zip(share, staged):
            _stage(conversions[index].docx, path)
        fonts_conf = fontconfig_file(work)

        def finish(index: int, problem: Problem | None = None) -> None:
            conversion = conversions[index]
            produced = work / "out" / f"{index:06d}.pdf"
            if problem is None and not produced.is_file():
                problem = Problem("pdf", message("pdf-failed", detail=_last_line(errors)), file=str(conversion.pdf))
            if problem is None:
                data = produced.read_bytes()
                if options.pdfa and PDFA_MARK not in data:
                    problem = Problem("pdf", message("pdfa-unsupported"), file=str(conversion.pdf))
                else:
                    try:
                        write_atomic(conversion.pdf, data, conversion.inputs)
                    except DocgenError as error:
                        problem = error.problems[0]
            finished.add(index)
            done(index, problem)

        filter_name = PDFA_FILTER if options.pdfa else PDF_FILTER
        process = _start(program, work, filter_name, staged, fonts_conf, errors, "pdf", announce=True)
        running.append(process)
        announced = _announcements(process)
        current: int | None = None
        timed_out = False
        try:
            while True:
                try:
                    index = announced.get(timeout=options.timeout)
                except queue.Empty:
                    timed_out = True
                    break
                # LibreOffice converts one document after another: the previous one is complete.
                if current is not None:
                    finish(current)
                    current = None
                if index is None:
                    break
                current = index
        finally:
            _stop(process)
        timeout = Problem("pdf", message("pdf-timeout", seconds=f"{options.timeout:g}"))
        for index in share:
            if index not in finished:
                finish(index, replace(timeout, file=str(conversions[index].pdf)) if timed_out else None)


def page_images(pdf: Path, directory: Path, stem: str, dpi: int = 96) -> list[Path]:
    """Every page of `pdf` as directory/{stem}-{page}.png (poppler's pdftoppm), written atomically."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise ConvertError([Problem("preview", message("no-pdftoppm"), file="pdftoppm")])
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as temporary:
        result = subprocess.run(
            [program, "-png", "-r", str(dpi), str(pdf), str(Path(temporary) / "page")],
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
        pages = sorted(Path(temporary).glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        if result.returncode != 0 or not pages:
            reason = result.stderr.strip() or f"exit {result.returncode}"
            raise ConvertError([Problem("preview", message("preview-failed", reason=reason), file=str(pdf))])
        written = []
        for number, page in enumerate(pages, start=1):
            target = directory / f"{stem}-{number}.png"
            write_atomic(target, page.read_bytes())
            written.append(target)
    return written


def convert_document(data: bytes, suffix: str, target: str, timeout: float, limit: int) -> bytes:
    """A document from outside (`data`, opened by LibreOffice as a file ending in `suffix`) converted with
    the filter `target` ("docx"), in a folder and profile of its own that run no macros; at most `timeout`
    seconds, and at most `limit` bytes written by LibreOffice (larger output stops it). Raises ConvertError
    when LibreOffice is missing, cannot start, fails or takes too long."""
    program = soffice("doc-no-soffice")
    with _scratch() as work, open(work / "stderr.txt", "w+", encoding="utf-8", errors="replace") as errors:
        source = work / f"input{suffix}"
        source.write_bytes(data)
        limited = _limited(limit, timeout) if resource is not None else None
        process = _start(program, work, target, [source], fontconfig_file(work), errors, "convert", limited=limited)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConvertError([Problem("convert", message("convert-timeout", seconds=f"{timeout:g}"))]) from None
        finally:
            _stop(process)
        produced = next((work / "out").glob("*"), None) if (work / "out").is_dir() else None
        if produced is None or produced.stat().st_size == 0:
            raise ConvertError([Problem("convert", message("convert-failed", detail=_last_line(errors)))])
        return produced.read_bytes()


def _start(
    program: str,
    work: Path,
    filter_name: str,
    documents: Sequence[Path],
    fonts_conf: Path,
    errors: IO[str],
    rule: str,
    announce: bool = False,
    limited: Callable[[], None] | None = None,
) -> subprocess.Popen[str]:
    """LibreOffice converting `documents` into work/out with `filter_name`, in a new profile under `work` and
    a process group of its own (so that it and its children can be stopped together); with `announce`, what it
    prints is read (`_announcements`), else dropped. ConvertError (`rule`) when it cannot start."""
    command = [program, _profile(work), *_HEADLESS, "--convert-to", filter_name, "--outdir", str(work / "out")]
    try:
        return subprocess.Popen(
            [*command, *map(str, documents)],
            stdout=subprocess.PIPE if announce else subprocess.DEVNULL,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
            start_new_session=True,
            # Only setrlimit runs in the child (resource imported before): no lock another thread could hold.
            preexec_fn=limited,
        )
    except OSError as error:
        text = message("pdf-start-failed", path=program, reason=error.strerror or error)
        raise ConvertError([Problem(rule, text)]) from None


def _limited(limit: int, timeout: float) -> Callable[[], None]:
    """What the LibreOffice process sets on itself before it starts: no file it writes above `limit` bytes,
    and no more processor time than `timeout` seconds twice over."""

    assert resource is not None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        seconds = int(timeout * 2) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))

    return apply
