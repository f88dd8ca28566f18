"""The heading styles of a document's scheme: the reference document, restyled per level.

Pandoc gives `#` the style Heading 1, `##` Heading 2 and so on, whatever the level prints.
The reference document styles them for the default scheme (I. and 1. bold, a) not bold). A
scheme whose levels print otherwise (a centred "Chương I" over its title in capitals, a
bold 1.1.1., a plain a) at `##`) is built with a copy of the reference document whose
Heading styles say so; everything else an office set in its reference document is kept.
The copy is content-addressed in the temporary directory, so concurrent builds share it.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .conventions import BOLD_KINDS, CAPS_KINDS, CENTRED_KINDS, TITLE_STYLE
from .errors import TemplateError
from .files import write_atomic
from .parts import not_a_document

if TYPE_CHECKING:
    from lxml import etree

# How the reference document styles each level (templates_gen.STYLE_FORMATS): I. and 1.
# bold, the title of I. in capitals.
_DEFAULT_BOLD_LEVELS = 2
_DEFAULT_CAPS_LEVELS = 1
_TITLE_STYLE_ID = TITLE_STYLE.replace(" ", "")


def _changes(kinds: Sequence[str]) -> dict[int, tuple[bool, bool, bool]]:
    """Return {level: (centred, bold, capitals)} for each level whose style differs from the
    default."""
    changes = {}
    for level, kind in enumerate(kinds, start=1):
        centred, bold, caps = kind in CENTRED_KINDS, kind in BOLD_KINDS, kind in CAPS_KINDS
        if (
            centred
            or bold != (level <= _DEFAULT_BOLD_LEVELS)
            or caps != (level <= _DEFAULT_CAPS_LEVELS)
        ):
            changes[level] = (centred, bold, caps)
    return changes


def scheme_reference(reference: Path, kinds: Sequence[str]) -> Path:
    """Return the reference document to convert a body in this heading scheme with: the
    reference itself when its Heading styles fit the scheme, else a restyled copy."""
    changes = _changes(kinds)
    if not changes:
        return reference
    data = reference.read_bytes()
    digest = hashlib.sha256(data + b"\0" + repr(sorted(changes.items())).encode()).hexdigest()
    target = Path(tempfile.gettempdir()) / f"vanban-reference-{digest[:24]}.docx"
    if not target.exists():
        import zipfile
        import zlib

        try:
            copy = restyled(data, changes)
        except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError) as exc:
            raise TemplateError(not_a_document(reference, exc)) from None
        write_atomic(target, copy, str(target))
    return target


def restyled(reference: bytes, changes: dict[int, tuple[bool, bool, bool]]) -> bytes:
    """Return the reference document with Heading N styled as changes say, and the
    character style of a centred level's title (capitals, bold)."""
    # here: a scheme the reference fits, or a copy made already, loads no lxml
    from .ooxml import (
        STYLES_PART,
        get_or_add,
        make_ppr,
        make_rpr,
        parse_xml,
        qn,
        read_parts,
        serialize_xml,
        set_child,
        write_parts,
    )

    parts = read_parts(reference)
    styles = parse_xml(parts[STYLES_PART])
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    for level, (centred, bold, caps) in changes.items():
        for style_id in (f"Heading{level}", f"Heading{level}Char"):
            style = by_id.get(style_id)
            if style is None:
                continue
            if centred and style.get(qn("w:type")) == "paragraph":
                ppr = get_or_add(style, "w:pPr")
                for child in make_ppr(jc="center", first_line=0, left=0, right=0, keep_next=True):
                    set_child(ppr, child)
            rpr = get_or_add(style, "w:rPr")
            for child in make_rpr(bold=bold, caps=caps):
                set_child(rpr, child)
    if any(centred for centred, _, _ in changes.values()) and _TITLE_STYLE_ID not in by_id:
        styles.append(title_style())
    parts[STYLES_PART] = serialize_xml(styles)
    return write_parts(parts)


def title_style() -> etree._Element:
    """Return the character style of a centred level's title: capitals, bold."""
    from .ooxml import make, make_rpr, set_child

    rpr = make_rpr(bold=True)
    set_child(rpr, make("w:caps"))
    return make(
        "w:style",
        [make("w:name", val=TITLE_STYLE), make("w:qFormat"), rpr],
        type="character",
        customStyle=1,
        styleId=_TITLE_STYLE_ID,
    )
