"""The Word redline: B's built document with native tracked changes against A.

1. The body and its footnotes: B's pandoc tree with A's differences as deletion/insertion
   spans (body.py), written by pandoc as `w:del` / `w:ins` with the reference document of B.
   What pandoc cannot mark — a whole paragraph's mark, a table row — is marked in its output,
   wherever all the text of a paragraph or row is inserted or deleted.
2. The appendices' own texts (an attached Quy chế): each the same way, B's tree of the text
   with A's differences as spans, converted by pandoc alone in the text's heading scheme as
   the build converts it, so that its paragraphs and its notes carry their changes too.
3. Everything the build puts around the body (masthead, closing, appendices): the redlined
   body (and redlined texts) is assembled twice by the engine, with A's sources and with B's.
   The two documents share every body block, so the blocks that differ are exactly those of
   the templates; they are redlined in the XML, paragraph by paragraph and cell by cell.
4. Every change gets a unique id, and the document opens with change tracking on.
"""

from __future__ import annotations

from lxml import etree

from ..appendix.attached import ConvertedText, extract
from ..cache import user_cache
from ..classes import dataclass
from ..heading_styles import scheme_reference
from ..ooxml import (
    DOCUMENT_PART,
    FOOTNOTES_PART,
    local_name,
    make,
    parse_xml,
    qn,
    read_parts,
    serialize_xml,
    write_parts,
)
from ..pandoc import BodyConversion, Units
from ..pipeline import reference_doc, render_docx
from ..project import files_key
from .body import Marks, redline_tree
from .compare import Comparison, fewer_collections
from .conversion import start_redline
from .revisions import (
    W_SECTPR,
    Author,
    infer_marks,
    number_revisions,
    redline_blocks,
    settle_paragraph_marks,
)

SETTINGS_PART = "word/settings.xml"

# CT_Settings children that come before w:trackRevisions (ECMA-376 Part 1, 17.15.1.78).
_BEFORE_TRACK_REVISIONS = frozenset(
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView".split()
)


@dataclass(frozen=True)
class Redline:
    """The redline document and how many tracked changes it holds."""

    docx: bytes
    changes: int


def redline_docx(
    comparison: Comparison, author: Author, started: BodyConversion | None = None
) -> Redline:
    """Return B's document with every difference from A as a tracked change; started: its
    body's conversion (conversion.start_redline), if it was started already."""
    with fewer_collections():
        conversion = started or start_redline(comparison, author)
        try:
            body = mark_body(conversion.result_parts(), author)
        except BaseException:
            conversion.cancel()
            raise
        texts = redline_texts(comparison, author)
        parts = read_parts(render_docx(comparison.b_sources, body, texts=texts))
        document = parse_xml(parts[DOCUMENT_PART])
        if differs_around_body(comparison):
            built_a = render_docx(comparison.a_sources, body, texts=texts)
            redline_outside_body(parse_xml(read_parts(built_a)[DOCUMENT_PART]), document, author)
        return finish(parts, document, author)


def redline_texts(comparison: Comparison, author: Author) -> dict[str, ConvertedText]:
    """Return B's appendices' own texts that differ from A's with A's differences marked,
    by appendix name, each converted as the build converts it (alone, in its heading
    scheme), its paragraph marks inferred as the body's are."""
    marks = Marks(author.name, author.date)
    sources = comparison.b_sources
    reference = reference_doc(sources.project)
    texts: dict[str, ConvertedText] = {}
    for text in sources.narrative.attached:
        # A's text of the same appendix, wherever its file was
        before = next(
            (t for t in comparison.a_sources.narrative.attached if t.name == text.name), None
        )
        a_blocks = [
            b.node for b in comparison.a_tree.blocks if before and b.section == before.source
        ]
        b_blocks = [b.node for b in comparison.b_tree.blocks if b.section == text.source]
        if a_blocks == b_blocks:
            continue  # the same text: the build's own conversion
        document = comparison.b_tree.document(redline_tree(a_blocks, b_blocks, marks))
        styled = scheme_reference(reference, text.headings)
        conversion = BodyConversion(Units.of_tree(document, styled), styled, user_cache())
        texts[text.name] = extract(mark_body(conversion.result_parts(), author), text)
    return texts


def differs_around_body(comparison: Comparison) -> bool:
    """Whether what the build puts around the body may differ between the sides: their
    metadata, appendices (the body's tables among them) or Word templates. When none
    differs, A's document around the redlined body is B's, and there is nothing to redline
    outside the body."""
    a, b = comparison.a_sources, comparison.b_sources
    if a.metadata != b.metadata or a.appendices != b.appendices:
        return True
    templates = [(s.project.templates_dir.parent, (s.project.templates_dir.name,)) for s in (a, b)]
    return files_key(*templates[0]) != files_key(*templates[1])


def mark_body(parts: dict[str, bytes], author: Author) -> dict[str, bytes]:
    """Mark the paragraph marks and rows whose whole text pandoc wrote as inserted or deleted.

    Only pandoc's output is inferred from: a template's row whose empty cell paragraphs
    became text is an edited row, not an inserted one, and is marked where it is redlined.
    """
    parts = dict(parts)
    for name in (DOCUMENT_PART, FOOTNOTES_PART):
        if name in parts:
            root = parse_xml(parts[name])
            infer_marks(root, author)
            parts[name] = serialize_xml(root)
    return parts


def redline_outside_body(
    document_a: etree._Element, document_b: etree._Element, author: Author
) -> None:
    """Redline, in document_b, the blocks that differ from document_a's (in place).

    Both documents were assembled around the same body, so they differ only in what the
    templates (and any other layout step) put around it.
    """
    body_b = document_b.find(qn("w:body"))
    body_a = document_a.find(qn("w:body"))
    if body_a is None or body_b is None:
        return
    a_blocks = [child for child in body_a if child.tag != W_SECTPR]
    b_blocks = [child for child in body_b if child.tag != W_SECTPR]
    merged = redline_blocks(a_blocks, b_blocks, author)
    section = body_b.find(W_SECTPR)
    for child in b_blocks:
        if child.getparent() is body_b:
            body_b.remove(child)
    for block in merged:
        if section is not None:
            section.addprevious(block)
        else:
            body_b.append(block)


def finish(parts: dict[str, bytes], document: etree._Element, author: Author) -> Redline:
    """Settle the last paragraph marks, number the changes, and turn change tracking on."""
    roots = {DOCUMENT_PART: document}
    if FOOTNOTES_PART in parts:
        roots[FOOTNOTES_PART] = parse_xml(parts[FOOTNOTES_PART])
    for root in roots.values():
        settle_paragraph_marks(root)
    changes = number_revisions(roots.values())
    for name, root in roots.items():
        parts[name] = serialize_xml(root)
    if SETTINGS_PART in parts:
        settings = parse_xml(parts[SETTINGS_PART])
        track_revisions(settings)
        parts[SETTINGS_PART] = serialize_xml(settings)
    return Redline(write_parts(parts), changes)


def track_revisions(settings: etree._Element) -> None:
    """Add w:trackRevisions to w:settings at its schema place: further edits are tracked too."""
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    index = 0
    for position, child in enumerate(settings):
        if isinstance(child.tag, str) and local_name(child) in _BEFORE_TRACK_REVISIONS:
            index = position + 1
    settings.insert(index, make("w:trackRevisions"))
