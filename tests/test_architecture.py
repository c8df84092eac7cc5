"""The architecture holds: each format declared once and read by everything that needs it, readers behind one
interface, every workflow in the library, no import cycles."""

from __future__ import annotations

import ast
import dataclasses
import datetime
import importlib.util
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, ROOT, docx_units

import docgen
from docgen import readers
from docgen.errors import KeyPath, Location
from docgen.formats import FORMATS, Format
from docgen.formats.layout import Figure, Grid, label
from docgen.readers.base import Document, Source

PACKAGE = ROOT / "docgen"
# Third-party libraries heavy enough to import only where they are used (start-up stays fast).
HEAVY = {"babel", "docx", "docxtpl", "jinja2", "lxml", "openpyxl", "pdfminer", "pdfplumber", "rich", "tomlkit"}
# The OCR extra and what it brings (OpenCV, NumPy, Pillow), and PDFium, which renders a scanned PDF's pages.
HEAVY |= {"cv2", "numpy", "PIL", "pypdfium2", "rapidocr_onnxruntime"}
HEAVY |= {"matplotlib", "httpx"}  # the 通报's chart; reports read from their addresses
# Modules of an optional extra: imported where the command needs them, so the CLI runs without the extra.
OPTIONAL = {"docgen.serve"}


# --- imports --------------------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement with whether it sits inside a function, skipping `if TYPE_CHECKING:` blocks."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.stmt, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from (pair for orelse in child.orelse for pair in walk(orelse, in_function))
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, in_function
            yield from walk(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    yield from walk(tree, False)


def _targets(statement: ast.stmt, modules: dict[str, Path]) -> list[str]:
    """The docgen modules an import statement loads (`from docgen import labels` → docgen.labels)."""
    if isinstance(statement, ast.Import):
        return [alias.name for alias in statement.names if alias.name in modules]
    assert isinstance(statement, ast.ImportFrom)
    module = statement.module or ""
    if module not in modules:
        return []
    loaded = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module for alias in statement.names]
    return [*loaded, *(package for target in loaded for package in _packages_of(target, modules))]


def _packages_of(module: str, modules: dict[str, Path]) -> list[str]:
    """The subpackages Python runs first to load a module (docgen.formats.layout runs docgen/formats/__init__
    first: a cycle through it is as real as a direct one). docgen itself is left out: it imports lazily."""
    parts = module.split(".")
    return [name for end in range(2, len(parts)) if (name := ".".join(parts[:end])) in modules]


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {target for statement, _ in _imports(tree) for target in _targets(statement, modules)}
        # a package's own modules load while it loads: their way back to it is no cycle
        graph[name] = targets - {name} - {package for package in targets if name.startswith(f"{package}.")}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles_among_docgen_modules() -> None:
    graph = import_graph()
    assert len(graph) > 25 and "docgen.formats.y2021" in graph
    assert graph["docgen.check"] >= {"docgen.variables", "docgen.load"} and "docgen.render" not in graph["docgen.check"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = import_graph()
    graph["docgen.errors"] = graph["docgen.errors"] | {"docgen.check"}  # errors → check → … → errors
    cycle = _cycle(graph)
    assert cycle is not None and cycle[0] == cycle[-1]


def test_function_level_imports_are_heavy_libraries_only() -> None:
    found = []
    for name, path in _modules().items():
        for statement, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not in_function:
                continue
            top = (
                statement.names[0].name if isinstance(statement, ast.Import) else statement.module or ""  # type: ignore[union-attr]
            ).split(".")[0]
            module = statement.names[0].name if isinstance(statement, ast.Import) else statement.module or ""  # type: ignore[union-attr]
            if top not in HEAVY and module not in OPTIONAL:
                found.append(f"{name}:{statement.lineno} {ast.unparse(statement)}")
    assert found == []


# --- one declaration per format -------------------------------------------------------------------------


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location("build_template", ROOT / "tools" / "build_template.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _declared_number_cells(fmt: Format) -> set[str]:
    """Every figure cell the format's grids declare, in lint's words."""
    cells = set()
    for index, grid in enumerate(fmt.grids, start=1):
        for number, count in grid.figure_rows():
            width = len(grid.rows[number - 1])
            cells |= {f"第{index}个表格第{number}行第{column}格" for column in range(width - count + 1, width + 1)}
    return cells


def _untagged(fmt: Format, tmp_path: Path) -> set[str]:
    """Build the format's template with the builder, wipe every tag from it, and ask lint which number cells
    lack one."""
    built = _builder().build(_builder().parts(fmt))
    stripped = tmp_path / f"untagged-{fmt.name}.docx"
    with zipfile.ZipFile(stripped, "w") as target, zipfile.ZipFile(io.BytesIO(built)) as source:
        for member in source.namelist():
            content = source.read(member)
            if member == "word/document.xml":
                content = re.sub(rb"\{\{[^}]*\}\}", b"", content)
            target.writestr(member, content)
    cells = [problem for problem in docgen.lint(stripped) if problem.rule == "template-cell"]
    return {re.search(r"第\d+个表格第\d+行第\d+格", problem.message).group() for problem in cells}  # type: ignore[union-attr]


@pytest.mark.parametrize("name", list(FORMATS))
def test_lint_and_the_builder_read_the_same_declaration(name: str, tmp_path: Path) -> None:
    fmt = FORMATS[name]
    assert _untagged(fmt, tmp_path) == _declared_number_cells(fmt)
    assert len(_declared_number_cells(fmt)) == {"2021": 6 + 4 + 25 * 7 + 15, "2019": 18 + 4 + 23 * 7 + 15}[name]


def test_a_changed_declaration_changes_both(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """One more figure row in table 2's declaration: the builder draws it and lint expects a tag in it."""
    fmt = FORMATS["2021"]
    grid = fmt.table2
    extra = (label("第二十条第（九）项：试验行"), Figure("table2.fees", span=3))
    changed = dataclasses.replace(fmt, table2=Grid(grid.name, grid.widths, (*grid.rows, extra), grid.marker))
    monkeypatch.setitem(FORMATS, "2021", changed)
    from docgen.lint import _sample_variables

    _sample_variables.cache_clear()  # lint's sample of the format is the changed one, whatever ran before
    try:
        untagged = _untagged(changed, tmp_path)
    finally:
        _sample_variables.cache_clear()
    assert "第1个表格第15行第2格" in untagged
    assert untagged == _declared_number_cells(changed) != _declared_number_cells(fmt)


def test_init_and_extract_follow_the_declaration(tmp_path: Path) -> None:
    """A blank 2019-format file comes from the declaration alone (init never wrote one before), renders,
    and extracts back to the same format and figures."""
    from docgen.starter import blank

    path = tmp_path / "2020.toml"
    path.write_text(blank("某县人民政府", 2020, FORMATS["2019"]), encoding="utf-8")
    report = docgen.load(path)
    assert report.format == "2019" and {problem.rule for problem in docgen.check(report)} == {"placeholder"}
    text = path.read_text(encoding="utf-8")
    assert "第二十条第（九）项 政府集中采购：采购项目数量、采购总金额，可带小数" in text
    result = docgen.extract(docgen.render_bytes(report), "2020.docx")
    assert result.format == "2019"
    assert result.data["table2"] == FORMATS["2019"].blank_tables()["table2"]
    assert [problem.rule for problem in result.warnings] == []


def test_the_format_is_detected_from_the_declared_markers() -> None:
    from docgen.formats import detect

    assert detect("本年新制作数量 上一年项目数量").name == "2019"
    assert detect("本年制发件数 现行有效件数").name == "2021"
    assert detect("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请").name == "2021"
    assert detect("（六）其他处理 （七）总计").name == "2019"
    assert detect("").name == "2021"


# --- readers and locations -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _JsonLocator:
    """Lines of a JSON file: the line where each key's name first appears after its parent's."""

    name: str
    text: str

    def locate(self, path: KeyPath) -> Location:
        position = 0
        for part in path:
            if isinstance(part, str) and (found := self.text.find(f'"{part}"', position)) >= 0:
                position = found
        return Location(self.name, line=self.text.count("\n", 0, position) + 1 if path else None)


def _read_json(data: bytes, name: str, path: Path | None = None) -> Document:
    """A reader gives plain values: JSON has no dates, so the ISO text of `date` becomes one."""
    text = data.decode("utf-8")

    def dates(table: dict[str, Any]) -> dict[str, Any]:
        return {key: datetime.date.fromisoformat(value) if key == "date" else value for key, value in table.items()}

    mapping = json.loads(text, parse_float=Decimal, object_hook=dates)
    return Document(Source(name, _JsonLocator(name, text), path), mapping)


def _example_as_json() -> str:
    from docgen.readers.toml import tomllib

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)
    data["report"]["date"] = str(data["report"]["date"])

    def number(value: object) -> object:
        assert isinstance(value, Decimal)
        return int(value) if value == value.to_integral_value() else float(value)

    return json.dumps(data, ensure_ascii=False, indent=1, default=number)


def test_a_reader_registered_in_a_test_renders_and_locates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(readers._READERS, ".json", _read_json)
    text = _example_as_json()
    (tmp_path / "保德.json").write_text(text, encoding="utf-8")
    written = docgen.render(tmp_path / "保德.json")
    assert written == tmp_path / "保德.docx"
    assert docx_units(written.read_bytes()) == docx_units(docgen.render_bytes(EXAMPLE))
    assert docgen.data_files([tmp_path]) == [tmp_path / "保德.json"]

    broken = text.replace('"new": [\n   4,', '"new": [\n   5,', 1)
    assert broken != text
    (tmp_path / "坏.json").write_text(broken, encoding="utf-8")
    (problem,) = docgen.check(tmp_path / "坏.json")
    assert problem.rule == "t3-balance" and problem.file == str(tmp_path / "坏.json")
    assert problem.line == broken[: broken.index('"table3"')].count("\n") + 1
    assert problem.format().startswith(f"{tmp_path / '坏.json'}:{problem.line}: t3-balance table3: ")
    (missing,) = [p for c in docgen.check_files([tmp_path]) for p in c.problems if p.rule == "t3-balance"]
    assert missing.file.endswith("坏.json")


def test_a_sheet_and_cell_location_prints_and_serialises() -> None:
    problem = docgen.Problem("t3-balance", "勾稽关系不符", key="table3").at(
        Location("2022.xlsx", sheet="表三", cell="C7")
    )
    assert problem.format() == "2022.xlsx:表三!C7: t3-balance table3: 勾稽关系不符"
    as_dict = problem.to_dict()
    assert (as_dict["sheet"], as_dict["cell"], as_dict["line"], as_dict["column"]) == ("表三", "C7", None, None)
    assert json.loads(json.dumps(as_dict, ensure_ascii=False)) == as_dict
    lined = docgen.Problem("toml-syntax", "x", file="a.toml", line=3, column=7)
    assert lined.format() == "a.toml:3:7: toml-syntax: x" and lined.to_dict()["key"] is None
    assert docgen.Problem("x", "y", expected=Decimal("1.50")).to_dict()["expected"] == "1.50"


def test_loads_and_from_dict_validate_like_load() -> None:
    from docgen.readers.toml import tomllib

    text = EXAMPLE.read_text(encoding="utf-8")
    assert docgen.loads(text, "x.toml").model_dump() == docgen.load(EXAMPLE).model_dump()
    mapping = tomllib.loads(text, parse_float=Decimal)
    assert docgen.from_dict(mapping).model_dump() == docgen.load(EXAMPLE).model_dump()
    mapping["table3"]["new"] = [-1, 0, 0, 0, 0, 0]
    with pytest.raises(docgen.DataError) as caught:
        docgen.from_dict(mapping, "表格程序")
    (problem,) = caught.value.problems
    assert (problem.file, problem.key, problem.line) == ("表格程序", "table3.new[0]", None)
    assert problem.format().startswith("表格程序: count table3.new[0]: ")


# --- the library API -------------------------------------------------------------------------------------


def test_every_workflow_is_a_library_function(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        re.sub(r"^new = +\[4,", "new = [5,", EXAMPLE.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
    )
    assert docgen.check(EXAMPLE) == [] and docgen.check(str(EXAMPLE), previous=EXAMPLE)
    assert [problem.rule for problem in docgen.check(broken)] == ["t3-balance"]
    assert [problem.rule for problem in docgen.check(tmp_path / "none.toml")] == ["file"]

    from docgen.readers.toml import tomllib

    mapping = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)
    written = docgen.render(mapping, tmp_path / "from-dict.docx")
    assert written.read_bytes() == docgen.render_bytes(EXAMPLE)
    with pytest.raises(docgen.DataError) as caught:
        docgen.render({"report": {}}, tmp_path / "x.docx")
    assert {problem.key for problem in caught.value.problems} >= {"report.issuer", "table3", "overview"}
    assert not (tmp_path / "x.docx").exists()

    result = docgen.extract(written)
    assert result.data["report"]["issuer"] == "保德县人民政府" and result.warnings == []
    (outcome,) = docgen.extract_files([written], tmp_path / "back.toml", check=True)
    assert (outcome.target, outcome.problems, outcome.failed) == (tmp_path / "back.toml", [], False)

    started = docgen.init(tmp_path / "2022.toml", previous=EXAMPLE)
    assert docgen.load(started).report.year == 2022
    assert [path.name for path in docgen.export_templates(tmp_path / "模板")] == [
        "annual-report-2019.docx",
        "annual-report-2021.docx",
        "audit-notice.docx",
    ]


def test_the_package_lists_its_api() -> None:
    code = (
        "import docgen\n"
        "missing = set(docgen.__all__) - set(dir(docgen))\n"
        "assert not missing, missing\n"
        "assert all(getattr(docgen, name) is not None for name in docgen.__all__)\n"
        "import types; assert isinstance(docgen.extract, types.FunctionType)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
