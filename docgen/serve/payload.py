"""The shapes of what the editor sends, checked before any of it reaches the workspace: a live check's JSON
body and a save's form. Anything else — a body that is not JSON, a list where the fields belong, a key that
is not a key path, a value that is not text — is a BadRequest (HTTP 400 with a Chinese message), never an
exception deeper down."""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError
from pydantic import constr as text_of
from pydantic_core import from_json

from docgen.messages import MESSAGES, message

MAX_KEY = 200  # the longest key path of a report is under 60 characters
MAX_VALUE = 200_000  # characters of one field (a long paragraph is 2,000)
MAX_FIELDS = 5_000  # a report has about 400 figure cells and 100 texts

Key = text_of(min_length=1, max_length=MAX_KEY)
Value = Union[StrictStr, StrictInt, StrictFloat, StrictBool, None]


class BadRequest(Exception):
    """A request whose body does not have the shape of the editor's; `str()` is the message for the user."""


MAX_PARAGRAPHS = 500  # paragraphs (or items, or sub-sections) of one list: a long report has 40

Texts = Field(default_factory=list, max_length=MAX_PARAGRAPHS)


class EnumerationIn(BaseModel):
    """An enumeration as the editor lays it out: its lead, its items, the mark between them."""

    model_config = ConfigDict(extra="forbid")
    lead: text_of(max_length=MAX_VALUE) = ""  # type: ignore[valid-type]
    items: list[text_of(max_length=MAX_VALUE)] = Texts  # type: ignore[valid-type]
    separator: Literal["；", "。"] = "；"


ParagraphIn = Union[text_of(max_length=MAX_VALUE), EnumerationIn]  # type: ignore[valid-type]


class SectionIn(BaseModel):
    """A sub-section （一）（二）…: where it stood when the page was opened (None for a new one), its title and
    paragraphs."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    origin: Optional[int] = Field(default=None, alias="from", ge=0, lt=MAX_PARAGRAPHS)
    title: text_of(max_length=MAX_VALUE) = ""  # type: ignore[valid-type]
    paragraphs: list[ParagraphIn] = Texts


class NarrativeIn(BaseModel):
    """The narrative's structure and texts, as the editor has them after paragraphs, sub-sections and items
    were added, removed or moved: 导语, 一、总体情况 (paragraphs and sub-sections), 五 and 六."""

    model_config = ConfigDict(extra="forbid")
    preamble: list[ParagraphIn] = Texts
    overview: list[ParagraphIn] = Texts
    sections: list[SectionIn] = Texts
    problems: list[ParagraphIn] = Texts
    other: list[ParagraphIn] = Texts


class CheckBody(BaseModel):
    """POST …/check: {"fields": {key path: value as typed}, "narrative": {…} (see NarrativeIn)}."""

    model_config = ConfigDict(extra="forbid")
    fields: dict[Key, Value] = Field(default_factory=dict, max_length=MAX_FIELDS)  # type: ignore[valid-type]
    narrative: Optional[NarrativeIn] = None


class SaveForm(BaseModel):
    """POST …/save: the editor's fields, the file's version when opened, the CSRF token (checked before), and
    (from the page's script) the narrative's structure."""

    model_config = ConfigDict(extra="forbid")
    version: str = Field(default="", max_length=64)
    fields: dict[Key, text_of(max_length=MAX_VALUE)] = Field(default_factory=dict, max_length=MAX_FIELDS)  # type: ignore[valid-type]
    narrative: Optional[NarrativeIn] = None


def narrative_of(text: str) -> NarrativeIn | None:
    """The narrative a page sent (JSON), or None when it sent none."""
    if not text:
        return None
    try:
        return NarrativeIn.model_validate(from_json(text))
    except (ValueError, ValidationError) as error:
        raise BadRequest(_explained(error)) from None


def check_body(body: bytes) -> tuple[dict[str, str], NarrativeIn | None]:
    """A live check's fields, each value as text (as the form would send it), and its narrative."""
    try:
        parsed = CheckBody.model_validate(from_json(body or b"{}"))
    except (ValueError, ValidationError) as error:  # from_json raises ValueError on text that is not JSON
        raise BadRequest(_explained(error)) from None
    return {key: "" if value is None else str(value) for key, value in parsed.fields.items()}, parsed.narrative


def save_form(items: list[tuple[str, Any]]) -> SaveForm:
    """A save's form (its multi-dict items): each field once, each a text."""
    fields: dict[str, Any] = {}
    version: Any = ""
    narrative: Any = ""
    for key, value in items:
        if key == "_version":
            version = value
        elif key == "_narrative":
            narrative = value if isinstance(value, str) else ""
        elif key.startswith("_"):
            continue
        elif key in fields:
            raise BadRequest(message("serve-bad-body", detail=message("serve-body-twice", key=key[:MAX_KEY])))
        else:
            fields[key] = value
    try:
        return SaveForm.model_validate({"version": version, "fields": fields, "narrative": narrative_of(narrative)})
    except ValidationError as error:
        raise BadRequest(_explained(error)) from None


def _explained(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])[:MAX_KEY] or message("serve-body-request")
        what = first["type"] if f"serve-body-{first['type']}" in MESSAGES else "invalid"
        return message("serve-bad-body", detail=message(f"serve-body-{what}", where=where))
    return message("serve-bad-body", detail=message("serve-body-not-json"))
