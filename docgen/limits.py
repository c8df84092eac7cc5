"""How much docgen will read or compute for one input: documents, templates and data come from strangers,
so every size that could grow without bound has a ceiling here. Each is far above what any real report
needs (measured: a report's document.xml is 0.1–2 MB, its package 20–60 members, its largest table 28 rows
by 15 columns); the ones a user could need more of can be raised through the environment.

    DOCGEN_MAX_PART_MB      one member of a .docx, inflated            (default 64)
    DOCGEN_MAX_PACKAGE_MB   all members of a .docx together, inflated  (default 256)
    DOCGEN_MAX_MEMBERS      members of a .docx                          (default 2000)
    DOCGEN_MAX_TABLE_ROWS   rows of one table read by extract or lint  (default 5000)
    DOCGEN_MAX_PDF_MB       all streams of one PDF together, inflated  (default 16)
    DOCGEN_MAX_DOWNLOAD_MB  one report downloaded from its address     (default 64)
    DOCGEN_FETCH_TIMEOUT    seconds to connect or between two pieces   (default 30)
"""

from __future__ import annotations

import os

MB = 1024 * 1024
# Seconds LibreOffice may spend on one document, or on starting (--pdf-timeout).
PDF_TIMEOUT = 120.0
# Seconds LibreOffice may spend turning one published .doc/.wps into a .docx (a report takes 2–4 s, most of
# it starting LibreOffice).
CONVERT_TIMEOUT = 60.0


def _setting(name: str, default: int) -> int:
    """A limit from the environment (a whole number ≥ 1), else its default."""
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def max_part_bytes() -> int:
    return _setting("DOCGEN_MAX_PART_MB", 64) * MB


def max_package_bytes() -> int:
    return _setting("DOCGEN_MAX_PACKAGE_MB", 256) * MB


def max_members() -> int:
    return _setting("DOCGEN_MAX_MEMBERS", 2000)


def max_pdf_inflated_bytes() -> int:
    """What pdfminer inflates of a report's PDF to read its text: 0.3 MB for the example's 5 pages (content
    streams; fonts and images are not inflated to read text)."""
    return _setting("DOCGEN_MAX_PDF_MB", 16) * MB


def max_download_bytes() -> int:
    """One response of a report's address: a scanned report's PDF runs to tens of megabytes."""
    return _setting("DOCGEN_MAX_DOWNLOAD_MB", 64) * MB


def fetch_timeout() -> int:
    """Seconds to connect, and between any two pieces of a response (not for the whole download)."""
    return _setting("DOCGEN_FETCH_TIMEOUT", 30)


def max_table_rows() -> int:
    return _setting("DOCGEN_MAX_TABLE_ROWS", 5000)


# Cells of all the tables of one document together (rows × grid columns): a report's three tables have
# under 500; many huge tables are an attack on memory, not a report.
MAX_DOCUMENT_CELLS = 200_000

# Grid columns of one table row: the official tables have 4, 10 and 15; a hand-made one rarely 30.
MAX_TABLE_COLUMNS = 256

# --- expressions (narrative and templates), per rendering of one text or template ----------------------
MAX_LOOP_ITERATIONS = 100_000  # every {% for %} of one render together
MAX_CALLS = 100_000  # function and macro calls of one render
# Characters and items all the calls and Jinja filters of one report's expressions are handed and give back
# (a report's own expressions handle a few thousand).
MAX_WORK = 4_000_000
MAX_CALL_DEPTH = 50  # macros calling macros
MAX_RANGE = 10_000  # range(n)
MAX_SEQUENCE = 100_000  # characters or items a * or + may produce
MAX_POWER_BITS = 512  # a ** b may produce an integer of this many bits (10^154); reports count below 10^15
MAX_FORMAT_WIDTH = 100  # width or precision in a format ("%05d", "{:>8}")
