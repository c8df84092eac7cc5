"""Render many data files at once: one bad file never stops the others, and every file's outcome is kept.

With jobs > 1 the files are rendered in worker processes; each render is a pure function of its inputs,
so the documents are byte-identical whatever the number of jobs. PDFs are made afterwards by as many
LibreOffice runs side by side as there are jobs, each converting its share (pdf.convert).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from docgen.api import default_output, pdf_targets, render, render_html
from docgen.errors import DocgenError, Problem
from docgen.load import as_report
from docgen.messages import message
from docgen.pdf import Conversion, PdfOptions, convert, soffice
from docgen.render import builtin_templates
from docgen.sandbox import environment
from docgen.wordtemplate import compile_template
from docgen.workers import each_in_order
from docgen.write import GroupCommit, captured


@dataclass(frozen=True)
class Outcome:
    """What became of one data file: the document written, or the problems that stopped it."""

    source: Path
    output: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    pdf: Path | None = None
    html: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> list[Path]:
        return [path for path in (self.output, self.pdf, self.html) if path is not None]


def render_one(source: Path, output: Path | None, template: Path | None, html: str | None = None) -> Outcome:
    """Render one file (and its web page, `html` "page" or "fragment"); every failure becomes the outcome's
    problems (this runs in worker processes)."""
    try:
        report = as_report(source)  # read once for the document and its page
        written = render(report, output, template)
        page = render_html(report, written.with_suffix(".html"), html == "fragment") if html else None
        return Outcome(source, written, html=page)
    except DocgenError as error:
        return Outcome(source, problems=error.problems)
    except Exception as error:  # a bug must not take the rest of the batch down with it
        text = message("internal-error", kind=type(error).__name__, reason=error)
        if os.environ.get("DOCGEN_DEBUG"):
            text += "\n" + traceback.format_exc()
        return Outcome(source, problems=[Problem("internal", text, file=str(source))])


def render_many(
    sources: list[Path],
    output_dir: Path | str | None = None,
    template: Path | str | None = None,
    jobs: int | None = None,
    on_done: Callable[[Outcome], None] = lambda _: None,
    pdf: PdfOptions | None = None,
    html: str | None = None,
    on_fonts: Callable[[dict[str, str]], None] | None = None,
) -> list[Outcome]:
    """Render every source; outcomes come back in the order of `sources`. `on_done` is told of each
    outcome as it ends — with `pdf`, once per stage (rendered, then converted), so twice per source.
    `output_dir` is made when missing."""
    if pdf is not None:
        soffice()  # before writing anything: LibreOffice missing is one message, not one per file
    jobs = max(1, jobs or os.cpu_count() or 1)
    sources = [Path(source) for source in sources]
    output_dir = Path(output_dir) if output_dir is not None else None
    template = Path(template) if template is not None else None
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    targets = [output_dir / default_output(source).name if output_dir else default_output(source) for source in sources]
    outcomes: dict[int, Outcome] = {}
    claimed: dict[Path, Path] = {}
    folders: dict[Path, Path] = {}
    work = []
    with tempfile.TemporaryDirectory(prefix="docgen-batch-") as staging:
        for index, (source, target) in enumerate(zip(sources, targets)):
            # The name as it will be replaced (a link there is replaced, not followed); one resolve per folder.
            if target.parent not in folders:
                folders[target.parent] = target.parent.resolve()
            resolved = folders[target.parent] / target.name
            if resolved in claimed:  # two inputs would write one file: the second must not replace the first
                text = message("output-collision", path=resolved, other=claimed[resolved])
                outcomes[index] = Outcome(source, problems=[Problem("output", text, file=str(source))])
                on_done(outcomes[index])
                continue
            claimed[resolved] = source
            if pdf is not None and not pdf.keep_docx:  # the .docx is only the PDF's input
                target = Path(staging) / f"{index:06d}.docx"
            work.append((index, source, target))
        writes = GroupCommit()

        def rendered(index: int, outcome: Outcome, written: list[tuple[Path, Path]]) -> None:
            outcomes[index] = outcome
            writes.add(written)
            on_done(outcome)

        try:
            if jobs > 1 and len(work) > 1:
                _warm_templates(template)  # compiled once here, inherited by every worker (where they fork)
            each_in_order(
                partial(_render_captured, template=template, html=html),
                [(source, target) for _, source, target in work],
                jobs,
                lambda position, result: rendered(work[position][0], *result),
            )
        finally:  # an interrupted batch keeps the documents it finished
            writes.commit()
        _fail_unwritten(outcomes, writes)
        if pdf is not None:
            pdf_paths = [pdf_targets(target)[1] for target in targets]
            _convert(outcomes, pdf_paths, pdf, on_done, on_fonts, jobs)
    return [outcomes[index] for index in range(len(sources))]


def _render_captured(
    paths: tuple[Path, Path | None], template: Path | None, html: str | None
) -> tuple[Outcome, list[tuple[Path, Path]]]:
    """render_one of (source, target), its files left complete under temporary names for the batch's
    GroupCommit to finish."""
    source, target = paths
    with captured() as written:
        outcome = render_one(source, target, template, html)
    return outcome, written


def _warm_templates(template: Path | None) -> None:
    for path in [template] if template is not None else builtin_templates():
        with contextlib.suppress(DocgenError):  # a broken template is reported for each file, as it is used
            compile_template(path, environment())


def _fail_unwritten(outcomes: dict[int, Outcome], writes: GroupCommit) -> None:
    """An outcome whose file could not be put in place after all (its rename failed) failed."""
    for index, outcome in outcomes.items():
        if problems := [writes.failed[path] for path in outcome.written if path in writes.failed]:
            problems = [replace(problem, file=str(outcome.source)) for problem in problems]
            lost = {name: None for name in ("output", "pdf", "html") if getattr(outcome, name) in writes.failed}
            outcomes[index] = replace(outcome, problems=problems, **lost)


def _convert(
    outcomes: dict[int, Outcome],
    pdf_paths: list[Path],
    options: PdfOptions,
    on_done: Callable[[Outcome], None],
    on_fonts: Callable[[dict[str, str]], None] | None,
    jobs: int,
) -> None:
    """Convert every rendered document in `jobs` LibreOffice runs side by side, updating `outcomes` in place."""
    for outcome in outcomes.values():
        if not outcome.ok:
            on_done(outcome)  # nothing to convert: its second step is done at once
    ready = [index for index, outcome in sorted(outcomes.items()) if outcome.ok]
    conversions = [
        Conversion(outcomes[index].output, pdf_paths[index], {"output-is-input": outcomes[index].source})  # type: ignore[arg-type]
        for index in ready
    ]

    writes = GroupCommit()

    def converted(position: int, problem: Problem | None) -> None:
        made = written[:]  # the PDFs finished so far (other LibreOffice runs may add more meanwhile)
        del written[: len(made)]
        writes.add(made)
        index = ready[position]
        outcome = outcomes[index]
        docx = outcome.output if options.keep_docx else None
        if problem is None:
            outcomes[index] = replace(outcome, output=docx, pdf=pdf_paths[index])
        else:
            outcomes[index] = replace(outcome, output=docx, problems=[replace(problem, file=str(outcome.source))])
        on_done(outcomes[index])

    if conversions:
        with captured() as written:
            try:
                convert(conversions, options, converted, on_fonts, instances=jobs)
            finally:
                writes.add(written)
                writes.commit()
        _fail_unwritten(outcomes, writes)
