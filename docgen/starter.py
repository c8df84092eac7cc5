"""Init: start a data file — a blank one with every field explained, or next year's from last year's.

Files are written with tomlkit so that comments survive: a file started from last year's keeps every
comment and text its authors wrote, with only the figures reset.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docgen import labels
from docgen.blank import blank
from docgen.datafile import data_file_bytes, report_data, toml_text
from docgen.extract import extract, to_toml
from docgen.formats import FORMATS, LATEST, Format
from docgen.formats.layout import entered_keys
from docgen.load import load, loads
from docgen.messages import message
from docgen.model import signing_date
from docgen.readers import DEFAULT_SUFFIX, reader_for
from docgen.write import write_new


def next_year(previous_path: Path, output: Path | None = None) -> str:
    """Next year's data file from last year's: same issuer, headings and narrative (kept as a starting
    point, comments included), year + 1, 上年结转 = last year's 结转下年度继续办理, 现行有效件数 carried,
    every other table figure 0. [figures] keep last year's numbers as placeholders for the text. A report of
    an older format starts the newest: its tables are replaced where their shape differs."""
    import tomlkit

    if previous_path.suffix.lower() == ".docx":  # last year's published report: what extract reads of it
        text = to_toml(extract(previous_path))
        previous = loads(text, str(previous_path), suffix=".toml")
    elif reader_for(previous_path.suffix) is reader_for(DEFAULT_SUFFIX):  # keep its comments and layout
        previous = load(previous_path)  # refuse to start from a file that does not load
        text = previous_path.read_text(encoding="utf-8-sig")
    else:  # a workbook: its data, written as TOML
        previous = load(previous_path)
        text = toml_text(report_data(previous), message("convert-header-from", source=previous_path.name))
    doc = tomlkit.parse(text)
    year = previous.report.year + 1
    doc["report"]["year"] = year
    doc["report"]["date"] = signing_date(year)
    _title_follows_the_year(doc["report"], previous.report.year)
    if output is not None and previous_path.suffix.lower() != ".docx":  # last year's figures for the narrative
        doc["report"]["previous"] = Path(os.path.relpath(previous_path.resolve(), output.resolve().parent)).as_posix()
    before, fmt = FORMATS[previous.format], LATEST
    if before is not fmt:
        fresh = tomlkit.parse(blank(previous.report.issuer, year, fmt))
        if "format" in doc and not fmt.requires_format_key:
            del doc["format"]
        doc["table2"] = fresh["table2"]
        _reshape(doc["table3"], fresh["table3"])

    zeros = fmt.blank_tables()["table2"]
    for row in fmt.table2_rows:
        if not isinstance(zeros[row.key], dict):
            doc["table2"][row.key] = 0
            continue
        for field in zeros[row.key]:
            if field == fmt.in_force_field:  # 现行有效件数 carries on (or the older format's nearest figure)
                doc["table2"][row.key][field] = getattr(getattr(previous.table2, row.key), before.in_force_field)
            else:
                doc["table2"][row.key][field] = 0

    for key in entered_keys(fmt.table3_rows):
        *groups, name = key.split(".")
        node = doc["table3"]
        for group in groups:
            node = node[group]
        node[name] = (
            list(previous.table3.carried_forward.figures)
            if key == "carried_over"
            else [0] * len(labels.APPLICANT_COLUMNS)
        )
    results = doc["table3"]["results"]
    if "total" in results:
        del results["total"]
    for key in labels.TABLE4_GROUPS:
        doc["table4"][key] = [0] * len(labels.RESULT_COLUMNS)
    if "unplaced" in doc:  # what `docgen extract` could not place belonged to last year's report
        del doc["unplaced"]
    return tomlkit.dumps(doc)


def _title_follows_the_year(report: Any, last_year: int) -> None:
    """A title typed with last year's year in it ("2021年政府信息公开工作年度报告") is written with
    `{{ report.year }}` instead, so it says the year of the report it stands in, this year and every next."""
    titles = report.get("title")
    typed = f"{last_year}年"
    for index, line in enumerate(titles or ()):
        if typed in str(line):
            titles[index] = str(line).replace(typed, "{{ report.year }}年")


def _reshape(table: Any, fresh: Any) -> None:
    """Replace, in last year's table 3, every entry whose shape the new format changed (a row that became
    a group of rows), keeping the rest with its comments."""
    for key, value in fresh.items():
        if key not in table or isinstance(value, dict) != isinstance(table[key], dict):
            if key in table:
                del table[key]
            table[key] = value
        elif isinstance(value, dict):
            _reshape(table[key], value)


def init(
    output: Path | str,
    issuer: str | None = None,
    year: int | None = None,
    previous: Path | str | None = None,
    force: bool = False,
    fmt: Format = LATEST,
) -> Path:
    """`docgen init`: write a new data file — blank (`issuer`, `year`; of format `fmt`) or next year's
    from `previous`, last year's data file (.toml or .xlsx) — and return its path: a workbook when `output`
    ends in .xlsx, else TOML. An existing file is replaced only with `force`."""
    if (previous is None) == (issuer is None or year is None) or (previous is not None and issuer is not None):
        raise TypeError("init() takes issuer and year, or previous")
    output = Path(output)
    text = next_year(Path(previous), output) if previous is not None else blank(issuer or "", year or 0, fmt)
    if output.suffix.lower() == ".xlsx":  # a workbook to fill in Excel or WPS
        write_new(output, data_file_bytes(loads(text, str(output), suffix=".toml"), ".xlsx", ""), force)
    else:
        write_new(output, text, force)
    return output
