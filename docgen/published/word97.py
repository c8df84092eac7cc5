"""Word 97–2003 documents (.doc) and WPS Office's .wps (the same binary Word format under WPS's own name):
converted to .docx by LibreOffice, in a folder and profile of their own that run no macros, within a time and
size limit, and then read as any .docx."""

from __future__ import annotations

from docgen import limits
from docgen.errors import ConvertError
from docgen.ooxml import PackageError
from docgen.pdf import convert_document
from docgen.published import docx
from docgen.published.blocks import Published


def read(data: bytes) -> Published:
    """The blocks of a binary Word document; PackageError (the reason in Chinese) when LibreOffice is
    missing, fails on it or takes too long."""
    try:
        converted = convert_document(
            data, ".doc", "docx:MS Word 2007 XML", limits.CONVERT_TIMEOUT, limits.max_package_bytes()
        )
    except ConvertError as error:
        raise PackageError(error.problems[0].message) from None
    return docx.read(converted)
