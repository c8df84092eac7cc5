"""The `docgen` command. Heavy modules load inside the commands, so `docgen --help` starts fast."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from docgen import __version__
from docgen.messages import message

app = typer.Typer(
    name="docgen",
    help="docgen：由数据文件（TOML）生成政府信息公开工作年度报告（Word .docx），自动核对勾稽关系、计算总计。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"docgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", help="显示版本号并退出。", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """docgen：由数据文件生成政府信息公开工作年度报告。"""


@contextlib.contextmanager
def _reporting(source: Path) -> Iterator[None]:
    """Turn every failure into messages on stderr and an exit status — never a traceback."""
    from docgen.errors import DocgenError

    try:
        yield
    except DocgenError as error:
        for problem in error.problems:
            typer.echo(problem.format(), err=True)
        typer.echo(message("failed-summary", file=source, count=len(error.problems)), err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as error:
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        typer.echo(message("internal-error", kind=type(error).__name__, reason=error), err=True)
        raise typer.Exit(2) from None


@app.command()
def render(
    data: Annotated[Path, typer.Argument(help="数据文件（.toml），例如 2021.toml。", show_default=False)],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="输出的 .docx 文件或目录；默认与数据文件同名、同目录。", show_default=False
        ),
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="使用的 Word 模板；默认为内置的官方格式模板。", show_default=False)
    ] = None,
) -> None:
    """核对数据、计算总计并生成 Word 报告（数据有误时不生成任何文件）。"""
    with _reporting(data):
        from docgen.api import render_file

        written = render_file(data, output, template)
        typer.echo(message("rendered", path=written))


def main() -> None:
    app(prog_name="docgen")
