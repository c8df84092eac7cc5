"""The sandbox every template and narrative expression runs in: Jinja's SandboxedEnvironment with
autoescaping and StrictUndefined (a misspelt name is an error, never an empty cell), docgen's formatting
filters and functions, and nothing else. Templates and data files come from anywhere: this is the one place
that decides what their expressions may reach."""

from __future__ import annotations

from functools import cache
from typing import Any

from docgen import formatting


@cache
def environment() -> Any:
    """The sandboxed Jinja environment every template and narrative is rendered in (one per process: it
    holds no per-report state, and its compiled narrative templates are reused across a batch)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class DataEnvironment(SandboxedEnvironment):
        """`table3.results.withheld` on the plain dicts of figures finds the key at once. Jinja would first
        try (and fail) a Python attribute for each of a template's hundreds of such lookups; a missing key
        still goes the sandbox's way (a dict's methods, else undefined)."""

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    env = DataEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(formatting.FILTERS)
    env.globals.update(formatting.FUNCTIONS)
    return env
