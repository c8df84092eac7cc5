"""Lint a Word template before anything is rendered with it: Jinja syntax, unknown names and filters (with
"did you mean"), tag markers Word split across runs, reaches for Python internals, and number cells of the
official tables left without a tag — every problem at once, located by part, paragraph or table/row/cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import limits
from docgen.blank import blank_data
from docgen.derive import derive
from docgen.errors import Problem
from docgen.formats import FORMATS, detect
from docgen.load import from_dict
from docgen.messages import did_you_mean, message
from docgen.notice import sample as notice_sample
from docgen.ooxml import PackageError, W, open_document
from docgen.sandbox import environment, member_names
from docgen.variables import FigureGroup, context

if TYPE_CHECKING:
    from lxml import etree

_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_DELIMITERS = ("{{", "}}", "{%", "%}")
_PART_NAMES = {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注"}


@dataclass(frozen=True)
class Place:
    """Where a paragraph stands, in words a template author can find in Word."""

    part: str
    where: str
    text: str

    def describe(self) -> str:
        return f"{self.part}{self.where}"


def _part_label(member: str) -> str:
    stem = member.removeprefix("word/").removesuffix(".xml")
    base = stem.rstrip("0123456789")
    return _PART_NAMES.get(base, stem) + stem[len(base) :]


def _paragraph_places(root: etree._Element, part: str) -> list[Place]:
    """Every paragraph of a part in document order, located as 第N段 or 表T第R行第C格 (positions looked up,
    not searched for: a template's tables may have thousands of rows)."""
    places: list[Place] = []
    tables = {table: number for number, table in enumerate(root.iter(f"{W}tbl"), start=1)}
    positions: dict[Any, dict[Any, int]] = {}  # a table's rows, a row's cells → their numbers

    def number(parent: Any, child: Any, tag: str) -> int:
        if parent not in positions:
            positions[parent] = {item: index for index, item in enumerate(parent.iterchildren(tag), start=1)}
        return positions[parent][child]

    body_count = 0
    for paragraph in root.iter(f"{W}p"):
        text = "".join(node.text or "" for node in paragraph.iter(f"{W}t"))
        cell = next((ancestor for ancestor in paragraph.iterancestors(f"{W}tc")), None)
        if cell is None:
            body_count += 1
            places.append(Place(part, f"第{body_count}段", text))
            continue
        row = cell.getparent()
        table = row.getparent()
        where = f"第{tables[table]}个表格第{number(table, row, f'{W}tr')}行第{number(row, cell, f'{W}tc')}格"
        places.append(Place(part, where, text))
    return places


def _split_markers(root: etree._Element, places: list[Place]) -> Iterator[tuple[Place, str]]:
    """Tag markers ({{ }} {% %}) that Word broke across runs: docxtpl can only join what starts in one run."""
    for paragraph, place in zip(root.iter(f"{W}p"), places):
        pieces = [node.text or "" for node in paragraph.iter(f"{W}t")]
        joined = "".join(pieces)
        if not any(marker in joined for marker in _DELIMITERS):
            continue
        whole = sum((piece.count(marker) for piece in pieces for marker in _DELIMITERS), 0)
        if whole != sum(joined.count(marker) for marker in _DELIMITERS):
            yield place, joined


@cache
def _sample_variables(fmt: str) -> dict[str, Any]:
    """The variables a template of a format can use, with sample values: the context of a blank report."""
    format_ = FORMATS[fmt]
    report = from_dict(blank_data("某县人民政府", 2021, format_), "sample")
    return context(report, derive(report))


def template_format(root: etree._Element) -> str:
    """Which official format a template is for, from the labels of its tables."""
    return detect("".join(node.text or "" for node in root.iter(f"{W}t"))).name


def is_notice(root: etree._Element) -> bool:
    """Whether a template is a 通报's (its tags read `notice`), not a report's."""
    return bool(_NOTICE_TAG.search("".join(node.text or "" for node in root.iter(f"{W}t"))))


_NOTICE_TAG = re.compile(r"\{[{%][^}]*\bnotice\.")


class _Checker:
    """Walks a parsed template, resolving each name against the sample variables."""

    def __init__(self, env: Any, places: list[Place], report: list[tuple[str, int, str]]) -> None:
        self.env = env
        self.places = places
        self.found = report  # (rule, line, message)

    def walk(self, node: Any, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            self.walk(node.iter, scope)
            sample = self.value(node.iter, scope)
            inner = dict(scope)
            targets = [node.target] if isinstance(node.target, nodes.Name) else node.target.find_all(nodes.Name)
            for target in targets:
                inner[target.name] = sample[0] if isinstance(sample, (list, tuple)) and sample else _ANY
            inner["loop"] = _ANY
            for child in (*node.body, *node.else_):
                self.walk(child, inner)
            if node.test is not None:
                self.walk(node.test, inner)
            return
        if isinstance(node, (nodes.Filter, nodes.Test)):
            known = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
            if node.name not in known:
                self.unknown(node.lineno, node.name, known, "lint-unknown-filter")
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            self.found.append(("template-security", node.lineno, message("lint-internal", name=node.attr)))
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
            self.value(node, scope)
        if isinstance(node, (nodes.Assign, nodes.With, nodes.Macro)):
            scope = {**scope, **{name.name: _ANY for name in node.find_all(nodes.Name) if name.ctx == "store"}}
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def value(self, node: Any, scope: dict[str, Any]) -> Any:
        """The sample value of an expression, reporting the first unknown name on its path."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.env.globals:
                return _ANY
            self.unknown(node.lineno, node.name, [*scope, *self.env.globals], "lint-unknown-name")
            return _ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.value(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if base is _ANY or key is None or _is_free_form(base):
                return _ANY
            try:
                if isinstance(base, dict) or (isinstance(base, (list, tuple)) and isinstance(key, int)):
                    return base[key]
                return getattr(base, key)  # a figure row by column name: table3.new.total
            except (KeyError, IndexError, AttributeError, TypeError):
                self.unknown(node.lineno, str(key), member_names(base), "lint-unknown-name")
                return _ANY
        return _ANY

    def unknown(self, line: int, name: str, choices: Any, rule_message: str) -> None:
        hint = did_you_mean(name, choices)
        self.found.append(("template-name", line, message(rule_message, name=name, suggestion=hint)))


class _Any:
    """A value the linter cannot know (loop variables of empty samples, [figures], set variables)."""


_ANY = _Any()


def _is_free_form(value: Any) -> bool:
    return isinstance(value, FigureGroup)


def _untagged_number_cells(root: etree._Element, fmt: str) -> Iterator[str]:
    """Number cells of the official tables (as the format's grids declare them) that hold no tag; a table
    is known by its grid's marker, its cells counted from the right (label columns may be edited)."""
    for index, table in enumerate(root.iter(f"{W}tbl"), start=1):
        text = "".join(node.text or "" for node in table.iter(f"{W}t"))
        rows = list(table.iterchildren(f"{W}tr"))
        for grid in FORMATS[fmt].grids:
            if grid.marker not in text or (grid.fixed_rows and len(rows) != len(grid.rows)):
                continue
            for number, count in grid.figure_rows():
                if number > len(rows):
                    continue
                cells = list(rows[number - 1].iterchildren(f"{W}tc"))
                for column, cell in enumerate(cells[-count:], start=len(cells) - count + 1):
                    if "{{" not in "".join(node.text or "" for node in cell.iter(f"{W}t")):
                        yield f"第{index}个表格第{number}行第{column}格"


def lint(path: Path | str) -> list[Problem]:
    """Every problem of a template; an empty list means it is safe to render with."""
    path = Path(path)
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError
    from lxml import etree

    name = str(path)
    problems: list[Problem] = []

    def add(rule: str, text: str) -> None:
        problems.append(Problem(rule, text, file=name))

    if not path.is_file():
        add("template", message("template-missing", path=name))
        return problems
    try:
        roots, core = _read_template(path)
    except OSError as error:
        add("template", message("template-invalid", path=name, reason=error.strerror or error))
        return problems
    except PackageError as error:
        add("template", message("template-invalid", path=name, reason=error.describe()))
        return problems

    env = environment()
    patcher = DocxTemplate(path)
    for_notice = is_notice(roots["word/document.xml"])
    fmt = template_format(roots["word/document.xml"])
    sample = {"notice": notice_sample()} if for_notice else _sample_variables(fmt)
    for member, root in roots.items():
        part = _part_label(member)
        places = _paragraph_places(root, part)
        for place, text in _split_markers(root, places):
            add("template-split", message("lint-split", where=place.describe(), text=text[:60]))
        source = patcher.patch_xml(etree.tostring(root, encoding="unicode"))
        # docxtpl renders with one line per paragraph; the same split maps a line back to its paragraph.
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
        lines = source.split("\n")
        found: list[tuple[str, int, str]] = []
        try:
            _Checker(env, places, found).walk(env.parse(source), dict(sample))
        except TemplateSyntaxError as error:
            unclosed = _unclosed_blocks(lines) if "end of template" in (error.message or "") else []
            for block, line in unclosed or [("", error.lineno)]:
                reason = message("lint-unclosed", block=block) if block else error.message
                add("template-syntax", message("lint-syntax", where=_place_of_line(places, lines, line), reason=reason))
            found = _check_each_expression(env, source, lines, places, sample)
        for rule, line, text in found:
            add(rule, f"{_place_of_line(places, lines, line)}：{text}")
        if member == "word/document.xml" and not for_notice:
            for where in _untagged_number_cells(root, fmt):
                add("template-cell", message("lint-untagged", where=where))
    if core is not None:
        problems += _lint_properties(core, env, name, sample)
    if len(problems) > MAX_PROBLEMS:  # a template broken everywhere: the first ones say enough
        problems = [
            *problems[:MAX_PROBLEMS],
            Problem("template", message("lint-more", count=len(problems) - MAX_PROBLEMS), file=name),
        ]
    return problems


# More problems than this in one template are summarised in one line.
MAX_PROBLEMS = 1000


def _read_template(path: Path) -> tuple[dict[str, Any], Any]:
    """The parts lint reads (body, headers, footers, notes) and the core properties, parsed safely; raises
    PackageError for a file that is not a .docx or cannot be read within the limits."""
    if path.stat().st_size > limits.max_package_bytes():  # not even read into memory
        raise PackageError(message("package-too-large", limit=limits.max_package_bytes() // limits.MB))
    package = open_document(path.read_bytes())
    members = [member for member in package.members if _PARTS.match(member)]
    if "word/document.xml" not in members:
        raise PackageError(message("template-not-docx"))
    core = package.xml("docProps/core.xml") if "docProps/core.xml" in package.members else None
    return {member: package.xml(member) for member in members}, core


def _squeeze(text: str) -> str:
    """Text of a tag as it reads in Word and after docxtpl's patching alike ({%p for %} → {%for%})."""
    return re.sub(r"\s", "", re.sub(r"\{%\s*[prc]\s", "{% ", text))


def _place_of_line(places: list[Place], lines: list[str], line: int) -> str:
    """The paragraph a line of the patched template came from, found by its text."""
    text = _squeeze(re.sub(r"<[^>]+>", "", lines[line - 1] if 0 < line <= len(lines) else ""))
    tags = re.findall(r"\{[{%].*?[}%]\}", text) or [text]
    for place in places:
        own = _squeeze(place.text)
        if own and any(tag and (tag in own or own in tag) for tag in tags):
            return f"{place.describe()}（“{place.text[:40]}”）"
    return f"（“{text[:40]}”）"


_BLOCK_TAG = re.compile(r"\{%-?\s*(end)?(if|for|macro|block|with|filter|call|raw)\b")


def _unclosed_blocks(lines: list[str]) -> list[tuple[str, int]]:
    """Block tags opened and never closed, with their lines: Jinja itself only names the end of the file."""
    stack: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        for match in _BLOCK_TAG.finditer(line):
            if match.group(1) is None:
                stack.append((match.group(2), number))
            elif stack and stack[-1][0] == match.group(2):
                stack.pop()
    return stack


_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_FOR = re.compile(r"\{%-?\s*for\s+(\w+)\s+in\s+(.+?)\s*-?%\}")


def _check_each_expression(
    env: Any, source: str, lines: list[str], places: list[Place], sample: dict[str, Any]
) -> list[tuple[str, int, str]]:
    """When a part does not parse as a whole, still check every {{ … }} on its own (loop names from the for
    tags found), so one syntax error does not hide the other problems."""
    scope = dict(sample)
    found: list[tuple[str, int, str]] = []
    for loop in _FOR.finditer(re.sub(r"<[^>]+>", "", source)):
        try:
            iterable = _Checker(env, places, []).value(env.parse(f"{{{{ {loop.group(2)} }}}}").body[0].nodes[0], scope)
        except Exception:  # the loop's own expression is broken; its name stays unknown to nothing
            iterable = _ANY
        scope[loop.group(1)] = iterable[0] if isinstance(iterable, (list, tuple)) and iterable else _ANY
    for number, line in enumerate(lines, start=1):
        for expression in _EXPRESSION.finditer(re.sub(r"<[^>]+>", "", line)):
            try:
                tree = env.parse(f"{{{{{expression.group(1)}}}}}")
            except Exception:  # reported by the syntax check already
                continue
            checked: list[tuple[str, int, str]] = []
            _Checker(env, places, checked).walk(tree, scope)
            found += [(rule, number, text) for rule, _, text in checked]
    return found


def _lint_properties(root: Any, env: Any, name: str, sample: dict[str, Any]) -> list[Problem]:
    """Document properties are rendered too, so they are templates as well."""
    from jinja2 import TemplateSyntaxError
    from lxml import etree

    problems = []
    for element in root:
        text = element.text or ""
        if "{" not in text:
            continue
        where = message("lint-property", name=etree.QName(element).localname)
        try:
            tree = env.parse(text)
        except TemplateSyntaxError as error:
            problems.append(
                Problem("template-syntax", message("lint-syntax", where=where, reason=error.message), file=name)
            )
            continue
        found: list[tuple[str, int, str]] = []
        _Checker(env, [], found).walk(tree, dict(sample))
        problems += [Problem(rule, f"{where}：{text}", file=name) for rule, _, text in found]
    return problems
