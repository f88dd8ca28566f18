"""A DOCX package as its parts (name → bytes): read and written with fixed timestamps; the
parts' names and the namespaces of WordprocessingML.

Kept apart from the XML helpers (`ooxml`) so that what only moves parts or names them, such
as a build answered from its kept result or a pandoc run started, does not load lxml.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

CONTENT_TYPES_PART = "[Content_Types].xml"
DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
FOOTNOTES_PART = "word/footnotes.xml"
SETTINGS_PART = "word/settings.xml"
FONT_TABLE_PART = "word/fontTable.xml"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def escape(text: str) -> str:
    """Escape text for XML character data (xml.sax.saxutils's escape, which loads urllib,
    http and ssl with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A fixed timestamp makes regenerated files byte-identical.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def read_parts(docx: bytes | Path) -> dict[str, bytes]:
    """Read every part of a DOCX zip, in zip order, as name → bytes."""
    import zipfile  # here: what only names the parts (CONTENT_TYPES_PART) does not load it

    source = docx.read_bytes() if isinstance(docx, Path) else docx
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_parts(parts: Mapping[str, bytes]) -> bytes:
    """Write parts into a DOCX zip, [Content_Types].xml first, with fixed timestamps."""
    import zipfile

    names = sorted(parts, key=lambda name: name != CONTENT_TYPES_PART)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name])
    return out.getvalue()


def not_a_document(path: object, exc: BaseException | str) -> str:
    """Return the message of a Word file that cannot be read: the file, what is wrong with
    it (said, or told from the exception reading or parsing its parts raised) and what to do
    about it."""
    what = exc if isinstance(exc, str) else _damage(exc)
    return (
        f"{path}: not a Word document ({what}; restore it from git, or write the default one "
        "with `vanban templates --force`)"
    )


def _damage(exc: BaseException) -> str:
    import zlib

    name = type(exc).__name__
    if name in ("BadZipFile", "PackageNotFoundError") and "CRC" not in str(exc):
        return "it is not a zip archive: cut short or damaged"
    if isinstance(exc, zlib.error | EOFError) or "CRC" in str(exc):
        return DAMAGED_DATA
    if isinstance(exc, SyntaxError):  # lxml's XMLSyntaxError
        return f"a part is not well-formed XML: {exc.msg}"
    if isinstance(exc, KeyError) and exc.args:  # a part missing: zipfile says which
        return str(exc.args[0])
    return " ".join(str(exc).split())


DAMAGED_DATA = "a part's compressed data is damaged"
