"""Appendix tables after the signature: facts, their schema and the appendix declaration."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from ..appendix.schema import HEADING_WORDS
from ..classes import dataclass, field, replace
from ..conventions import DEFAULT_SCHEME, SCHEMES
from ..numbers import format_number
from .attached import read_text
from .markdown import inline, plain, slug
from .reader import Block, Para, Source, Table
from .tables import GridCell, column_aligns, grid, literal_table, smaller_size
from .yamlout import dump_yaml

_HEADING = re.compile(
    r"^(Phụ lục|PHỤ LỤC|Biểu mẫu|BIỂU MẪU|Mẫu biểu|Biểu)(\s+số)?\s*([IVXLC]+|\d+)?\s*:?\s*$"
)
# the heading and the title on one line: "Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA"
_HEADING_TITLED = re.compile(
    r"^((?:Phụ lục|PHỤ LỤC|Biểu mẫu|BIỂU MẪU|Mẫu biểu|Biểu)(?:\s+số)?\s*(?:[IVXLC]+|\d+)?)"
    r"\s*:\s*(\S.*)$"
)
_UNIT = re.compile(r"^\(?\s*Đơn vị tính\s*:\s*(.+?)\s*\)?$")
_NUMBER = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^-?\d+(?:,\d+)?$")
_FORMULA = re.compile(r"^(\d+)\s*=\s*(\d+)\s*([+/-])\s*(\d+)((?:\s*[+]\s*\d+)*)$")
_COLUMN_NUMBER = re.compile(r"^(?:[A-Z]|\d+(?:\s*=\s*[\d+/\-\s]+)?)$")
_STT = ("STT", "TT", "SỐ TT", "Số TT")
_TEXT_FOLDER = "phu-luc"  # below content/: the texts of the Phụ lục of paragraphs


# A code typed in digits, no figure: a leading zero and four digits or more (a personal
# identification number "015079004234"), or seven digits or more ungrouped (a tax code
# "5900320001"); a figure that long is grouped ("20.429.461.000").
_CODE = re.compile(r"^(?:0\d{3,}|\d{7,})$")


def parse_number(text: str) -> Decimal | None:
    """Read a figure printed the Vietnamese way: "1.688,0" → 1688.0, "2.532" → 2532."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(text) or _CODE.match(text):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


@dataclass
class AppendixImport:
    """The files an import writes for its appendices, and what it noted."""

    files: dict[str, str] = field(default_factory=dict)
    mapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    note_ids: set[str] = field(default_factory=set)  # the footnotes its texts imported


@dataclass
class _Part:
    heading: str
    at: int = 0  # the index of its heading among the blocks
    title: list[str] = field(default_factory=list)
    landscape: bool = False
    chair: bool = False
    tables: list[tuple[str | None, str | None, Table]] = field(default_factory=list)
    paragraphs: list[Para] = field(default_factory=list)  # its text, before any table
    # the lines under each table (by its index): "Ghi chú" notes, paragraphs of text
    under: dict[int, list[Para]] = field(default_factory=dict)
    new_page: set[int] = field(default_factory=set)  # its tables after a page break


_PUSHED = 2  # empty lines that push a heading to a new page, where Word laid one out


def _split(blocks: list[Block], landscape_at_end: bool) -> tuple[list[_Part], list[str]]:
    parts: list[_Part] = []
    notes: list[str] = []
    pending_heading: str | None = None
    pending: list[Para] = []  # the bold paragraphs of pending_heading
    pending_unit: str | None = None
    section_parts: list[_Part] = []
    attaching = False
    broken = False  # a page break since the last table
    blanks = 0  # the empty lines since the last table
    for at, block in enumerate(blocks):
        if isinstance(block, Para):
            broken = broken or block.page_break or block.ends_section  # a section: a page
            text = plain(block.text)
            # pushed to the top of a page with empty lines typed under the last table
            broken = broken or bool(text and block.page_top and blanks >= _PUSHED)
            blanks = 0 if text else blanks + 1
            attaching = attaching and bool(text)  # a "(Kèm theo" left open ends at a blank
            if attaching and text:
                attaching = not text.endswith(")")
                if parts and " của Chủ tịch " in f" {text}":
                    parts[-1].chair = True
                text = ""
            if text:
                heading = _HEADING.match(text)
                titled = _HEADING_TITLED.match(text) if block.bold and not parts else None
                unit = _UNIT.match(text)
                inside = bool(parts) and bool(parts[-1].title) and not _numbered(parts[-1])
                if heading and block.bold and inside:
                    pending_heading = text  # a form inside an unnumbered PHỤ LỤC
                    pending = [block]
                elif heading and block.bold:
                    _end_text(parts, pending, notes)
                    pending_heading, pending = None, []
                    parts.append(_Part(text.rstrip(": "), at))  # "Phụ lục số 01:"
                    section_parts.append(parts[-1])
                    broken = False  # an appendix starts on a page of its own anyway
                elif titled:
                    parts.append(_Part(titled.group(1), at, title=[titled.group(2)]))
                    section_parts.append(parts[-1])
                    broken = False
                elif text.startswith(("(Kèm theo", "(Ban hành kèm theo")):
                    attaching = not text.endswith(")")
                    if parts and " của Chủ tịch " in text:
                        parts[-1].chair = True
                    if parts and text.startswith("(Ban hành"):
                        notes.append(
                            f"appendix “{parts[-1].heading}”: “(Ban hành kèm theo …)” prints "
                            "as ND30's “(Kèm theo …)”"
                        )
                elif unit:
                    pending_unit = unit.group(1)
                elif (
                    parts
                    and not parts[-1].tables
                    and not parts[-1].paragraphs
                    and not pending_heading
                    and block.align == "center"
                    and block.bold
                ):
                    parts[-1].title.append(text)
                elif parts and block.bold:
                    pending_heading = f"{pending_heading} {text}" if pending_heading else text
                    pending.append(block)
                elif parts and not parts[-1].tables:
                    # the text of a Phụ lục of paragraphs: the bold lines above are its headings
                    parts[-1].paragraphs += [*pending, block]
                    pending_heading, pending = None, []
                elif parts:  # under its last table: a note, or a paragraph of text
                    last = len(parts[-1].tables) - 1
                    parts[-1].under.setdefault(last, []).extend([*pending, block])
                    pending_heading, pending = None, []
                elif block.bold and block.align == "center":
                    # a title with no "Phụ lục" above it, the table under it: a Phụ lục's
                    parts.append(_Part("Phụ lục", at, title=[text]))
                    section_parts.append(parts[-1])
                    notes.append(
                        f"after the signature: “{text[:60]}…”, a title without a “Phụ lục” "
                        "heading: a Phụ lục made, with it as its title"
                    )
                    broken = False
                else:
                    notes.append(f"after the signature: text not imported: “{text[:60]}…”")
            if block.ends_section:
                for part in section_parts:
                    part.landscape = block.landscape
                section_parts = []
        else:
            attaching = False
            if not parts:
                parts.append(_Part("Phụ lục", at))
                section_parts.append(parts[-1])
                notes.append("a table after the signature without a “Phụ lục” heading: one made")
            if broken and parts[-1].tables:
                parts[-1].new_page.add(len(parts[-1].tables))
            parts[-1].tables.append((pending_heading, pending_unit, block))
            pending_heading = pending_unit = None
            pending = []
            broken = False
            blanks = 0
    _end_text(parts, pending, notes)
    for part in section_parts:
        part.landscape = landscape_at_end
    return parts, notes


def _end_text(parts: list[_Part], pending: list[Para], notes: list[str]) -> None:
    """End the last part: bold lines with no table under them are its text's, or, after
    its tables, text not imported."""
    if not parts or not pending:
        return
    if not parts[-1].tables:
        parts[-1].paragraphs += pending
        return
    parts[-1].under.setdefault(len(parts[-1].tables) - 1, []).extend(pending)


def _numbered(part: _Part) -> bool:
    match = _HEADING.match(part.heading)
    return bool(match and match.group(3))


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class _TableImport:
    """One numeric table: its rows as facts, its columns and rows as a declaration."""

    def __init__(self, table: Table, key: str, file_key: str):
        self.table = table
        self.key = key
        self.file_key = file_key
        self.cells = grid(table)
        self.reason = ""

    def analyse(self) -> bool:
        cells = self.cells
        if not cells or len(cells[0]) < 3:
            self.reason = "fewer than three columns"
            return False
        header = self.table.header_rows
        if not header:
            corner = cells[0][0]
            header = corner.rowspan if corner is not None else 1
            second = cells[1] if len(cells) > 1 else []
            if header == 1 and len(second) > 2:
                lead = [c.text.strip() if c is not None else "" for c in second[:2]]
                if lead == ["", ""] and any(c is not None and c.text.strip() for c in second[2:]):
                    header = 2
        while header > 1 and self._number_row(cells[header - 1]):
            header -= 1
        header = min(header, len(cells))
        self.header = header
        self.number_row = header < len(cells) and self._number_row(cells[header])
        self.body = cells[header + (1 if self.number_row else 0) :]
        top = cells[0]
        self.stt = top[0] is not None and top[0].text.strip() in _STT
        label_col = 1 if self.stt else 0
        self.label_col = label_col
        if not self.stt:
            self.reason = "no STT column first"
            return False
        self.data_cols = list(range(label_col + 1, len(top)))
        self.kinds: dict[int, str] = {}
        for col in self.data_cols:
            texts = [c.text.strip() for row in self.body if (c := row[col]) is not None]
            numbers = sum(parse_number(t) is not None for t in texts)
            words = sum(bool(t) and t not in ("-", "x") and parse_number(t) is None for t in texts)
            self.kinds[col] = "text" if words and not numbers else "number"
        if all(kind == "text" for kind in self.kinds.values()):
            self.reason = "no figures"
            return False
        if not any(c is not None and c.text.strip() for row in self.body for c in row):
            self.reason = "no figures: a form whose rows are left blank to fill in"
            return False
        if header > 2:
            self.reason = f"{header} header rows"
            return False
        if any(c is not None and c.rowspan > 1 for row in self.body for c in row):
            self.reason = "merged cells in the body"
            return False
        return True

    @staticmethod
    def _number_row(row: list[GridCell | None]) -> bool:
        texts = [c.text.strip() for c in row if c is not None]
        return (
            len(texts) >= 3
            and all(_COLUMN_NUMBER.match(t) for t in texts)
            and texts[0] in ("A", "1")
            and any(t.isalpha() for t in texts[:2])
        )

    def leaf_label(self, col: int) -> str:
        for r in range(self.header - 1, -1, -1):
            cell = self.cells[r][col]
            if cell is not None and cell.colspan == 1 and cell.text.strip():
                return " ".join(cell.text.split())
        return "-"

    def group_of(self, col: int) -> tuple[int, str] | None:
        if self.header < 2:
            return None
        for c in range(col, -1, -1):
            cell = self.cells[0][c]
            if cell is not None:
                if cell.colspan > 1 and c + cell.colspan > col:
                    return c, cell.text.replace("\n", " ").strip()
                return None
        return None

    def formulas(self) -> dict[int, tuple[str, list[int]]]:
        """Column formulas of the number row: {col: ("sum"|"ratio"|"difference", [cols])}."""
        if not self.number_row:
            return {}
        row = self.cells[self.header]
        by_number: dict[str, int] = {}
        found: dict[int, tuple[str, list[int]]] = {}
        for col in self.data_cols:
            cell = row[col]
            if cell is None:
                continue
            text = cell.text.replace(" ", "")
            by_number[text.split("=")[0]] = col
        for col in self.data_cols:
            cell = row[col]
            if cell is None or "=" not in cell.text:
                continue
            text = cell.text.replace(" ", "")
            _, expression = text.split("=", 1)
            if "/" in expression:
                a, b = expression.split("/", 1)
                operands = [a, b]
                kind = "ratio"
            elif "-" in expression:
                operands = expression.split("-")
                kind = "difference"
            else:
                operands = expression.split("+")
                kind = "sum"
            if all(o in by_number for o in operands):
                found[col] = (kind, [by_number[o] for o in operands])
        return found

    def value(self, row: list[GridCell | None], col: int) -> Decimal | None:
        cell = row[col]
        return parse_number(cell.text) if cell is not None else None


def _computed(kind: str, values: list[Decimal | None], decimals: int) -> Decimal | None:
    from decimal import ROUND_HALF_UP

    if kind == "sum":
        present = [v for v in values if v is not None]
        if not present:
            return None
        result = sum(present, Decimal(0))
    elif kind == "difference":
        if values[0] is None:
            return None
        result = values[0] - sum((v for v in values[1:] if v is not None), Decimal(0))
    else:
        if values[0] is None or not values[1]:
            return None
        result = values[0] / values[1] * 100
    return result.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def import_appendices(
    blocks: list[Block],
    source: Source,
    source_name: str,
    taken_names: set[str],
    attached: Sequence[tuple[int, dict[str, Any]]] = (),
    body_tables: Sequence[dict[str, Any]] = (),
) -> AppendixImport:
    """Turn the appendices after the signature into facts, schemas and declarations, and
    a Phụ lục of paragraphs into a text of its own (its footnotes named apart from the
    names taken); attached: the declarations of the documents attached there
    (importer.attached), each with its place among the blocks, declared in the order of
    the source; body_tables: the text's tables declared with their size, declared too."""
    out = AppendixImport()
    parts, notes = _split(blocks, source.landscape_at_end)
    out.notes.extend(notes)
    if not parts and not attached:
        if body_tables:
            out.files["content/appendices.yaml"] = dump_yaml(
                {"body_tables": [_block_scalar(t) for t in body_tables]}, _BODY_TABLES
            )
        return out
    declared: list[dict[str, Any]] = []
    waiting = list(attached)  # the attached documents not yet declared, in order
    facts_lines: list[str] = []
    schema_lines: list[str] = []
    rules: list[dict[str, Any]] = []
    numbering = "roman"
    words: list[str] = []
    for index, part in enumerate(parts, 1):
        while waiting and waiting[0][0] <= part.at:
            declared.append(waiting.pop(0)[1])
        match = _HEADING.match(part.heading)
        word = "Phụ lục"
        if match:
            typed = (match.group(1) + (match.group(2) or "")).strip()
            word = next((w for w in HEADING_WORDS if w.lower() == typed.lower()), "")
            if not word:
                word = "Phụ lục"
                out.notes.append(
                    f"appendix heading “{part.heading}”: the word “{typed}” is not one vanban "
                    f"prints ({', '.join(HEADING_WORDS)}): “Phụ lục” is used"
                )
            number = match.group(3) or ""
            if word and typed != word and typed == word.upper():
                out.notes.append(
                    f"appendix heading “{part.heading}”: printed “{word}”, in lower case as "
                    f"ND30 asks (Phụ lục I, III.1.b); `word: {typed}` in content/appendices.yaml "
                    "prints the capitals"
                )
            if not number:
                numbering = "none"
            elif number.isdigit() and number.startswith("0"):
                numbering = "arabic"
            elif number.isdigit():
                numbering = "arabic"
                out.notes.append(
                    f"appendix heading “{part.heading}”: vanban numbers arabic appendices "
                    "01, 02: the number prints with a leading zero"
                )
        words.append(word)
        name = f"phu-luc-{index}"
        title = " ".join(part.title) or part.heading
        tables: list[dict[str, Any]] = []
        for t_index, (heading, unit, table) in enumerate(part.tables, 1):
            key = f"pl{index}_bang{t_index}"
            importer = _TableImport(table, key, "phu_luc")
            if not importer.analyse():
                markdown, table_notes = literal_table(table, {})
                literal: dict[str, Any] = {"heading": heading} if heading else {}
                literal["markdown"] = LiteralScalarString(markdown + "\n")
                _sized(literal, table, source, part.heading, t_index, out)
                if t_index - 1 in part.new_page:
                    literal["new_page"] = True
                tables.append(literal)
                _under(literal, part.under.get(t_index - 1, []), part.heading, t_index, out)
                out.notes.extend(f"{part.heading}, table {t_index}: {n}" for n in table_notes)
                out.mapped.append(
                    f"{part.heading}, table {t_index}: written out as a Markdown table "
                    f"({importer.reason})"
                )
                continue
            spec, facts, schema, found_rules, table_notes = _declare(importer, heading, unit)
            _sized(spec, table, source, part.heading, t_index, out)
            if t_index - 1 in part.new_page:
                spec["new_page"] = True
            tables.append(spec)
            _under(spec, part.under.get(t_index - 1, []), part.heading, t_index, out)
            facts_lines.extend(facts)
            schema_lines.extend(schema)
            rules.extend(found_rules)
            out.notes.extend(f"{part.heading}, table {t_index}: {n}" for n in table_notes)
            out.mapped.append(
                f"{part.heading}, table {t_index}: {len(importer.body)} rows × "
                f"{len(importer.data_cols)} figures → data/phu-luc.yaml {key}"
            )
        if not tables and not part.paragraphs:
            continue
        # a title printed on several lines keeps them, as a list
        appendix: dict[str, Any] = {
            "name": name,
            "title": part.title if len(part.title) > 1 else title,
        }
        if word != "Phụ lục":
            appendix["word"] = word
        if part.chair:
            appendix["attached"] = "chair"
        if part.landscape:
            appendix["orientation"] = "landscape"
        if part.paragraphs:
            appendix.update(
                _text(part, f"{index:02d}-{slug(title, 3)}.md", source, taken_names, out)
            )
        if len(tables) == 1 and "heading" not in tables[0]:
            appendix.update(tables[0])
        elif tables:
            appendix["tables"] = tables
        declared.append(appendix)
    declared += [item for _, item in waiting]
    if not declared:
        if body_tables:
            out.files["content/appendices.yaml"] = dump_yaml(
                {"body_tables": [_block_scalar(t) for t in body_tables]}, _BODY_TABLES
            )
        return out
    declaration: dict[str, Any] = {"numbering": numbering} if numbering != "roman" else {}
    declaration["appendices"] = declared
    if body_tables:
        declaration["body_tables"] = [_block_scalar(t) for t in body_tables]
    out.files["content/appendices.yaml"] = dump_yaml(
        declaration,
        f"Appendices imported from {source_name}: each table's figures are facts in\n"
        "data/phu-luc.yaml; computed columns are declared where the original's figures add up;\n"
        "a document attached after the signature (document:) has its text in content/kem-theo/,\n"
        "a Phụ lục of paragraphs in content/phu-luc/."
        + ("\n" + _BODY_TABLES if body_tables else ""),
    )
    if not facts_lines:
        return out
    out.files["data/phu-luc.yaml"] = (
        f"# Figures of the appendix tables, as {source_name} prints them.\n"
        + "\n".join(facts_lines)
        + "\n"
    )
    out.files["schema/phu-luc.yaml"] = (
        "# Schema of data/phu-luc.yaml.\n" + "\n".join(schema_lines) + "\n"
    )
    if rules:
        out.files["checks/rules.yaml"] = dump_yaml(
            {"rules": rules},
            "Rules proposed by the import for the row relations it found in the appendix\n"
            "tables (a row that adds up the rows under it). Review them.",
        )
        out.mapped.append(f"{len(rules)} row relations proposed as rules in checks/rules.yaml")
    return out


_BODY_TABLES = (
    "Tables of the text set smaller than it (body_tables): each placed where the text\n"
    "writes {{ table('name') }}, printed at its font_size."
)


def _block_scalar(table: dict[str, Any]) -> dict[str, Any]:
    """Return a body table's declaration with its Markdown written as a block (|)."""
    return {**table, "markdown": LiteralScalarString(table["markdown"] + "\n")}


def _sized(
    spec: dict[str, Any],
    table: Table,
    source: Source,
    heading: str,
    number: int,
    out: AppendixImport,
) -> None:
    """Give a table set smaller than the text its size (`font_size`), as the source sets it."""
    size = smaller_size(table, source.text_size)
    if size is None:
        return
    spec["font_size"] = size
    out.mapped.append(
        f"{heading}, table {number}: set at {size:g} pt, smaller than the text's "
        f"{source.text_size:g} → font_size: {size:g}"
    )


def _under(
    spec: dict[str, Any], lines: list[Para], heading: str, number: int, out: AppendixImport
) -> None:
    """Declare the lines printed under a table: a note in italics or "Ghi chú: …" as its
    `notes`, a paragraph of text ("Trên đây là …") as its `after`; their bold and italic
    words as the text's Markdown (a note prints in italics: the words of an italic note that
    the source sets upright are its `*…*`)."""
    for p in lines:
        text = plain(p.text)
        if not text:
            continue
        key = "notes" if p.italic or text.startswith(("Ghi chú", "(*)", "*")) else "after"
        runs = [replace(r, text=r.text.replace("\n", " ")) for r in p.runs]
        if key == "notes":  # printed in italics: what the source sets upright is marked
            slanted = any(r.italic for r in p.runs if r.text.strip())
            runs = [replace(r, italic=slanted and not r.italic) for r in runs]
        spec.setdefault(key, []).append(inline(runs, {}).replace("{{ '{' }}", "{"))
        out.mapped.append(f"{heading}, table {number}: “{text[:40]}…” under it → `{key}:`")


def _text(
    part: _Part, name: str, source: Source, taken_names: set[str], out: AppendixImport
) -> dict[str, Any]:
    """Write the text of a Phụ lục of paragraphs to content/phu-luc/; return its keys."""
    blocks: list[Block] = list(part.paragraphs)
    text = read_text(blocks, source, taken_names, SCHEMES[DEFAULT_SCHEME])
    path = f"{_TEXT_FOLDER}/{name}"
    out.files[f"content/{path}"] = text.markdown
    out.note_ids |= text.note_ids
    where = f"appendix “{part.heading}”"
    out.notes += text.duplicates + [f"{where}: {n}" for n in text.notes]
    out.corrected += [f"{where}: {n}" for n in text.corrected]
    out.mapped.append(
        f"{part.heading}: a Phụ lục of {len(part.paragraphs)} paragraphs → content/{path} "
        f"(text:); headings: {', '.join(text.scheme)}"
    )
    default = text.scheme == SCHEMES[DEFAULT_SCHEME]
    return {"text": path, "headings": DEFAULT_SCHEME if default else list(text.scheme)}


def _declare(
    t: _TableImport, heading: str | None, unit: str | None
) -> tuple[dict[str, Any], list[str], list[str], list[dict[str, Any]], list[str]]:
    notes: list[str] = []
    formulas = t.formulas()
    columns: list[dict[str, Any]] = []
    col_keys = {col: f"c{n}" for n, col in enumerate(t.data_cols, 1)}
    typed_decimals: dict[int, int] = {}
    for col in t.data_cols:
        values = [t.value(row, col) for row in t.body]
        typed_decimals[col] = max((_decimals(v) for v in values if v is not None), default=0)
    stated: set[int] = set()
    for col, (kind, operands) in formulas.items():
        decimals = typed_decimals[col]
        for row in t.body:
            typed = t.value(row, col)
            if typed is None:
                continue
            computed = _computed(kind, [t.value(row, o) for o in operands], decimals)
            if computed != typed:
                stated.add(col)
                break
    entries: list[dict[str, Any]] = []
    group_entry: dict[tuple[int, str], dict[str, Any]] = {}
    aligns = column_aligns(t.body, 0)  # as most of a column's cells are typed
    for col in t.data_cols:
        column: dict[str, Any] = {"key": col_keys[col], "label": t.leaf_label(col)}
        formula = formulas.get(col)
        # a column centred (Đơn vị tính, Số liệu), or a text column right, says so; figures
        # print right and texts left without
        if aligns[col] != "left" and aligns[col] != ("left" if t.kinds[col] == "text" else "right"):
            column["align"] = aligns[col]
        if t.kinds[col] == "text":
            column["text"] = col_keys[col]
        elif formula:
            kind, operands = formula
            keys = [col_keys[o] for o in operands]
            column[kind] = keys
            column["decimals"] = typed_decimals[col]
            if col in stated:
                column["field"] = col_keys[col]
                notes.append(
                    f"column “{column['label']}” ({kind} of columns): the original's figures do "
                    "not all agree with the computation, so they are kept as stated facts"
                )
        else:
            column["field"] = col_keys[col]
        group = t.group_of(col)
        if group is None:
            entries.append(column)
        else:
            if group not in group_entry:
                group_entry[group] = {"group": group[1], "columns": []}
                entries.append(group_entry[group])
            group_entry[group]["columns"].append(column)
        columns.append(column)
    unit_col = next((c for c in t.data_cols if t.leaf_label(c).lower() == "đơn vị tính"), None)
    row_units = [
        " ".join(cell.text.split()) if unit_col is not None and (cell := row[unit_col]) else ""
        for row in t.body
    ]
    counted = _counted(t, row_units, unit, {c for c, (k, _) in formulas.items() if k == "ratio"})
    # facts: one record per row
    facts = [f"{t.key}:"]
    schema = [f"{t.key}:", "  type: dict", "  required: true", "  schema:"]
    rows: list[dict[str, Any]] = []
    for r_index, row in enumerate(t.body, 1):
        rkey = f"r{r_index:02d}"
        label_cell = row[t.label_col]
        stt_cell = row[0]
        label = label_cell.text.replace("\n", " ").strip() if label_cell else ""
        fields = [f"name: {_yaml_text(label or '-')}"]
        texts: dict[str, str] = {}
        for col in t.data_cols:
            cell = row[col]
            text = " ".join(cell.text.split()) if cell is not None else ""
            number = parse_number(text)
            if t.kinds[col] == "text":
                if text and cell is not None:  # a line for each of its paragraphs
                    lines = [" ".join(p.split()) for p in cell.text.split("\n")]
                    written = "\n".join(line for line in lines if line)
                    fields.append(f"{col_keys[col]}: {_yaml_text(written)}")
            elif number is not None:
                if col not in formulas or col in stated:
                    # a count typed with leading zeros ("02") is written so, and prints so
                    written = text if re.fullmatch(r"0\d+", text) else str(number)
                    fields.append(f"{col_keys[col]}: {written}")
            elif text:
                texts[col_keys[col]] = text
        facts.append(f"  {rkey}: {{{', '.join(fields)}}}")
        schema.append(f"    {rkey}:")
        schema.append("      type: dict")
        schema.append("      schema:")
        schema.append("        name: {type: string}")
        row_unit = row_units[r_index - 1]
        for col in t.data_cols:
            label_text = t.leaf_label(col)
            if t.kinds[col] == "text":
                schema.append(f"        {col_keys[col]}: {{type: string}}")
                continue
            unit_text = row_unit or unit or _unit_of(label_text) or ""
            share = bool(_SHARE.match(label)) or bool(_SHARE.match(label_text))  # "Tỷ lệ …"
            kind = "count" if (col, unit_text) in counted and not share else "decimal"
            schema.append(
                f"        {col_keys[col]}: {{type: {kind}, meta: {{unit: {_yaml_text(unit_text)}, "
                f"label: {_yaml_text(label_text)}}}}}"
            )
        entry: dict[str, Any] = {"at": f"phu_luc.{t.key}.{rkey}"}
        bold = label_cell is not None and label_cell.bold
        entry["stt"] = stt_cell.text.strip() if stt_cell is not None else ""
        entry["bold"] = bold  # explicit: nesting would make a first-level parent bold
        if not bold and label_cell is not None and label_cell.italic:
            entry["italic"] = True
        if texts:
            entry["texts"] = texts
        if not label:
            entry["label"] = "-"
        rows.append(entry)
    spec: dict[str, Any] = {}
    if heading:
        spec["heading"] = heading
    if unit:
        spec["unit"] = unit
    top = t.cells[0]
    spec["stt_header"] = _header(top[0], "\n") if top[0] is not None else "STT"
    label_head = top[t.label_col]
    spec["label_header"] = _header(label_head, " ") if label_head else "Nội dung"
    if t.number_row:
        spec["column_numbers"] = True
    spec["cell"] = "{at}.{field}"
    spec["columns"] = entries
    fact_cols = [
        c for c in t.data_cols if t.kinds[c] != "text" and (c not in formulas or c in stated)
    ]
    spec["rows"], nested = _tree(t, rows, fact_cols)
    if nested:
        notes.append(
            f"{len(nested)} row(s) add up the rows under them exactly: declared with those rows "
            "under them, so the build computes them and compares the stated figures"
        )
    rules = _row_rules(t, col_keys, formulas, stated, nested)
    ruled = {int(rule["sum"]["total"].split(".")[2][1:]) - 1 for rule in rules}
    notes += _not_adding(t, fact_cols, nested | ruled, row_units)
    return spec, facts, schema, rules, notes


def _header(cell: GridCell, lines: str) -> str:
    """Return a header cell's text as a computed table's header gives it: on one line where
    it is bold throughout (a header prints bold); where some words are not (a note in
    italics on a line of its own), its Markdown, each paragraph a line, so that the build
    prints its lines and their emphasis; lines: what joins its lines otherwise."""
    plain = cell.text.replace("\n", lines).strip()
    if cell.bold or not cell.text.strip():
        return plain
    shown = [m.replace("\n", " ").strip() for m in cell.markdown.split("\\\n")]
    written = "\n".join(line for line in shown if line)
    return written if "*" in written else plain


# units a figure measures rather than counts: money, shares, sizes, weights, time
_MEASURE = re.compile(
    r"%|phần trăm|đồng|\$|usd|tỷ lệ|lần|ha\b|héc|km|\bm\b|m2|m3|m²|m³|tấn|\bkg|\bg\b|lít|"
    r"kwh|mw|giờ|ngày|tháng|năm|điểm",
    re.IGNORECASE,
)


def _counted(
    t: _TableImport, units: list[str], unit: str | None, ratios: set[int]
) -> set[tuple[int, str]]:
    """The (column, unit) whose figures are counts: every figure the column prints in rows
    of that unit a whole number without a decimal part, in a unit that counts (văn bản,
    hồ sơ, người), not one that measures (%, triệu đồng, ha, tấn)."""
    whole: dict[tuple[int, str], bool] = {}
    for col in t.data_cols:
        if t.kinds[col] == "text" or col in ratios:
            continue
        for row, row_unit in zip(t.body, units, strict=True):
            cell = row[col]
            text = " ".join(cell.text.split()) if cell is not None else ""
            value = parse_number(text)
            if value is None:
                continue
            key = (col, row_unit or unit or _unit_of(t.leaf_label(col)) or "")
            whole[key] = whole.get(key, True) and "," not in text and value >= 0
    return {key for key, ok in whole.items() if ok and not _MEASURE.search(key[1])}


_SHARE = re.compile(r"^\s*tỷ lệ", re.IGNORECASE)


def _not_adding(
    t: _TableImport, cols: list[int], declared: set[int], units: list[str]
) -> list[str]:
    """Say which rows with rows under them (in the same unit) the source's figures do not
    add up, so that no total is declared for them."""
    notes = []
    stts = _stts(t)
    for index, kids in _children(stts).items():
        if index in declared or any(units[j] != units[index] for j in kids):
            continue
        label = t.body[index][t.label_col]
        if "%" in units[index] or (label is not None and _SHARE.match(plain(label.text))):
            continue  # shares do not add up
        for col in cols:
            stated = t.value(t.body[index], col)
            values = [v for j in kids if (v := t.value(t.body[j], col)) is not None]
            if stated is None or not values:
                continue
            total = sum(values, Decimal(0))
            under = stts[kids[0]] + (f"–{stts[kids[-1]]}" if len(kids) > 1 else "")
            notes.append(
                f"row {stts[index]} ({t.leaf_label(col)}) states {format_number(stated)} but the "
                f"rows under it ({under}) add up to {format_number(total)}: not declared as their "
                "total"
            )
            break
    return notes


def _children(stts: list[str]) -> dict[int, list[int]]:
    """Return each row's direct children by its STT: the rows below it one level deeper; a
    row numbered in outline ("1.4.1.") is the child of the row whose number is its prefix
    ("1.4."), so the rows under a parent end at the first that is not numbered under it."""
    levels = [_level(stt) for stt in stts]
    outlines = [_outline(stt) for stt in stts]
    found: dict[int, list[int]] = {}
    for index, level in enumerate(levels):
        if level is None:
            continue
        child_level = None
        kids = []
        for j in range(index + 1, len(levels)):
            d = levels[j]
            if d is None or d <= level:
                break
            outline, mine = outlines[j], outlines[index]
            if outline and mine and outline[: len(mine)] != mine:
                break
            child_level = d if child_level is None else child_level
            if d == child_level:
                kids.append(j)
        if kids:
            found[index] = kids
    return found


def _stts(t: _TableImport) -> list[str]:
    return [row[0].text.strip() if row[0] is not None else "" for row in t.body]


def _adds_up(t: _TableImport, parent: int, kids: list[int], cols: list[int]) -> bool:
    """True when, in every figure column, the parent's figure is exactly its rows' sum."""
    seen = False
    for col in cols:
        stated = t.value(t.body[parent], col)
        values = [v for j in kids if (v := t.value(t.body[j], col)) is not None]
        if stated is None:
            if values:
                return False
            continue
        if not values or sum(values, Decimal(0)) != stated:
            return False
        seen = True
    return seen


def _tree(
    t: _TableImport, rows: list[dict[str, Any]], cols: list[int]
) -> tuple[list[dict[str, Any]], set[int]]:
    """Nest the rows that add up the rows under them; return the top level and those rows."""
    stts = _stts(t)
    children = _children(stts)
    nested: set[int] = set()
    for index in sorted(children, reverse=True):
        kids = children[index]
        if all(j not in children or j in nested for j in kids) and _adds_up(t, index, kids, cols):
            nested.add(index)
    consumed: set[int] = set()

    def build(index: int) -> dict[str, Any]:
        entry = rows[index]
        if index in nested:
            entry["rows"] = []
            for j in children[index]:
                consumed.add(j)
                entry["rows"].append(build(j))
        return entry

    top = [build(i) for i in range(len(rows)) if i not in consumed]
    indexes = [i for i in range(len(rows)) if i not in consumed]
    for position, index in enumerate(indexes):
        label = " ".join(c.text.split()) if (c := t.body[index][t.label_col]) else ""
        if _level(stts[index]) is not None or not label.lower().startswith("tổng"):
            continue
        beside = [i for i in indexes if i != index]
        if beside and _adds_up(t, index, beside, cols):
            top[position]["total"] = True
            nested.add(index)
    return top, nested


def _unit_of(label: str) -> str | None:
    match = re.search(r"\(([^()]+)\)\s*$", label)
    return match.group(1) if match else None


_DEPTH = (
    (re.compile(r"^[IVXLC]+\.?$"), 0),
    (re.compile(r"^\d+\.?$"), 1),
    (re.compile(r"^[a-zđ]\)?$"), 2),
    (re.compile(r"^[-–]$"), 3),
    (re.compile(r"^\+$"), 4),
)
_OUTLINE = re.compile(r"^\d+(?:\.\d+)+\.?$")  # 1.4. / 1.4.1. / 3.2


def _outline(stt: str) -> tuple[str, ...]:
    """The parts of an outline number ("1.4.1." → 1, 4, 1), of "1." too; () for others."""
    if _OUTLINE.match(stt) or re.match(r"^\d+\.?$", stt):
        return tuple(stt.rstrip(".").split("."))
    return ()


def _level(stt: str) -> tuple[int, ...] | None:
    """The row's level by its STT, comparable: I < 1 < 1.1 < 1.1.1 < a < - < +."""
    if _OUTLINE.match(stt):
        return (1,) * len(_outline(stt))
    for pattern, depth in _DEPTH:
        if pattern.match(stt):
            return (depth,)
    return None


def _near(
    t: _TableImport, index: int, kids: list[int], cols: list[int], share: Decimal
) -> list[int]:
    """The columns where the row's figure is the sum of the kids' within share of it (and
    half a unit), every kid with a figure."""
    found = []
    for col in cols:
        parent = t.value(t.body[index], col)
        values = [t.value(t.body[j], col) for j in kids]
        if parent is None or any(v is None for v in values):
            continue
        total = sum((v for v in values if v is not None), Decimal(0))
        if abs(total - parent) <= abs(parent) * share + (Decimal("0.5") if share else 0):
            found.append(col)
    return found


def _row_rules(
    t: _TableImport,
    col_keys: dict[int, str],
    formulas: dict[int, tuple[str, list[int]]],
    stated: set[int],
    nested: set[int],
) -> list[dict[str, Any]]:
    """Propose a sum rule for each row whose figures add up the rows under it (by STT)."""
    rules: list[dict[str, Any]] = []
    fact_cols = [c for c in t.data_cols if c not in formulas or c in stated]
    for index, children in _children(_stts(t)).items():
        if index in nested:
            continue
        title = "tổng các dòng dưới nó / row = the rows under it"
        parts_cols = _near(t, index, children, fact_cols, Decimal("0.02"))
        # or exactly the first of them, the others "of which" rows (Số TTHC ngành dọc)
        for end in range(len(children) - 1, 1, -1):
            if parts_cols:
                break
            if _adds_up(t, index, children[:end], fact_cols):
                children = children[:end]
                parts_cols = _near(t, index, children, fact_cols, Decimal(0))
                stts = _stts(t)
                title = " + ".join(stts[j] for j in children) + " / row = its first rows"
        if not parts_cols:
            continue
        rkey = f"r{index + 1:02d}"
        first = t.body[index][0]
        stt = first.text.strip() if first is not None else ""
        rules.append(
            {
                "id": f"{t.key.replace('_', '-')}-{rkey}",
                "title": f"Dòng {stt} = {title}",
                "for_each": {"col": [col_keys[c] for c in parts_cols]},
                "sum": {
                    "total": f"phu_luc.{t.key}.{rkey}.{{col}}",
                    "parts": [f"phu_luc.{t.key}.r{j + 1:02d}.{{col}}" for j in children],
                },
            }
        )
    return rules
