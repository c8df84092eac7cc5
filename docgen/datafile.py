"""Data files written: a report's data as TOML (labelled, commented) or as a workbook, chosen by the file's
suffix — what `convert`, `init` and `extract` write. Reading them back is the readers' (docgen/readers/)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen import labels
from docgen.errors import KeyPath, OutputError, Problem
from docgen.formats import format_of
from docgen.load import ReportLike, as_report
from docgen.messages import message
from docgen.model import Report
from docgen.workbook import workbook_bytes
from docgen.write import write_new

Notes = dict[KeyPath, list[str]]
SUFFIXES = (".toml", ".xlsx")


# A data file's order: its two plain values first (TOML requires it), then the report's parts in print order.
ORDER = ("format", "template", "report", "headings", "overview", "table2", "table3", "table4", "problems", "other")


def report_data(report: Report) -> dict[str, Any]:
    """What a data file holds of a report: every value its source set (a default left out stays out)."""
    data = report.model_dump(exclude_unset=True)
    if format_of(report).requires_format_key:
        data["format"] = report.format
    return {**{key: data[key] for key in ORDER if key in data}, **data}


def data_file_bytes(report: Report, suffix: str, header: str) -> bytes:
    """The report as a data file of the kind `suffix` names (.toml or .xlsx)."""
    if suffix.lower() == ".xlsx":
        return workbook_bytes(report)
    return toml_text(report_data(report), header).encode("utf-8")


def write_data_file(report: Report, path: Path, force: bool = False, header: str = "") -> Path:
    """Write the report as a data file, its kind from the name's suffix; an existing file is replaced only
    with `force`."""
    if path.suffix.lower() not in SUFFIXES:
        text = message("data-file-kind", path=path, suffixes="、".join(SUFFIXES))
        raise OutputError([Problem("output", text, file=str(path))])
    write_new(path, data_file_bytes(report, path.suffix, header or message("convert-header")), force)
    return path


def convert(source: ReportLike, target: Path | str, force: bool = False) -> Path:
    """`docgen convert`: a data file in another kind (.toml ↔ .xlsx), the same report either way."""
    report = as_report(source)
    name = Path(report.source.name).name if report.source else ""
    return write_data_file(report, Path(target), force, message("convert-header-from", source=name))


def toml_value(value: Any) -> Any:
    import tomlkit
    from tomlkit.items import Float, Trivia

    if isinstance(value, Decimal):  # keep the digits as printed: 12.50 stays 12.50
        if value == value.to_integral_value() and "." not in str(value):
            return int(value)
        return Float(float(value), Trivia(), format(value, "f"))
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update({key: toml_value(item) for key, item in value.items()})
        return table
    if type(value) is list:  # a plain list of figures; an array already built (multiline texts) stays as it is
        return [toml_value(item) for item in value]
    return value


def _texts(values: list[str]) -> Any:
    """A list of paragraphs, one per line."""
    import tomlkit

    array = tomlkit.array()
    array.extend(values)
    return array.multiline(True) if values else array


def _one_line(text: str) -> str:
    """A comment's text: TOML comments are one line without control characters."""
    return _CONTROL.sub(" ", text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _label(path: tuple[str, ...]) -> str:
    if path[0] == "table3":
        return labels.table3_row_label(".".join(path[1:]))
    return labels.describe(path)


def _remarks_under(remarks: Notes, path: tuple[str | int, ...]) -> list[str]:
    return [note for key, found in remarks.items() if key[: len(path)] == path for note in found]


def _leaf(path: tuple[str, ...], value: Any, label: bool, remarks: Notes) -> Any:
    import tomlkit

    item = tomlkit.item(toml_value(value))
    comments = ([_label(path)] if label else []) + [f"注意：{note}" for note in _remarks_under(remarks, path)]
    if comments:
        item.comment(_one_line("；".join(comments)))
    return item


def _keyed_table(path: tuple[str, ...], values: dict[str, Any], label_rows: bool, remarks: Notes) -> Any:
    """A table of keys and values; table 3's groups as sub-tables named by their official group label."""
    import tomlkit

    section = tomlkit.table()
    for key, value in values.items():
        if isinstance(value, dict) and path[0] == "table3":
            child = _keyed_table((*path, key), value, label_rows, remarks)
            child.comment(labels.TABLE3_GROUPS.get(".".join((*path[1:], key)), ""))
            section.add(key, child)
        else:
            section.add(key, _leaf((*path, key), value, label_rows, remarks))
    return section


def _overview_table(value: dict[str, Any]) -> Any:
    import tomlkit

    overview = tomlkit.table()
    overview.add("paragraphs", _texts(value.get("paragraphs", [])))
    sections = tomlkit.aot()
    for section in value.get("sections", []):
        entry = tomlkit.table()
        entry.add("title", section["title"])
        entry.add("run_in", section.get("run_in", False))
        entry.add("paragraphs", _texts(section.get("paragraphs", [])))
        sections.append(entry)
    if value.get("sections"):
        overview.add("sections", sections)
    return overview


def _top_table(key: str, value: dict[str, Any], remarks: Notes) -> Any:
    """One of the data file's tables: narrative parts as their texts, the statistical tables with each row
    labelled as printed and the table's name (and its notes) above it."""
    import tomlkit

    if key == "overview":
        return _overview_table(value)
    if key in ("problems", "other"):
        section = tomlkit.table()
        section.add("paragraphs", _texts(value["paragraphs"]))
        return section
    if key == "report":
        value = {name: _texts(item) if isinstance(item, list) else item for name, item in value.items()}
    tabular = key in ("table2", "table3", "table4")
    section = _keyed_table((key,), value, tabular, remarks)
    if tabular:
        table_notes = [f"注意：{note}" for note in remarks.get((key,), [])]
        section.comment(_one_line("；".join([labels.TABLE_NAMES[key], *table_notes])))
    return section


def toml_text(data: dict[str, Any], header: str, remarks: Notes | None = None) -> str:
    """A data file's text from its data (the mapping `Report.model_dump(exclude_unset=True)` gives, or what
    extract read): in the order of the report, table rows labelled as in the official tables, the cells in
    `remarks` (key path → notes) marked 注意, `header` as the first comment."""
    import tomlkit

    remarks = remarks or {}
    doc = tomlkit.document()
    doc.add(tomlkit.comment("\n".join(_one_line(line) for line in header.split("\n"))))
    for note in _remarks_under(remarks, ("unplaced",)):
        doc.add(tomlkit.comment(_one_line(f"注意：{note}")))
    if "format" in data:
        doc.add("format", data["format"])
    if "unplaced" in data:
        doc.add("unplaced", _texts(data["unplaced"]))
    for key, value in data.items():
        if key in ("format", "unplaced"):
            continue
        doc.add(key, _top_table(key, value, remarks) if isinstance(value, dict) else toml_value(value))
    return tomlkit.dumps(doc)
