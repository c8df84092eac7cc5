"""Scores under a stated, editable scheme: points off per finding, by rule or else by severity (docgen's
default scheme is docgen/scoring.toml; `audit --scores` names another)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from docgen.errors import DataError, Problem, Severity
from docgen.load import MAX_FILE_BYTES
from docgen.messages import message
from docgen.readers import reader_for

DEFAULT = Path(__file__).with_name("scoring.toml")
MISSING = "roster-missing"
_SEVERITY_NAMES = {"错误": Severity.ERROR, "警告": Severity.WARNING, "读取存疑": Severity.DOUBT}


@dataclass(frozen=True)
class Scheme:
    full: Decimal
    by_rule: dict[str, Decimal] = field(default_factory=dict)
    by_severity: dict[Severity, Decimal] = field(default_factory=dict)
    source: str = ""

    def points_off(self, problem: Problem) -> Decimal:
        """A finding's points: its rule's, else its severity's; a body without a report loses the full mark
        unless the scheme says otherwise."""
        if problem.rule in self.by_rule:
            return self.by_rule[problem.rule]
        if problem.rule == MISSING:
            return self.full
        return self.by_severity.get(problem.severity, Decimal(0))


def load_scheme(path: Path | None = None) -> Scheme:
    """A scheme from its TOML file (docgen's default when `path` is None); DataError naming the key when a
    value is not a number ≥ 0."""
    path = path or DEFAULT
    try:
        data = reader_for(".toml")(path.read_bytes()[: MAX_FILE_BYTES + 1], str(path), path).data
    except OSError as error:
        raise DataError(
            [Problem("scores", message("scores-unreadable", reason=error.strerror or error), file=str(path))]
        ) from None

    def number(value: object, key: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)) or value < 0:
            raise DataError([Problem("scores", message("scores-value", key=key), file=str(path), key=key)])
        return Decimal(str(value))

    severities = data.get("按严重程度", {})
    rules = data.get("按规则", {})
    for key, table in (("按严重程度", severities), ("按规则", rules)):
        if not isinstance(table, dict):
            raise DataError([Problem("scores", message("scores-value", key=key), file=str(path), key=key)])
    unknown = [name for name in severities if name not in _SEVERITY_NAMES]
    if unknown:
        text = message("scores-severity", name=unknown[0], names="、".join(_SEVERITY_NAMES))
        raise DataError([Problem("scores", text, file=str(path), key=f"按严重程度.{unknown[0]}")])
    return Scheme(
        number(data.get("满分", 100), "满分"),
        {str(rule): number(value, f"按规则.{rule}") for rule, value in rules.items()},
        {_SEVERITY_NAMES[name]: number(value, f"按严重程度.{name}") for name, value in severities.items()},
        str(path),
    )


def score(problems: list[Problem], scheme: Scheme) -> tuple[Decimal, Counter[str]]:
    """What a body scores (the full mark less every finding's points, at least 0) and the points taken off by
    each rule."""
    taken: Counter[str] = Counter()
    for problem in problems:
        points = scheme.points_off(problem)
        if points:
            taken[problem.rule] += points  # type: ignore[assignment]
    return max(Decimal(0), scheme.full - sum(taken.values(), Decimal(0))), taken


def ranks(totals: list[Decimal]) -> list[int]:
    """Each total's place, highest first; equal totals share a place (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    return [ordered.index(total) + 1 for total in totals]
