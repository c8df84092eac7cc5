"""The web form's routes, one small function each. Every route reads its request, hands the work to the
workspace (through a pool when it may take more than a few milliseconds) and answers; the doors (sessions,
CSRF, origin, body sizes and shapes) are passed first, in `gate` and `verified`."""

from __future__ import annotations

import hmac
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from docgen import labels
from docgen.api import render_pdf
from docgen.blank import blank
from docgen.errors import ConvertError, DocgenError, Problem
from docgen.extract import extract, to_toml
from docgen.messages import message
from docgen.pdf import soffice
from docgen.publish import html_page
from docgen.serve.guard import Sessions, Throttle, same_origin
from docgen.serve.payload import BadRequest, NarrativeIn, check_body, save_form
from docgen.serve.pool import Busy, Pool
from docgen.serve.views import draft_json, editor_values, expressions_of, figure_labels, notice_text, problem_json
from docgen.starter import next_year
from docgen.workbook import workbook_bytes
from docgen.workspace import (
    UPLOAD_SUFFIXES,
    Conflict,
    Workspace,
    apply,
    check_draft,
    data_texts,
    format_of_data,
    is_narrative_key,
    typed,
    with_narrative,
)

SESSION_COOKIE = "docgen_session"
MB = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ServeLimits:
    """How much one request may send and how long it may take, and how much work may wait."""

    upload: int = 20 * MB  # a published report uploaded to read (the readers' own limits apply after)
    form: int = 2 * MB  # a save: every text and figure of one report (a long report is 60 KB)
    check: int = 1 * MB  # a live check's JSON
    login: int = 4096
    body_seconds: float = 60.0  # a body (even 20 MB on a slow line) must have arrived by then
    workers: int = 4  # opening, checking, saving
    queue: int = 32
    heavy_workers: int = 3  # PDFs, Word files, workbooks, uploads read
    heavy_queue: int = 6


@dataclass
class Context:
    """What every route shares: the folder, the doors, the pools, the page templates."""

    workspace: Workspace
    password: str | None
    pages: Any
    limits: ServeLimits = field(default_factory=ServeLimits)
    sessions: Sessions = field(default_factory=Sessions)
    throttle: Throttle = field(default_factory=Throttle)
    clock: Callable[[], float] = time.monotonic
    light: Pool = field(init=False)
    heavy: Pool = field(init=False)

    def __post_init__(self) -> None:
        self.light = Pool(self.limits.workers, self.limits.queue)
        self.heavy = Pool(self.limits.heavy_workers, self.limits.heavy_queue)


def _context(request: Request) -> Context:
    return request.app.state.docgen  # type: ignore[no-any-return]


# --- doors -------------------------------------------------------------------------------------------------


def _remember(request: Request, response: Response, session: str) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/", secure=secure)


def gate(request: Request) -> str | Response:
    """The request's session, or the response that refuses it (to the login page when a password is set)."""
    context = _context(request)
    session = request.cookies.get(SESSION_COOKIE)
    if not context.password:  # one user's machine: a session only ties the CSRF token to this browser
        return session if context.sessions.unlisted_valid(session) else context.sessions.new_unlisted()
    if session is not None and context.sessions.valid(session, context.clock()):
        return session
    return RedirectResponse("/login", 303)


def _refused(request: Request, text: str, status: int) -> Response:
    """A refusal in the form the caller reads: JSON for the live check, text otherwise."""
    if request.headers.get("content-type", "").startswith("application/json"):
        problem = {"rule": "request", "key": "", "message": text, "severity": "error"}
        return JSONResponse({"problems": [problem]}, status)
    return PlainTextResponse(text, status)


async def verified(request: Request, limit: int, is_json: bool = False) -> tuple[str, Any] | Response:
    """A POST's session and body (bytes for the JSON routes, the form otherwise), after the origin, the kind,
    the size and the CSRF token are checked — the token before a JSON body is parsed."""
    gated = gate(request)
    if isinstance(gated, Response):
        return gated
    context = _context(request)
    if not same_origin(request.headers.get("origin"), request.url.scheme, request.headers.get("host", "")):
        return _refused(request, message("serve-bad-request"), 403)
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > limit:
        return _refused(request, message("serve-upload-too-large", limit=max(1, limit // MB)), 413)
    if request.headers.get("content-type", "").startswith("application/json") != is_json:
        return _refused(request, message("serve-bad-body", detail=message("serve-body-kind")), 415)
    if is_json and not context.sessions.csrf_matches(gated, request.headers.get("x-csrf-token", "")):
        return _refused(request, message("serve-bad-request"), 403)
    try:
        with anyio.fail_after(context.limits.body_seconds):
            body: Any = await request.body() if is_json else await request.form(max_files=1, max_fields=6000)
    except TimeoutError:
        return _refused(request, message("serve-slow-client"), 408)
    except ClientDisconnect:
        return Response(status_code=400)
    except (ValueError, HTTPException):  # a form that does not parse (python-multipart's, Starlette's errors)
        return _refused(request, message("serve-bad-body", detail=message("serve-body-not-form")), 400)
    if not is_json and not context.sessions.csrf_matches(gated, _text(body.get("_csrf"))):
        return _refused(request, message("serve-bad-request"), 403)
    return gated, body


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def page(request: Request, template: str, session: str, status: int = 200, **values: Any) -> HTMLResponse:
    context = _context(request)
    html = context.pages.get_template(template).render(
        csrf=context.sessions.csrf(session), labels=labels, signed_in=bool(context.password), **values
    )
    response = HTMLResponse(html, status)
    _remember(request, response, session)
    return response


def _listing(request: Request, session: str, status: int = 200, **values: Any) -> HTMLResponse:
    context = _context(request)
    return page(request, "index.html", session, status, entries=context.workspace.entries(), **values)


# --- routes ------------------------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    context = _context(request)
    if request.method != "POST":
        return _login_page(context, None, notice_text(request.query_params.get("notice")))
    if not same_origin(request.headers.get("origin"), request.url.scheme, request.headers.get("host", "")):
        return PlainTextResponse(message("serve-bad-request"), 403)  # no one else's page may spend our attempts
    client = request.client.host if request.client else ""
    wait = context.throttle.wait(client, context.clock())
    if wait:
        return _login_page(context, message("serve-login-wait", seconds=wait), status=429, retry_after=wait)
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > context.limits.login:
        return PlainTextResponse(message("serve-bad-request"), 413)
    # Counted before the password is read: attempts sent side by side must not all pass the wait above.
    context.throttle.failed(client, context.clock())
    try:
        with anyio.fail_after(context.limits.body_seconds):
            form = await request.form(max_files=0, max_fields=5)
    except TimeoutError:
        return PlainTextResponse(message("serve-slow-client"), 408)
    except (ValueError, HTTPException, ClientDisconnect):
        return PlainTextResponse(message("serve-bad-request"), 400)
    if context.password and _password_matches(_text(form.get("password")), context.password):
        context.throttle.succeeded(client)
        response = RedirectResponse("/", 303)
        _remember(request, response, context.sessions.new(context.clock()))
        return response
    return _login_page(context, message("serve-login-failed"), status=403)


def _login_page(
    context: Context, error: str | None, notice: str | None = None, status: int = 200, retry_after: int = 0
) -> HTMLResponse:
    html = context.pages.get_template("login.html").render(error=error, notice=notice)
    return HTMLResponse(html, status, headers={"Retry-After": str(retry_after)} if retry_after else None)


def _password_matches(typed_password: str, password: str) -> bool:
    return hmac.compare_digest(typed_password.encode("utf-8", "replace"), password.encode("utf-8"))


async def logout(request: Request) -> Response:
    checked = await verified(request, _context(request).limits.login)
    if isinstance(checked, Response):
        return checked
    context = _context(request)
    context.sessions.end(checked[0])
    response = RedirectResponse("/login?notice=logged-out" if context.password else "/?notice=logged-out", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def index(request: Request) -> Response:
    gated = gate(request)
    if isinstance(gated, Response):
        return gated
    context = _context(request)
    entries = await context.light.run(context.workspace.entries)
    notice = notice_text(request.query_params.get("notice"))
    return page(request, "index.html", gated, entries=entries, pdf=_has_soffice(), notice=notice)


async def new_report(request: Request) -> Response:
    context = _context(request)
    checked = await verified(request, context.limits.upload)
    if isinstance(checked, Response):
        return checked
    session, form = checked
    kind = form.get("kind")
    try:
        if kind == "blank":
            name = _new_blank(context.workspace, _text(form.get("issuer")).strip(), _text(form.get("year")).strip())
        elif kind == "next-year":
            name = await context.light.run(_next_year, context.workspace, _text(form.get("source")))
        elif kind == "upload":
            content, filename = await _upload(form.get("document"), context.limits.upload)
            name = await context.heavy.run(_from_upload, context.workspace, content, filename)
        else:
            return PlainTextResponse(message("serve-bad-request"), 400)
    except DocgenError as error:
        return _listing(request, session, 400, problems=error.problems)
    return RedirectResponse(f"/r/{quote(name)}", 303)


async def editor(request: Request) -> Response:
    gated = gate(request)
    if isinstance(gated, Response):
        return gated
    context = _context(request)
    name = request.path_params["name"]
    try:
        opened = await context.light.run(context.workspace.open, name)
    except DocgenError as error:
        return _listing(request, gated, 404, problems=error.problems)
    notice = request.query_params.get("notice")
    values = {
        **editor_values(name, opened.draft, opened.version, notice),
        "drafted": opened.drafted,
        "stale_draft": opened.stale_draft,
    }
    return page(request, "editor.html", gated, **values)


async def check_edit(request: Request) -> Response:
    context = _context(request)
    checked = await verified(request, context.limits.check, is_json=True)
    if isinstance(checked, Response):
        return checked
    name = request.path_params["name"]
    try:
        fields, narrative = check_body(checked[1])
        draft = await context.light.run(_checked, context.workspace, name, fields, narrative)
    except BadRequest as error:
        return _refused(request, str(error), 400)
    except DocgenError as error:
        return JSONResponse({"problems": [problem_json(problem) for problem in error.problems]}, 400)
    return JSONResponse(draft_json(draft))


async def save(request: Request) -> Response:
    context = _context(request)
    checked = await verified(request, context.limits.form)
    if isinstance(checked, Response):
        return checked
    session, form = checked
    name = request.path_params["name"]
    try:
        submitted = save_form(form.multi_items())
        saved = await context.light.run(
            _saved, context.workspace, name, submitted.fields, submitted.version, submitted.narrative
        )
    except BadRequest as error:
        return PlainTextResponse(str(error), 400)
    except Conflict as error:
        draft = await context.light.run(_checked, context.workspace, name, submitted.fields, submitted.narrative)
        values = editor_values(name, draft, submitted.version, None)  # the edits stay, beside the conflict
        values["conflict"] = error.problems[0].message
        return page(request, "editor.html", session, 409, **values)
    except DocgenError as error:
        return _listing(request, session, 400, problems=error.problems)
    notice = "saved-draft" if saved.draft.errors else "saved"
    return RedirectResponse(f"/r/{quote(name)}?notice={notice}", 303)


async def download(request: Request) -> Response:
    gated = gate(request)
    if isinstance(gated, Response):
        return gated
    context = _context(request)
    name, kind = request.path_params["name"], request.path_params["kind"]
    made = _DOWNLOADS.get(kind)
    if made is None:
        return PlainTextResponse(message("serve-bad-request"), 404)
    build, media = made
    try:
        content = await context.heavy.run(build, context.workspace, name)
    except DocgenError as error:
        return PlainTextResponse("\n".join(problem.message for problem in error.problems), 409)
    if kind == "html":
        return HTMLResponse(content, headers=PREVIEW_HEADERS)
    disposition = f"attachment; filename*=UTF-8''{quote(Path(name).stem)}.{kind}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


async def busy(request: Request, error: Exception) -> Response:
    """A pool's waiting line is full: come back in a few seconds."""
    making = "/download/" in request.url.path or request.url.path == "/new"
    response = _refused(
        request, message("serve-busy", what=message("serve-busy-making" if making else "serve-busy-other")), 503
    )
    response.headers["Retry-After"] = "5"
    return response


EXCEPTION_HANDLERS = {Busy: busy}

# The published page styles itself and runs nothing: shown inside the editor, never anywhere else.
PREVIEW_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
    "x-frame-options": "SAMEORIGIN",
}


# --- the work, done in a pool ------------------------------------------------------------------------------


def _edited(data: Any, fields: dict[str, str], narrative: NarrativeIn | None) -> dict[str, Any]:
    """The data with the page's edits: the narrative as laid out on the page (when its script sent one),
    then every other field at its key path. Tokens become expressions again, written as the file wrote them."""
    by_label = figure_labels(format_of_data(data))
    written = "\n".join(text for _, text in data_texts(data))

    def expressions(text: str) -> str:
        return expressions_of(text, by_label, written) if "【" in text else text

    if narrative is not None:
        data = with_narrative(data, _plain_narrative(narrative, expressions))
        fields = {key: value for key, value in fields.items() if not is_narrative_key(key)}
    return apply(data, {key: typed(key, expressions(value)) for key, value in fields.items()})


def _plain_narrative(narrative: NarrativeIn, expressions: Callable[[str], str]) -> dict[str, Any]:
    def paragraphs(items: list[Any]) -> list[Any]:
        return [
            expressions(item)
            if isinstance(item, str)
            else {
                "lead": expressions(item.lead),
                "items": [expressions(text) for text in item.items],
                "separator": item.separator,
            }
            for item in items
        ]

    return {
        "preamble": paragraphs(narrative.preamble),
        "overview": paragraphs(narrative.overview),
        "sections": [
            {"from": section.origin, "title": expressions(section.title), "paragraphs": paragraphs(section.paragraphs)}
            for section in narrative.sections
        ],
        "problems": paragraphs(narrative.problems),
        "other": paragraphs(narrative.other),
    }


def _checked(workspace: Workspace, name: str, fields: dict[str, str], narrative: NarrativeIn | None = None) -> Any:
    return check_draft(name, _edited(workspace.data(name), fields, narrative))


def _saved(
    workspace: Workspace, name: str, fields: dict[str, str], version: str, narrative: NarrativeIn | None = None
) -> Any:
    return workspace.save(name, _edited(workspace.data(name), fields, narrative), version)


def _new_blank(workspace: Workspace, issuer: str, year: str) -> str:
    name = workspace.free_name(f"{year}-{issuer}")
    return workspace.create(name, blank(issuer or "（机关名称）", int(year) if year.isdigit() else 2025).encode())


def _next_year(workspace: Workspace, source: str) -> str:
    path = workspace.path(source)
    text = next_year(path)
    found = re.search(r"^year\s*=\s*(\d{4})", text, re.MULTILINE)
    year = found.group(1) if found else ""
    name = workspace.free_name(f"{year}-{Path(source).stem}" if year else f"{Path(source).stem}-下一年")
    return workspace.create(name, text.encode("utf-8"))


async def _upload(upload: Any, limit: int) -> tuple[bytes, str]:
    """The bytes and name of an uploaded published report, refused when of another kind or too large."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise DocgenError([Problem("upload", message("serve-upload-kind"))])
    if Path(upload.filename).suffix.lower() not in UPLOAD_SUFFIXES:
        raise DocgenError([Problem("upload", message("serve-upload-kind"))])
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise DocgenError([Problem("upload", message("serve-upload-too-large", limit=max(1, limit // MB)))])
    return content, Path(upload.filename).name


def _from_upload(workspace: Workspace, content: bytes, filename: str) -> str:
    """A published report the user uploaded, read by extract into a new data file."""
    text = to_toml(extract(content, filename))
    return workspace.create(workspace.free_name(Path(filename).stem), text.encode("utf-8"))


def _has_soffice() -> bool:
    """Whether PDFs can be made here: LibreOffice found the way the PDF step finds it."""
    try:
        soffice()
    except ConvertError:
        return False
    return True


def _pdf(workspace: Workspace, name: str) -> bytes:
    report = workspace.report(name)
    with tempfile.TemporaryDirectory(prefix="docgen-serve-") as folder:
        return render_pdf(report, Path(folder) / "report.docx").read_bytes()


def _workbook(workspace: Workspace, name: str) -> bytes:
    return workbook_bytes(workspace.report(name))


def _html(workspace: Workspace, name: str) -> str:
    return html_page(workspace.report(name))


_DOWNLOADS: dict[str, tuple[Callable[[Workspace, str], Any], str]] = {
    "docx": (Workspace.docx, DOCX),
    "pdf": (_pdf, "application/pdf"),
    "xlsx": (_workbook, XLSX),
    "html": (_html, "text/html"),
}
