"""The fast TOML reader gives exactly what tomllib gives, or declines (None) and leaves the document to
tomllib: compared on every data file docgen ships or writes, on hand-made edge cases and on generated
documents, dict order and value types included."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.readers import tomlfast
from docgen.readers.toml import _decimal

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def shape(value: Any) -> Any:
    """A value with its types and every dict's order made visible to ==."""
    if isinstance(value, dict):
        return ("dict", [(key, shape(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [shape(item) for item in value])
    return (type(value).__name__, repr(value))


def by_tomllib(text: str) -> Any:
    try:
        return shape(tomllib.loads(text, parse_float=_decimal))
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
        return error


def assert_agrees(text: str) -> Any:
    """The fast reader's answer, which is None or tomllib's."""
    fast = tomlfast.loads(text, _decimal)
    if fast is not None:
        expected = by_tomllib(text)
        assert not isinstance(expected, Exception), f"read here, refused by tomllib ({expected}): {text!r}"
        assert shape(fast) == expected, text
    return fast


def shipped_data_files() -> list[Path]:
    return sorted([*ROOT.glob("examples/*.toml"), *ROOT.glob("tests/**/*.toml")])


@pytest.mark.parametrize("path", shipped_data_files(), ids=lambda path: path.name)
def test_every_shipped_data_file_is_read_here_and_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert assert_agrees(text) is not None  # the files people copy must take the fast way


def test_files_docgen_writes_are_read_here() -> None:
    from docgen.blank import blank
    from docgen.formats import FORMATS

    for fmt in FORMATS.values():
        text = blank("神池县人民政府", 2025, fmt)
        assert assert_agrees(text) is not None, fmt.name


def test_a_report_with_crlf_and_a_bom_free_text() -> None:
    text = (ROOT / "examples" / "2021-baode.toml").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert assert_agrees(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        'a = "x\\ty"',  # an escape
        'a = """x"""',  # a multi-line string
        "a = '''x'''",
        "a.b = 1",  # a dotted key
        "a = 0x1F",  # hex
        "a = 1_000.5e3",  # float with underscores: read, as tomllib does
        "a = inf",
        "a = 1979-05-27T07:32:00",  # a time
        "a = 1979-05-27 07:32:00",
        "a = 07:32:00",
        "a = 2023-02-30",  # no such day
        "a = 1\na = 2",  # repeated key
        "[a]\n[a]",  # table twice
        "[a]\nb = 1\n[a.b]",  # a value entered as a table
        "a = {}\n[a.b]",  # an inline table entered by a header
        "a = [1]\n[[a]]",  # a static array appended to
        "[[a]]\n[a]",  # an array of tables named as a table
        "[a]\n[[a]]",
        "[a.b]\n[a]\nb = 1",  # a table's name given to a value
        "a = 1 b = 2",
        "a = 01",
        "a = [1,,2]",
        "a = [,]",
        "a = {b = 1,}",  # trailing comma in an inline table
        "a = {b = 1\n}",  # a line break in an inline table
        "a = {b = 1, b = 2}",
        "a = 1\r",  # a lone carriage return
        'a = "x\x01"',  # a control character in a string
        "# \x01\na = 1",  # … in a comment
        "a = [1 2]",
        "a =",
        "= 1",
        "a = 1e400",  # out of range: _decimal refuses it, tomllib words it
        "a = 9" + "9" * 5000,  # longer than Python reads as an integer
        "a = " + "[" * 100 + "]" * 100,  # deep
        "a = truex",
        "[ a . b ]\nc = 1",
        "[[ a ]]\n[ a . b ]\n[[a]]\n[a.b]",
        "[a.b.c]\n[a.b]\n[a]",
        "a = [ # note\n 1, # one\n 2, # two\n]",
        "a = [[1, 2], ['x', \"y\"], [{b = 2022-01-02}, true]]",
        '"quoted key" = 1\n\'literal key\' = 2\n"" = 3',
        "a = \"\"\nb = ''",
        "a = +1\nb = -0\nc = 1_000\nd = [+1, -2]",
        "a = 1.50\nb = -0.0\nc = 5e+22",
        "a = 2022-02-18 # comment\n",
        "  # only a comment",
        "",
        "\n\n",
        "a = 1 # trailing comment without newline",
        "a = '''\nb'''",
        'a = """',
    ],
)
def test_edge_cases_agree(text: str) -> None:
    assert_agrees(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1.50", {"a": Decimal("1.50")}),
        ("[ a . b ]\nc = 1", {"a": {"b": {"c": 1}}}),
        ("[[a]]\n[a.b]\nc = 1\n[[a]]", {"a": [{"b": {"c": 1}}, {}]}),
        ("d = 2022-02-18", {"d": datetime.date(2022, 2, 18)}),
        ('e = { lead = "x", items = [\n  "一",\n  "二",\n] }', {"e": {"lead": "x", "items": ["一", "二"]}}),
    ],
)
def test_common_shapes_are_read_here(text: str, expected: dict[str, Any]) -> None:
    assert assert_agrees(text) == expected


# --- generated documents -------------------------------------------------------------------------------

_KEYS = st.sampled_from(["a", "b", "c", '"a"', "'b'", '"空 格"', "1", "-_", '""'])
_TEXT = st.text(alphabet=st.sampled_from(list("ab 中文，。\t\\\"'#[]{}=\x01\x7f\r\u2028")), max_size=8)
_SCALARS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["0", "+0", "-0", "01", "1_0", "1__0", "_1", "1_", "0x10", "0o7", "0b1", "inf", "-nan"]),
    st.sampled_from(["1.5", "1.", ".5", "1e5", "1E-5", "-0.0", "1.5_0", "3.14e+2", "1e400"]),
    st.sampled_from(["true", "false", "True", "tru"]),
    st.sampled_from(["2022-02-18", "2023-02-30", "2022-13-01", "2022-02-18T08:00:00", "08:00:00", "1979-05-27 07:32"]),
    _TEXT.map(lambda text: f'"{text}"'),
    _TEXT.map(lambda text: f"'{text}'"),
    st.sampled_from(['"""x"""', "'''x'''", '"a\\tb"', '"\\u4e2d"']),
)
_GAP = st.sampled_from(["", " ", "\t", "  "])
_ARRAY_GAP = st.sampled_from(["", " ", "\n", " # c\n", "\n  "])


def _values(depth: int = 2) -> st.SearchStrategy[str]:
    if depth == 0:
        return _SCALARS
    inner = _values(depth - 1)
    array = st.tuples(st.lists(inner, max_size=4), _ARRAY_GAP, st.booleans()).map(
        lambda parts: "[" + parts[1] + ("," + parts[1]).join(parts[0]) + ("," if parts[2] and parts[0] else "") + "]"
    )
    table = st.lists(st.tuples(_KEYS, inner), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{key} = {value}" for key, value in pairs) + "}"
    )
    return st.one_of(_SCALARS, array, table)


_LINES = st.one_of(
    st.tuples(_GAP, _KEYS, _GAP, _values(), _GAP).map(
        lambda parts: f"{parts[0]}{parts[1]}{parts[2]}={parts[2]}{parts[3]}{parts[4]}"
    ),
    st.lists(_KEYS, min_size=1, max_size=3).map(lambda keys: "[" + ".".join(keys) + "]"),
    st.lists(_KEYS, min_size=1, max_size=3).map(lambda keys: "[[" + " . ".join(keys) + "]]"),
    st.sampled_from(["", "# 注释", "  # x", "a.b = 1", "[a", "x = 1 # 注", "\r"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_generated_documents_agree(lines: list[str], newline: str) -> None:
    assert_agrees(newline.join(lines))


# Documents of the shapes read here only (no key used twice, every table new): the fast reader must take them.
_PLAIN_SCALARS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6).map(str),
    st.dates().map(lambda day: day.isoformat()).filter(lambda text: len(text) == 10),
    st.booleans().map(lambda flag: "true" if flag else "false"),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"\\'), max_size=30).map(
        lambda text: f'"{text}"'
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True),
            st.lists(
                st.one_of(
                    _PLAIN_SCALARS, st.lists(_PLAIN_SCALARS, max_size=6).map(lambda items: "[" + ", ".join(items) + "]")
                ),
                max_size=5,
            ),
        ),
        max_size=6,
    )
)
def test_plain_documents_are_read_here(tables: list[tuple[list[str], list[str]]]) -> None:
    lines = []
    for number, (path, values) in enumerate(tables):
        lines.append(f"[[t{number}.{'.'.join(path)}]]")
        lines += [f"k{index} = {value}  # 注释" for index, value in enumerate(values)]
    assert assert_agrees("\n".join(lines) + "\n") is not None


def test_a_header_of_thousands_of_names_is_left_to_tomllib() -> None:
    # Newer tomllib and tomli refuse such a key; this reader must never accept what tomllib may refuse.
    assert tomlfast.loads("[" + ".".join(["a"] * 5000) + "]\nx = 1\n", _decimal) is None
    assert tomlfast.loads("[" + ".".join(["a"] * 8) + "]\nx = 1\n", _decimal) is not None
