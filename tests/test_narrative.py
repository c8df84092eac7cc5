"""Narrative quotes the data: expressions in the text render from the tables and [figures], and every
mistake in them is named with its key path — nothing is printed blank, nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import docx_units
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.api import render as render_file
from docgen.errors import DocgenError, Problem
from docgen.load import load

Make = Callable[..., Path]
OTHER = r'^  "无其他需报告的事项。",'


def rendered_other(make_data: Make, tmp_path: Path, text: str, *edits: tuple[str, str]) -> str:
    """Render the example with section 六 replaced by `text`; return that paragraph as printed."""
    data = make_data((OTHER, f"  {text!r},".replace("'", '"') if '"' not in text else f"  '{text}',"), *edits)
    units = docx_units(render_file(data, tmp_path / "out.docx").read_bytes())
    return units[units.index("六、其他需要报告的事项") + 1]


def render_problems(data: Path, tmp_path: Path) -> list[Problem]:
    with pytest.raises(DocgenError) as caught:
        render_file(data, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()
    return caught.value.problems


def test_example_derives_its_figures(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    text = "".join(docx_units(render_file(EXAMPLE, tmp_path / "out.docx").read_bytes()))
    assert "受理依申请公开政府信息4件，均100%办结" in text
    assert "接收市级事项134个，办结125个，办结率93%；下派事项85个，办结76个，办结率89%" in text
    assert "12345政务热线共受理各类群众诉求1503件，其中咨询类167件" in text


def test_changing_one_hotline_category_changes_the_total(make_data: Make, tmp_path: Path) -> None:
    data = make_data((r"^consulting = 167", "consulting = 200"))
    text = "".join(docx_units(render_file(data, tmp_path / "out.docx").read_bytes()))
    assert "共受理各类群众诉求1536件，其中咨询类200件" in text


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("{{ table3.new.total }}、{{ table3.new[0] }}、{{ table3.new.natural }}", "4、4、4"),
        ("{{ table3.results.total.total }}、{{ table3.results.unable_to_provide.not_held.natural }}", "4、1"),
        ("{{ table4.review.total }}、{{ table2.regulations.in_force }}", "0、0"),
        (
            "{{ report.issuer }}{{ report.year }}年，{{ report.date|date }}，{{ report.year|cn_year }}",
            "保德县人民政府2021年，2022年2月18日，二〇二一",
        ),
        ("{{ rate(table3.results.granted.total, table3.new.total, 1) }}", "75.0%"),
        ("{{ figures.hotline.total|num }}件，{{ figures.hotline.total|wan }}", "1503件，1503"),
        ('字面花括号：{{ "{{" }}x}}', "字面花括号：{{x}}"),
        ("A & B < C {{ table3.new.total }}", "A&B<C4"),
    ],
)
def test_expressions_render_from_the_data(make_data: Make, tmp_path: Path, text: str, printed: str) -> None:
    assert rendered_other(make_data, tmp_path, text) == printed


def test_figure_groups_sum_lists_and_tables_and_a_given_total_wins(make_data: Make, tmp_path: Path) -> None:
    edits = (
        (
            r"^\[figures\.platform_13710\]",
            "[figures.website]\ntotal = 1841\nimportant = 647\n\n[figures.platform_13710]",
        ),
        (r"^harassment = 0", "harassment = 0\nmonthly = [1, 2, 3.5]"),
    )
    text = "{{ figures.website.total }}、{{ figures.hotline.monthly.total }}、{{ figures.hotline.monthly[2] }}、{{ figures.hotline.total }}"
    assert rendered_other(make_data, tmp_path, text, *edits) == "1841、6.5、3.5、1509.5"


def test_typo_names_key_path_and_unknown_name(make_data: Make, tmp_path: Path) -> None:
    data = make_data((OTHER, '  "本年新收{{ table3.nwe.total }}件",'))
    (problem,) = render_problems(data, tmp_path)
    assert (problem.rule, problem.key) == ("narrative", "other.paragraphs[0]")
    assert "nwe" in problem.message and "未定义" in problem.message
    assert problem.line == next(n for n, line in enumerate(data.read_text().splitlines(), 1) if "nwe" in line)


def test_every_narrative_problem_is_reported_at_once(make_data: Make, tmp_path: Path) -> None:
    data = make_data(
        (
            OTHER,
            '  "{{ figures.nothing }}", "{{ rate(1, 0) }}", "{{ table3.new.total", "{{ \'\'.__class__.__mro__ }}",',
        ),
        (r'^title = "高度重视，高位推动"', 'title = "{{ table5 }}"'),
    )
    problems = render_problems(data, tmp_path)
    assert [p.key for p in problems] == [
        "overview.sections[0].title",
        "other.paragraphs[0]",
        "other.paragraphs[1]",
        "other.paragraphs[2]",
        "other.paragraphs[3]",
    ]
    messages = [p.message for p in problems]
    assert "table5" in messages[0] and "nothing" in messages[1]
    assert "rate" in messages[2] and "分母为 0" in messages[2]
    assert "写法有误" in messages[3]
    assert "__class__" in messages[4] and "不允许" in messages[4]


def test_enumeration_items_and_lead_are_expressions_too(make_data: Make, tmp_path: Path) -> None:
    data = make_data(
        (OTHER, '  { lead = "共{{ table3.new.total }}件：", items = ["{{ figures.hotline.help }}", "{{ oops }}"] },')
    )
    (problem,) = render_problems(data, tmp_path)
    assert problem.key == "other.paragraphs[0].items[1]" and "oops" in problem.message


def test_figures_hold_numbers_only(make_data: Make) -> None:
    data = make_data((r"^consulting = 167", 'consulting = "167件"'))
    with pytest.raises(DocgenError) as caught:
        load(data)
    (problem,) = caught.value.problems
    assert problem.key.startswith("figures.hotline") and "只能是数字" in problem.message


_LITERALS = st.text(alphabet=st.sampled_from(list("年件县，。&<>\"'{}%#-\r\n a;")), max_size=12)
_EXPRESSIONS = st.sampled_from(
    [" table3.new.total ", "table3.new[0]", " rate(76, 85) ", ' "{{" ', " figures.hotline.total|num ", " 3 + "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LITERALS, _EXPRESSIONS), max_size=4), _LITERALS)
def test_expressions_compiled_alone_render_what_the_whole_text_renders(parts: list[tuple[str, str]], last: str) -> None:
    """A paragraph's {{ expressions }} are compiled on their own (once per process); whatever the text
    around them, the result — or the refusal — is what Jinja gives for the whole text as one template."""
    from jinja2 import TemplateError

    from docgen.derive import derive
    from docgen.narrative import _compiled, _render
    from docgen.sandbox import environment
    from docgen.variables import figure_variables

    report = load(Path(__file__).parent.parent / "examples" / "2021-baode.toml")
    variables = figure_variables(report, derive(report))
    raw = "".join(literal + "{{" + expression + "}}" for literal, expression in parts) + last

    def outcome(render: Callable[[], str]) -> str:
        try:
            return render()
        except TemplateError as error:
            return f"error {type(error).__name__}"

    whole = outcome(lambda: str(_compiled(raw).render(variables)))
    assert outcome(lambda: _render(raw, {**environment().globals, **variables})) == whole
