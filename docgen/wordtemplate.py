"""A Word template compiled once, rendered many times.

docxtpl opens the template, patches its XML into Jinja source, compiles that and rebuilds the package on
every render; for a batch that is nearly all the work. Here the same docxtpl steps run once per template
(`compile_template`, cached per file and modification time): the package is normalised by python-docx
once, the unchanged members are kept deflated, and the body, headers, footers, footnotes and document
properties are compiled Jinja templates. A render only runs those templates, applies docxtpl's own
post-processing to their output and writes the zip.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.parsers import expat

from markupsafe import Markup, escape

from docgen import docxzip
from docgen.errors import Problem, TemplateFileError
from docgen.messages import message

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
    properties: dict[str, Any]  # TEMPLATED_PROPERTIES → jinja2.Template
    styles_name: str
    styles_xml: bytes
    helper: Any  # the DocxTemplate whose stateless post-processing (listing, tables) every render reuses

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

    def render_properties(self, variables: dict[str, Any]) -> Any:
        """The document properties with their templates rendered (python-docx CoreProperties)."""
        from docx.opc.coreprops import CoreProperties
        from docx.oxml import parse_xml

        properties = CoreProperties(parse_xml(self.core_xml))
        for name, template in self.properties.items():
            setattr(properties, name, template.render(variables))
        return properties

    def package(self, replaced: dict[str, bytes]) -> bytes:
        """The .docx: every member in the template's order, the replaced ones deflated afresh."""
        return docxzip.write(
            docxzip.deflate(name, replaced[name]) if name in replaced else member
            for name, member in self.members.items()
        )


def compile_template(path: Path, environment: Any) -> WordTemplate:
    """Compile `path` (cached while the file is unchanged). Raises TemplateFileError."""
    if not path.is_file():
        raise TemplateFileError([Problem("template", message("template-missing", path=str(path)), file=str(path))])
    status = path.stat()
    return _compiled(path.resolve(), status.st_mtime_ns, status.st_size, environment)


@lru_cache(maxsize=8)
def _compiled(path: Path, _mtime: int, _size: int, environment: Any) -> WordTemplate:
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
        parts_environment = environment.overlay(finalize=_keep_escaped_markers) if escapes else environment
        body = parts_environment.from_string(body_source)
        parts = {  # a part without tags or markers is copied as it is
            name: parts_environment.from_string(xml)
            for name, (xml, _) in sources.items()
            if _has_tags(xml) or _ESCAPED.search(xml)
        }
        declared = {name: declaration for name, (_, declaration) in sources.items() if name in parts}
        properties = {name: environment.from_string(getattr(core, name)) for name in TEMPLATED_PROPERTIES}
    except TemplateError as error:
        raise _template_error("template-error", path, error) from None
    try:
        core_name = document.part.package.part_related_by(RT.CORE_PROPERTIES).partname.lstrip("/")
        styles_name = document.part._styles_part.partname.lstrip("/")
        table_fixes = _table_fixes(helper, body_source)
    except Exception as error:  # docxtpl's table fixes fail on tables Word would never write (no grid …)
        raise _template_error("template-invalid", path, f"{type(error).__name__}: {error}") from None
    return WordTemplate(
        path=path,
        members={name: docxzip.deflate(name, content) for name, content in packaged.items()},
        document_name=document_name,
        document_head=document_xml[:start],
        document_tail=document_xml[end + len(b"</w:body>") :],
        body_open=document_xml[start : document_xml.index(b">", start) + 1] if inherited else b"",
        table_fixes=table_fixes,
        escapes=escapes,
        body=body,
        parts=parts,
        declared=declared,
        core_name=core_name,
        core_xml=packaged[core_name],
        properties=properties,
        styles_name=styles_name,
        styles_xml=packaged[styles_name],
        helper=helper,
    )


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
