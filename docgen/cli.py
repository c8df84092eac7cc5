"""The `docgen` command: a thin adapter over the library (arguments, printing, exit codes). Every workflow is
a function of the `docgen` package, reached through its lazy attributes, so `docgen --help` loads none of
them.

Exit status: 0 done, 1 problems in the data (or a failed file in a batch), 2 wrong usage, 3 internal error.
Results go to stdout, messages to stderr; colour only on a terminal and never with NO_COLOR set.
"""

import contextlib
import gettext
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

import docgen
from docgen.errors import ConvertError, DocgenError, Problem, Severity
from docgen.limits import PDF_TIMEOUT
from docgen.messages import CLICK_MESSAGES, message

if TYPE_CHECKING:
    from docgen.audit import Audited
    from docgen.batch import Outcome
    from docgen.check import Checked
    from docgen.extract import Extracted

EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 3
EXIT_DOUBT = 4  # audit: no report with errors, but some could not be read with certainty


def _speak_chinese() -> None:
    """Put click's own strings (help option, usage errors, section titles) into Chinese: click and typer
    look their messages up through module-level `_`/`ngettext` (gettext) at the moment they show them."""

    def chinese(text: str) -> str:
        return CLICK_MESSAGES.get(text, text)

    def chinese_plural(singular: str, plural: str, count: int) -> str:
        return chinese(singular if count == 1 else plural)

    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("click", "typer")):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = chinese  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = chinese_plural  # type: ignore[attr-defined]


_speak_chinese()

app = typer.Typer(
    name="docgen",
    help="docgen：由数据文件（TOML）生成政府信息公开工作年度报告（Word .docx），自动核对勾稽关系、计算总计。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: rich's panels cut Chinese help short with "…" at 80 columns, read [figures] as markup
    # and cost an import of rich on every --help.
    rich_markup_mode=None,
    suggest_commands=False,  # click suggests (in Chinese, through _speak_chinese); typer's own is English
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"docgen {docgen.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", help="显示版本号并退出。", callback=_show_version, is_eager=True)
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出现内部错误时显示完整的错误追踪（报告问题时使用）。")
    ] = False,
) -> None:
    """docgen：由数据文件生成政府信息公开工作年度报告。

    退出码：0 成功；1 数据有问题（批量时有文件失败）；2 用法错误；3 内部错误。
    """
    if debug:  # through the environment, so batch worker processes see it too
        os.environ["DOCGEN_DEBUG"] = "1"


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        typer.echo(problem.format(), err=True)


@contextlib.contextmanager
def _reporting(source: object) -> Iterator[None]:
    """Turn every failure into messages on stderr and an exit status — never a traceback."""
    try:
        yield
    except DocgenError as error:
        _print_problems(error.problems)
        summary = "convert-failed-summary" if isinstance(error, ConvertError) else "failed-summary"
        typer.echo(message(summary, file=source, count=len(error.problems)), err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as error:
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        typer.echo(message("internal-error", kind=type(error).__name__, reason=error), err=True)
        raise typer.Exit(EXIT_INTERNAL) from None


@app.command(short_help="核对数据并生成 Word 报告（可同时生成 PDF、网页）")
def render(
    data: Annotated[
        list[Path],
        typer.Argument(help="数据文件（.toml 或 .xlsx）或包含数据文件的目录，可给出多个。", show_default=False),
    ],
    output: Annotated[
        Optional[str],  # as typed: a trailing separator (报告/) names a folder, which Path would drop
        typer.Option(
            "-o",
            "--output",
            help="输出的 .docx 文件或目录（以 / 结尾的目录不存在时自动创建）；默认与数据文件同名、同目录。批量时为目录。",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Optional[Path],
        typer.Option("--template", help="使用的 Word 模板；默认为内置的官方格式模板。", show_default=False),
    ] = None,
    jobs: Annotated[
        Optional[int],
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="批量时并行的进程数（转 PDF 时也是同时运行的 LibreOffice 数）；默认为 CPU 核数。",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条。")] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时生成 PDF（用 LibreOffice 转换，公文字体以免费字体替代）。")
    ] = False,
    pdf_only: Annotated[bool, typer.Option("--pdf-only", help="只生成 PDF，不保留 .docx。")] = False,
    pdfa: Annotated[bool, typer.Option("--pdfa", help="生成 PDF/A-2b（用于归档），隐含 --pdf。")] = False,
    pdf_timeout: Annotated[
        float,
        typer.Option("--pdf-timeout", min=1, help="LibreOffice 转换每份文档最多等待的秒数。", show_default=True),
    ] = PDF_TIMEOUT,
    html: Annotated[
        bool, typer.Option("--html", help="同时生成用于网站发布的网页（.html，自成一体，表格合并单元格与官方一致）。")
    ] = False,
    fragment: Annotated[
        bool, typer.Option("--fragment", help="网页只含正文部分（可粘贴到网站内容管理系统的源代码中），隐含 --html。")
    ] = False,
) -> None:
    """核对数据、计算总计并生成 Word 报告（数据有误时不生成任何文件）。可一次生成多个，可同时生成 PDF。"""
    wants_pdf = pdf or pdf_only or pdfa
    options = docgen.PdfOptions(keep_docx=not pdf_only, pdfa=pdfa, timeout=pdf_timeout) if wants_pdf else None
    if len(data) == 1 and not _is_folder(data[0]):
        with _reporting(data[0]):
            if options is None:
                report = docgen.load(data[0])  # read once for the document and its page
                written = docgen.render(report, output, template)
                typer.echo(message("rendered", path=written))
                if html or fragment:
                    page = docgen.render_html(report, written.with_suffix(".html"), fragment=fragment)
                    typer.echo(message("rendered", path=page))
                return
            written = docgen.render_pdf(data[0], output, template, options, on_fonts=_say_fonts)
            if options.keep_docx:
                typer.echo(message("rendered", path=docgen.pdf_targets(written)[0]))
            typer.echo(message("rendered", path=written))
        return
    with _reporting(", ".join(map(str, data))):
        sources = docgen.data_files(data, on_misnamed=_say_misnamed)
        stages = ("batch-progress",) if options is None else ("batch-progress", "pdf-progress")
        with _progress(len(sources), quiet, stages) as advance:
            page = ("fragment" if fragment else "page") if html or fragment else None
            outcomes = docgen.render_many(
                sources, output, template, jobs, on_done=advance, pdf=options, html=page, on_fonts=_say_fonts
            )
    _summarise(outcomes)
    if not all(outcome.ok for outcome in outcomes):
        raise typer.Exit(EXIT_PROBLEMS)


def _say_fonts(replaced: dict[str, str]) -> None:
    pairs = "、".join(f"{official} → {look_alike}" for official, look_alike in replaced.items())
    typer.echo(message("pdf-fonts", pairs=pairs), err=True)


def _say_misnamed(path: Path) -> None:
    typer.echo(message("misnamed-skipped", path=path, name=path.stem), err=True)


class _Quiet:
    def __call__(self, _: object) -> None:
        pass

    def start(self, count: int) -> None:
        pass


@contextlib.contextmanager
def _progress(count: int, quiet: bool, stages: tuple[str, ...] = ("batch-progress",)) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal (otherwise nothing at all) over `count` files passing
    through each stage in turn; its label names the stage under way. `.start(n)` sets the count when it is
    known only later (reports downloaded first)."""
    if quiet or not sys.stderr.isatty():
        yield _Quiet()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as progress:
        task = progress.add_task(message(stages[0]), total=count * len(stages))

        class Advance:
            def __init__(self, count: int) -> None:
                self.steps, self.count = 0, count

            def __call__(self, _: object) -> None:
                self.steps += 1
                stage = min(self.steps // max(self.count, 1), len(stages) - 1)
                progress.update(task, advance=1, description=message(stages[stage]))

            def start(self, count: int) -> None:
                self.count = count
                progress.update(task, total=count * len(stages))

        yield Advance(count)


def _summarise(outcomes: "list[Outcome]") -> None:
    """Every failed file's problems on stderr, then one row per file on stdout: a table on a terminal,
    tab-separated lines (file, status, output or first problem) for scripts."""
    for outcome in outcomes:
        _print_problems(outcome.problems)
    rows = []
    for outcome in outcomes:
        if outcome.ok:
            rows.append((str(outcome.source), message("batch-ok"), "  ".join(map(str, outcome.written))))
        else:
            first = outcome.problems[0]
            rows.append((str(outcome.source), message("batch-failed"), f"{first.rule} {first.key}: {first.message}"))
    failed = sum(not outcome.ok for outcome in outcomes)
    summary = message("batch-summary", total=len(outcomes), ok=len(outcomes) - failed, failed=failed)
    if not sys.stdout.isatty():
        for row in rows:
            typer.echo("\t".join(row))
        typer.echo(summary)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(message("column-file"), message("column-status"), message("column-detail"))
    for row in rows:
        table.add_row(*row)
    console = Console(highlight=False)
    console.print(table)
    console.print(summary)


@app.command(short_help="只核对数据，列出全部问题")
def check(
    data: Annotated[
        list[Path], typer.Argument(help="要核对的数据文件（.toml 或 .xlsx）或目录，可给出多个。", show_default=False)
    ],
    previous: Annotated[
        Optional[Path],
        typer.Option("--previous", help="上年的数据文件：核对上年结转等跨年规则，并提示异常变化。", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出问题列表（供程序处理）。")] = False,
) -> None:
    """只核对，不生成文件：每个问题一行“文件:行号: 规则 键名: 说明”，最后一行为汇总。有错误时退出码为 1。"""
    with _reporting(previous or ", ".join(map(str, data))):
        checked = docgen.check_files(data, previous, on_misnamed=_say_misnamed)
    _report_checks(checked, as_json)


def _report_checks(checked: "list[Checked]", as_json: bool) -> None:
    """`check`'s output: its problems (on stderr, as `render` gives them) or, with --json, the report for
    scripts on stdout; a summary line; exit 1 when any problem is an error."""
    problems = [problem for file in checked for problem in file.problems]
    errors = sum(len(file.errors) for file in checked)
    if as_json:
        typer.echo(json.dumps(docgen.check_report(checked), ensure_ascii=False, indent=2))
    else:
        _print_problems(problems)
    typer.echo(message("check-summary", files=len(checked), errors=errors, warnings=len(problems) - errors), err=True)
    if errors:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command(short_help="创建新的数据文件或工作簿")
def init(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="要创建的数据文件，例如 2022.toml。", show_default=False)
    ],
    issuer: Annotated[
        Optional[str], typer.Option("--issuer", help="机关名称，例如 某县人民政府。", show_default=False)
    ] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="报告年度，例如 2022。", show_default=False)] = None,
    from_previous: Annotated[
        Optional[Path],
        typer.Option(
            "--from",
            help="从上年的数据文件（.toml、.xlsx）或已发布的报告（.docx）开始：沿用机关、标题和正文，结转上年数字，其余数字清零。",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
    xlsx: Annotated[
        bool,
        typer.Option("--xlsx", help="生成 Excel 工作簿（.xlsx），在 Excel 或 WPS 中填写；-o 以 .xlsx 结尾时也是如此。"),
    ] = False,
) -> None:
    """创建新的数据文件：空白文件（需 --issuer 和 --year），或由上年的数据文件、工作簿或已发布的 .docx 开始（--from）。"""
    if from_previous is None and (issuer is None or year is None):
        raise typer.BadParameter(message("init-usage"))
    if from_previous is not None and (issuer is not None or year is not None):
        raise typer.BadParameter(message("init-usage"))
    with _reporting(from_previous or output):
        target = output.with_suffix(".xlsx") if xlsx and output.suffix.lower() != ".xlsx" else output
        written = docgen.init(target, issuer=issuer, year=year, previous=from_previous, force=force)
        typer.echo(message("init-written", path=written))


@app.command(short_help="在 TOML 数据文件和 Excel 工作簿之间转换")
def convert(
    source: Annotated[Path, typer.Argument(help="数据文件（.toml 或 .xlsx）。", show_default=False)],
    target: Annotated[Path, typer.Argument(help="转换后的文件（.xlsx 或 .toml）。", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """在 TOML 数据文件和 Excel 工作簿之间转换，内容完全相同（先校验，有错误时不转换）。"""
    with _reporting(source):
        typer.echo(message("converted", path=docgen.convert(source, target, force=force)))


@app.command(short_help="把报告的每一页生成 PNG 图片")
def preview(
    data: Annotated[Path, typer.Argument(help="数据文件（.toml）或已生成的 .docx。", show_default=False)],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "-o", "--output", help="图片保存的目录（不存在时创建）；默认与输入文件同目录。", show_default=False
        ),
    ] = None,
    template: Annotated[
        Optional[Path],
        typer.Option("--template", help="使用的 Word 模板；默认为内置的官方格式模板。", show_default=False),
    ] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=20, max=600, help="图片分辨率（每英寸点数）。")] = 96,
) -> None:
    """把报告的每一页生成 PNG 图片（名称-1.png、名称-2.png……），便于快速查看版式。需要 LibreOffice 和 pdftoppm。"""
    with _reporting(data):
        if output is not None:
            output.mkdir(parents=True, exist_ok=True)
        for image in docgen.preview(data, output, template, dpi):
            typer.echo(message("preview-written", path=image))


@app.command(short_help="从已发布的报告读出数据文件")
def extract(
    documents: Annotated[
        list[str],
        typer.Argument(
            help="已发布的报告（.docx、.doc、.wps、.ofd、.html、.pdf 或扫描图片）、包含报告的目录或报告的网址，可给出多个。",
            show_default=False,
        ),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "-o",
            "--output",
            help="输出的 .toml 或 .xlsx（工作簿）文件或目录；默认与报告同名、同目录。多个报告时为目录。",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的数据文件。")] = False,
    run_check: Annotated[
        bool, typer.Option("--check", help="读出后立即核对（与 docgen check 相同），用于审核一批报告。")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="与 --check 一起使用：以 JSON 输出问题列表。")] = False,
) -> None:
    """从已发布的年度报告（Word、WPS、OFD、网页、PDF，扫描件需文字识别组件）读出数据文件：标题、导语、各部分正文和三张统计表。读不准的数字和无法归位的内容都会提示并保留。"""

    def done(outcome: "Extracted") -> None:  # with --check every problem goes into check's report instead
        if not run_check:
            _print_problems(outcome.warnings)
        if outcome.target is not None:
            typer.echo(message("extract-written", path=outcome.target), err=True)
        if not run_check:
            _print_problems(outcome.problems)

    with _reporting(", ".join(documents)):
        outcomes = docgen.extract_files(documents, output, force=force, check=run_check, on_done=done)
    problems = [problem for outcome in outcomes for problem in (*outcome.warnings, *outcome.problems)]
    warnings = sum(problem.rule.startswith("extract-") for problem in problems)
    failed = sum(outcome.failed for outcome in outcomes)
    typer.echo(message("extract-summary", files=len(outcomes), warnings=warnings, failed=failed), err=True)
    if run_check:
        _report_checks(
            [docgen.Checked(outcome.source, [*outcome.warnings, *outcome.problems]) for outcome in outcomes], as_json
        )
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command(name="sum", short_help="把各单位的报告汇总为一份")
def sum_command(
    reports: Annotated[
        list[Path], typer.Argument(help="各单位的数据文件（.toml、.xlsx）或其目录。", show_default=False)
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="汇总的数据文件（.toml 或 .xlsx）。", show_default=False)
    ],
    issuer: Annotated[
        Optional[str], typer.Option("--issuer", help="汇总报告的机关名称，例如 某县人民政府。", show_default=False)
    ] = None,
    by: Annotated[
        Optional[Path],
        typer.Option("--by", help="分单位明细（.xlsx）：每个单位一行主要数字，末行为合计。", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的汇总文件。")] = False,
) -> None:
    """把各单位的报告逐格相加，得到全县（全市）的汇总数据文件：先逐份核对，有错误或年度、格式不同的报告会被指出，不汇总。"""
    with _reporting(", ".join(map(str, reports))):
        _total, contributions = docgen.sum_reports(reports, issuer, output=output, by=by, force=force)
        typer.echo(message("summed", count=len(contributions), path=output))


@app.command(short_help="逐项对比两年的数字")
def compare(
    previous: Annotated[Path, typer.Argument(help="上年的数据文件。", show_default=False)],
    current: Annotated[Path, typer.Argument(help="本年的数据文件。", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="对比表（.xlsx）。", show_default=False)
    ] = None,
) -> None:
    """逐项对比两年的数字（表二至表四和 [figures]）：上年、本年、增减和增减百分比。"""
    with _reporting(current):
        rows = docgen.compare(previous, current, output=output)
    if as_json:
        typer.echo(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=2))
        return
    missing = message("compare-missing")
    for row in rows:
        if row.change == 0:
            continue
        before = missing if row.before is None else row.before
        this = missing if row.this is None else row.this
        change = ""
        if row.change is not None:
            change = f"（{row.change:+}" + (f"，{row.percent:+}%" if row.percent is not None else "") + "）"
        typer.echo(message("compare-line", label=row.label, before=before, this=this, change=change))


@app.command(short_help="审核一批已发布的报告")
def audit(
    reports: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="各单位已发布的报告（.docx、.doc、.wps、.ofd、.html、.pdf 或扫描图片）或数据文件，或包含它们的目录，或报告的网址（http:// 或 https://）；名单的“报告地址”一栏写了网址时可以不给。",
            show_default=False,
        ),
    ] = None,
    previous: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--previous", help="上年的报告或其目录：按机关名称配对，核对上年结转并列出同比变化。", show_default=False
        ),
    ] = None,
    output: Annotated[
        Optional[list[Path]],
        typer.Option(
            "-o",
            "--output",
            help="写出审核表（.xlsx：每份报告一行，另有问题明细）或通报（.docx）；可给多次，如 -o 审核.xlsx -o 通报.docx。",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Optional[Path],
        typer.Option(
            "--template",
            help="通报的 Word 模板（默认用 docgen 自带的；可先用 docgen template lint 检查）。",
            show_default=False,
        ),
    ] = None,
    office: Annotated[
        str,
        typer.Option("--office", help="通报的发文机关（署名），如“保德县人民政府办公室”。", show_default=False),
    ] = "",
    roster: Annotated[
        Optional[Path],
        typer.Option(
            "--roster",
            help="名单（.xlsx 或 .toml）：应当公开报告的机关，表头行首格为“机关名称”；列出未公开、重复和名单外的报告，并评分排名。",
            show_default=False,
        ),
    ] = None,
    deadline: Annotated[
        Optional[str],
        typer.Option(
            "--deadline",
            help="公开截止的月日（如 03-31）；默认为次年 1 月 31 日（条例第四十九条）。晚于截止日期公开的报告记为逾期。",
            show_default=False,
        ),
    ] = None,
    scores: Annotated[
        Optional[Path],
        typer.Option(
            "--scores", help="评分方案（.toml），默认使用 docgen 自带的方案（见 README）。", show_default=False
        ),
    ] = None,
    jobs: Annotated[
        Optional[int],
        typer.Option("--jobs", "-j", min=1, help="同时审核的进程数；默认为 CPU 核数。", show_default=False),
    ] = None,
    downloads: Annotated[
        Optional[Path],
        typer.Option(
            "--downloads",
            help="从网址下载的报告存放的目录（默认为审核表旁的“下载”目录）；以后可直接审核这个目录，不必联网。",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条。")] = False,
) -> None:
    """审核一批报告：逐份读出、核对，列出主要数字、按规则归类的问题和同比变化。任何一份有错误（或名单中的机关没有报告）时退出码为 1；没有错误、但有读取存疑（未能确定地读出表格）的报告时为 4。"""
    wanted = roster or deadline or scores or office
    desk = docgen.Desk(roster, deadline, scores, scored=scores is not None, office=office) if wanted else None
    outputs = output or []
    reports = reports or []
    with _reporting(", ".join(reports) or str(roster or "")):
        found = docgen.audit_sources(reports)
        with _progress(len(found), quiet, ("audit-progress",)) as advance:
            audited = docgen.audit(
                reports,
                previous or (),
                output=outputs,
                on_done=advance,
                desk=desk,
                jobs=jobs,
                reports=found,
                template=template,
                downloads=downloads,
                on_start=advance.start,
            )
    _audit_summary(audited)
    for path in outputs:
        notice = path.suffix.lower() == ".docx"
        typer.echo(message("notice-written" if notice else "audit-written", path=path), err=True)
        if notice and not office:
            typer.echo(message("notice-unsigned"), err=True)
    dismissed = sum(len(outcome.dismissed) for outcome in audited)
    if dismissed:
        typer.echo(message("audit-dismissed", count=dismissed), err=True)
    if any(outcome.failed for outcome in audited):
        raise typer.Exit(EXIT_PROBLEMS)
    if any(outcome.uncertain for outcome in audited):
        raise typer.Exit(EXIT_DOUBT)


def _audit_summary(audited: "list[Audited]") -> None:
    """One row per report: a table on a terminal, tab-separated lines for scripts; problems on stderr."""
    for outcome in audited:
        _print_problems([problem for problem in outcome.problems if problem.severity is not Severity.WARNING])
    rows = []
    for outcome in audited:
        reading = outcome.reading
        figures = outcome.figures
        issuer = (
            f"{outcome.body.name}{message('audit-missing-body')}"
            if outcome.missing and outcome.body
            else message("audit-unreadable")
        )
        rows.append(
            (
                "" if outcome.missing else outcome.source.name,
                reading.issuer if reading else issuer,
                str(reading.year) if reading else str(outcome.year or "") if outcome.missing else "",
                *(
                    str(figures.get(key, ""))
                    for key in ("new", "results_total", "carried_forward", "review", "litigation")
                ),
                str(len(outcome.errors)),
                str(len(outcome.doubts)),
                str(len(outcome.problems) - len(outcome.errors) - len(outcome.doubts)),
            )
        )
    reports = [outcome for outcome in audited if not outcome.missing]
    failed = sum(outcome.failed for outcome in reports)
    doubted = sum(outcome.uncertain for outcome in reports)
    warned = sum(bool(outcome.problems) and not outcome.failed and not outcome.uncertain for outcome in reports)
    summary = message(
        "audit-summary",
        files=len(reports),
        failed=failed,
        doubted=doubted,
        warned=warned,
        clean=len(reports) - failed - doubted - warned,
    )
    if any(outcome.body is not None for outcome in audited):
        missing_years: dict[str, list[str]] = {}
        for outcome in audited:
            if outcome.missing and outcome.body is not None:
                missing_years.setdefault(outcome.body.name, []).append(str(outcome.year))
        several = len({outcome.year for outcome in audited if outcome.missing}) > 1
        missing = [f"{name}（{'、'.join(years)}年度）" if several else name for name, years in missing_years.items()]
        late = sum(any(problem.rule == "late" for problem in outcome.problems) for outcome in reports)
        bodies = len({outcome.body.name for outcome in audited if outcome.body is not None})
        summary += "\n" + message(
            "audit-roster-summary",
            bodies=bodies,
            missing=len(missing),
            names=f"（{'、'.join(missing[:10])}{'等' if len(missing) > 10 else ''}）" if missing else "",
            late=late,
        )
    head = ("文件", "机关名称", "年度", "新收", "办结", "结转", "复议", "诉讼", "错误", "存疑", "警告")
    if not sys.stdout.isatty():
        for row in rows:
            typer.echo("\t".join(row))
        typer.echo(summary)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*head)
    for row in rows:
        table.add_row(*row)
    console = Console(highlight=False)
    console.print(table)
    console.print(summary)


template_app = typer.Typer(
    help="Word 模板：导出官方模板以便修改，检查自制模板。",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(template_app, name="template")


@app.command(short_help="在浏览器中填写和检查报告（网页服务）")
def serve(
    folder: Annotated[
        Path, typer.Argument(help="工作目录：其中的 .toml 和 .xlsx 数据文件（默认为当前目录）。", show_default=False)
    ] = Path("."),
    host: Annotated[
        str,
        typer.Option("--host", help="监听的地址；默认只允许本机访问。为其他计算机服务（如 0.0.0.0）时必须设置密码。"),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口。")] = 8000,
    password: Annotated[
        Optional[str],
        typer.Option(
            "--password", envvar="DOCGEN_SERVE_PASSWORD", help="登录密码（也可用环境变量 DOCGEN_SERVE_PASSWORD）。"
        ),
    ] = None,
) -> None:
    """把工作目录中的报告作为网页提供：列表、新建、按印制版式填写、随时检查、保存、下载 Word/PDF/表格。"""
    try:
        from docgen.serve import run
    except ImportError:
        typer.echo(message("serve-no-extra"), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if not _is_folder(folder):
        typer.echo(message("workspace-missing", name=folder), err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        typer.echo(message("serve-started", url=f"http://{host}:{port}/", folder=folder.resolve()), err=True)
        run(folder, host, port, password)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_USAGE) from None


@template_app.command("export")
def template_export(
    directory: Annotated[Path, typer.Argument(help="导出到的目录（不存在时创建）。", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="覆盖目录中已有的同名文件。")] = False,
) -> None:
    """导出内置的官方模板（.docx），可在 Word、WPS 或 LibreOffice 中修改后用 --template 使用。"""
    with _reporting(directory):
        for target in docgen.export_templates(directory, force):
            typer.echo(message("exported", path=target))


@template_app.command("lint")
def template_lint(
    templates: Annotated[list[Path], typer.Argument(help="要检查的模板（.docx），可给出多个。", show_default=False)],
) -> None:
    """在生成报告之前检查模板：语法、未知的名称和过滤器、被拆开的标签、缺少标签的数字格、不安全的写法。"""
    failed = False
    for template in templates:
        problems = docgen.lint(template)
        _print_problems(problems)
        key = "lint-summary" if problems else "lint-clean"
        typer.echo(message(key, path=template, count=len(problems)), err=True)
        failed = failed or bool(problems)
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


def _is_folder(path: Path) -> bool:
    """Whether a path names a folder; one the system cannot even look at (a name too long …) is read as a
    file, whose reading then says why."""
    try:
        return path.is_dir()
    except OSError:
        return False


def main() -> None:
    app(prog_name="docgen")
