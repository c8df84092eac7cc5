""".docx packages from strangers, read safely: a zip whose members are counted and inflated only up to the
limits (limits.py) however their headers lie, every member checked to inflate cleanly, and XML parsed with no
DTD, no entities, no network and libxml2's depth limit. Whatever is wrong is a `PackageError` with a reason in
Chinese naming the part; callers turn it into their own located problem."""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from docgen import limits
from docgen.messages import message

_CHUNK = 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # WordprocessingML, as lxml spells tags


class PackageError(Exception):
    """A package that cannot be read safely; `reason` is the Chinese sentence, `part` the member."""

    def __init__(self, reason: str, part: str | None = None) -> None:
        self.reason = reason
        self.part = part
        super().__init__(f"{part}: {reason}" if part else reason)

    def describe(self) -> str:
        return message("package-part", part=self.part, reason=self.reason) if self.part else self.reason


@dataclass
class Package:
    """The members of a .docx, each inflated once and within the limits; each XML part parsed once."""

    members: dict[str, bytes]
    _roots: dict[str, Any] = field(default_factory=dict, repr=False)

    def read(self, name: str) -> bytes:
        if name not in self.members:
            raise PackageError(message("package-member-missing", part=name))
        return self.members[name]

    def xml(self, name: str) -> Any:
        """The part parsed safely (once: the tree is kept, and readers only read it)."""
        if name not in self._roots:
            self._roots[name] = parse_xml(self.read(name), name)
        return self._roots[name]

    def check_xml(self, keep: tuple[str, ...] = ()) -> None:
        """Every XML part (and relationship part) parses safely: a package with one broken part is not a
        document Word would open, whichever part a reader needs. The parts whose names start with one of
        `keep` stay parsed for the caller; the others are let go at once (a workbook's sheets, which openpyxl
        reads again, would otherwise all be held as trees together)."""
        for name in self.members:
            if name.endswith((".xml", ".rels")):
                if name.startswith(keep):
                    self.xml(name)
                else:
                    parse_xml(self.members[name], name)


def open_document(data: bytes) -> Package:
    """A Word document from outside, read safely before anything else opens it: within the package limits,
    every XML part parsed (no DTD, no entities), every table of word/*.xml within the table limits. Its
    word/ and docProps/ parts stay parsed for the caller. Raises PackageError."""
    if len(data) > limits.max_package_bytes():
        raise PackageError(message("package-too-large", limit=limits.max_package_bytes() // limits.MB))
    package = open_package(data)
    package.check_xml(keep=("word/", "docProps/"))  # what the readers of a document go on to read
    for name in package.members:
        if name.startswith("word/") and name.endswith(".xml"):
            check_tables(package.xml(name), name)
    return package


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .doc, .xls, .wps, encrypted OOXML
# Streams an OLE file's directory names (UTF-16LE), in the order they decide what the file is.
_OLE_STREAMS = (("encrypted", "EncryptedPackage"), ("xls", "Workbook"), ("xls", "Book"), ("doc", "WordDocument"))


def ole_stream_names(data: bytes, limit: int = 10_000) -> list[str]:
    """The names in an OLE compound file's directory ([MS-CFB] 2.6), read by following the directory's chain
    of sectors through the FAT; [] for a file whose header or chain does not hold together. At most `limit`
    entries, and never a sector twice (a chain that loops is damaged, not endless)."""
    if len(data) < 512:
        return []
    sector = 1 << int.from_bytes(data[30:32], "little")
    if sector not in (512, 4096):
        return []
    fat_sectors = [int.from_bytes(data[76 + 4 * index : 80 + 4 * index], "little") for index in range(109)]
    fat: list[int] = []
    for number in fat_sectors[: int.from_bytes(data[44:48], "little")]:
        start = (number + 1) * sector
        chunk = data[start : start + sector]
        fat += [int.from_bytes(chunk[index : index + 4], "little") for index in range(0, len(chunk) - 3, 4)]
    names: list[str] = []
    current, seen = int.from_bytes(data[48:52], "little"), set()
    while current < len(fat) + 1 and current not in seen and len(names) < limit:
        seen.add(current)
        start = (current + 1) * sector
        chunk = data[start : start + sector]
        if len(chunk) < sector:
            break
        for offset in range(0, sector, 128):
            entry = chunk[offset : offset + 128]
            length = int.from_bytes(entry[64:66], "little")
            if entry[66] in (1, 2, 5) and 2 <= length <= 64:  # storage, stream, root
                names.append(entry[: length - 2].decode("utf-16-le", "replace"))
        if current >= len(fat):
            break
        current = fat[current]
    return names


def container_kind(data: bytes) -> str:
    """What a file is by its bytes, whatever its name says: "zip" (an Office Open XML package or another zip),
    "encrypted" (a .docx or .xlsx under an opening password: an OLE file holding EncryptedPackage), "xls",
    "doc" (also WPS's .wps), "ole" (another OLE file), "pdf" or "other"."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        names = set(ole_stream_names(data))
        return next((kind for kind, stream in _OLE_STREAMS if stream in names), "ole")
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    return "other"


def open_package(data: bytes) -> Package:
    """Every member of a zip package, inflated; raises PackageError for a file that is not a zip, holds too
    many members, inflates past the limits or is corrupt."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError, EOFError):
        # not a zip, or one whose central directory is damaged (a version, a size no writer would give)
        raise PackageError(message("template-not-docx")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members():
            raise PackageError(message("package-members", count=len(infos), limit=limits.max_members()))
        members: dict[str, bytes] = {}
        budget = limits.max_package_bytes()
        for info in infos:
            if not info.filename:  # a damaged directory entry (zipfile itself trips over it)
                raise PackageError(message("package-corrupt"))
            if info.is_dir():
                continue
            content = _inflate(archive, info, min(limits.max_part_bytes(), budget))
            budget -= len(content)
            members[info.filename] = content
    return Package(members)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, allowed: int) -> bytes:
    """One member's bytes, read in chunks and abandoned as soon as it passes `allowed` (a header's declared
    size is not trusted)."""
    name = info.filename
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > allowed:
                    raise PackageError(_too_large(allowed), name)
                chunks.append(chunk)
    except PackageError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        # corrupt deflate data, a CRC mismatch, an encrypted or unknown compression method
        raise PackageError(message("package-corrupt"), name) from None
    return b"".join(chunks)


def _too_large(allowed: int) -> str:
    return message("package-too-large", limit=max(1, allowed // limits.MB))


def parse_xml(data: bytes, part: str = "") -> Any:
    """An lxml element from untrusted XML: no DTD (a document type declaration is refused outright, so no
    entity can expand), no network, no huge-tree mode (libxml2 refuses nesting deeper than 256)."""
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise PackageError(message("package-doctype"), part or None)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise PackageError(message("package-xml", reason=str(error)[:200]), part or None) from None
    if root.getroottree().docinfo.doctype:  # a declaration in another encoding than the bytes searched
        raise PackageError(message("package-doctype"), part or None)
    return root


_CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC, _DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# Document property → its element in docProps/core.xml (the names python-docx and docxtpl use).
CORE_PROPERTIES = {
    "author": f"{_DC}creator",
    "comments": f"{_DC}description",
    "identifier": f"{_DC}identifier",
    "language": f"{_DC}language",
    "subject": f"{_DC}subject",
    "title": f"{_DC}title",
    "created": f"{_DCTERMS}created",
    "modified": f"{_DCTERMS}modified",
}


def core_properties(core_xml: bytes, values: dict[str, str | datetime.datetime]) -> bytes:
    """docProps/core.xml with the given properties set (a moment in W3CDTF, as Word writes it)."""
    from lxml import etree

    root = parse_xml(core_xml, "docProps/core.xml")
    if root.tag != f"{_CORE}coreProperties":
        raise PackageError(message("package-xml", reason=root.tag), "docProps/core.xml")
    for name, value in values.items():
        tag = CORE_PROPERTIES[name]
        element = root.find(tag)
        if element is None:
            element = etree.SubElement(root, tag)
        if isinstance(value, datetime.datetime):
            element.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
            element.set(_XSI_TYPE, "dcterms:W3CDTF")
        else:
            element.text = value
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


class CellBudget:
    """What the tables of one document may add up to (limits.MAX_DOCUMENT_CELLS), spent as grids are built."""

    def __init__(self) -> None:
        self.left = limits.MAX_DOCUMENT_CELLS

    def spend(self, cells: int, part: str | None = None) -> None:
        self.left -= cells
        if self.left < 0:
            raise PackageError(message("document-too-many-cells", limit=limits.MAX_DOCUMENT_CELLS), part)


def grid_span(element: Any, table: int, part: str, default: int = 1) -> int:
    """A w:gridSpan or w:gridBefore value: a whole number of grid columns, within the limit. `table` (from 1)
    names the table in the message."""
    value = element.get(f"{W}val", str(default))
    if not value.isdigit():
        raise PackageError(message("table-span", table=table, value=value[:20]), part)
    if int(value) > limits.MAX_TABLE_COLUMNS:
        raise PackageError(table_too_large(table, "table-columns", limits.MAX_TABLE_COLUMNS), part)
    return int(value)


def table_too_large(table: int, what: str, limit: int) -> str:
    return message("table-too-large", table=table, what=message(what), limit=limit)


def check_tables(root: Any, part: str) -> None:
    """Every table of a part within the limits: rows, and grid columns a row spans (what docxtpl's table
    fixes and any reader of the grid would otherwise allocate)."""
    for number, table in enumerate(root.iter(f"{W}tbl"), start=1):
        for rows, row in enumerate(table.iterchildren(f"{W}tr"), start=1):
            if rows > limits.max_table_rows():
                raise PackageError(table_too_large(number, "table-rows", limits.max_table_rows()), part)
            before = row.find(f"{W}trPr/{W}gridBefore")
            width = grid_span(before, number, part, default=0) if before is not None else 0
            for span in row.iterfind(f"{W}tc/{W}tcPr/{W}gridSpan"):
                width += grid_span(span, number, part)
                if width > limits.MAX_TABLE_COLUMNS:
                    raise PackageError(table_too_large(number, "table-columns", limits.MAX_TABLE_COLUMNS), part)
