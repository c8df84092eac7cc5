"""`docgen serve`: the workspace (workspace.py) as web pages, for staff who never open a data file.

A thin adapter: every page and action calls a workspace function. Server-rendered pages (docgen/web/*.html,
Jinja with autoescape) and one small script (docgen/web/editor.js); nothing is fetched from elsewhere, so
the pages work on an offline intranet.

Security: one process, one workspace folder. Every name is confined to the folder (workspace.Workspace.path).
Every change is a POST carrying the session's CSRF token, whose cookie is SameSite=Strict and HttpOnly;
requests must name this server in their Host header (no DNS rebinding). With a password (required to
serve other machines), every page but the login needs a session from it.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen import labels
from docgen.api import render_pdf
from docgen.blank import blank
from docgen.errors import ConvertError, DocgenError, Problem
from docgen.extract import extract, to_toml
from docgen.formats import FORMATS
from docgen.formats.layout import Figure, Grid, Label, key_text, merges, parse_key
from docgen.messages import message
from docgen.pdf import soffice
from docgen.publish import html_page
from docgen.starter import next_year
from docgen.workbook import workbook_bytes
from docgen.workspace import (
    UPLOAD_SUFFIXES,
    Conflict,
    Draft,
    Workspace,
    apply,
    check_draft,
    lookup,
    typed,
)

WEB = Path(__file__).with_name("web")
UPLOAD_LIMIT = 20 * 1024 * 1024
FORM_LIMIT = 8 * 1024 * 1024  # an editor's form: all texts and figures of one report
SESSION_COOKIE = "docgen_session"
TABLE_PARTS = ("format", "report", "table2", "table3", "table4", "figures", "style")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Settings:
    password: str | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sessions: set[str] = field(default_factory=set)


def create_app(folder: Path | str, host: str = "127.0.0.1", password: str | None = None) -> Starlette:
    """The web app serving `folder`. Raises ValueError (message "serve-needs-password") when `host` is not a
    loopback address and there is no password."""
    if not is_loopback(host) and not password:
        raise ValueError(message("serve-needs-password", host=host))
    settings = Settings(password or None)
    workspace = Workspace(folder)
    pages = _pages()

    def session_of(request: Request) -> str | None:
        token = request.cookies.get(SESSION_COOKIE)
        return token if token in settings.sessions else None

    def csrf_of(session: str) -> str:
        return hmac.new(settings.secret, session.encode(), "sha256").hexdigest()

    def page(request: Request, template: str, session: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = pages.get_template(template).render(csrf=csrf_of(session), labels=labels, **values)
        response = HTMLResponse(html, status)
        _remember(response, session)
        return response

    def _remember(response: Response, session: str) -> None:
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")

    def gate(request: Request) -> str | Response:
        """The request's session, or the response that refuses it (to the login page when a password is set)."""
        session = session_of(request)
        if session is None:
            if settings.password:
                return RedirectResponse("/login", 303)
            session = secrets.token_urlsafe(24)
            settings.sessions.add(session)
        return session

    async def verified(request: Request, limit: int = FORM_LIMIT) -> tuple[str, Any] | Response:
        """A POST's session and form, after the CSRF token, the origin and the size are checked."""
        gated = gate(request)
        if isinstance(gated, Response):
            return gated
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
            return PlainTextResponse(message("serve-bad-request"), 403)
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > limit:
            return PlainTextResponse(message("serve-upload-too-large", limit=limit // 1024 // 1024), 413)
        if request.headers.get("content-type", "").startswith("application/json"):
            form: Any = json.loads(await request.body() or b"{}")
            token = request.headers.get("x-csrf-token", "")
        else:
            form = await request.form(max_files=1, max_fields=5000, max_part_size=limit)
            token = str(form.get("_csrf", ""))
        if not hmac.compare_digest(token.encode("utf-8"), csrf_of(gated).encode("utf-8")):
            return PlainTextResponse(message("serve-bad-request"), 403)
        return gated, form

    async def login(request: Request) -> Response:
        if request.method == "POST":
            form = await request.form(max_files=0, max_fields=5)
            typed_password = str(form.get("password", "")).encode("utf-8")
            if settings.password and hmac.compare_digest(typed_password, settings.password.encode("utf-8")):
                session = secrets.token_urlsafe(24)
                settings.sessions.add(session)
                response = RedirectResponse("/", 303)
                _remember(response, session)
                return response
            html = pages.get_template("login.html").render(error=message("serve-login-failed"))
            return HTMLResponse(html, 403)
        return HTMLResponse(pages.get_template("login.html").render(error=None))

    async def index(request: Request) -> Response:
        gated = gate(request)
        if isinstance(gated, Response):
            return gated
        pdf = _has_soffice()
        notice = request.query_params.get("notice")
        return page(request, "index.html", gated, entries=workspace.entries(), pdf=pdf, notice=notice)

    async def new_report(request: Request) -> Response:
        checked = await verified(request, UPLOAD_LIMIT)
        if isinstance(checked, Response):
            return checked
        session, form = checked
        kind = form.get("kind")
        try:
            if kind == "blank":
                issuer, year = str(form.get("issuer", "")).strip(), str(form.get("year", "")).strip()
                name = workspace.free_name(f"{year}-{issuer}")
                workspace.create(name, blank(issuer or "（机关名称）", int(year) if year.isdigit() else 2025).encode())
            elif kind == "next-year":
                name = _next_year(workspace, str(form.get("source", "")))
            elif kind == "upload":
                name = await _from_upload(workspace, form.get("document"))
            else:
                return PlainTextResponse(message("serve-bad-request"), 400)
        except DocgenError as error:
            return page(request, "index.html", session, 400, entries=workspace.entries(), problems=error.problems)
        return RedirectResponse(f"/r/{quote(name)}", 303)

    async def editor(request: Request) -> Response:
        gated = gate(request)
        if isinstance(gated, Response):
            return gated
        name = request.path_params["name"]
        try:
            opened = workspace.open(name)
        except DocgenError as error:
            return page(request, "index.html", gated, 404, entries=workspace.entries(), problems=error.problems)
        notice = request.query_params.get("notice")
        return page(request, "editor.html", gated, **_editor_values(name, opened.draft, opened.version, notice))

    async def check_edit(request: Request) -> Response:
        checked = await verified(request)
        if isinstance(checked, Response):
            return checked
        _, changes = checked
        name = request.path_params["name"]
        try:
            draft = check_draft(name, apply(workspace.read(name)[0].data, _typed(changes.get("fields", {}))))
        except DocgenError as error:
            return JSONResponse({"problems": [_problem(problem) for problem in error.problems]}, 400)
        return JSONResponse(_draft_json(draft))

    async def save(request: Request) -> Response:
        checked = await verified(request)
        if isinstance(checked, Response):
            return checked
        session, form = checked
        name = request.path_params["name"]
        fields = {key: value for key, value in form.items() if not key.startswith("_")}
        try:
            data = apply(workspace.read(name)[0].data, _typed(fields))
            saved = workspace.save(name, data, str(form.get("_version", "")))
        except Conflict as error:
            draft = check_draft(name, data)  # the edits stay on the page, beside the conflict
            values = _editor_values(name, draft, str(form.get("_version", "")), None)
            values["conflict"] = error.problems[0].message
            return page(request, "editor.html", session, 409, **values)
        except DocgenError as error:
            return page(request, "index.html", session, 400, entries=workspace.entries(), problems=error.problems)
        notice = "saved-draft" if saved.draft.errors else "saved"
        return RedirectResponse(f"/r/{quote(name)}?notice={notice}", 303)

    async def download(request: Request) -> Response:
        gated = gate(request)
        if isinstance(gated, Response):
            return gated
        name, kind = request.path_params["name"], request.path_params["kind"]
        stem = Path(name).stem
        try:
            if kind == "docx":
                content, media = (
                    workspace.docx(name),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                )
            elif kind == "pdf":
                content, media = _pdf(workspace, name), "application/pdf"
            elif kind == "xlsx":
                content = workbook_bytes(workspace.report(name))
                media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            elif kind == "html":
                return HTMLResponse(html_page(workspace.report(name)), headers=_PREVIEW_HEADERS)
            else:
                return PlainTextResponse(message("serve-bad-request"), 404)
        except DocgenError as error:
            text = "\n".join(problem.message for problem in error.problems)
            return PlainTextResponse(text, 409)
        disposition = f"attachment; filename*=UTF-8''{quote(stem)}.{kind}"
        return Response(content, media_type=media, headers={"Content-Disposition": disposition})

    routes = [
        Route("/", index),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/new", new_report, methods=["POST"]),
        Route("/r/{name}", editor),
        Route("/r/{name}/check", check_edit, methods=["POST"]),
        Route("/r/{name}/save", save, methods=["POST"]),
        Route("/r/{name}/download/{kind}", download),
    ]
    routes.append(Mount("/static", StaticFiles(directory=WEB / "static"), name="static"))
    allowed = sorted({"127.0.0.1", "localhost", host} if is_loopback(host) else {"*"})
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed), Middleware(_SecurityHeaders)]
    return Starlette(routes=routes, middleware=middleware)


class _SecurityHeaders:
    """Headers every response carries: no script or style from elsewhere, no framing, no sniffing."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(event: Any) -> None:
            if event["type"] == "http.response.start":
                headers = list(event.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in _HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                event = {**event, "headers": headers}
            await send(event)

        await self.app(scope, receive, with_headers)


_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make the browser send "Origin: null" with our own forms
    "x-frame-options": "DENY",
}
# The published page styles itself and runs nothing: shown inside the editor, never anywhere else.
_PREVIEW_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
    "x-frame-options": "SAMEORIGIN",
}


def _pages() -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FileSystemLoader(WEB), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )


def _typed(fields: Any) -> dict[str, Any]:
    return {str(key): typed(str(key), str(value)) for key, value in dict(fields).items()}


def _problem(problem: Problem) -> dict[str, Any]:
    return {"rule": problem.rule, "key": problem.key, "message": problem.message, "severity": str(problem.severity)}


def _draft_json(draft: Draft) -> dict[str, Any]:
    return {
        "problems": [_problem(problem) for problem in draft.problems],
        "figures": draft.figures,
        "balanced": draft.balanced,
        "errors": draft.errors,
        "warnings": draft.warnings,
    }


@dataclass(frozen=True)
class Cell:
    """One cell of a table as the editor draws it."""

    text: str = ""
    key: str = ""  # a figure's key path
    entered: bool = False  # typed by the clerk (else derived: a total)
    value: object = ""
    colspan: int = 1
    rowspan: int = 1
    column: int = -1  # the applicant column of table 3 (for the 勾稽 mark)


def _grid_rows(grid: Grid, draft: Draft) -> list[list[Cell]]:
    """The grid as HTML rows: merged cells get their row and column spans, covered cells are left out."""
    spans = {(top, left): (bottom - top + 1) for top, left, bottom, _ in merges(grid)}
    rows: list[list[Cell]] = []
    for row_index, row in enumerate(grid.rows):
        cells: list[Cell] = []
        column = 0
        for cell in row:
            if isinstance(cell, Label):
                if cell.merge != "continue":
                    text = "\n".join(cell.printed_lines)
                    cells.append(Cell(text=text, colspan=cell.span, rowspan=spans.get((row_index, column), 1)))
            elif isinstance(cell, Figure):
                path = parse_key(cell.key)
                entered = _entered(draft.data, path)
                value = lookup(draft.data, path) if entered else draft.figures.get(cell.key, "")
                position = path[-1] if isinstance(path[-1], int) and path[0] == "table3" else -1
                cells.append(Cell(key=cell.key, entered=entered, value=value, colspan=cell.span, column=position))
            column += cell.span
        rows.append(cells)
    return rows


def _entered(data: Any, path: tuple[Any, ...]) -> bool:
    try:
        value = lookup(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return not isinstance(value, (dict, list))


def _texts(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[str, str]]:
    """Every text of the narrative, in the file's order: (key path, text)."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not path and key in TABLE_PARTS:
                continue
            found += _texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _texts(value, (*path, index))
    elif isinstance(data, str) and path:
        found.append((key_text(path), data))
    return found


def _editor_values(name: str, draft: Draft, version: str, notice: str | None) -> dict[str, Any]:
    fmt = FORMATS[draft.format_name]
    titles = (
        "表二 主动公开政府信息情况",
        "表三 收到和处理政府信息公开申请情况",
        "表四 政府信息公开行政复议、行政诉讼情况",
    )
    report = draft.data.get("report", {}) if isinstance(draft.data.get("report"), dict) else {}
    by_key: dict[str, list[dict[str, Any]]] = {}
    for problem in draft.problems:
        by_key.setdefault(problem.key, []).append(_problem(problem))
    figures = sorted(draft.figures.items())
    return {
        "name": name,
        "version": version,
        "notice": notice,
        "conflict": None,
        "report": report,
        "texts": _texts(draft.data),
        "tables": [(title, _grid_rows(grid, draft)) for title, grid in zip(titles, fmt.grids)],
        "problems": [_problem(problem) for problem in draft.problems],
        "by_key": by_key,
        "figures": figures,
        "draft": draft,
        "initial": json.dumps(_draft_json(draft), ensure_ascii=False),
    }


def _next_year(workspace: Workspace, source: str) -> str:
    path = workspace.path(source)
    text = next_year(path)
    year = _year_in(text)
    name = workspace.free_name(f"{year}-{Path(source).stem}" if year else f"{Path(source).stem}-下一年")
    return workspace.create(name, text.encode("utf-8"))


def _year_in(text: str) -> str:
    found = re.search(r"^year\s*=\s*(\d{4})", text, re.MULTILINE)
    return found.group(1) if found else ""


async def _from_upload(workspace: Workspace, upload: Any) -> str:
    """A published report the user uploaded, read by extract into a new data file."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise DocgenError([Problem("upload", message("serve-upload-kind"))])
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DocgenError([Problem("upload", message("serve-upload-kind"))])
    content = await upload.read(UPLOAD_LIMIT + 1)
    if len(content) > UPLOAD_LIMIT:
        raise DocgenError([Problem("upload", message("serve-upload-too-large", limit=UPLOAD_LIMIT // 1024 // 1024))])
    text = to_toml(extract(content, Path(upload.filename).name))
    name = workspace.free_name(Path(upload.filename).stem)
    return workspace.create(name, text.encode("utf-8"))


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
        pdf = render_pdf(report, Path(folder) / "report.docx")
        return pdf.read_bytes()


def run(folder: Path, host: str, port: int, password: str | None) -> None:
    app = create_app(folder, host, password)
    uvicorn.run(app, host=host, port=port, log_level="warning")
