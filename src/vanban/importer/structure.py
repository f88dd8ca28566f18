"""Recognise an ND30 document in read blocks: masthead, title, body, closing, appendices."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..classes import dataclass, field
from ..kinds import AUTHORITY_PREFIXES, KINDS, NEVER
from ..metadata import ARCHIVE
from .markdown import escape, plain
from .narrative import (
    Narrative,
    heading_scheme,
    name_notes,
    note_markdown,
    note_texts,
    number_items,
    quoted_articles,
    reference_order,
)
from .reader import Block, Cell, Para, Run, Source, Table

# The tone mark on the second vowel of an open "oa", "oe", "uy" (the older "UỶ", "HOÀ"):
# moved onto the first, as vanban's kinds spell it ("ỦY"), to compare a type name.
_OLD_TONE = re.compile(r"([OU])([AEY])([\u0300\u0301\u0303\u0309\u0323])(?!\w)")


def _title_key(text: str) -> str:
    """Return a type name as compared: capitals, single spaces, the tone on "ỦY"'s U."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.upper().split()))
    return unicodedata.normalize("NFC", _OLD_TONE.sub(r"\1\3\2", decomposed))


_TITLES = {_title_key(kind.title): key for key, kind in KINDS.items() if kind.title}
# A Phụ lục issued on its own: its heading, and the line naming what it is attached to:
# "(Kèm theo Báo cáo số      /BC-UBND ngày    tháng 12 năm 2025 của Chủ tịch Ủy ban …)".
_STANDALONE_HEADING = re.compile(r"^(PHỤ LỤC|Phụ lục)(\s+[IVXLC\d]+)?$")
_ATTACHED_TO = re.compile(
    r"^\((?:Ban hành )?[Kk]èm theo (?P<kind>[^\W\d_]+(?: [^\W\d_]+)?) số\s*[\d.]*\s*/"
    r"(?P<symbol>[\w-]+)\s+ngày\s*\d*\s*tháng\s*(?P<month>\d*)\s*năm\s*(?P<year>\d{4})?"
    r"\s*của\s+(?:Chủ tịch\s+)?(?P<agency>[^)]+)\)?$"
)
_ABBREVIATIONS = {kind.abbreviation: key for key, kind in KINDS.items() if kind.abbreviation}

_PREFIX_UNSPACED = re.compile(r"^(TM\.|KT\.|TL\.|TUQ\.|Q\.)(?=[^\s.])")
# "Số: 12/BC-UBND"; the colon left out ("Số   /TTr-CAT"), a space typed after a hyphen
# ("/TTr- CAT-PC04") or on both sides of it ("/SCT - CN") are read too
_NUMBER_LINE = re.compile(r"Số\s*:?\s*(\d*)\s*/\s*((?:[^\s-]+\s*-\s*)*[^\s-]+)")
_DATE_LINE = re.compile(
    r"^(?P<place>[^,]+),\s*ngày\s*(?P<day>\d*)\s*tháng\s*(?P<month>\d*)\s*năm\s*"
    r"(?:(?P<year>\d{4})|$)"  # a year, or the line's end: a draft's year left blank
)
_NOTE_CITATION = re.compile(r"\d{4}")
# The first line of a Biên bản's secretary's signature (Phụ lục III, Mẫu 1.9).
_SECRETARY = re.compile(r"^THƯ KÝ\b")
# A label of a part of the text, its number typed or spelled ("Phần thứ nhất", "Chương I")
_LABEL_LINE = re.compile(
    r"^(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(?:thứ\s|THỨ\s|[IVXLC\d]+\b)|^(?:Điều|ĐIỀU)\s+\d"
)
# A Công điện's sender line (Mẫu 1.6): "THỦ TƯỚNG CHÍNH PHỦ điện:".
_SENDER = re.compile(r"^(?P<sender>.+?)\s+điện\s*:\s*$", re.IGNORECASE)


_INITIALS = re.compile(r"[A-ZĐ]{1,10}")  # `drafter`, as data/document.schema.yaml takes it


@dataclass
class Imported:
    """What the import made of a document: metadata, content files, notes, appendix blocks."""

    metadata: dict[str, Any]
    files: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    appendix_blocks: list[Block] = field(default_factory=list)
    note_names: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    # tables of the text set smaller than it, declared in content/appendices.yaml
    body_tables: list[dict[str, Any]] = field(default_factory=list)


def _lines(paragraphs: tuple[Para, ...] | list[Para]) -> list[str]:
    lines: list[str] = []
    for p in paragraphs:
        for piece in p.text.split("\n"):
            lines.append(plain(piece))
    return lines


def _cell_lines(table: Table, row: int, col: int) -> list[str]:
    try:
        cell = table.rows[row][col]
    except IndexError:
        return []
    return [line for line in _lines(cell.paragraphs) if line]


class _Recogniser:
    def __init__(self, source: Source):
        self.source = source
        self.blocks = source.blocks
        self.notes: list[str] = list(source.notes)
        self.mapped: list[str] = []
        self.corrected: list[str] = []
        self.meta: dict[str, Any] = {}
        self.after_closing = len(self.blocks)  # the first block after the signature

    # --- confirmation block -----------------------------------------------------------

    def confirmation(self) -> None:
        """Read a Giấy nghỉ phép's confirmation block under its closing (Mẫu 1.10): a table
        whose first cell starts "Xác nhận …" before anything else after the signature. Its
        heading is the sample's (confirmation: true) or its own, up to "(Chữ ký …)"."""
        kind = KINDS.get(self.meta.get("kind", ""))
        if kind is None or kind.confirmation is None:
            return
        for index in range(self.after_closing, len(self.blocks)):
            block = self.blocks[index]
            if isinstance(block, Para):
                if plain(block.text):
                    return  # text after the signature: no block there
                continue
            lines = _cell_lines(block, 0, 0)
            if not lines or not lines[0].startswith("Xác nhận"):
                return
            heading = " ".join(
                itertools.takewhile(lambda line: not line.startswith("(Chữ ký"), lines)
            )
            same = _confirmation_key(heading) == _confirmation_key(kind.confirmation)
            self.meta["confirmation"] = True if same else heading
            self.mapped.append(f"confirmation block: {heading}")
            self.after_closing = index + 1
            return

    # --- masthead ---------------------------------------------------------------------

    def masthead(self) -> int:
        """Read the masthead table; return the index of the block after it."""
        for index, block in enumerate(self.blocks[:6]):
            if isinstance(block, Table) and (
                "CỘNG HÒA" in _title_key(block.all_text()) or _NUMBER_LINE.search(block.all_text())
            ):
                self._masthead_table(block)
                return index + 1
        self.notes.append("no masthead table found: agency, số and date left for you to fill in")
        return 0

    def _masthead_table(self, table: Table) -> None:
        agency_cell = table.rows[0][0] if table.rows and table.rows[0] else None
        if agency_cell is not None:
            # the agency's lines: the first column down to the Số line, one row or several
            paras = [p for row in table.rows if row for p in row[0].paragraphs if p.text.strip()]
            lines: list[tuple[str, bool]] = []
            for p in paras:
                for piece, bold in _broken_lines(p):
                    # the rule typed under the agency's name ("________") is none of its lines
                    if plain(piece).strip("_-–—*. "):
                        lines.append((plain(piece), bold))
            cut = next(
                (i for i, (t, _) in enumerate(lines) if t.startswith(("Số", "V/v"))), len(lines)
            )
            lines = lines[:cut]
            # the cơ quan chủ quản: upright lines above the bold name, one line or several
            upright = next((i for i, (_, bold) in enumerate(lines) if bold), len(lines))
            if 0 < upright < len(lines) and all(b for _, b in lines[upright:]):
                self.meta["agency_parent"] = " ".join(text for text, _ in lines[:upright])
                if upright > 1:
                    self.notes.append(
                        "masthead: the cơ quan chủ quản has several lines ("
                        + " / ".join(text for text, _ in lines[:upright])
                        + "); vanban prints it as one, wrapped in the masthead's column"
                    )
                lines = lines[upright:]
            elif len(lines) > 1 and "agency_parent" not in self.meta:
                below = next(
                    (i for i in range(1, len(lines)) if _a_body(lines[i - 1][0], lines[i][0])), 0
                )
                if below:
                    # a body over the issuing one, both bold: "BỘ CÔNG THƯƠNG" / "CỤC HÓA CHẤT"
                    self.meta["agency_parent"] = " ".join(text for text, _ in lines[:below])
                    self.notes.append(
                        f"masthead: “{lines[below][0]}” begins with a kind of body under "
                        f"“{self.meta['agency_parent']}”: read as the issuing body, under its "
                        "cơ quan chủ quản (`agency.parent`), which the build prints upright as "
                        "ND30 Phụ lục I writes it: check `agency` in data/document.yaml"
                    )
                    lines = lines[below:]
            self.meta["agency_lines"] = [text for text, _ in lines]
            self.mapped.append(f"agency: {' / '.join(self.meta['agency_lines'])}")
        for r, row in enumerate(table.rows):
            for c, _cell in enumerate(row):
                cell_lines = _cell_lines(table, r, c)
                text = " ".join(cell_lines)
                number = _NUMBER_LINE.search(text)
                if number:
                    self.meta["number"] = number.group(1) or None
                    self.meta["symbol"] = re.sub(r"\s+", "", number.group(2)).rstrip(".,;")
                    typed = plain(number.group(0))
                    self.mapped.append(f"số/ký hiệu: {typed}")
                    printed = f"Số: {number.group(1)}/{self.meta['symbol']}"
                    if re.sub(r"\s+", "", typed) != re.sub(r"\s+", "", printed):
                        self.corrected.append(
                            f"masthead: “{typed}” prints “{printed}”, with the colon and the "
                            "ký hiệu in one word, as ND30 writes it"
                        )
                date = next(filter(None, (_DATE_LINE.search(line) for line in cell_lines)), None)
                if date:
                    self.meta["place"] = date.group("place").strip()
                    year = int(date.group("year")) if date.group("year") else None
                    self.meta["year"] = year
                    self._date(plain(date.group(0)), date.group("day"), date.group("month"), year)
                    self.mapped.append(f"place and date: {plain(date.group(0))}")
                subject = next(
                    (i for i, line in enumerate(cell_lines) if line.startswith("V/v")), None
                )
                if subject is not None:  # its own cell, or under the Số line in the same one
                    self.meta["summary"] = plain(" ".join(cell_lines[subject:])[3:].lstrip(": "))
                    self.mapped.append(f"trích yếu (V/v): {self.meta['summary'][:60]}…")
                if text.startswith("Kính gửi") and len(row) > 1 and c == 0:
                    names = [n for n in _cell_lines(table, r, 1) if n]
                    self.meta["recipients_to"] = [n.lstrip("-– ").rstrip(" ;.,") for n in names]
                    self.mapped.append(f"Kính gửi: {len(names)} recipient(s)")
                elif text.startswith("Kính gửi:") and len(text) > 10:
                    self.meta["recipients_to"] = [plain(text[9:]).rstrip(" ;.,")]

    def _date(self, line: str, day: str, month: str, year: int | None) -> None:
        """Keep the masthead's date: a full one as `date`, a month alone as `month`, a year
        left blank as no `year`."""
        if year is None:
            self.notes.append(
                f"masthead: “{line}” leaves the year blank: `year` left blank too, and the "
                "build prints “năm” and a blank; give it when the document is issued"
            )
        if day and month and year:
            try:
                self.meta["date"] = dt.date(year, int(month), int(day))
                return
            except ValueError:
                self.notes.append(f"masthead: “{line}” is not a date: day and month left blank")
                return
        if month and 1 <= int(month) <= 12:
            self.meta["month"] = int(month)
        if day:
            self.notes.append(
                f"masthead: “{line}” prints a day without a full date: vanban prints the day "
                "only with the month and the year (`date`), so it is left blank"
            )

    # --- title ------------------------------------------------------------------------

    def _summary_after(self, index: int) -> bool:
        """Whether the first line after the blank ones from index is a trích yếu: centred,
        bold, not in capitals (a heading of the text, "PHẦN THỨ NHẤT", is)."""
        while index < len(self.blocks) and self._empty(self.blocks[index]):
            index += 1
        block = self.blocks[index] if index < len(self.blocks) else None
        if not isinstance(block, Para) or block.align != "center" or not block.bold:
            return False
        text = plain(block.text)
        return bool(text) and not text.isupper() and not _LABEL_LINE.match(text)

    def title(self, start: int) -> int:
        index = start
        while index < len(self.blocks) and self._empty(self.blocks[index]):
            index += 1
        block = self.blocks[index] if index < len(self.blocks) else None
        if isinstance(block, Table) and "summary" not in self.meta:
            lines = [line for line in _lines(block.rows[0][0].paragraphs) if line] if (
                block.rows and block.rows[0]
            ) else []  # fmt: skip
            if lines and lines[0].startswith("V/v") and len(block.rows) == 1:
                # a Công văn's V/v in a table of its own under the masthead
                self.meta["summary"] = plain(" ".join(lines)[3:].lstrip(": "))
                self.mapped.append(
                    f"trích yếu (V/v, in a table of its own): {self.meta['summary'][:60]}…"
                )
                index += 1
                while index < len(self.blocks) and self._empty(self.blocks[index]):
                    index += 1
                block = self.blocks[index] if index < len(self.blocks) else None
        named = _named_title(block)
        if named is not None and isinstance(block, Para):
            self.meta["kind"], words = named
            self.mapped.append(f"kind: {plain(block.text)} → {self.meta['kind']}")
            if words:
                self.corrected.append(
                    f"title: “{plain(block.text)}” prints “{KINDS[self.meta['kind']].title}”, "
                    f"ND30's type name, and “{words}” begins its trích yếu"
                )
            index += 1
            issued = KINDS[self.meta["kind"]].issuer is not None  # Quyết định, Nghị quyết
            dispatch = KINDS[self.meta["kind"]].dispatch  # a Công điện: "… điện:"
            summary: list[str] = [words] if words else []
            # a Giấy giới thiệu has no trích yếu: a centred line under it is its text's first
            while KINDS[self.meta["kind"]].summary != NEVER and index < len(self.blocks):
                block = self.blocks[index]
                if not summary and self._empty(block) and self._summary_after(index):
                    index += 1  # a blank line typed between the title and its trích yếu
                    continue
                if not isinstance(block, Para) or block.align != "center" or not block.text.strip():
                    break
                if plain(block.text).upper().startswith("KÍNH GỬI"):
                    break
                if dispatch and _SENDER.match(plain(block.text)):
                    break
                if not plain(block.text).strip("_ "):  # the rule under it, typed "______"
                    index += 1
                    break
                if issued and summary and plain(block.text).isupper():
                    self.meta["issuer"] = [plain(block.text)]
                    index = self._issuer_lines(index + 1)
                    break
                summary.append(plain(block.text))
                index += 1
            if dispatch:
                index = self._sender(index)
            elif issued and "issuer" not in self.meta:
                ahead = index
                while ahead < len(self.blocks) and self._empty(self.blocks[ahead]):
                    ahead += 1
                block = self.blocks[ahead] if ahead < len(self.blocks) else None
                if isinstance(block, Para) and block.align == "center" and block.text.isupper():
                    self.meta["issuer"] = [plain(block.text)]
                    index = self._issuer_lines(ahead + 1)
            if "issuer" in self.meta and not dispatch:
                self.mapped.append(f"issuer: {' / '.join(self.meta['issuer'])}")
            if words and len(summary) > 1:  # "Họp" and "Về tình hình …": "Họp về tình hình …"
                summary[1] = summary[1][:1].lower() + summary[1][1:]
            if summary:
                self.meta["summary"] = " ".join(summary)
                self.mapped.append(f"trích yếu: {self.meta['summary'][:60]}…")
        elif "summary" in self.meta:
            self.meta["kind"] = "cong-van"
            self.mapped.append("kind: no type name and a V/v line → cong-van")
        else:
            kind = _ABBREVIATIONS.get(str(self.meta.get("symbol", "")).split("-")[0])
            self.meta["kind"] = kind or "bao-cao"
            other = _other_title(block)
            found = (
                f"“{other}”, not one of vanban's kinds (BÁO CÁO, KẾ HOẠCH…), found"
                if other
                else "no title (BÁO CÁO, KẾ HOẠCH…) found"
            )
            self.notes.append(
                f"{found} after the masthead: kind {self.meta['kind']} taken from the ký hiệu"
                + ("" if kind else " by default")
                + (
                    f"; the build prints “{KINDS[self.meta['kind']].title}” and its trích yếu "
                    f"above “{other}”, which stays a line of the text"
                    if other and KINDS[self.meta["kind"]].title
                    else ""
                )
                + ("" if kind else "; check `kind` in data/document.yaml")
            )
        # Kính gửi as a paragraph, or as a table of its own: "Kính gửi:" beside the names
        while index < len(self.blocks) and self._empty(self.blocks[index]):
            index += 1
        block = self.blocks[index] if index < len(self.blocks) else None
        if (
            isinstance(block, Table)
            and block.rows
            and len(block.rows[0]) > 1
            and plain(" ".join(p.text for p in block.rows[0][0].paragraphs)).startswith("Kính gửi")
        ):
            noted = [p for row in block.rows for c in row for p in c.paragraphs if p.notes]
            if noted:  # a recipient with a footnote: the table stays in the text, with it
                self.notes.append(
                    f"Kính gửi, in a table of its own: {noted[0].where()} has a footnote, which "
                    "a recipient cannot carry: the table is kept in the text, and "
                    "`recipients_to` left for you"
                )
                return index
            lines = [
                line
                for r, row in enumerate(block.rows)
                if len(row) > 1
                for line in _cell_lines(block, r, 1)
            ]  # the names beside the label, in its row or one row each
            names = [n.lstrip("-– ").rstrip(" ;.,") for n in lines if n]
            self.meta["recipients_to"] = [n for n in names if n]
            self.mapped.append(f"Kính gửi: {len(self.meta['recipients_to'])} recipient(s)")
            return index + 1
        if isinstance(block, Para) and plain(block.text).startswith("Kính gửi"):
            rest = plain(block.text)[len("Kính gửi") :].lstrip(": ")
            names = [rest] if rest else []
            index += 1
            while index < len(self.blocks):
                nxt = self.blocks[index]
                if self._empty(nxt):  # a blank line under "Kính gửi:" or between names
                    index += 1
                    continue
                if (
                    isinstance(nxt, Para)
                    and plain(nxt.text).startswith(("-", "–"))
                    and (nxt.align == "center" or len(plain(nxt.text)) < 120)
                ):
                    names.append(plain(nxt.text).lstrip("-– "))
                    index += 1
                else:
                    break
            self.meta["recipients_to"] = [n.rstrip(" ;.,") for n in names if n]
            self.mapped.append(f"Kính gửi: {len(names)} recipient(s)")
        return index

    def _sender(self, index: int) -> int:
        """Read a Công điện's sender line ("CHỦ TỊCH … điện:") from index, blank lines and
        its rule skipped, and the recipients under it: "- …" lines, as paragraphs or in the
        cells of a table (the sample's); return the index after them."""
        ahead = index
        while ahead < len(self.blocks):
            line = self.blocks[ahead]
            if not isinstance(line, Para) or plain(line.text).strip("_ ") or line.notes:
                break
            ahead += 1  # a blank line, or the rule under the trích yếu typed as "_____"
        block = self.blocks[ahead] if ahead < len(self.blocks) else None
        found = _SENDER.match(plain(block.text)) if isinstance(block, Para) else None
        if found is None:
            return index
        self.meta["issuer"] = [found.group("sender")]
        self.mapped.append(f"sender: {found.group('sender')} điện:")
        index = ahead + 1
        names: list[str] = []
        while index < len(self.blocks):
            block = self.blocks[index]
            if self._empty(block):
                index += 1
                continue
            if isinstance(block, Table):
                lines = [line for line in block.all_text().split("\n") if line.strip()]
            else:
                lines = [block.text]
            items = [plain(line) for line in lines]
            if not items or not all(item.startswith(("-", "–")) for item in items):
                break
            names += [item.lstrip("-– ").rstrip(" ;.,") for item in items]
            index += 1
        if names:
            self.meta["recipients_to"] = [n for n in names if n]
            self.mapped.append(f"recipients of the Công điện: {len(names)}")
        return index

    def _issuer_lines(self, index: int) -> int:
        """Add to the issuer the lines under its first naming the council's session (a
        Nghị quyết's "KHÓA XI, KỲ HỌP THỨ 2"); return the index after them."""
        while index < len(self.blocks):
            block = self.blocks[index]
            if not isinstance(block, Para):
                return index
            text = plain(block.text).upper()
            if not text.startswith(("KHÓA", "KHOÁ", "KỲ HỌP", "NHIỆM KỲ")):
                return index
            self.meta["issuer"].append(plain(block.text))
            index += 1
        return index

    @staticmethod
    def _empty(block: Block) -> bool:
        return isinstance(block, Para) and not block.text.strip() and not block.notes

    # --- closing ----------------------------------------------------------------------

    def standalone_appendix(self, start: int) -> bool:
        """Read a Phụ lục issued in a file of its own (ND30 Phụ lục I, III.1.d): no masthead,
        "PHỤ LỤC" first, then its "(Kèm theo Báo cáo số … của …)" line, which says what it
        is attached to. Return True for one, its metadata read from that line."""
        if start:
            return False
        filled = [b for b in self.blocks[:8] if not self._empty(b)]
        first = filled[0] if filled else None
        if not isinstance(first, Para) or not first.bold:
            return False
        if not _STANDALONE_HEADING.match(plain(first.text).strip()):
            return False
        line = next(
            (
                plain(b.text).strip()
                for b in filled[1:6]
                if isinstance(b, Para) and _ATTACHED_TO.match(plain(b.text).strip())
            ),
            None,
        )
        if line is None:
            return False
        found = _ATTACHED_TO.match(line)
        assert found is not None
        kind = _TITLES.get(_title_key(found.group("kind").upper()))
        if kind is not None:
            self.meta["kind"] = kind
        if found.group("symbol"):
            self.meta["symbol"] = found.group("symbol")
        if found.group("year"):
            self.meta["year"] = int(found.group("year"))
        if found.group("month"):
            self.meta["month"] = int(found.group("month"))
        agency = " ".join(found.group("agency").split())
        self.meta["full_name"] = agency
        self.meta["agency_lines"] = [agency.upper()]
        self.meta["appendix_files"] = "separate"  # which ND30 gives an electronic document
        self.meta["issuance"] = "electronic"
        self.mapped.append(
            f"a Phụ lục issued in a file of its own: “{line[:60]}…” → kind "
            f"{self.meta.get('kind', 'bao-cao')}, agency “{agency}”"
            + (f", year {self.meta['year']}" if "year" in self.meta else "")
            + "; appendix_files: separate and issuance: electronic, as ND30 issues such a "
            "file (Phụ lục I, III.1.d): build/<output>-phu-luc-01.docx is the Phụ lục"
        )
        self.notes = [n for n in self.notes if not n.startswith("no masthead table found")]
        self.notes.append(
            "the document this Phụ lục is attached to is not in the file: its masthead, text "
            "and signature are left for you (content/00-mo-dau.md, data/document.yaml)"
        )
        return True

    def closing(self, start: int) -> int:
        """Return the index of the closing block (Nơi nhận / signature), or len(blocks)."""
        if KINDS[self.meta.get("kind", "bao-cao")].cosigned:
            found = self._cosigned_closing(start)
            if found is not None:
                return found
        for index in range(start, len(self.blocks)):
            block = self.blocks[index]
            if isinstance(block, Table) and "Nơi nhận" in block.all_text():
                signature = self._closing_table(_innermost(block), block.number)
                self.after_closing = index + 1
                if signature and "signer_name" not in self.meta:
                    signature += self._name_below(index + 1)
                if signature:
                    self.mapped.append("signer: " + " / ".join(signature))
                    if "signer_name" not in self.meta:
                        self.notes.append(
                            "signature: no signer's name (a draft): left for you to fill in"
                        )
                return index
            if isinstance(block, Para) and plain(block.text).startswith("Nơi nhận"):
                table, self.after_closing = self._closing_paragraphs(index)
                signature = self._closing_table(table, block.number)
                self.mapped.append(
                    f"{block.where()}: Nơi nhận and the signature typed in paragraphs (the "
                    "signature after tabs): read as the closing table"
                )
                if signature:
                    self.mapped.append("signer: " + " / ".join(signature))
                    if "signer_name" not in self.meta:
                        self.notes.append(
                            "signature: no signer's name (a draft): left for you to fill in"
                        )
                return index
        self.notes.append("no Nơi nhận / signature block found: signer and recipients left blank")
        return len(self.blocks)

    def _cosigned_closing(self, start: int) -> int | None:
        """Read a Biên bản's signatures, the secretary's (THƯ KÝ) beside the chair's, from
        the first table after start whose first row holds both, then the Nơi nhận typed
        under it, if any; return the table's index, or None without such a table."""
        for index in range(start, len(self.blocks)):
            block = self.blocks[index]
            if not isinstance(block, Table) or not block.rows or len(block.rows[0]) < 2:
                continue
            columns = [_signature_lines(cell) for cell in block.rows[0]]
            left = next((i for i, c in enumerate(columns) if c and _SECRETARY.match(c[0])), None)
            chair = next((c for i, c in enumerate(columns) if c and i != left), None)
            if left is None or chair is None:
                continue
            secretary = columns[left]
            names = [line for line in secretary if not line.isupper()]
            self.meta["secretary"] = {"position": secretary[0]}
            if names:
                self.meta["secretary"]["name"] = names[-1]
            authority = [line for line in chair if line.startswith(AUTHORITY_PREFIXES)]
            upper = [line for line in chair if line.isupper() and line not in authority]
            others = [line for line in chair if not line.isupper()]
            if authority:
                self.meta["signer_authority"] = authority
            if upper:
                self.meta["signer_position"] = " - ".join(upper)
            if others:
                self.meta["signer_name"] = others[-1]
            self.mapped.append(
                "signatures: "
                + " / ".join(secretary[:1] + names[-1:])
                + " beside "
                + " / ".join([*authority, *upper, *others[-1:]])
            )
            self.after_closing = self._received_below(index + 1)
            return index
        return None

    def _received(self, received: list[str], paragraphs: Sequence[Block]) -> None:
        """Keep the Nơi nhận items; a drafter's name printed lowered (subscript) at the end of
        the "Lưu" line ("- Lưu: VT, NC.Châu") is ô 12, `drafter`."""
        items = [r for r in received if r]
        self.meta["recipients"] = items
        self.mapped.append(f"Nơi nhận: {len(items)} item(s)")
        lines = [p for p in paragraphs if isinstance(p, Para) and plain(p.text)]
        last = lines[-1] if lines else None
        if not items or last is None or plain(last.text).lstrip("-– ").strip() != items[-1]:
            return
        runs = list(last.runs)
        while runs and not runs[-1].text.strip():
            runs.pop()
        tail: list[Run] = []
        while runs and runs[-1].lowered:
            tail.insert(0, runs.pop())
        drafter = plain("".join(r.text for r in tail)).strip(" .;,")
        archive = plain("".join(r.text for r in runs)).lstrip("-– ").strip()
        if not drafter or not archive.startswith(ARCHIVE):
            return
        if not _INITIALS.fullmatch(drafter):
            self.notes.append(
                f"Nơi nhận: “{drafter}”, printed lowered after the “{ARCHIVE}” line, is kept in "
                "it as typed: `drafter:` takes the drafter's initials in capitals (NVA), "
                "printed after the line in its size"
            )
            return
        items[-1] = archive
        self.meta["drafter"] = drafter
        self.mapped.append(f"drafter: “{drafter}”, lowered after the “{ARCHIVE}” line")

    def _received_below(self, start: int) -> int:
        """Read a Nơi nhận typed as paragraphs ("Nơi nhận:", then "- …" lines) from start;
        return the index after it (start when there is none)."""
        index = start
        while index < len(self.blocks) and self._empty(self.blocks[index]):
            index += 1
        block = self.blocks[index] if index < len(self.blocks) else None
        if not isinstance(block, Para) or not plain(block.text).startswith("Nơi nhận"):
            return start
        received = []
        index += 1
        while index < len(self.blocks):
            item = self.blocks[index]
            if not isinstance(item, Para) or not plain(item.text).startswith(("-", "–")):
                break
            received.append(plain(item.text).lstrip("-– ").strip())
            index += 1
        self._received(received, self.blocks[start:index])
        return index

    def _closing_paragraphs(self, start: int) -> tuple[Table, int]:
        """Read a closing typed in paragraphs from its "Nơi nhận:" line: Nơi nhận's items on
        the left, the signature's lines after tabs on the right (or typed after tabs or
        spaces alone, under the items); return it as a table of two cells, and the index of
        the block after it."""
        left: list[Para] = []
        right: list[Para] = []
        index = start
        while index < len(self.blocks):
            block = self.blocks[index]
            if not isinstance(block, Para):
                break
            text = plain(block.text)
            if not text:
                index += 1
                continue
            pieces = [piece.strip() for piece in re.split(r"\t+|[ \u00a0]{4,}", block.text)]
            first, rest = pieces[0], [piece for piece in pieces[1:] if piece]
            item = first.startswith(("-", "–", "+", "Nơi nhận")) or (
                first and not rest and left and not right and not text.isupper()
            )  # an item's second line ("qua phần mềm chấm điểm);")
            signed = " ".join(rest)
            aside = not first and bool(rest) and (
                signed.isupper() or signed.startswith(("(", *AUTHORITY_PREFIXES))
                or _person_name(signed)
            )  # fmt: skip
            if not (item or aside or (first and rest and left)) or len(text) > 200:
                break
            if first:
                left.append(Para((Run(first),)))
            if rest:
                right.append(Para((Run(" ".join(rest), bold=block.bold),)))
            index += 1
            if rest and _person_name(signed):
                break  # the signer's name ends the closing
        table = Table(((Cell(tuple(left)), Cell(tuple(right))),), number=self.blocks[start].number)
        return table, index

    def _name_below(self, start: int) -> list[str]:
        """Take the signer's name from the first line under the closing table, when it is a
        name typed there (the table holding only the authority and position); return it."""
        index = start
        while index < len(self.blocks) and self._empty(self.blocks[index]):
            index += 1
        block = self.blocks[index] if index < len(self.blocks) else None
        if not isinstance(block, Para) or not _person_name(plain(block.text)):
            return []
        self.meta["signer_name"] = plain(block.text)
        self.after_closing = index + 1
        self.notes.append(
            f"{block.where()}: the signer's name “{self.meta['signer_name']}” is typed under "
            "the signature's table: read as `signer.name`"
        )
        return [self.meta["signer_name"]]

    def _closing_table(self, table: Table, number: int) -> list[str]:
        """Read Nơi nhận and the signature; return the signature's lines as read (authority,
        position, name), none when the table has no signature."""
        row = table.rows[0]
        # Nơi nhận: the first column, its items in the label's row or in the rows below it
        left = [
            line
            for cells in table.rows
            if cells
            for p in cells[0].paragraphs
            for line in p.text.split("\n")
            if plain(line)
        ]
        received = []
        beside: list[tuple[str, str]] = []  # (item, a side note typed beside it)
        for line in left:
            if plain(line).startswith("Nơi nhận"):
                rest = plain(line)[len("Nơi nhận") :].lstrip(": ")
                if rest:
                    received.append(rest)
                continue
            item, note = _side_note(line)
            received.append(item.lstrip("-– ").strip())
            if note and note.startswith(("-", "–")):
                received.append(note.lstrip("-– ").strip())  # two items typed on one line
            elif note:
                beside.append((received[-1], note))
        self._received(received, [p for cells in table.rows if cells for p in cells[0].paragraphs])
        if beside:
            self.notes.append(
                f"table at paragraph {number}: Nơi nhận: a note typed beside "
                + ", ".join(f"“{item.rstrip(';.')}”" for item, _ in beside)
                + f": “{' / '.join(note for _, note in beside)}”: not mapped (vanban prints "
                "the items only); add it to the text if it is needed"
            )

        # the signature: the first column after Nơi nhận's that holds it, down all its rows
        # (the authority in the label's row, the position and name in the row below)
        def down(column: int) -> list[str]:
            return [
                line
                for cells in table.rows
                if column < len(cells)
                for line in _signature_lines(cells[column])
            ]

        width = max((len(cells) for cells in table.rows), default=len(row))
        right = next(filter(None, (down(column) for column in range(1, width))), [])
        authority = [line for line in right if line.startswith(AUTHORITY_PREFIXES)]
        below = [line for line in right if line not in authority]
        for index, line in enumerate(authority):
            spaced = _PREFIX_UNSPACED.sub(r"\1 ", line)
            if spaced != line:
                authority[index] = spaced
                self.corrected.append(
                    f"signature: “{line}” typed without a space after its prefix; printed "
                    f"“{spaced}” (ND30 Phụ lục I, II.7.b)"
                )
        upper = [line for line in below if line.isupper() and not line.startswith("(")]
        others = [line for line in below if line not in upper and not line.startswith("(")]
        if authority:
            self.meta["signer_authority"] = authority
        if upper:
            self.meta["signer_position"] = upper[0]
            if len(upper) > 1:
                self.meta["signer_position"] = " - ".join(upper)
                self.notes.append(
                    "signature: the position has several lines "
                    f"({' / '.join(upper)}); vanban prints one, joined with ' - '"
                )
        if others:
            self.meta["signer_name"] = others[-1]
        if not right:
            self.notes.append(
                f"table at paragraph {number}: no signature beside Nơi nhận: `signer` left for "
                "you to fill in"
            )
        return [*authority, *upper[:2], *others[-1:]] if right else []


def _signature_lines(cell: Cell) -> list[str]:
    """Return the lines of a signature cell (authority, position, name), or of the signature
    table nested in it; none for an empty cell."""
    lines = [line for line in _lines(cell.paragraphs) if line]
    for inner in cell.tables:
        if lines:
            break
        lines = [line for line in _lines(inner.rows[0][-1].paragraphs) if line]
    return lines


def _person_name(text: str) -> bool:
    """Whether a line reads as a person's name: two to five words, each capitalised."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(
        w[0].isupper() and w.isalpha() and (len(w) == 1 or not w[1:].isupper()) for w in words
    )


# The words a masthead's line begins with when it names a body of its own under the line above.
_BODIES = re.compile(
    r"^(?:CHI CỤC|TỔNG CỤC|CỤC|SỞ|VỤ|VĂN PHÒNG|BAN|PHÒNG|TRUNG TÂM|VIỆN|TRƯỜNG|ĐÀI|"
    r"THANH TRA|CHI NHÁNH|BỆNH VIỆN|HỌC VIỆN)\b"
)


def _a_body(above: str, line: str) -> bool:
    """Whether a masthead's line names a body under the one above it ("CỤC HÓA CHẤT" under
    "BỘ CÔNG THƯƠNG"), not the rest of its name ("… VỀ" / "PHÒNG CHỐNG THAM NHŨNG")."""
    upper = _title_key(line)
    ends = above.rstrip().upper()
    if ends.endswith((",", "-", "–", " VÀ", " VỀ", " CỦA")) or upper.startswith("PHÒNG CHỐNG"):
        return False
    return bool(_BODIES.match(upper))


def _broken_lines(p: Para) -> list[tuple[str, bool]]:
    """Return a paragraph's lines, split at its line breaks, each with whether its words are
    bold: a masthead typing "BỘ CÔNG THƯƠNG", a break and a bold "CỤC HÓA CHẤT" in one
    paragraph has an upright line over a bold one."""
    out: list[tuple[str, bool]] = []
    text = ""
    worded: list[bool] = []  # the bold of each run with words on the line
    for run in (*p.runs, None):
        if run is None or run.text == "\n":
            out.append((text, bool(worded) and all(worded)))
            text, worded = "", []
            continue
        text += run.text
        if any(c.isalnum() for c in run.text):
            worded.append(run.bold)
    return out


def _named_title(block: Block | None) -> tuple[str, str] | None:
    """Return the kind a title names and the words typed after its type name on its line:
    "BÁO CÁO" is a Báo cáo; "GIẤY MỜI HỌP", "BIÊN BẢN LÀM VIỆC" (a centred bold line in
    capitals, one to three words after the type name) a Giấy mời "Họp", a Biên bản "Làm việc"."""
    if not isinstance(block, Para):
        return None
    key = _title_key(plain(block.text))
    if key in _TITLES:
        return _TITLES[key], ""
    if block.align != "center" or not block.bold or not plain(block.text).isupper():
        return None
    for title in sorted(_TITLES, key=len, reverse=True):
        rest = key[len(title) + 1 :].split() if key.startswith(title + " ") else []
        if 0 < len(rest) <= 3 and KINDS[_TITLES[title]].summary != NEVER:
            return _TITLES[title], " ".join(rest).capitalize()
    return None


def _other_title(block: Block | None) -> str | None:
    """Return a centred bold title in capitals that is no kind of vanban's ("THÔNG TƯ")."""
    if not isinstance(block, Para) or block.align != "center" or not block.bold:
        return None
    text = plain(block.text)
    return text if text.isupper() and len(text) < 40 else None


# A Nơi nhận item, then a wide gap (a tab or three spaces) and a note set beside it.
_BESIDE = re.compile(r"^(.*?[;.])(?:\s*\t|[ \u00a0]{2,})\s*(\S.*)$")


def _side_note(line: str) -> tuple[str, str | None]:
    """Return a Nơi nhận line's item and the note typed beside it after a wide gap, if any."""
    match = _BESIDE.match(line.strip())
    if match is None:
        return plain(line, blanks=True), None
    return plain(match.group(1), blanks=True), plain(match.group(2))


def _innermost(table: Table) -> Table:
    for row in table.rows:
        for cell in row:
            for nested in cell.tables:
                if "Nơi nhận" in nested.all_text():
                    return _innermost(nested)
    return table


def _confirmation_key(text: str) -> str:
    return " ".join(text.replace("(", " ").replace(")", " ").split()).casefold()


def recognise(source: Source) -> Imported:
    """Recognise the parts of the document and write its narrative as Markdown."""
    rec = _Recogniser(source)
    start = rec.masthead()
    alone = rec.standalone_appendix(start)
    if alone:  # all of it is the appendix: no text, no signature
        end = rec.after_closing = start
    else:
        start = rec.title(start)
        end = rec.closing(start)
        rec.confirmation()
    body_blocks = source.blocks[start:end]
    after = source.blocks[rec.after_closing :]
    names, duplicates = name_notes(source, body_blocks)
    for nid in reference_order(after):
        rec.notes.append(f"a footnote (id {nid}) after the signature is not imported")
    scheme = heading_scheme(body_blocks)
    quoted = quoted_articles(body_blocks)
    if quoted is not None:
        rec.notes.append(
            f"the text's articles start at Điều {quoted}, not Điều 1: another document's, which "
            "it quotes, kept as bold paragraphs with their typed numbers"
        )
    body = Narrative(rec, names, scheme)
    body.small_tables, body.text_size = [], source.text_size
    body_ids = {id(b) for b in body_blocks}
    turned = frozenset(
        id(b)
        for first, last in source.landscape_sections()
        for b in source.blocks[first : last + 1]
        if id(b) in body_ids
    )
    body.read(body_blocks, turned)
    if alone:  # the text the Phụ lục goes with is not in the file
        body.add([escape("(Nội dung văn bản kèm theo phụ lục)"), ""])
    if scheme is not None:
        rec.meta["headings"] = list(scheme)
        rec.mapped.append(f"headings: {', '.join(scheme)} (numbered by the build)")
    definitions = note_markdown(source, names)
    files: list[tuple[str, str]] = []
    for name, typed_lines in body.files:
        lines, kept = number_items(typed_lines)
        for numbers in kept:
            rec.notes.append(
                f"content/{name}: paragraphs numbered {numbers}: not the numbers the build "
                "gives (1, 2 … after each heading, a, b … after each numbered paragraph), so "
                "kept as typed"
            )
        text = "\n".join(lines).strip() + "\n"
        used = re.findall(r"\[\^([^\]]+)\]", text)
        defs = [f"[^{n}]: {definitions[n]}" for n in used if n in definitions]
        if defs:
            text += "\n" + "\n\n".join(defs) + "\n"
        if text.strip() or name != "00-mo-dau.md":
            files.append((name, text))
    unreferenced = [
        nid for nid in source.footnotes if nid not in names and nid not in reference_order(after)
    ]
    for nid in unreferenced:
        if note_texts(source).get(nid):
            rec.notes.append(f"footnote id {nid} is never referenced in the text: not imported")
    imported = Imported(
        rec.meta,
        files,
        rec.notes,
        rec.mapped,
        rec.corrected,
        list(after),
        names,
        duplicates,
    )
    imported.body_tables = body.small_tables
    imported.mapped.append(f"footnotes: {len(names)}, named from their content")
    return imported
