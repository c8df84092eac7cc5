"""Narrative that quotes the data: every narrative string is a small Jinja template, rendered in the sandbox
against the report's figures, so the text can never say one number and the table another.

    受理依申请公开政府信息{{ table3.new.total }}件，办结率{{ rate(125, 134) }}
    12345政务热线共受理各类群众诉求{{ figures.hotline.total }}件

Names: `report` (issuer, year, date), `table2`, `table3` and `table4` (every printed figure, totals included,
by key path and column name), `figures` (the data file's free-form [figures]); filters and `rate` from
formatting.py. An unknown name is an error that names the text's key path, never a blank.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, Undefined, UndefinedError
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from docgen.errors import DataError, ExpressionLimit, FilterError, KeyPath, Problem
from docgen.messages import did_you_mean, message
from docgen.model import Report
from docgen.sandbox import BUDGET, environment, member_names, new_budget

_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_UNKNOWN_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'|has no element '?([^' ]+)'?")


@lru_cache(maxsize=4096)
def _compiled(raw: str) -> Any:
    """A narrative string compiled once per process (a batch repeats the same texts many times)."""
    return environment().from_string(raw)


_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NEWLINES = re.compile(r"\r\n|\r")


# Between the expressions of one text when they render together; narrative and figures can never hold it
# (a control character: the model refuses it in every text).
_SEPARATOR = "\x00"


@lru_cache(maxsize=4096)
def _expressions(sources: tuple[str, ...]) -> Any:
    """One template rendering these expressions, separated: texts that quote the same figures share it."""
    return _compiled(_SEPARATOR.join("{{" + source + "}}" for source in sources))


@lru_cache(maxsize=4096)
def _pieces(raw: str) -> tuple[tuple[str, ...], Any] | None:
    """The text's literal pieces and one template of its {{ expressions }}, when it holds nothing else of
    Jinja's. Each county words its paragraphs differently but quotes the same few figures, so compiling the
    expressions alone (once per process) saves compiling every paragraph of every report. Rendered, they
    give exactly what the whole text as a template gives: literals with Jinja's newline handling (\\r\\n →
    \\n, one final newline dropped). None for anything else (statements, comments, whitespace control,
    stray braces, a syntax error): the caller compiles the whole text, which also words any error."""
    if any(marker in raw for marker in ("{%", "{#", "{{-", "-}}")):
        return None
    literals: list[str] = []
    sources: list[str] = []
    position = 0
    for match in _EXPRESSION.finditer(raw):
        literals.append(raw[position : match.start()])
        sources.append(match.group(1))
        position = match.end()
    literals.append(raw[position:])
    if any("{{" in literal or "}}" in literal for literal in literals):
        return None
    try:
        template = _expressions(tuple(sources))
    except TemplateSyntaxError:
        return None
    literals = [_NEWLINES.sub("\n", literal) for literal in literals]
    if literals[-1].endswith("\n"):
        literals[-1] = literals[-1][:-1]
    return tuple(literals), template


def _run(template: Any, scope: dict[str, Any]) -> str:
    """template.render(scope) without its per-call copy of the names: `scope` already holds the globals."""
    return str(template.environment.concat(template.root_render_func(template.new_context(scope, shared=True))))


def _render(raw: str, scope: dict[str, Any]) -> str:
    """`raw` rendered against `scope` (the figure variables over the environment's globals)."""
    pieces = _pieces(raw)
    if pieces is None:
        return _run(_compiled(raw), scope)
    literals, template = pieces
    values = _run(template, scope).split(_SEPARATOR) if len(literals) > 1 else []
    return "".join(literal + value for literal, value in zip(literals, [*values, ""]))


class NarrativeRenderer:
    """Renders narrative strings one by one, collecting every problem, then `raise_problems()` once."""

    def __init__(self, report: Report, variables: dict[str, Any]) -> None:
        self._report = report
        # Every text renders in the same names: built once here, not copied for each of a report's texts.
        self._scope = {**environment().globals, **variables, BUDGET: new_budget()}  # one budget for the report
        self.problems: list[Problem] = []

    def text(self, raw: str, path: KeyPath) -> str:
        if "{" not in raw:  # most paragraphs quote nothing: no template to compile
            return raw
        try:
            rendered = _render(raw, self._scope)
        except TemplateSyntaxError as error:
            text = message("narrative-syntax", reason=error.message, line=error.lineno)
            return self._fail("narrative", path, text, raw)
        except UndefinedError as error:
            return self._undefined(path, error, raw)
        except SecurityError as error:
            return self._fail("narrative", path, message("narrative-security", reason=error), raw)
        except ExpressionLimit as error:
            return self._fail("narrative", path, message("narrative-limit", reason=error), raw)
        except MemoryError:
            return self._fail("narrative", path, message("narrative-limit", reason=message("limit-memory")), raw)
        except RecursionError:
            return self._fail("narrative", path, message("narrative-limit", reason=message("limit-recursion")), raw)
        except FilterError as error:
            if isinstance(error.value, Undefined):  # a misspelt name handed to a function: rate(figures.nwe, 1)
                try:
                    str(error.value)
                except UndefinedError as undefined:
                    return self._undefined(path, undefined, raw)
            return self._fail("narrative", path, message("narrative-error", reason=error.describe()), raw)
        except (TemplateError, TypeError, ValueError, ArithmeticError) as error:
            return self._fail("narrative", path, message("narrative-error", reason=error), raw)
        # Autoescaping is on in every environment; the text is plain here and escaped once in the document.
        return str(Markup(rendered).unescape())

    def _undefined(self, path: KeyPath, error: Exception, raw: str) -> str:
        found = _UNKNOWN_NAME.search(str(error))
        name = next((group for group in found.groups() if group), str(error)) if found else str(error)
        text = message("narrative-undefined", name=name, suggestion=self._suggestion(name, raw))
        return self._fail("narrative", path, text, raw)

    def _suggestion(self, name: str, raw: str) -> str:
        """Did-you-mean for a misspelt name, as data file keys have: the closest name where the text wrote
        `name` (table3.nwe.total → table3.new), or "" when nothing is close."""
        for chain in _DOTTED_NAME.findall(raw):
            parts = chain.split(".")
            if name not in parts:
                continue
            before = parts[: parts.index(name)]
            if any(part.startswith("_") for part in before):  # never past the sandbox's boundary, even for names
                continue
            container: Any = self._scope
            for part in before:
                container = container.get(part) if isinstance(container, dict) else getattr(container, part, None)
            visible = [choice for choice in member_names(container) if not str(choice).startswith("_")]
            suggestion = did_you_mean(name, visible, prefix="".join(f"{part}." for part in before))
            if suggestion:
                return suggestion
        return ""

    def _fail(self, rule: str, path: KeyPath, text: str, raw: str) -> str:
        self.problems.append(self._report.problem(rule, path, text))
        return raw

    def raise_problems(self) -> None:
        if self.problems:
            raise DataError(self.problems)
