"""Reports read from their addresses: `audit` and `extract` given http(s):// links (on the command line or in
the roster's 报告地址 column) download each into a folder beside the results, so that the same audit can be
run again offline (`docgen audit 下载/`).

Every response is someone else's: a timeout on each step, a size limit counted as the bytes arrive (a
Content-Length is not trusted), a bounded number of redirects, http and https only. A page that holds no
report but links to its attachment (PDF, .doc, .docx, .wps, .ofd — directly or through a PDF viewer's
`?file=`) is followed to it, the page's 发布日期 kept for the attachment. What was downloaded from where, and
when it went up, is written to 下载记录.toml in the folder; a report read from there again takes its date
from it.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from docgen import limits
from docgen.errors import Problem
from docgen.formats import shows_tables
from docgen.messages import message
from docgen.ooxml import PackageError, container_kind
from docgen.published.html import parse, published_date
from docgen.write import write_atomic

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.9 and 3.10: tomli is the same parser
    import tomli as tomllib

FOLDER = "下载"
RECORD = "下载记录.toml"
MAX_REDIRECTS = 5
ATTACHMENTS = (".pdf", ".doc", ".docx", ".wps", ".ofd")
_USER_AGENT = "Mozilla/5.0 (compatible; docgen; +https://pypi.org/project/docgen-zwgk/)"
_CHARSET = re.compile(rb"<meta[^>]+charset", re.IGNORECASE)
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
# What a response's first bytes say it is, when its type or address does not (or lies).
_SIGNATURES = (
    (b"%PDF", ".pdf"),
    (b"\x89PNG", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)
_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/ofd": ".ofd",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}


def is_address(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Downloaded:
    """One address fetched: the file to read (the attachment, when the page only linked to it), the page it
    was linked from, and the date the page says it went up."""

    address: str
    path: Path
    page: str = ""
    published: datetime.date | None = None
    page_file: Path | None = None  # the linking page as saved (never read as a report)


class FetchError(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def download_all(
    addresses: Iterable[str], folder: Path, client: Any = None
) -> tuple[list[Downloaded], list[tuple[str, Problem]]]:
    """Each address fetched into `folder` (made when missing) and the record there updated; what could not
    be fetched, with why, beside."""
    import httpx

    failed: list[tuple[str, Problem]] = []
    kept = downloaded_before(folder)
    wanted = [address for address in dict.fromkeys(address.strip() for address in addresses)]
    done = [kept[address] for address in wanted if address in kept]  # an audit run again works offline
    wanted = [address for address in wanted if address not in kept]
    if not wanted:
        return done, failed
    own = client is None
    client = client or _client()
    try:
        for address in wanted:
            try:
                done.append(_download(client, address, folder))
            except FetchError as error:
                failed.append(
                    (address, Problem("fetch", message("fetch-failed", url=address, reason=error.text), file=address))
                )
            except httpx.HTTPError as error:
                reason = _reason(error)
                failed.append(
                    (address, Problem("fetch", message("fetch-failed", url=address, reason=reason), file=address))
                )
    finally:
        if own:
            client.close()
    if done:
        _record(folder, done)
    return done, failed


def _client() -> Any:
    import httpx

    timeout = httpx.Timeout(limits.fetch_timeout())
    headers = {"User-Agent": _USER_AGENT, "Accept": "text/html,application/pdf,*/*;q=0.8"}
    return httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS, headers=headers)


def _reason(error: Exception) -> str:
    import httpx

    if isinstance(error, httpx.TimeoutException):
        return message("fetch-timeout", seconds=limits.fetch_timeout())
    if isinstance(error, httpx.TooManyRedirects):
        return message("fetch-redirects", count=MAX_REDIRECTS)
    if isinstance(error, httpx.HTTPStatusError):
        return message("fetch-status", status=error.response.status_code)
    if isinstance(error, httpx.UnsupportedProtocol):
        return message("fetch-scheme")
    return f"{type(error).__name__}: {str(error)[:200]}"


def _get(client: Any, address: str) -> tuple[bytes, str, str]:
    """The body of `address` (at most the download limit), its content type and the address it came from
    after redirects."""
    if not is_address(address):
        raise FetchError(message("fetch-scheme"))
    limit = limits.max_download_bytes()
    with client.stream("GET", address) as response:
        response.raise_for_status()
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(message("fetch-too-large", limit=limit // limits.MB))
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise FetchError(message("fetch-too-large", limit=limit // limits.MB))
        content_type = response.headers.get("content-type", "")
        return bytes(body), content_type, str(response.url)


def _download(client: Any, address: str, folder: Path) -> Downloaded:
    body, content_type, final = _get(client, address)
    suffix = kind_of(body, content_type, final)
    if suffix == ".html":
        body = _declare_charset(body, content_type)
        page = _page(body)
        if page is not None and not shows_tables(page.text_content()):
            link = attachment(page, final)
            if link is not None:  # the page only links to the report: the report is the attachment
                inner, inner_type, inner_final = _get(client, link)
                path = _save(folder, link, inner, kind_of(inner, inner_type, inner_final))
                page_file = _save(folder, address, body, ".html")
                return Downloaded(link, path, page=address, published=_page_date(page), page_file=page_file)
        return Downloaded(address, _save(folder, address, body, suffix), published=_page_date(page))
    return Downloaded(address, _save(folder, address, body, suffix))


def kind_of(body: bytes, content_type: str, address: str) -> str:
    """The suffix a downloaded file is read by: what its bytes are, else its declared type, else its name."""
    for signature, suffix in _SIGNATURES:
        if body.startswith(signature):
            return suffix
    if body.startswith(b"PK"):
        return ".ofd" if b"OFD.xml" in body[:4096] else ".docx"
    named = Path(unquote(urlsplit(address).path)).suffix.lower()
    if container_kind(body) in ("doc", "ole", "encrypted", "xls"):  # read as Word 97, which names what it is
        return ".wps" if named == ".wps" else ".doc"
    declared = _TYPES.get(content_type.split(";")[0].strip().lower())
    return declared or (named if named in (*ATTACHMENTS, ".html", ".htm") else ".html")


def _declare_charset(body: bytes, content_type: str) -> bytes:
    """A page whose charset only its HTTP header names, saved with that charset written in (so that it reads
    the same when the folder is audited again offline)."""
    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", content_type)
    if found is None or _CHARSET.search(body[:4096]):
        return body
    return f'<meta charset="{found.group(1)}">\n'.encode("ascii") + body


def _page(body: bytes) -> Any:
    try:
        return parse(body)
    except PackageError:
        return None


def _page_date(page: Any) -> datetime.date | None:
    return published_date(page) if page is not None else None


def attachment(page: Any, base: str) -> str | None:
    """The address of the report a page links to: a link to a PDF, Word, WPS or OFD file (or a PDF viewer
    given one as ?file=), one whose text or name says 年度报告 first."""
    found: list[tuple[bool, str]] = []
    for element in page.iter("a", "iframe", "embed", "object"):
        target = element.get("href") or element.get("src") or element.get("data") or ""
        for candidate in _targets(target):
            label = (element.text_content() or "") + unquote(candidate)
            found.append(("年度报告" in label or "年报" in label, urljoin(base, candidate)))
    found = [(preferred, address) for preferred, address in found if is_address(address)]
    return max(found, key=lambda item: item[0])[1] if found else None


def _targets(target: str) -> Iterator[str]:
    """The attachment addresses a link carries: itself, or a viewer's ?file= parameter."""
    target = target.strip()
    parts = urlsplit(target)
    if Path(unquote(parts.path)).suffix.lower() in ATTACHMENTS:
        yield target
    for value in parse_qs(parts.query).get("file", []):
        if Path(unquote(urlsplit(value).path)).suffix.lower() in ATTACHMENTS:
            yield value


def file_name(address: str, suffix: str) -> str:
    """A stable, safe name for what was downloaded from `address`: its last path segment, a short hash of the
    whole address (two pages named index.html stay apart), the suffix it is read by."""
    parts = urlsplit(address)
    stem = Path(unquote(parts.path)).stem or parts.hostname or "page"
    stem = _UNSAFE.sub("_", stem).strip("._")[:60] or "page"
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{digest}{suffix}"


def _save(folder: Path, address: str, body: bytes, suffix: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(address, suffix)
    write_atomic(path, body)
    return path


def _record(folder: Path, downloaded: list[Downloaded]) -> None:
    """下载记录.toml: every file of the folder with the address it came from (and the page that linked to it,
    the date that page gives), earlier runs' entries kept."""
    import tomlkit

    entries = {entry["文件"]: entry for entry in _entries(folder / RECORD)}
    now = datetime.datetime.now().replace(microsecond=0)
    for item in downloaded:
        entry: dict[str, Any] = {"文件": item.path.name, "地址": item.address, "下载时间": now}
        if item.page:
            entry["页面"] = item.page
        if item.published is not None:
            entry["发布日期"] = item.published
        entries[item.path.name] = entry
        if item.page_file is not None:
            page = {"文件": item.page_file.name, "地址": item.page, "下载时间": now, "附件": item.path.name}
            entries[item.page_file.name] = page
    document = tomlkit.document()
    document.add(tomlkit.comment(message("fetch-record-comment")))
    table = tomlkit.aot()
    for entry in entries.values():
        table.append(tomlkit.item(entry))
    document.add("下载", table)
    write_atomic(folder / RECORD, tomlkit.dumps(document).encode("utf-8"))


def _entries(path: Path) -> list[dict[str, Any]]:
    """The entries of a record; a record that cannot be read counts as none (it only ever adds dates)."""
    try:
        if path.stat().st_size > limits.MB:
            return []
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    entries = data.get("下载")
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("文件"), str)]


def downloaded_before(folder: Path) -> dict[str, Downloaded]:
    """What the folder's record says was downloaded, by the address given (a page's, for an attachment it
    linked to), for the files still there."""
    entries = {entry["文件"]: entry for entry in _entries(folder / RECORD)}
    kept: dict[str, Downloaded] = {}
    for name, entry in entries.items():
        address = entry.get("地址")
        if not isinstance(address, str) or not (folder / name).is_file():
            continue
        linked = entries.get(str(entry.get("附件", "")))
        if linked is not None and (folder / linked["文件"]).is_file():
            published = _date(linked.get("发布日期"))
            attachment = folder / linked["文件"]
            kept[address] = Downloaded(str(linked.get("地址", "")), attachment, address, published, folder / name)
        elif "附件" not in entry and address not in kept:
            kept[address] = Downloaded(address, folder / name, str(entry.get("页面", "")), _date(entry.get("发布日期")))
    return kept


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def recorded_date(source: Path) -> datetime.date | None:
    """The date the page of a downloaded report gave, from the record beside it."""
    return _recorded(source.parent / RECORD).dates.get(source.name)


def linking_page(source: Path) -> bool:
    """Whether a file is a page saved only for the attachment it links to (the attachment is the report)."""
    return source.name in _recorded(source.parent / RECORD).pages


@dataclass(frozen=True)
class _Record:
    dates: dict[str, datetime.date]
    pages: frozenset[str]


def _recorded(record: Path) -> _Record:
    try:
        stamp = record.stat().st_mtime_ns
    except OSError:
        return _Record({}, frozenset())
    return _read_record(record, stamp)


@lru_cache(maxsize=32)
def _read_record(record: Path, _stamp: int) -> _Record:
    entries = _entries(record)
    dates = {entry["文件"]: found for entry in entries if (found := _date(entry.get("发布日期"))) is not None}
    return _Record(dates, frozenset(entry["文件"] for entry in entries if entry.get("附件")))
