"""The roster (名单): the bodies a reviewing office expects a report from, and the reports matched to them.

A roster is a workbook whose first sheet lists one body a row under a header row whose first cell is 机关名称
(further columns, all optional: 类别, 文件 or 报告地址, 发布日期), or the same as TOML (`[[机关]]` tables with those
keys). Reports are matched to bodies by issuer, written the ways bodies write their own names: 人民政府 or 政府,
办公室 or 办, 委员会 or 委, with or without the county's name in front (保德县教育局 and 教育局 are one body when
the roster's names all share the county), and the 中共 prefix of a Party body.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DataError, Problem, Severity
from docgen.load import MAX_FILE_BYTES
from docgen.messages import message
from docgen.numerals import written_date
from docgen.readers import reader_for
from docgen.readers.xlsx import check_package

HEADER = "机关名称"
_COLUMNS = {"机关名称": "name", "类别": "kind", "文件": "source", "报告地址": "source", "发布日期": "published"}
_SHORT = (("人民政府", "政府"), ("办公室", "办"), ("委员会", "委"))
_PLACE = re.compile(r"^.{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|自治县|旗|区)")


@dataclass
class Body:
    """One body on the roster, and where it stands there (sheet and row, or the TOML entry)."""

    name: str
    kind: str = ""
    source: str = ""
    published: datetime.date | None = None
    where: str = ""
    number: int = 0  # its place on the roster


@dataclass
class Matched:
    """The roster and the reports: each body's reports (by their positions in the audit), and the reports no
    body on the roster claims."""

    bodies: list[Body]
    reports: dict[int, list[int]] = field(default_factory=dict)  # body index → report indices
    unlisted: list[int] = field(default_factory=list)


def normal_name(name: str, place: str = "") -> str:
    """A body's name as compared: no spaces, 中共 and the roster's common place name taken off the front,
    the long forms of 政府, 办, 委 written short."""
    name = "".join(name.split()).removeprefix("中共")
    if place and name.startswith(place) and len(name) > len(place):
        name = name[len(place) :]
    for long, short in _SHORT:
        name = name.replace(long, short)
    return name


def common_place(names: list[str]) -> str:
    """The place name every body on the roster starts with (保德县), or "" when they do not share one."""
    places = {found.group() for name in names if (found := _PLACE.match("".join(name.split()).removeprefix("中共")))}
    return places.pop() if len(places) == 1 and len(names) > 1 else ""


def match(bodies: list[Body], issuers: list[str | None]) -> Matched:
    """Each report (its issuer, None for one that could not be read) given to the body it names."""
    place = common_place([body.name for body in bodies])
    index = {normal_name(body.name, place): number for number, body in enumerate(bodies)}
    matched = Matched(bodies)
    for position, issuer in enumerate(issuers):
        if issuer is None:
            continue
        number = index.get(normal_name(issuer, place))
        if number is None:
            matched.unlisted.append(position)
        else:
            matched.reports.setdefault(number, []).append(position)
    return matched


def read_roster(path: Path) -> list[Body]:
    """The bodies a roster lists; DataError (file, row, what is wrong) when it cannot be read."""
    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as error:
        raise DataError(
            [Problem("roster", message("roster-unreadable", reason=error.strerror or error), file=str(path))]
        ) from None
    if path.suffix.lower() == ".toml":
        return _from_toml(data, path)
    return _from_workbook(data, path)


def _from_toml(data: bytes, path: Path) -> list[Body]:
    entries = reader_for(".toml")(data, str(path), path).data.get("机关", [])
    if not isinstance(entries, list) or not entries:
        raise DataError([Problem("roster", message("roster-empty"), file=str(path), key="机关")])
    bodies = []
    for number, entry in enumerate(entries):
        name = str(entry.get(HEADER, "")).strip() if isinstance(entry, dict) else ""
        if not name:
            raise DataError(
                [Problem("roster", message("roster-entry", number=number + 1), file=str(path), key=f"机关[{number}]")]
            )
        published = entry.get("发布日期")
        if isinstance(published, datetime.datetime):  # TOML's date-time: its day
            published = published.date()
        bodies.append(
            Body(
                name,
                str(entry.get("类别", "")),
                str(entry.get("文件", entry.get("报告地址", ""))),
                published if isinstance(published, datetime.date) else None,
                f"机关[{number}]",
                number,
            )
        )
    return bodies


def _from_workbook(data: bytes, path: Path) -> list[Body]:
    from openpyxl import load_workbook

    check_package(data, str(path))
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=5000))
    except Exception as error:  # openpyxl refuses a damaged workbook in many ways
        text = message("roster-unreadable", reason=f"{type(error).__name__}: {error}"[:200])
        raise DataError([Problem("roster", text, file=str(path))]) from None
    start = next((number for number, row in enumerate(rows) if row and str(row[0] or "").strip() == HEADER), None)
    if start is None:
        raise DataError([Problem("roster", message("roster-no-header", header=HEADER), file=str(path))])
    columns = {
        index: _COLUMNS[str(title).strip()]
        for index, title in enumerate(rows[start])
        if str(title or "").strip() in _COLUMNS
    }
    bodies = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        values: dict[str, Any] = {key: row[index] for index, key in columns.items() if index < len(row)}
        name = str(values.get("name") or "").strip()
        if not name:
            continue
        published = values.get("published")
        if isinstance(published, datetime.datetime):
            published = published.date()
        elif isinstance(published, str):
            published = written_date(published)
        bodies.append(
            Body(
                name,
                str(values.get("kind") or ""),
                str(values.get("source") or ""),
                published if isinstance(published, datetime.date) else None,
                f"{sheet.title}!A{number}",
                len(bodies),
            )
        )
    if not bodies:
        raise DataError([Problem("roster", message("roster-empty"), file=str(path))])
    return bodies


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?$")


def deadline_setting(setting: str) -> tuple[int, int]:
    """The month and day `--deadline` names ("03-31", "3月31日"); DataError (in Chinese) for anything else."""
    found = _MONTH_DAY.match(setting.strip())
    try:
        if found is None:
            raise ValueError
        month, day = int(found.group(1)), int(found.group(2))
        datetime.date(2001, month, day)  # a day every year has (not 2月29日)
    except ValueError:
        raise DataError(
            [Problem("deadline", message("deadline-setting", setting=setting[:20]), file="--deadline")]
        ) from None
    return month, day


def deadline(year: int, setting: str | None = None) -> datetime.date:
    """The day a year's report must be out by: 1月31日 of the next year (条例 第四十九条), or the month and
    day `setting` gives ("03-31")."""
    if setting:
        month, day = deadline_setting(setting)
        return datetime.date(year + 1, month, day)
    return datetime.date(year + 1, 1, 31)


def roster_findings(body: Body, year: int, reports: int, roster: Path, years_named: bool) -> list[Problem]:
    """What the roster says of a body's reports of one year: none (error) or two or more (warning), located
    on the roster; the year is named when the audit covers several."""
    which = message("roster-year", year=year) if years_named else ""
    if reports == 0:
        text = message("roster-missing", body=body.name, year=which)
        return [Problem("roster-missing", text, file=str(roster), key=body.where)]
    if reports > 1:
        text = message("roster-duplicate", body=body.name, count=reports, year=which)
        return [Problem("roster-duplicate", text, file=str(roster), key=body.where, severity=Severity.WARNING)]
    return []
