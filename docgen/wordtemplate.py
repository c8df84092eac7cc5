"""A Word template compiled once, rendered many times.

docxtpl opens the template, patches its XML into Jinja source, compiles that and rebuilds the package on
every render; for a batch that is nearly all the work. Here the same docxtpl steps run once per template
(`compile_template`, cached per file and modification time): the package is normalised by python-docx
once, the unchanged members are kept deflated, and the body, headers, footers, footnotes and document
properties are compiled Jinja templates. A render only runs those templates, applies docxtpl's own
post-processing to their output and writes the zip.

Compiling costs a process about 0.1 s (python-docx, docxtpl and Jinja's compiler), more than rendering a
report, so the compiled form is also kept on disk (`_cache_file`), keyed by the template's bytes and the code
that compiles it: the next `docgen render` of one report starts without any of that.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import marshal
import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.parsers import expat

from markupsafe import Markup, escape

import docgen
from docgen import docxzip, ooxml, sandbox
from docgen.errors import DocgenError, Problem, TemplateFileError
from docgen.messages import message
from docgen.write import write_atomic

# The document properties docxtpl renders as templates (DocxTemplate.render_properties).
TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_PART_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_TABLE_TAG = re.compile(r"<w:tbl[ >]|</w:tbl>")
# Characters docxtpl's resolve_listing turns into Word tabs, breaks and paragraphs; absent, it changes nothing.
_LISTING = "\t\a\n\f"
# docxtpl's escaped markers: {_{ in a template prints {{, replaced in the rendered output as docxtpl does.
# The output also holds values, whose "}_}" is the clerk's own text: in a template with markers, values go
# out with that "_" as a character reference the replacement does not see (_keep_escaped_markers).
_ESCAPED = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")
_MARKERS = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}


def _keep_escaped_markers(value: Any) -> Any:
    """A value as a template with escaped markers must print it (Jinja's finalize: every {{ value }})."""
    if isinstance(value, str) and not isinstance(value, Markup) and ("{_" in value or "_}" in value):
        return Markup(str(escape(value)).replace("_", "&#95;"))
    return value


def _template_error(rule: str, path: Path, reason: object) -> TemplateFileError:
    return TemplateFileError([Problem("template", message(rule, path=str(path), reason=str(reason)), file=str(path))])


@dataclass
class WordTemplate:
    """One template, ready to render: the package's members and the compiled Jinja code of its parts."""

    path: Path
    members: dict[str, docxzip.Member]  # the normalised package, deflated once
    document_name: str
    document_head: bytes  # document.xml up to the body …
    document_tail: bytes  # … and after it
    body_open: bytes  # the body's start tag as document.xml has it ("" when it declares namespaces of its own)
    table_fixes: bool  # whether docxtpl's table and drawing-id fixes can change anything (else skipped)
    escapes: bool  # whether the template holds escaped markers ({_{ …) to replace after rendering
    body: Any  # jinja2.Template of the patched body
    parts: dict[str, Any]  # header, footer and footnote part name → jinja2.Template
    declared: dict[str, bytes]  # part name → what precedes its rendered XML (the XML declaration)
    core_name: str
    core_xml: bytes
    properties: dict[str, Any]  # those of TEMPLATED_PROPERTIES with tags → jinja2.Template (core_xml has the rest)
    styles_name: str
    styles_xml: bytes
    _helper: Any = field(default=None, repr=False)

    @property
    def helper(self) -> Any:
        """The DocxTemplate whose stateless post-processing (listing, tables) every render reuses; made when
        first needed, since a template loaded from the cache has no other use for docxtpl."""
        if self._helper is None:
            from docxtpl import DocxTemplate

            self._helper = DocxTemplate(self.path)
        return self._helper

    def _post_process(self, xml: str) -> str:
        """docxtpl's steps after rendering a part (DocxTemplate.render_xml_part). docxtpl also puts every
        paragraph on a line of its own for Jinja and joins them again afterwards; only Jinja's error line
        numbers depend on that, so compiled templates skip both."""
        if self.escapes:
            for escaped, marker in _MARKERS.items():  # one after another, as docxtpl: {_%_} → {%}
                xml = xml.replace(escaped, marker)
        return self.helper.resolve_listing(xml) if any(char in xml for char in _LISTING) else xml

    def render_parts(self, variables: dict[str, Any], verify: bool = True) -> dict[str, bytes]:
        """The rendered body (as document.xml), headers, footers and footnotes. Jinja errors propagate;
        with `verify`, output that is not well-formed XML raises TemplateFileError (a custom template's
        {% if %} may cut through a paragraph; the built-in templates are tested instead)."""
        body = self._post_process(self.body.render(variables))
        body_xml = body.encode("utf-8")
        if verify:  # before fix_tables, whose forgiving parser would quietly patch broken XML over
            _well_formed(self.path, self.document_name, body_xml)
        if self.table_fixes:
            from lxml import etree

            # As docxtpl: widen table grids for rows that gained cells, renumber drawing ids from 1001.
            try:
                tree = self.helper.fix_tables(body)
                self.helper.docx_ids_index = 1000
                self.helper.fix_docpr_ids(tree)
            except Exception as error:  # a custom template's tables that docxtpl cannot fix (never ours)
                if not verify:
                    raise
                raise _template_error("template-invalid", self.path, f"{type(error).__name__}: {error}") from None
            body_xml = etree.tostring(tree, encoding="utf-8")
        if self.body_open:  # python-docx writes the body without the namespaces its root declares already
            body_xml = self.body_open + body_xml[body_xml.index(b">") + 1 :]
        rendered = {self.document_name: self.document_head + body_xml + self.document_tail}
        for name, template in self.parts.items():
            rendered[name] = self.declared[name] + self._post_process(template.render(variables)).encode("utf-8")
        if verify:
            for name in self.parts:
                _well_formed(self.path, name, rendered[name])
        return rendered

    def render_properties(self, variables: dict[str, Any]) -> dict[str, str]:
        """The document properties whose text is a template, rendered (TEMPLATED_PROPERTIES)."""
        return {name: template.render(variables) for name, template in self.properties.items()}

    def package(self, replaced: dict[str, bytes]) -> bytes:
        """The .docx: every member in the template's order, the replaced ones deflated afresh."""
        return docxzip.write(
            docxzip.deflate(name, replaced[name]) if name in replaced else member
            for name, member in self.members.items()
        )


def compile_template(path: Path, environment: Any) -> WordTemplate:
    """Compile `path` (cached while the file is unchanged). Raises TemplateFileError."""
    try:
        status = path.stat()
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        raise TemplateFileError([Problem("template", message("template-missing", path=str(path)), file=str(path))])
    # The file's identity and version, not its resolved name: resolving costs a batch a system call per folder.
    version = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)
    return _compiled(path.absolute(), version, environment)  # absolute, not normalised: linked/.. stays


@lru_cache(maxsize=8)
def _compiled(path: Path, _version: tuple[int, ...], environment: Any) -> WordTemplate:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise _template_error("template-invalid", path, error) from None
    cache_file = _cache_file(content, environment)
    if cache_file is not None and (cached := _load_cached(cache_file, path, environment)) is not None:
        return cached
    compiled, codes = _compile(path, environment)
    if cache_file is not None:
        _store(cache_file, compiled, codes)
    return compiled


def _parts_environment(environment: Any, escapes: bool) -> Any:
    return environment.overlay(finalize=_keep_escaped_markers) if escapes else environment


def _template(environment: Any, code: Any) -> Any:
    return environment.template_class.from_code(environment, code, environment.make_globals(None))


def _compile(path: Path, environment: Any) -> tuple[WordTemplate, dict[str, Any]]:
    """The template compiled, and the code of its Jinja templates (what the disk cache keeps of them)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    helper = DocxTemplate(path)
    try:
        helper.init_docx()
        document = helper.docx
        core = document.core_properties  # python-docx adds the part when a template lacks it
        normalised = io.BytesIO()
        document.save(normalised)
    except Exception as error:  # python-docx reports a broken package in many ways; all mean "not a .docx"
        raise _template_error("template-invalid", path, f"{type(error).__name__}: {error}") from None
    packaged = docxzip.members(normalised.getvalue())
    document_name = document.part.partname.lstrip("/")
    document_xml = packaged[document_name]
    start, end = document_xml.find(b"<w:body"), document_xml.rfind(b"</w:body>")
    if start < 0 or end < 0:
        raise _template_error("template-invalid", path, "word/document.xml has no <w:body>…</w:body>")

    body_element = document.element.body
    inherited = body_element.nsmap == document.element.nsmap and not body_element.attrib
    try:
        body_source = helper.patch_xml(helper.get_xml())
        sources: dict[str, tuple[str, bytes]] = {}  # header, footer and footnote part → XML, declaration
        for relation in document.part.rels.values():
            if relation.reltype in (helper.HEADER_URI, helper.FOOTER_URI) and relation.target_part.blob:
                part = relation.target_part
                sources[part.partname.lstrip("/")] = (helper.patch_xml(helper.get_part_xml(part)), _PART_DECLARATION)
        for part in document.part.package.parts:
            if part.content_type == _FOOTNOTES:  # the footnotes source keeps its own declaration
                sources[part.partname.lstrip("/")] = (helper.patch_xml(part.blob.decode("utf-8")), b"")
        escapes = any(_ESCAPED.search(source) for source in (body_source, *(xml for xml, _ in sources.values())))
        parts_environment = _parts_environment(environment, escapes)
        body_code = parts_environment.compile(body_source)
        part_codes = {  # a part without tags or markers is copied as it is
            name: parts_environment.compile(xml)
            for name, (xml, _) in sources.items()
            if _has_tags(xml) or _ESCAPED.search(xml)
        }
        declared = {name: declaration for name, (_, declaration) in sources.items() if name in part_codes}
        property_sources = {name: getattr(core, name) for name in TEMPLATED_PROPERTIES}
        property_codes = {name: environment.compile(text) for name, text in property_sources.items() if "{" in text}
        # A property without a tag is the same text in every document: rendered once, into core.xml, here.
        fixed = {
            name: _template(environment, environment.compile(text)).render()
            for name, text in property_sources.items()
            if name not in property_codes
        }
    except TemplateError as error:
        raise _template_error("template-error", path, error) from None
    try:
        core_name = document.part.package.part_related_by(RT.CORE_PROPERTIES).partname.lstrip("/")
        core_xml = ooxml.core_properties(packaged[core_name], fixed) if fixed else packaged[core_name]
        styles_name = document.part._styles_part.partname.lstrip("/")
        table_fixes = _table_fixes(helper, body_source)
    except Exception as error:  # docxtpl's table fixes fail on tables Word would never write (no grid …)
        raise _template_error("template-invalid", path, f"{type(error).__name__}: {error}") from None
    fields = {
        "document_name": document_name,
        "document_head": document_xml[:start],
        "document_tail": document_xml[end + len(b"</w:body>") :],
        "body_open": document_xml[start : document_xml.index(b">", start) + 1] if inherited else b"",
        "table_fixes": table_fixes,
        "escapes": escapes,
        "declared": declared,
        "core_name": core_name,
        "core_xml": core_xml,
        "styles_name": styles_name,
        "styles_xml": packaged[styles_name],
    }
    codes = {"body": body_code, "parts": part_codes, "properties": property_codes}
    members = {name: docxzip.deflate(name, content) for name, content in packaged.items()}
    return _assembled(path, members, fields, codes, environment, helper), codes


def _assembled(
    path: Path,
    members: dict[str, docxzip.Member],
    fields: dict[str, Any],
    codes: Mapping[str, Any],
    environment: Any,
    helper: Any = None,
) -> WordTemplate:
    """A WordTemplate from its plain fields (_PLAIN_FIELDS) and the code of its Jinja templates, as just
    compiled or as read from the disk cache."""
    parts_environment = _parts_environment(environment, fields["escapes"])
    return WordTemplate(
        path=path,
        members=members,
        **fields,
        body=_template(parts_environment, codes["body"]),
        parts={name: _template(parts_environment, code) for name, code in codes["parts"].items()},
        properties={name: _template(environment, code) for name, code in codes["properties"].items()},
        _helper=helper,
    )


def _cache_dir() -> Path | None:
    """Where compiled templates are kept: $DOCGEN_CACHE_DIR (empty: nowhere), else the user's cache folder."""
    configured = os.environ.get("DOCGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "docgen" / "cache" if base else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "docgen" if os.path.isabs(base) else None


@cache
def _compiler_fingerprint() -> bytes:
    """What else decides the compiled form: the code that compiles (docgen's, Jinja's, the sandbox's
    settings) and the Python that runs it (marshal's format is Python's own)."""
    import jinja2

    digest = hashlib.sha256(f"{docgen.__version__} {jinja2.__version__} {sys.implementation.cache_tag}".encode())
    for module_file in (__file__, sandbox.__file__, ooxml.__file__):  # ooxml writes the cached core.xml
        with contextlib.suppress(OSError, TypeError):
            digest.update(Path(module_file).read_bytes())
    return digest.digest()


_CACHE_FORMAT = b"docgen-template-1\n"


def _cache_file(content: bytes, environment: Any) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(_compiler_fingerprint() + type(environment).__qualname__.encode() + content)
    return folder / f"template-{digest.hexdigest()[:40]}.bin"


def _store(cache_file: Path, compiled: WordTemplate, codes: dict[str, Any]) -> None:
    """Keep the compiled template for the next process; a cache that cannot be written changes nothing."""
    record = {
        "members": [(m.name, m.crc, m.size, m.deflated) for m in compiled.members.values()],
        **{name: getattr(compiled, name) for name in _PLAIN_FIELDS},
        **codes,
    }
    with contextlib.suppress(DocgenError, OSError, ValueError):
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, _CACHE_FORMAT + marshal.dumps(record))


_PLAIN_FIELDS = (
    "document_name",
    "document_head",
    "document_tail",
    "body_open",
    "table_fixes",
    "escapes",
    "declared",
    "core_name",
    "core_xml",
    "styles_name",
    "styles_xml",
)


def _load_cached(cache_file: Path, path: Path, environment: Any) -> WordTemplate | None:
    """The compiled template kept in `cache_file`, or None when there is none or it cannot be read (any
    damage means compiling again, never a wrong document)."""
    try:
        data = cache_file.read_bytes()
        if not data.startswith(_CACHE_FORMAT):
            return None
        record = marshal.loads(data[len(_CACHE_FORMAT) :])
        members = {name: docxzip.Member(name, crc, size, deflated) for name, crc, size, deflated in record["members"]}
        return _assembled(path, members, {name: record[name] for name in _PLAIN_FIELDS}, record, environment)
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _table_fixes(helper: Any, body_source: str) -> bool:
    """Whether docxtpl's fix_tables and fix_docpr_ids could change a rendered body: only when the template
    has drawings, a Jinja statement inside a table (a row or cell loop changes the cell count), or tables
    that fix_tables alters as they stand."""
    from lxml import etree

    if "docPr" in body_source:
        return True
    depth, opened = 0, 0
    for tag in _TABLE_TAG.finditer(body_source):
        if tag.group().startswith("</"):
            depth -= 1
            if depth == 0 and "{%" in body_source[opened : tag.end()]:
                return True
        else:
            if depth == 0:
                opened = tag.start()
            depth += 1
    as_is = etree.tostring(etree.fromstring(body_source, etree.XMLParser(recover=True)))
    return etree.tostring(helper.fix_tables(body_source)) != as_is


def _has_tags(source: str) -> bool:
    return "{{" in source or "{%" in source or "{#" in source


def _well_formed(path: Path, name: str, content: bytes) -> None:
    try:
        expat.ParserCreate().Parse(content, True)
    except expat.ExpatError as error:
        reason = f"{name}: {error}"
        raise _template_error("template-broken-xml", path, reason) from None
