"""Low-level OOXML helpers: namespaces, safe parsing, DOCX parts, WordprocessingML builders.

Everything here is named after the XML it touches. Builders insert children in the
order of the ECMA-376 (transitional) schema sequences, because Word refuses a file whose
`w:pPr`, `w:rPr`, `w:sectPr`... children are out of order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from lxml import etree

from .classes import dataclass, replace

# The package's parts, their names and the namespaces, without lxml (re-exported: a module
# of the floor).
from .parts import CONTENT_TYPES_PART as CONTENT_TYPES_PART
from .parts import CT_NS as CT_NS
from .parts import DOCUMENT_PART as DOCUMENT_PART
from .parts import FONT_TABLE_PART as FONT_TABLE_PART
from .parts import FOOTNOTES_PART as FOOTNOTES_PART
from .parts import M_NS as M_NS
from .parts import PKG_REL_NS as PKG_REL_NS
from .parts import R_NS as R_NS
from .parts import SETTINGS_PART as SETTINGS_PART
from .parts import STYLES_PART as STYLES_PART
from .parts import W14_NS as W14_NS
from .parts import W_NS as W_NS
from .parts import XML_NS as XML_NS
from .parts import read_parts as read_parts
from .parts import write_parts as write_parts

NSMAP = {"w": W_NS, "r": R_NS, "w14": W14_NS, "xml": XML_NS, "rel": PKG_REL_NS, "ct": CT_NS}

REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
REL_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
REL_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"

# Entities are never expanded and nothing is fetched: a DOCX is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def qn(name: str) -> str:
    """Return the Clark name of a prefixed name: "w:p" → "{...main}p"."""
    prefix, _, local = name.partition(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def local_name(element: etree._Element) -> str:
    """Return the tag of an element without its namespace."""
    tag = element.tag
    if isinstance(tag, str):
        return tag.rpartition("}")[2]
    return etree.QName(element).localname


def parse_xml(data: bytes) -> etree._Element:
    """Parse an XML part with entity resolution and network access off."""
    return etree.fromstring(data, _PARSER)


def serialize_xml(root: etree._Element) -> bytes:
    """Serialize an XML part as Word writes it: UTF-8 with a standalone declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_NS_DECLARATION = re.compile(r' xmlns(?::\w+)?="[^"]*"')
_TAG = re.compile(r"<[^<>]*>")  # a text or a value holds no "<" or ">" unescaped


def markup_of(element: etree._Element) -> str:
    """Serialize an element (not its tail) without namespace declarations, for a part whose
    root declares them; they are taken out of its tags alone, so that a text that reads
    like one (`xmlns:w="…"`) is kept."""
    text: str = etree.tostring(element, encoding="unicode", with_tail=False)
    end = text.index(">")  # the first tag's: lxml writes ">" in a value as "&gt;"
    head, rest = _NS_DECLARATION.sub("", text[:end]), text[end:]
    if " xmlns" in rest:  # a nested element that declares one, or a text quoting one
        rest = _TAG.sub(lambda tag: _NS_DECLARATION.sub("", tag.group()), rest)
    return head + rest


# --------------------------------------------------------------------------- package


def rels_part_name(part: str) -> str:
    """Return the name of the relationships part of a part: word/x.xml → word/_rels/x.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def resolve_target(source_part: str, target: str) -> str:
    """Return the part name a relationship target points to, relative to its source part."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = source_part.rpartition("/")[0]
    segments = folder.split("/") if folder else []
    for segment in target.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    return "/".join(segments)


# ------------------------------------------------------------------ schema order

# ECMA-376 Part 1 (transitional) sequences. left/right and start/end are the 2006 and
# the 2010+ spellings of the same slot.
_PPR = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
_RPR = (
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
    "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern "
    "position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath rPrChange"
)
_SECTPR = (
    "headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
    "bidi rtlGutter docGrid printerSettings sectPrChange"
)
_TBLPR = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
)
_TCPR = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark headers cellIns|cellDel|cellMerge tcPrChange"
)
# CT_TrPrBase is an unbounded choice: its members may come in any order.
_TRPR = (
    "cnfStyle|divId|gridBefore|gridAfter|wBefore|wAfter|cantSplit|trHeight|tblHeader|"
    "tblCellSpacing|jc|hidden ins del trPrChange"
)
_TBLGRID = "gridCol tblGridChange"
_STYLE = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
    "tblStylePr"
)
_DOCDEFAULTS = "rPrDefault pPrDefault"
_SETTINGS = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView "
    "trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
    "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace "
    "updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids attachedSchema "
    "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator"
)
_PBDR = "top left|start bottom right|end between bar"
_TBLBORDERS = "top left|start bottom right|end insideH insideV"
_TCBORDERS = "top left|start bottom right|end insideH insideV tl2br tr2bl"
_CELLMAR = "top left|start bottom right|end"


def _ranks(sequence: str) -> dict[str, int]:
    return {name: rank for rank, slot in enumerate(sequence.split()) for name in slot.split("|")}


# parent local name → child local name → rank in the parent's sequence.
CHILD_ORDER: dict[str, dict[str, int]] = {
    "pPr": _ranks(_PPR),
    "rPr": _ranks(_RPR),
    "sectPr": _ranks(_SECTPR),
    "tblPr": _ranks(_TBLPR),
    "tcPr": _ranks(_TCPR),
    "trPr": _ranks(_TRPR),
    "tblGrid": _ranks(_TBLGRID),
    "style": _ranks(_STYLE),
    "docDefaults": _ranks(_DOCDEFAULTS),
    "settings": _ranks(_SETTINGS),
    "pBdr": _ranks(_PBDR),
    "tblBorders": _ranks(_TBLBORDERS),
    "tcBorders": _ranks(_TCBORDERS),
    "tblCellMar": _ranks(_CELLMAR),
    "tcMar": _ranks(_CELLMAR),
}

# Children that may occur more than once in their parent.
REPEATABLE: dict[str, frozenset[str]] = {
    "sectPr": frozenset({"headerReference", "footerReference"}),
    "tblGrid": frozenset({"gridCol"}),
    "style": frozenset({"tblStylePr"}),
    "trPr": frozenset(_TRPR.split()[0].split("|")),
    "settings": frozenset({"activeWritingStyle", "smartTagType"}),
}


_LAST = 1_000_000  # rank of children outside the sequence (extensions): they go last


def _rank(parent: etree._Element, child: etree._Element) -> int:
    if etree.QName(child).namespace != W_NS:
        return _LAST
    return CHILD_ORDER.get(local_name(parent), {}).get(local_name(child), _LAST)


def set_child(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Put child into parent at its schema position, replacing a child of the same tag."""
    name = local_name(child)
    if name not in REPEATABLE.get(local_name(parent), frozenset()):
        for old in parent.findall(child.tag):
            parent.remove(old)
    rank = _rank(parent, child)
    for index, existing in enumerate(parent):
        if _rank(parent, existing) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def get_or_add(parent: etree._Element, name: str) -> etree._Element:
    """Return parent's child of this prefixed name, adding it at its schema position."""
    found = parent.find(qn(name))
    return found if found is not None else set_child(parent, make(name))


def make(name: str, children: Iterable[etree._Element] = (), /, **attrs: object) -> etree._Element:
    """Build an element; keyword attributes are w: attributes ("val" → w:val)."""
    nsmap = {"w": W_NS, "r": R_NS} if name.startswith("w:") else None
    element = etree.Element(qn(name), nsmap=nsmap)
    for key, value in attrs.items():
        if value is not None:
            element.set(qn(f"w:{key}"), _attr(value))
    parent = name.partition(":")[2]
    order = CHILD_ORDER.get(parent)
    if order is None:
        element.extend(children)
        return element
    # As successive set_child calls would: the last of a tag that may occur once wins,
    # and children go in schema order, equal ranks in the order given.
    repeatable = REPEATABLE.get(parent, frozenset())
    kept: list[etree._Element] = []
    seen: set[str] = set()
    for child in reversed(list(children)):
        name_of = local_name(child)
        if child.tag in seen and name_of not in repeatable:
            continue
        seen.add(child.tag)
        kept.append(child)
    kept.reverse()
    ranks = {
        id(c): order.get(local_name(c), _LAST) if etree.QName(c).namespace == W_NS else _LAST
        for c in kept
    }
    element.extend(sorted(kept, key=lambda c: ranks[id(c)]))
    return element


def _attr(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _toggle(name: str, on: bool | None) -> list[etree._Element]:
    if on is None:
        return []
    return [make(name)] if on else [make(name, val="0")]


# ------------------------------------------------------------------------ builders


def twips_from_mm(mm: float) -> int:
    """Return twips for a length in mm, rounded up so a minimum margin is never undercut."""
    return math.ceil(round(mm * 1440 / 25.4, 6))


def make_rpr(
    *,
    font: str | None = None,
    size_pt: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: str | None = None,
    vert_align: str | None = None,
    lang: str | None = None,
    style: str | None = None,
    caps: bool | None = None,
) -> etree._Element:
    """Build a w:rPr; None leaves a property to the style."""
    children: list[etree._Element] = []
    if style:
        children.append(make("w:rStyle", val=style))
    if font:
        children.append(make("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font))
    children += _toggle("w:b", bold) + _toggle("w:bCs", bold)
    children += _toggle("w:i", italic) + _toggle("w:iCs", italic)
    children += _toggle("w:caps", caps)
    if color:
        children.append(make("w:color", val=color))
    if size_pt is not None:
        half_points = round(size_pt * 2)
        children += [make("w:sz", val=half_points), make("w:szCs", val=half_points)]
    if vert_align:
        children.append(make("w:vertAlign", val=vert_align))
    if lang:
        children.append(make("w:lang", val=lang))
    return make("w:rPr", children)


@dataclass(frozen=True)
class Border:
    """One side of a w:pBdr / w:tblBorders: a line style, width in eighths of a point."""

    val: str = "single"
    sz: int = 6
    space: int = 0
    color: str = "000000"

    def element(self, side: str) -> etree._Element:
        return make(f"w:{side}", val=self.val, sz=self.sz, space=self.space, color=self.color)


NO_BORDER = Border(val="nil", sz=0, space=0, color="auto")


def make_ppr(
    *,
    style: str | None = None,
    jc: str | None = None,
    before: int | None = None,
    after: int | None = None,
    line: int | None = None,
    line_rule: str = "auto",
    first_line: int | None = None,
    left: int | None = None,
    right: int | None = None,
    keep_next: bool | None = None,
    keep_lines: bool | None = None,
    borders: Mapping[str, Border] | None = None,
    rpr: etree._Element | None = None,
) -> etree._Element:
    """Build a w:pPr; lengths in twips, line in 240ths of a line when line_rule is auto."""
    children: list[etree._Element] = []
    if style:
        children.append(make("w:pStyle", val=style))
    children += _toggle("w:keepNext", keep_next) + _toggle("w:keepLines", keep_lines)
    if borders:
        children.append(make("w:pBdr", [b.element(side) for side, b in borders.items()]))
    if before is not None or after is not None or line is not None:
        rule = line_rule if line is not None else None
        children.append(make("w:spacing", before=before, after=after, line=line, lineRule=rule))
    if first_line is not None or left is not None or right is not None:
        children.append(make("w:ind", left=left, right=right, firstLine=first_line))
    if jc:
        children.append(make("w:jc", val=jc))
    if rpr is not None:
        children.append(rpr)
    return make("w:pPr", children)


def make_t(text: str) -> etree._Element:
    """Build a w:t that keeps leading, trailing and repeated spaces."""
    t = make("w:t")
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(qn("xml:space"), "preserve")
    return t


def make_r(text: str = "", rpr: etree._Element | None = None) -> etree._Element:
    """Build a w:r holding one w:t (no w:t when text is empty)."""
    children = [rpr] if rpr is not None else []
    if text:
        children.append(make_t(text))
    return make("w:r", children)


def make_p(
    runs: Iterable[etree._Element] = (), ppr: etree._Element | None = None
) -> etree._Element:
    """Build a w:p from its w:pPr and runs."""
    return make("w:p", ([ppr] if ppr is not None else []) + list(runs))


def make_field_runs(instruction: str, result: str, rpr: etree._Element) -> list[etree._Element]:
    """Build the runs of a complex field (begin, instrText, separate, result, end)."""

    def run(*children: etree._Element) -> etree._Element:
        return make("w:r", [_copy(rpr), *children])

    instr = make("w:instrText")
    instr.text = f" {instruction} "
    instr.set(qn("xml:space"), "preserve")
    return [
        run(make("w:fldChar", fldCharType="begin")),
        run(instr),
        run(make("w:fldChar", fldCharType="separate")),
        run(make_t(result)),
        run(make("w:fldChar", fldCharType="end")),
    ]


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element), _PARSER)


def make_tc(
    width: int,
    blocks: Iterable[etree._Element],
    *,
    span: int = 1,
    v_merge: str | None = None,
    v_align: str | None = None,
) -> etree._Element:
    """Build a w:tc of a fixed width (twips); it takes the table's borders.

    span is its w:gridSpan (grid columns covered); v_merge is "restart" for the first cell
    of a vertical merge and "continue" for the cells it covers; v_align is top, center, bottom.
    """
    props = [make("w:tcW", w=width, type="dxa")]
    if span > 1:
        props.append(make("w:gridSpan", val=span))
    if v_merge:
        props.append(make("w:vMerge", val=v_merge))
    if v_align:
        props.append(make("w:vAlign", val=v_align))
    return make("w:tc", [make("w:tcPr", props), *blocks])


def make_tr(
    cells: Iterable[etree._Element], *, cant_split: bool = True, header: bool = False
) -> etree._Element:
    """Build a w:tr; by default it is kept on one page. A header row (w:tblHeader) is
    repeated at the top of every page the table runs onto."""
    props = [make("w:cantSplit")] if cant_split else []
    if header:
        props.append(make("w:tblHeader"))
    return make("w:tr", [make("w:trPr", props), *cells])


def make_tbl(
    grid: Iterable[int],
    rows: Iterable[etree._Element],
    *,
    indent: int = 0,
    cell_margins: tuple[int, int, int, int] = (0, 108, 0, 108),
    border: Border = NO_BORDER,
) -> etree._Element:
    """Build a fixed-layout w:tbl, borderless unless a border is given for every line;
    cell_margins are top, left, bottom, right."""
    widths = list(grid)
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    top, left, bottom, right = cell_margins
    tblpr = make(
        "w:tblPr",
        [
            make("w:tblW", w=sum(widths), type="dxa"),
            make("w:tblInd", w=indent, type="dxa"),
            make("w:tblBorders", [border.element(s) for s in sides]),
            make("w:tblLayout", type="fixed"),
            make(
                "w:tblCellMar",
                [
                    make("w:top", w=top, type="dxa"),
                    make("w:left", w=left, type="dxa"),
                    make("w:bottom", w=bottom, type="dxa"),
                    make("w:right", w=right, type="dxa"),
                ],
            ),
            # No conditional formatting from the default table style.
            make(
                "w:tblLook",
                val="0600",
                firstRow=0,
                lastRow=0,
                firstColumn=0,
                lastColumn=0,
                noHBand=1,
                noVBand=1,
            ),
        ],
    )
    tblgrid = make("w:tblGrid", [make("w:gridCol", w=w) for w in widths])
    return make("w:tbl", [tblpr, tblgrid, *rows])


@dataclass(frozen=True)
class PageSetup:
    """Page size and margins in twips."""

    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    header: int
    footer: int

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def turned(self) -> PageSetup:
        """Return the page turned a quarter: portrait → landscape or back.

        The margins stay where the reader sees them (top, bottom, left, right of the page as
        it is read): ND30 Phụ lục I, I.3 sets their ranges for every page, so a landscape
        appendix keeps top/bottom 20–25, left 30–35 and right 15–20 mm.
        """
        return replace(self, width=self.height, height=self.width)


def page_setup_of(sect_pr: etree._Element) -> PageSetup | None:
    """Return the page size and margins a w:sectPr sets, or None when it lacks them."""
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))
    if size is None or margins is None:
        return None

    def twips(element: etree._Element, name: str) -> int:
        value = element.get(qn(f"w:{name}")) or "0"
        return int(value) if value.lstrip("-").isdigit() else 0

    return PageSetup(
        width=twips(size, "w"),
        height=twips(size, "h"),
        top=twips(margins, "top"),
        bottom=twips(margins, "bottom"),
        left=twips(margins, "left"),
        right=twips(margins, "right"),
        header=twips(margins, "header"),
        footer=twips(margins, "footer"),
    )


def _page_elements(page: PageSetup) -> list[etree._Element]:
    """Return the w:pgSz and w:pgMar of a page setup."""
    orient = "landscape" if page.landscape else "portrait"
    return [
        make("w:pgSz", w=page.width, h=page.height, orient=orient),
        make(
            "w:pgMar",
            top=page.top,
            right=page.right,
            bottom=page.bottom,
            left=page.left,
            header=page.header,
            footer=page.footer,
            gutter=0,
        ),
    ]


def set_page(sect_pr: etree._Element, page: PageSetup) -> None:
    """Set the page size, orientation and margins of a w:sectPr."""
    for element in _page_elements(page):
        set_child(sect_pr, element)


def make_sect_pr(
    page: PageSetup,
    *,
    headers: Mapping[str, str] = {},
    title_page: bool = False,
    page_start: int | None = None,
) -> etree._Element:
    """Build a w:sectPr; headers maps a header type (default, first, even) to its r:id."""
    children: list[etree._Element] = []
    for kind, rid in headers.items():
        ref = make("w:headerReference", type=kind)
        ref.set(qn("r:id"), rid)
        children.append(ref)
    children += [
        make("w:footnotePr", [make("w:numRestart", val="continuous")]),
        *_page_elements(page),
        make("w:pgNumType", fmt="decimal", start=page_start),
    ]
    if title_page:
        children.append(make("w:titlePg"))
    return make("w:sectPr", children)
