"""Put the masthead and the closing around the pandoc body.

masthead.docx and closing.docx are rendered with docxtpl (they hold no footnotes), then
their body blocks are moved into the body's word/document.xml: the masthead before its
first element, the closing before its final w:sectPr. Jinja never sees the pandoc body or
its footnotes, every other part stays byte-identical, and the cost is linear in the body.

Sections that follow the main text (the appendices) are appended after the closing, each
starting on a new page with its own page numbers: the main text's w:sectPr moves into a
paragraph of its own after the closing, and the last section takes the body's final one.
Their content comes as markup (WordprocessingML serialized by the ooxml builders) and is
spliced into the serialized document.xml at a placeholder: parsing it and moving its
thousands of nodes into the pandoc document would cost several times the rest of the layout.
"""

from __future__ import annotations

import copy
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from lxml import etree

from .cache import NO_CACHE, Cache, value_key
from .classes import dataclass
from .errors import TemplateError
from .ooxml import (
    CONTENT_TYPES_PART,
    CT_NS,
    DOCUMENT_PART,
    FOOTNOTES_PART,
    PKG_REL_NS,
    R_NS,
    REL_FOOTER,
    SETTINGS_PART,
    STYLES_PART,
    W14_NS,
    W_NS,
    Border,
    PageSetup,
    get_or_add,
    local_name,
    make,
    make_p,
    make_ppr,
    make_r,
    make_rpr,
    markup_of,
    page_setup_of,
    parse_xml,
    qn,
    read_parts,
    rels_part_name,
    serialize_xml,
    set_child,
    set_page,
    write_parts,
)
from .parts import not_a_document
from .provenance import Provenance, write_provenance
from .textwidth import Run, wrap

MASTHEAD = "masthead.docx"
CLOSING = "closing.docx"

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_STYLE_REFS = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
_STYLE_LINKS = (qn("w:basedOn"), qn("w:next"), qn("w:link"))
# Body content that points into parts a template cannot bring along.
_UNSUPPORTED = {
    qn("w:sectPr"): "a section break",
    qn("w:numPr"): "a numbered or bulleted list",
    qn("w:footnoteReference"): "a footnote",
    qn("w:endnoteReference"): "an endnote",
    qn("w:commentReference"): "a comment",
}


_RELATIONSHIP_ATTRIBUTES = etree.XPath(f'.//@*[namespace-uri()="{R_NS}"]')
_W14_ATTRIBUTES = etree.XPath(f'descendant-or-self::*/@*[namespace-uri()="{W14_NS}"]')


@dataclass(frozen=True)
class Rendered:
    """A rendered template: its body blocks (w:p, w:tbl) and its styles part (XML)."""

    path: Path
    blocks: list[etree._Element]
    styles_xml: bytes


class SectionContent(Protocol):
    """What a section after the main text holds: its blocks as markup, for a text width.

    The markup is a sequence of w:p and w:tbl elements using the w: prefix (and r:), with
    no namespace declarations: the document's root declares them."""

    @property
    def landscape(self) -> bool: ...

    def markup(self, text_width: int) -> str: ...


@dataclass(frozen=True)
class KeptSection:
    """A section whose markup is kept in the cache by the section's value and the width:
    a build or a redline whose appendices did not change does not lay their tables out
    again."""

    section: SectionContent
    cache: Cache

    @property
    def landscape(self) -> bool:
        return self.section.landscape

    def markup(self, text_width: int) -> str:
        key = value_key((self.section, text_width))
        if key is None:
            return self.section.markup(text_width)
        return self.cache.value("section-markup", key, lambda: self.section.markup(text_width))


# Where the sections' markup goes in the serialized document.xml.
SECTIONS_PLACEHOLDER = "vanban-sections"

# ô 13 (ND30 Phụ lục I, III.4): the agency's address, telephone, fax, e-mail and website on
# the first page only, upright, 11 pt, under a solid rule across the whole text width. It is
# the main section's first-page footer; the sections after it (appendices) get an empty one,
# since a footer reference a section lacks is taken from the section before it.
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CONTACT_FOOTER_PART = "word/footer-contact.xml"
BLANK_FOOTER_PART = "word/footer-blank.xml"
CONTACT_PT = 11
CONTACT_RULE = Border(val="single", sz=6, space=1, color="000000")  # ¾ pt, solid


def render_layout(
    templates_dir: Path, context: Mapping[str, object], cache: Cache = NO_CACHE
) -> tuple[Rendered, Rendered]:
    """Render the masthead and closing templates; they need the metadata only, so a build
    renders them while pandoc converts the body.

    What they render to is kept in the cache by the templates' bytes and the context: a
    build whose metadata and templates did not change loads neither docxtpl nor python-docx
    (their import costs more than the rest of the layout)."""
    paths = (templates_dir / MASTHEAD, templates_dir / CLOSING)
    try:
        key: bytes | None = b"\0".join(
            [json.dumps(context, sort_keys=True, ensure_ascii=False, default=repr).encode()]
            + [f"{len(data)}:".encode() + data for data in (p.read_bytes() for p in paths)]
        )
    except OSError:
        key = None  # rendering says what is wrong with the file
    kept = cache.get("layout", key) if key is not None else None
    if isinstance(kept, tuple) and len(kept) == 2:
        bodies: tuple[tuple[bytes, bytes], ...] = kept
    else:
        check_signature_room(paths[1], context)
        check_sender(paths[0], context)
        bodies = tuple(_render_body(path, context) for path in paths)
        if key is not None:
            cache.put("layout", key, bodies)
    masthead, closing = (_rendered(path, *body) for path, body in zip(paths, bodies, strict=True))
    return masthead, closing


def assemble(
    body_docx: bytes | Mapping[str, bytes],
    templates_dir: Path,
    context: Mapping[str, object],
    sections: Sequence[SectionContent] = (),
    rendered: tuple[Rendered, Rendered] | None = None,
    provenance: Provenance | None = None,
    first_page_footer: Sequence[str] = (),
) -> bytes:
    """Return the pandoc DOCX with the rendered masthead before its body and closing after,
    then the sections (appendices), each on new pages; its properties say where it came from.
    first_page_footer: the lines of ô 13, printed at the foot of the first page only."""
    masthead, closing = rendered or render_layout(templates_dir, context)
    parts = dict(body_docx) if isinstance(body_docx, Mapping) else read_parts(body_docx)
    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(qn("w:body"))
    if body is None:
        raise TemplateError(f"{DOCUMENT_PART} of the body has no w:body")
    renumber_ids(document, [*masthead.blocks, *closing.blocks])
    fit_rules(masthead.blocks, _text_width(body))
    add_masthead(body, masthead.blocks)
    add_closing(body, closing.blocks)
    blank_footer = None
    if first_page_footer and sections:
        blank_footer = add_footer_part(parts, BLANK_FOOTER_PART, [_empty_footer_line()])
    markup = add_sections(body, sections, blank_footer)
    if first_page_footer:
        add_first_page_footer(parts, body, first_page_footer)
    if STYLES_PART in parts:
        styles = parse_xml(parts[STYLES_PART])
        if copy_missing_styles(styles, [masthead, closing]):
            parts[STYLES_PART] = serialize_xml(styles)
    parts[DOCUMENT_PART] = fill_placeholder(serialize_xml(document), markup)
    if SETTINGS_PART in parts and FOOTNOTES_PART in parts:
        parts[SETTINGS_PART] = name_footnote_separators(parts[SETTINGS_PART])
    if provenance is not None:
        write_provenance(parts, provenance)
    return write_parts(parts)


def name_footnote_separators(settings_xml: bytes) -> bytes:
    """Return settings naming the footnote separators (ids -1 and 0) as Word writes them."""
    settings = parse_xml(settings_xml)
    if settings.find(qn("w:footnotePr")) is None:
        set_child(
            settings, make("w:footnotePr", [make("w:footnote", id=-1), make("w:footnote", id=0)])
        )
    return serialize_xml(settings)


def add_masthead(body: etree._Element, blocks: Iterable[etree._Element]) -> None:
    """Insert the masthead blocks before the first element of the body."""
    for index, block in enumerate(blocks):
        body.insert(index, block)


def add_closing(body: etree._Element, blocks: Iterable[etree._Element]) -> None:
    """Insert the closing blocks after the last element of the body, before its w:sectPr.

    The body's last paragraph is kept with them, so that the signature block never stands
    alone on the last page.
    """
    paragraphs = body.findall(qn("w:p"))
    if paragraphs:
        get_or_add(get_or_add(paragraphs[-1], "w:pPr"), "w:keepNext")
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        for block in blocks:
            last.addprevious(block)
    else:
        body.extend(blocks)


def contact_paragraphs(lines: Sequence[str]) -> list[etree._Element]:
    """Build ô 13: one upright 11 pt line each, flush left, the first under the rule."""
    out = []
    for index, line in enumerate(lines):
        ppr = make_ppr(
            jc="left",
            first_line=0,
            left=0,
            right=0,
            before=0,
            after=0,
            line=240,
            borders={"top": CONTACT_RULE} if index == 0 else None,
            rpr=make_rpr(size_pt=CONTACT_PT),
        )
        out.append(make_p([make_r(line, make_rpr(size_pt=CONTACT_PT))], ppr))
    return out


def add_first_page_footer(
    parts: dict[str, bytes], body: etree._Element, lines: Sequence[str]
) -> None:
    """Give the main text's section (the first) ô 13 as its first-page footer, its last line
    at the bottom margin, so that it stays inside the text area as ND30's layout draws it."""
    first = next(body.iter(qn("w:sectPr")), None)
    margins = first.find(qn("w:pgMar")) if first is not None else None
    if first is None or margins is None:
        raise TemplateError(f"{DOCUMENT_PART}: the main section has no page margins")
    contact = add_footer_part(parts, CONTACT_FOOTER_PART, contact_paragraphs(lines))
    set_footer(first, "first", contact)
    set_child(first, make("w:titlePg"))
    margins.set(qn("w:footer"), margins.get(qn("w:bottom")) or "0")


def _empty_footer_line() -> etree._Element:
    ppr = make_ppr(
        before=0, after=0, line=20, line_rule="exact", first_line=0, rpr=make_rpr(size_pt=1)
    )
    return make_p([], ppr)


def add_footer_part(
    parts: dict[str, bytes], name: str, paragraphs: Sequence[etree._Element]
) -> str:
    """Add a footer part holding these paragraphs, related to the document; return its r:id."""
    footer = etree.Element(qn("w:ftr"), nsmap={"w": W_NS, "r": R_NS})
    footer.extend(paragraphs)
    parts[name] = serialize_xml(footer)
    rels_name = rels_part_name(DOCUMENT_PART)
    rels = parse_xml(parts[rels_name])
    taken = {rel.get("Id") for rel in rels}
    rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    etree.SubElement(
        rels, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=REL_FOOTER, Target=name[5:]
    )
    parts[rels_name] = serialize_xml(rels)
    types = parse_xml(parts[CONTENT_TYPES_PART])
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=f"/{name}", ContentType=CT_FOOTER)
    parts[CONTENT_TYPES_PART] = serialize_xml(types)
    return rid


def set_footer(sect_pr: etree._Element, kind: str, rid: str) -> None:
    """Make a section's footer of this type (default, first, even) the part of this r:id."""
    tag = qn("w:footerReference")
    for old in sect_pr.findall(tag):
        if old.get(qn("w:type")) == kind:
            sect_pr.remove(old)
    reference = make("w:footerReference", type=kind)
    reference.set(qn("r:id"), rid)
    references = sect_pr.findall(qn("w:headerReference")) + sect_pr.findall(tag)
    if references:
        references[-1].addnext(reference)
    else:
        sect_pr.insert(0, reference)


def add_sections(
    body: etree._Element, sections: Sequence[SectionContent], blank_footer: str | None = None
) -> str:
    """Append sections after the main text, each from a new page with its own page numbers;
    return the markup to put in place of the placeholder left for them (see fill_placeholder).

    Each takes the main section's headers (page number centred at the top, none on its
    first page) and numbering restarting at 1; a landscape one gets the page turned;
    blank_footer, when given, is the first-page footer of each (in place of the main
    section's ô 13).
    """
    if not sections:
        return ""
    final = body[-1] if len(body) else None
    if final is None or final.tag != qn("w:sectPr"):
        raise TemplateError(f"{DOCUMENT_PART} of the body has no final w:sectPr")
    page = page_setup_of(final)
    if page is None:
        raise TemplateError(f"{DOCUMENT_PART}: the final w:sectPr has no page size or margins")
    root = body.getroottree().getroot()
    for prefix, namespace in (("w", W_NS), ("r", R_NS)):
        if root.nsmap.get(prefix) != namespace:
            raise TemplateError(f"{DOCUMENT_PART}: its root does not bind the {prefix}: prefix")
    main = copy.deepcopy(final)
    final.addprevious(section_break(main))
    final.addprevious(etree.ProcessingInstruction(SECTIONS_PLACEHOLDER))
    markup = []
    for index, section in enumerate(sections):
        turned = page.turned() if section.landscape != page.landscape else page
        markup.append(section.markup(turned.text_width))
        if index == len(sections) - 1:
            restart_page_numbers(final, turned)  # the last section takes the body's own
            if blank_footer is not None:
                set_footer(final, "first", blank_footer)
        else:
            properties = restart_page_numbers(copy.deepcopy(main), turned)
            if blank_footer is not None:
                set_footer(properties, "first", blank_footer)
            markup.append(markup_of(section_break(properties)))
    return "".join(markup)


# An appendix in a file of its own (ND30 Phụ lục I, III.1.d; Phụ lục III, Mẫu 2.2) gets the
# agency's digital signature at the top right of its first page, shown as a line of 10 pt
# text (số and ký hiệu, the time of signing) that the signing tool writes: this much room
# is kept free above "Phụ lục …" for it.
SIGNATURE_INFO_SPACE = 567  # twips: 10 mm


def standalone_section(
    body_docx: bytes | Mapping[str, bytes],
    section: SectionContent,
    provenance: Provenance | None = None,
) -> bytes:
    """Return a document of its own holding one section (an appendix issued as a file of
    its own): the body's styles, page setup and page numbers (from 1, none on its first
    page), the room for the agency's signature at its top, none of the body's text."""
    from .templates_gen import drop_unused_relationships

    parts = dict(body_docx) if isinstance(body_docx, Mapping) else read_parts(body_docx)
    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(qn("w:body"))
    final = body[-1] if body is not None and len(body) else None
    if body is None or final is None or final.tag != qn("w:sectPr"):
        raise TemplateError(f"{DOCUMENT_PART} of the body has no final w:sectPr")
    page = page_setup_of(final)
    if page is None:
        raise TemplateError(f"{DOCUMENT_PART}: the final w:sectPr has no page size or margins")
    turned = page.turned() if section.landscape != page.landscape else page
    properties = restart_page_numbers(copy.deepcopy(final), turned)
    for child in list(body):
        body.remove(child)
    top = make_ppr(
        before=0,
        after=0,
        line=SIGNATURE_INFO_SPACE,
        line_rule="exact",
        first_line=0,
        rpr=make_rpr(size_pt=1),
    )
    body.extend([make_p([], top), etree.ProcessingInstruction(SECTIONS_PLACEHOLDER), properties])
    markup = section.markup(turned.text_width)
    parts[DOCUMENT_PART] = fill_placeholder(serialize_xml(document), markup)
    if FOOTNOTES_PART in parts:  # the separators, and the notes of the section's own text
        cited = set(_CITED_NOTE.findall(markup))
        notes = parse_xml(parts[FOOTNOTES_PART])
        for note in notes.findall(qn("w:footnote")):
            if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                continue
            if note.get(qn("w:id")) not in cited:
                notes.remove(note)
        parts[FOOTNOTES_PART] = serialize_xml(notes)
        if SETTINGS_PART in parts:
            parts[SETTINGS_PART] = name_footnote_separators(parts[SETTINGS_PART])
    drop_unused_relationships(parts, DOCUMENT_PART)
    if provenance is not None:
        write_provenance(parts, provenance)
    return write_parts(parts)


_CITED_NOTE = re.compile(r'<w:footnoteReference\b[^>]*? w:id="(\d+)"')


def fill_placeholder(document_xml: bytes, markup: str) -> bytes:
    """Put the sections' markup where add_sections left its placeholder."""
    placeholder = etree.tostring(etree.ProcessingInstruction(SECTIONS_PLACEHOLDER))
    if not markup:
        return document_xml
    if document_xml.count(placeholder) != 1:
        raise TemplateError(f"{DOCUMENT_PART}: the placeholder of the appendices is missing")
    return document_xml.replace(placeholder, markup.encode("utf-8"), 1)


def restart_page_numbers(sect_pr: etree._Element, page: PageSetup) -> etree._Element:
    """Make a w:sectPr start a new page with this page setup, numbered from 1, the number
    hidden on its first page (w:titlePg: the first-page header is empty)."""
    set_child(sect_pr, make("w:type", val="nextPage"))
    set_page(sect_pr, page)
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = set_child(sect_pr, make("w:pgNumType", fmt="decimal"))
    numbering.set(qn("w:start"), "1")
    set_child(sect_pr, make("w:titlePg"))
    return sect_pr


def turn_landscape_sections(body: etree._Element) -> list[etree._Element]:
    """Put the text's landscape sections (between the marks its `::: landscape` fences
    became, see conventions.LANDSCAPE_START) on pages turned to landscape, by section
    breaks in place of the marks; return the body's elements printed on those pages.

    The sections after the first (ô 13 and no page number on page 1) go on numbering the
    pages, their numbers shown from their first page; margins stay where the page is read
    (PageSetup.turned)."""
    from .conventions import LANDSCAPE_END, LANDSCAPE_START

    marks = {LANDSCAPE_START, LANDSCAPE_END}
    final = body[-1] if len(body) else None
    page = page_setup_of(final) if final is not None and final.tag == qn("w:sectPr") else None
    turned: list[etree._Element] = []
    inside = first = False
    printed = False  # whether anything of the text comes before the mark
    for child in list(body):
        text = (
            "".join(t.text or "" for t in child.iter(qn("w:t"))) if child.tag == qn("w:p") else ""
        )
        if text not in marks:
            if inside:
                turned.append(child)
            printed = printed or bool(text.strip()) or child.tag == qn("w:tbl")
            continue
        if final is None or page is None or (text == LANDSCAPE_START) == inside:
            body.remove(child)  # a mark out of turn (the check reports its fence)
            continue
        if not printed:
            # the text starts turned: so does its first page, the masthead on top of the
            # text as the page turned shows it, not on a page of its own
            body.remove(child)
            inside = True
            continue
        properties = copy.deepcopy(final)
        if first:
            _go_on_numbering(properties)
        if inside:
            set_page(properties, page.turned())
        child.addprevious(section_break(properties))
        body.remove(child)
        inside, first = not inside, True
    if first and final is not None:
        _go_on_numbering(final)
    if inside and final is not None and page is not None:
        set_page(final, page.turned())
    return turned


def _go_on_numbering(sect_pr: etree._Element) -> None:
    """Make a section number its pages on from the one before, its first page's too."""
    for title_page in sect_pr.findall(qn("w:titlePg")):
        sect_pr.remove(title_page)
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is not None and numbering.get(qn("w:start")) is not None:
        del numbering.attrib[qn("w:start")]


def section_break(sect_pr: etree._Element) -> etree._Element:
    """Build the paragraph that ends a section: it carries the section's w:sectPr.

    It is as small as a paragraph can be (1 pt) so that it never pushes a page over.
    """
    ppr = make_ppr(
        before=0, after=0, line=20, line_rule="exact", first_line=0, rpr=make_rpr(size_pt=1)
    )
    set_child(ppr, sect_pr)
    return make_p([], ppr)


# --------------------------------------------------------------------- rendering


def _rendered(path: Path, body_xml: bytes, styles_xml: bytes) -> Rendered:
    """Return the blocks of a rendered template's body (its XML, as _render_body gives it)."""
    body = parse_xml(body_xml)
    return Rendered(path, [child for child in body if local_name(child) != "sectPr"], styles_xml)


def _render_body(path: Path, context: Mapping[str, object]) -> tuple[bytes, bytes]:
    """Render a docxtpl template; return its body's XML (paragraph ids removed, its blocks
    checked) and its styles part's."""
    import jinja2
    from docx.opc.exceptions import OpcError

    if not path.is_file():
        raise TemplateError(f"{path}: template not found (run `vanban templates` to create it)")
    template = _body_template()(str(path))
    # Autoescape turns "TB&XH" into "TB&amp;XH": docxtpl re-parses the rendered XML with a
    # recovering parser, which would silently drop a bare "&XH" or a "<".
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        template.render(dict(context), jinja_env=environment)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{path}: {_undefined(exc)}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{path}: bad template tag: {exc.message}{_near(exc)}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{path}: cannot render: {exc}") from None
    except (
        OpcError,
        zipfile.BadZipFile,
        zlib.error,
        etree.XMLSyntaxError,
        KeyError,
        ValueError,
    ) as exc:
        raise TemplateError(not_a_document(path, exc)) from None
    body = parse_xml(etree.tostring(template.docx.element.body))
    blocks = [child for child in body if local_name(child) != "sectPr"]
    check_blocks(path, blocks)
    for block in blocks:
        _strip_paragraph_ids(block)
    return etree.tostring(body), etree.tostring(template.docx.styles.element)


@lru_cache(maxsize=1)
def _body_template() -> type:
    """Return the docxtpl template class of which only the body is rendered (imported when
    a template is rendered: a build whose layout is kept never loads docxtpl)."""
    from docxtpl import DocxTemplate

    class BodyTemplate(DocxTemplate):  # type: ignore[misc]
        """A docxtpl template of which only the body is used.

        Its headers, footers, footnotes and document properties never reach the output,
        so they are not rendered: that is most of docxtpl's work on a small template.
        """

        def get_headers_footers(self, uri: str) -> Iterator[tuple[str, object]]:
            return iter(())

        def render_properties(self, context: object, jinja_env: object = None) -> None:
            return None

        def render_footnotes(self, context: object, jinja_env: object = None) -> None:
            return None

    return BodyTemplate


def _template_text(path: Path) -> bytes | None:
    """Return the text of a Word template's body without its markup (its Jinja tags read
    whole), or None when it cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile, zlib.error, EOFError):
        return None
    return re.sub(rb"<[^>]*>", b"", xml)


def check_sender(path: Path, context: Mapping[str, object]) -> None:
    """Refuse a masthead template without a Công điện's sender line and recipients
    ({{ sender_line }}, sent_to) for a Công điện, as one made before that kind was."""
    if not context.get("sender_line"):
        return
    text = _template_text(path)
    if text is None:
        return  # rendering the template says what is wrong with the file
    if b"sender_line" not in text or b"sent_to" not in text:
        raise TemplateError(
            f"{path}: the masthead has no sender line ({{{{ sender_line }}}}) and recipients "
            "(sent_to), which a Công điện prints under its title (ND30 Phụ lục III, Mẫu 1.6); "
            "run `vanban templates --force` for the default templates"
        )


def check_signature_room(path: Path, context: Mapping[str, object]) -> None:
    """Refuse a closing template that cannot keep the room asked for between chức vụ and name
    (a document signed digitally, or signature_space): one whose empty lines are not repeated
    by {%p for _ in signature_lines %}, as a template edited before the loop existed; one
    without the secretary's signature for a Biên bản, made before that kind was; and one
    without a Giấy nghỉ phép's confirmation block when it is asked for."""
    from .metadata import PAPER_SIGNATURE_LINES

    lines = context.get("signature_lines")
    room = isinstance(lines, Sequence) and len(lines) != PAPER_SIGNATURE_LINES
    if not room and not context.get("secretary_name") and not context.get("confirmation"):
        return
    text = _template_text(path)
    if text is None:
        return  # rendering the template says what is wrong with the file
    if context.get("secretary_name") and b"secretary_name" not in text:
        raise TemplateError(
            f"{path}: the closing has no secretary's signature ({{{{ secretary_name }}}}), "
            "which a Biên bản prints beside the chair's (ND30 Phụ lục III, Mẫu 1.9); run "
            "`vanban templates --force` for the default templates"
        )
    if context.get("confirmation") and b"confirmation" not in text:
        raise TemplateError(
            f"{path}: the closing has no confirmation block ({{{{ confirmation }}}}), which a "
            "Giấy nghỉ phép prints under it when data/document.yaml asks (confirmation:; ND30 "
            "Phụ lục III, Mẫu 1.10); run `vanban templates --force` for the default templates"
        )
    if room and b"signature_lines" not in text:
        raise TemplateError(
            f"{path}: the signature block has no {{%p for _ in signature_lines %}} loop around "
            "its empty line, so it cannot keep the room asked for between chức vụ and name "
            "(issuance: electronic, or signature_space); run `vanban templates --force` for "
            "the default templates, or put the loop around that line in Word"
        )


def _undefined(exc: Any) -> str:  # a jinja2.UndefinedError
    match = re.match(r"'([^']+)' is undefined", exc.message or "")
    if match:
        return f"undefined name '{match.group(1)}' (not in the document metadata)"
    return f"undefined value: {exc.message}"


def _near(exc: Any) -> str:  # a jinja2.TemplateSyntaxError
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    return f" (near: {' | '.join(lines)})" if lines else ""


def check_blocks(path: Path, blocks: list[etree._Element]) -> None:
    """Refuse template content that refers to parts the body does not have."""
    for block in blocks:
        for element in block.iter(*_UNSUPPORTED):
            raise TemplateError(
                f"{path}: the template holds {_UNSUPPORTED[element.tag]}; masthead and "
                "closing templates may hold formatted text and tables only"
            )
        for attribute in _RELATIONSHIP_ATTRIBUTES(block):
            raise TemplateError(
                f"{path}: the template holds a picture, link or embedded object "
                f'(r:{etree.QName(attribute.attrname).localname}="{attribute}"); masthead '
                "and closing templates may hold formatted text and tables only"
            )


def _strip_paragraph_ids(block: etree._Element) -> None:
    # Word's w14:paraId/textId must be unique in a document; Word regenerates them.
    for attribute in _W14_ATTRIBUTES(block):
        del attribute.getparent().attrib[attribute.attrname]


# ------------------------------------------------------------- ids and styles


def renumber_ids(document: etree._Element, blocks: list[etree._Element]) -> None:
    """Give bookmarks and drawings of the inserted blocks ids unused in the document."""
    bookmark_tags = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
    bookmarks = [e for b in blocks for e in b.iter(*bookmark_tags)]
    drawings = [e for b in blocks for e in b.iter(f"{{{WP_NS}}}docPr")]
    if not bookmarks and not drawings:
        return
    hidden = {
        e.get(qn("w:id"))
        for e in bookmarks
        if e.tag == qn("w:bookmarkStart") and (e.get(qn("w:name")) or "").startswith("_")
    }
    used_bookmarks = _max_id(document.iter(*bookmark_tags), qn("w:id"))
    used_drawings = _max_id(document.iter(f"{{{WP_NS}}}docPr"), "id")
    mapping: dict[str | None, str] = {}
    for element in bookmarks:
        old = element.get(qn("w:id"))
        if old in hidden:  # Word's _GoBack and other hidden bookmarks
            element.getparent().remove(element)
            continue
        if old not in mapping:
            used_bookmarks += 1
            mapping[old] = str(used_bookmarks)
        element.set(qn("w:id"), mapping[old])
    for element in drawings:
        used_drawings += 1
        element.set("id", str(used_drawings))


def _max_id(elements: Iterator[etree._Element], attribute: str) -> int:
    values = (e.get(attribute) or "" for e in elements)
    return max((int(v) for v in values if v.lstrip("-").isdigit()), default=0)


def copy_missing_styles(styles: etree._Element, rendered: Iterable[Rendered]) -> bool:
    """Copy into styles the definitions the inserted blocks use and it lacks; True if any."""
    have = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))}
    copied = False
    for item in rendered:
        wanted = [e.get(qn("w:val")) for b in item.blocks for e in b.iter(*_STYLE_REFS)]
        if all(style_id in have for style_id in wanted):
            continue
        source = {s.get(qn("w:styleId")): s for s in parse_xml(item.styles_xml).iter(qn("w:style"))}
        while wanted:
            style_id = wanted.pop()
            if style_id in have or style_id not in source:
                continue
            definition = source[style_id]
            styles.append(etree.fromstring(etree.tostring(definition)))
            have.add(style_id)
            copied = True
            wanted += [e.get(qn("w:val")) for e in definition if e.tag in _STYLE_LINKS]
    return copied


# ------------------------------------------------------------- the masthead's rules

# ND30 Phụ lục I, II.2.b and II.5.b: the rules under the agency's name and under the trích
# yếu are 1/3 to 1/2 as long as the line of text above them. They get 2/5 of its longest
# line: a line measured up to 20 % too short or too long still gives a rule in range.
RULE_FRACTION = 0.4
WORD_CELL_MARGIN = 108  # Word's default left and right cell margin (0.19 cm)
AGENCY_DEFAULT_PT = 12  # sizes for text whose run and paragraph mark set none
SUMMARY_DEFAULT_PT = 14
_FALSE = {"0", "false", "off"}
_NO_BORDER = {"nil", "none"}


def fit_rules(blocks: Sequence[etree._Element], text_width: int | None) -> None:
    """Give the masthead's rules their length from the text above them, as it wraps.

    The agency rule is the first rule in the first cell of the first table, under the bold
    lines of the name (the parent agency above them, in regular type, does not count); the
    trích yếu rule is the first rule among the blocks after the table, right under its
    paragraph. A rule is an empty paragraph with a top or bottom border; an edited template
    without one keeps what it draws.
    """
    table = next((b for b in blocks if b.tag == qn("w:tbl")), None)
    cell = None if table is None else table.find(f"{qn('w:tr')}/{qn('w:tc')}")
    if table is not None and cell is not None:
        _fit_rule(cell.findall(qn("w:p")), _cell_text_width(table, cell), AGENCY_DEFAULT_PT, True)
    if text_width is not None:
        after = list(blocks[blocks.index(table) + 1 :] if table is not None else blocks)
        _fit_rule(after, text_width, SUMMARY_DEFAULT_PT, False)


def _fit_rule(
    blocks: Sequence[etree._Element], available: int, default_pt: float, bold_lines: bool
) -> None:
    """Fit the first rule among blocks to the paragraph (or, with bold_lines, the bold
    paragraphs) right above it, in a container this wide (twips)."""
    index = next((i for i, b in enumerate(blocks) if _is_rule(b)), None)
    if index is None:
        return
    above: list[etree._Element] = []
    for block in reversed(blocks[:index]):
        if block.tag != qn("w:p") or not _text(block).strip():
            break
        if above and not (bold_lines and _all_bold(block)):
            break
        above.append(block)
    if bold_lines and len(above) > 1 and not _all_bold(above[0]):
        del above[1:]
    if not above:
        return
    longest = 0.0
    box = (0, available)
    for paragraph in above:
        left, right = _indents(paragraph)
        lines = wrap(_runs(paragraph, default_pt), available - left - right)
        if lines and max(lines) > longest:
            longest, box = max(lines), (left, available - right)
    if longest <= 0:
        return
    length = round(RULE_FRACTION * longest)
    start = box[0] + (box[1] - box[0] - length) // 2
    indent = get_or_add(get_or_add(blocks[index], "w:pPr"), "w:ind")
    for name in ("start", "end", "hanging", "firstLineChars", "hangingChars"):
        indent.attrib.pop(qn(f"w:{name}"), None)
    indent.set(qn("w:left"), str(start))
    indent.set(qn("w:right"), str(available - length - start))
    indent.set(qn("w:firstLine"), "0")


def _is_rule(block: etree._Element) -> bool:
    if block.tag != qn("w:p") or _text(block).strip():
        return False
    if any(True for _ in block.iter(qn("w:drawing"), qn("w:pict"), qn("w:object"))):
        return False
    borders = block.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
    if borders is None:
        return False
    return any(
        (side := borders.find(qn(f"w:{name}"))) is not None
        and side.get(qn("w:val")) not in _NO_BORDER
        for name in ("top", "bottom")
    )


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _on(rpr: etree._Element | None, name: str) -> bool | None:
    """Whether a toggle property (w:b, w:caps) is on in a w:rPr; None if it does not say."""
    element = None if rpr is None else rpr.find(qn(f"w:{name}"))
    if element is None:
        return None
    return element.get(qn("w:val"), "1").lower() not in _FALSE


def _size(rpr: etree._Element | None) -> float | None:
    element = None if rpr is None else rpr.find(qn("w:sz"))
    value = "" if element is None else element.get(qn("w:val"), "")
    return int(value) / 2 if value.isdigit() and int(value) > 0 else None


def _runs(paragraph: etree._Element, default_pt: float) -> list[Run]:
    """Return the paragraph's text as runs of one size and weight; breaks become "\n"."""
    mark = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    mark_pt = _size(mark) or default_pt
    runs = []
    for run in paragraph.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        parts = []
        for child in run:
            if child.tag == qn("w:t"):
                parts.append(child.text or "")
            elif child.tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n")
            elif child.tag == qn("w:tab"):
                parts.append(" ")
        text = "".join(parts)
        if _on(rpr, "caps"):
            text = text.upper()
        runs.append(Run(text, _size(rpr) or mark_pt, bool(_on(rpr, "b"))))
    return runs


def _all_bold(paragraph: etree._Element) -> bool:
    runs = [
        r
        for r in paragraph.iter(qn("w:r"))
        if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
    ]
    return bool(runs) and all(_on(r.find(qn("w:rPr")), "b") for r in runs)


def _twips(element: etree._Element | None, *names: str) -> int | None:
    for name in names:
        value = None if element is None else element.get(qn(f"w:{name}"))
        if value is not None and value.lstrip("-").isdigit():
            return int(value)
    return None


def _indents(paragraph: etree._Element) -> tuple[int, int]:
    indent = paragraph.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    return (_twips(indent, "left", "start") or 0, _twips(indent, "right", "end") or 0)


def _cell_text_width(table: etree._Element, cell: etree._Element) -> int:
    """Return the width of a cell less its left and right margins (twips)."""
    width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    total = None
    if width is not None and width.get(qn("w:type"), "dxa") == "dxa":
        total = _twips(width, "w")
    if not total:
        column = table.find(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
        total = _twips(column, "w") or 0
    holders = (
        cell.find(f"{qn('w:tcPr')}/{qn('w:tcMar')}"),
        table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}"),
    )
    margins = []
    for sides in (("left", "start"), ("right", "end")):
        found = [
            _twips(holder.find(qn(f"w:{side}")), "w")
            for holder in holders
            if holder is not None
            for side in sides
        ]
        margins.append(next((m for m in found if m is not None), WORD_CELL_MARGIN))
    return total - sum(margins)


def _text_width(body: etree._Element) -> int | None:
    """Return the text width of the body's main section (its final w:sectPr), if it says."""
    final = body[-1] if len(body) else None
    if final is None or final.tag != qn("w:sectPr"):
        return None
    page = page_setup_of(final)
    return None if page is None else page.text_width
