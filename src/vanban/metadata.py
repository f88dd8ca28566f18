"""Document metadata (agency, số, date, signer) and the ND30 strings made from it."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .cache import NO_CACHE, Cache
from .classes import dataclass
from .conventions import (
    DEFAULT_SCHEME,
    LEVEL_KINDS,
    MAX_LEVELS,
    SCHEMES,
    misordered,
    scheme_levels,
)
from .errors import Problem
from .facts import Loaded, load_yaml, place_of, plain, plainly_valid, validate
from .kinds import (
    ACTING_PREFIX,
    AUTHORITY_PREFIXES,
    IN_A_SENTENCE,
    KINDS,
    MISTAKEN_FOR,
    NEVER,
    REQUIRED,
    UNUSUAL,
    Kind,
    kind_names,
)

# Width of the blanks a draft leaves for the văn thư to fill in by hand.
BLANK = " " * 6

# Where ND30 gives a Kính gửi (ô 9a), quoted in the messages about it.
KINH_GUI_RULE = (
    "ND30 Phụ lục I, II.9.b: only a Tờ trình, a Báo cáo to a higher body and a Công văn have one"
)
RECIPIENTS_TO_RULE = "recipients-to"

# The first item of Nơi nhận when the document has a Kính gửi (ND30 Phụ lục I, II.9.b).
AS_ABOVE = "Như trên;"
# The position printed over a Biên bản's secretary's signature (Phụ lục III, Mẫu 1.9).
SECRETARY = "THƯ KÝ"
# The last item of Nơi nhận (ND30 Phụ lục I, II.9.d): "Lưu: VT, …".
ARCHIVE = "Lưu"

# The empty 14 pt lines between the signer's chức vụ and name: four on paper, where the
# signature is written by hand; a document signed digitally keeps at least
# ELECTRONIC_SIGNATURE_SPACE mm there (or signature_space) for the signature image and the
# seal image over its left third (ND30 Phụ lục I, II.7.d and II.8.a). A line is 14 pt at
# single spacing, 1.15 em: 16.1 pt.
PAPER_SIGNATURE_LINES = 4
ELECTRONIC_SIGNATURE_SPACE = 35  # mm
SIGNER_LINE_MM = 14 * 1.15 * 25.4 / 72


# A number as the file spells it: the plain scalar after "number:" (up to a comment or the
# end of a flow mapping), whatever YAML made of it (0204 is 204 in YAML 1.2, 132 in 1.1).
_WRITTEN = re.compile(r"[^\s,\]}#]+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class DocumentNumber:
    """The số as written in data/document.yaml, leading zeros kept: "0204", "05".

    It prints as written, with ND30's leading zero below 10 ("5" prints "05"), also through
    an integer format such as f"{number:02d}".
    """

    written: str

    def __str__(self) -> str:
        return self.written.zfill(2)

    def __format__(self, spec: str) -> str:
        if spec in ("", "s", "d", "02d"):
            return str(self)
        return format(int(self), spec)

    def __int__(self) -> int:
        return int(self.written)


@dataclass(frozen=True)
class Period:
    """The years a document covers (giai đoạn), printed "2021-2025"."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


@dataclass(frozen=True)
class Metadata:
    """What the masthead and closing print, taken from data/document.yaml."""

    kind: str
    status: str
    output: str
    agency_parent: str | None
    agency_lines: tuple[str, ...]
    agency_abbreviation: str
    agency_full_name: str
    number: DocumentNumber | None
    place: str
    date: dt.date | None
    year: int | None  # None: a draft's year still blank
    summary: str
    recipients: tuple[str, ...]
    signer_authority: tuple[str, ...]
    signer_position: str
    signer_name: str
    drafting_unit: str | None = None
    recipients_to: tuple[str, ...] = ()
    issuer: tuple[str, ...] = ()  # its lines
    secretary_position: str | None = None  # a Biên bản's second signer: THƯ KÝ
    secretary_name: str | None = None
    period: Period | None = None
    agency_code: str | None = None
    urgency: str | None = None  # khan, thuong-khan, hoa-toc
    secrecy: str | None = None  # mat, toi-mat, tuyet-mat
    drafter: str | None = None  # ô 12: the drafter's initials
    copies: int | None = None  # ô 12: the number of copies issued
    due_date: dt.date | None = None
    contact: tuple[tuple[str, str], ...] = ()  # ô 13: (address|phone|fax|email|website, value)
    month: int | None = None  # the month of a draft whose day is still blank
    # The kind of each heading level (#, ## …), from a scheme's name or a list of levels.
    headings: tuple[str, ...] = SCHEMES[DEFAULT_SCHEME]
    issuance: str = "paper"  # paper, or electronic: signed digitally
    appendix_files: str = "same"  # same: appendices after the text; separate: a file each
    signature_space: int | None = None  # mm between chức vụ and name
    confirmation: str | None = None  # a Giấy nghỉ phép's confirmation block: its heading

    def printed_fields(self) -> dict[str, str]:
        """Return the fields of one word or line, as the text's {{ document.… }} prints them
        (year 2026, period 2021-2025, place, summary, agency_full_name …): what an
        appendix's title or heading may print as {document.year}."""
        fields = {}
        for name in type(self).__fields_names__:  # type: ignore[attr-defined]
            value = getattr(self, name)
            if isinstance(value, Period | str) or (
                isinstance(value, int) and not isinstance(value, bool)
            ):
                fields[name] = str(value)
        return fields

    @property
    def electronic(self) -> bool:
        return self.issuance == "electronic"

    @property
    def signature_lines(self) -> int:
        """Return the number of empty lines between chức vụ and name: the paper's four, or
        as many as hold the signature space asked for (signature_space, or 35 mm when the
        document is signed digitally)."""
        space = self.signature_space
        if space is None and self.electronic:
            space = ELECTRONIC_SIGNATURE_SPACE
        if space is None:
            return PAPER_SIGNATURE_LINES
        return math.ceil(space / SIGNER_LINE_MM)

    @property
    def drafter_line(self) -> str | None:
        """Return ô 12, the drafter's initials and the copies issued, as ND30 writes it
        (Phụ lục I, Mục V row 11: "PL.(300)"), or None when neither is given."""
        if self.drafter is None and self.copies is None:
            return None
        copies = f"({self.copies})" if self.copies is not None else ""
        return ".".join(part for part in (self.drafter, copies) if part)

    @property
    def contact_lines(self) -> list[str]:
        """Return ô 13 as ND30's example prints it (Phụ lục I, Mục V row 12): the address;
        "ĐT: …, Fax: …"; "E-Mail: …, Website: …", each line only with what is given."""
        given = dict(self.contact)
        lines = [given["address"]] if "address" in given else []
        for pair in (
            (("ĐT", "phone"), ("Fax", "fax")),
            (("E-Mail", "email"), ("Website", "website")),
        ):
            shown = [f"{label}: {given[key]}" for label, key in pair if key in given]
            if shown:
                lines.append(", ".join(shown))
        return lines

    @property
    def kind_info(self) -> Kind:
        return KINDS[self.kind]

    @property
    def kind_title(self) -> str:
        """Return the kind's name in capitals ("BÁO CÁO", "CÔNG VĂN"), printed or not."""
        return self.kind_info.title or self.kind_info.name.upper()

    @property
    def symbol(self) -> str:
        """Return the ký hiệu, e.g. "BC-UBND", or "UBND-LĐTBXH" for a Công văn."""
        return self.kind_info.symbol(self.agency_abbreviation, self.drafting_unit)

    @property
    def number_line(self) -> str:
        """Return "Số: 05/BC-UBND", or "Số:      /BC-UBND" while the number is blank."""
        if self.number is None:
            return f"Số:{BLANK}/{self.symbol}"
        return f"Số: {self.number}/{self.symbol}"

    @property
    def date_line(self) -> str:
        """Return "Đắk Glei, ngày 05 tháng 01 năm 2024" (blanks in a draft without a date)."""
        return f"{self.place}, {date_words(self.date, self.year, self.month)}"

    @property
    def printed_date_line(self) -> str:
        """Return the date line the masthead prints: none for a Biên bản (Mẫu 1.9)."""
        return self.date_line if self.kind_info.date_line else ""

    @property
    def subject_line(self) -> str | None:
        """Return "V/v …" for a kind that prints its trích yếu under Số (Công văn), else None."""
        return f"V/v {self.summary}" if self.kind_info.subject_line else None

    @property
    def sender_line(self) -> str | None:
        """Return a Công điện's "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH … điện:" (its issuer, the
        "điện:" added when not typed), else None."""
        if not self.kind_info.dispatch or not self.issuer:
            return None
        sender = re.sub(r"\s*điện\s*:?\s*$", "", " ".join(self.issuer), flags=re.IGNORECASE)
        return f"{sender} điện:"

    @property
    def to_lines(self) -> list[str]:
        """Return the Kính gửi items: one bare, or several ending ";", the last "."."""
        names = [name.rstrip(" ;.,") for name in self.recipients_to]
        if len(names) < 2:
            return names
        return [f"{name};" for name in names[:-1]] + [f"{names[-1]}."]

    @property
    def received_lines(self) -> list[str]:
        """Return the Nơi nhận items, "Như trên;" first when the document has a Kính gửi
        and its first item does not say so already ("Như thành phần mời;");
        ô 12 ends the "Lưu" line, as in ND30's samples ("- Lưu: VT, …. NVA.(12).")."""
        items = list(self.recipients)
        # a first item "Như …" (Như thành phần mời;) already points to those named above
        if self.recipients_to and not (items and items[0].startswith("Như ")):
            items.insert(0, AS_ABOVE)
        drafter = self.drafter_line
        if drafter is not None and items and items[-1].startswith(ARCHIVE):
            archive = items[-1].rstrip()
            items[-1] = f"{archive if archive.endswith('.') else archive + '.'} {drafter}."
        return items

    def template_context(self) -> dict[str, Any]:
        """Return the names the masthead and closing templates use.

        kind_title is None for a kind that prints no type name (Công văn); summary, subject_line
        and issuer are None where the document has none (issuer_lines empty); recipients_to is
        empty without a Kính gửi. A Công điện prints its issuer as sender_line and its
        recipients as sent_to, none of them as issuer_lines or recipients_to.
        """
        return {
            "agency_parent": self.agency_parent,
            "agency_lines": list(self.agency_lines),
            "number_line": self.number_line,
            "subject_line": self.subject_line,
            "date_line": self.printed_date_line,
            "kind_title": self.kind_info.title,
            "summary": self.summary or None,
            "issuer": " ".join(self.issuer) or None,
            "issuer_lines": [] if self.kind_info.dispatch else list(self.issuer),
            "recipients_to": [] if self.kind_info.dispatch else self.to_lines,
            "sender_line": self.sender_line,
            "sent_to": self.to_lines if self.kind_info.dispatch else [],
            "recipients": self.received_lines,
            "signer_authority": list(self.signer_authority),
            "signer_position": self.signer_position,
            "signer_name": self.signer_name,
            "secretary_position": self.secretary_position,
            "secretary_name": self.secretary_name,
            "signature_lines": list(range(self.signature_lines)),
            "confirmation": self.confirmation,
        }


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def date_words(date: dt.date | None, year: int | None, month: int | None = None) -> str:
    """Write a date the ND30 way: leading zero for days < 10 and months 1 and 2; a draft
    leaves the day (and the month, unless given, and the year, when None) blank."""
    if date is None:
        known = f" {_month(month)} " if month else BLANK
        return f"ngày{BLANK}tháng{known}năm{BLANK if year is None else f' {year}'}"
    return f"ngày {date.day:02d} tháng {_month(date.month)} năm {date.year}"


def _schema(cache: Cache) -> dict[str, Any]:
    path = Path(__file__).parent / "data" / "document.schema.yaml"  # in the package's files
    loaded, problems = load_yaml(path, "document.schema.yaml", cache)
    assert loaded is not None and not problems, problems
    schema = plain(loaded.document)
    schema["kind"]["allowed"] = list(KINDS)
    return schema


def _lines(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


class _Rules:
    """The checks across fields of a valid document.yaml, each problem with its place."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.data: Mapping[str, Any] = loaded.document
        self.problems: list[Problem] = []

    def problem(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        line, col = place_of(self.data, path, key=key)
        self.problems.append(Problem(self.loaded.display, line, col, message))

    def present(self, path: tuple[str, ...]) -> bool:
        node: Any = self.data
        for step in path:
            if not isinstance(node, Mapping) or node.get(step) is None:
                return False
            node = node[step]
        return True

    def check(self, partial: bool = False) -> list[Problem]:
        """Return the problems the rules find; partial: the schema found some already, and
        a rule that cannot read the fields it looks at (missing, of another type: the
        schema says so) is left out."""
        rules = (
            self.number,
            self.final,
            self.dated,
            lambda: self.kind(KINDS[self.data["kind"]]),
            self.signer,
            self.period,
            self.headings,
            self.issuing,
        )
        for rule in rules:
            if not partial:
                rule()
                continue
            found = len(self.problems)
            try:
                rule()
            except (KeyError, TypeError, AttributeError, IndexError):
                del self.problems[found:]  # what it found before it stopped may be wrong too
        return self.problems

    def number(self) -> None:
        written = written_number(self.loaded)
        if written is not None and not _DIGITS.fullmatch(written):
            self.problem(
                ("number",),
                f"number: expected the số in digits as it is printed (5, 05, 0204), got "
                f"{written!r}",
            )

    def dated(self) -> None:
        """A date given is in the year (and the month) given beside it: the masthead prints
        the date's, the document system files the document under `year`."""
        date = self.data.get("date")
        if not isinstance(date, dt.date):
            return
        for key, value in (("year", date.year), ("month", date.month)):
            given = self.data.get(key)
            if isinstance(given, int) and given != value:
                self.problem(
                    ("date",),
                    f"date: {date.isoformat()} is in {key} {value}, but {key}: {given}; the "
                    f"masthead prints the date's {key}: make them agree",
                )

    def final(self) -> None:
        if self.data["status"] == "final" and self.data["year"] is None:
            self.problem(
                ("year",), "year: a final document needs its year; only a draft leaves it blank"
            )
        if self.data["status"] != "final" or self.data.get("issuance") == "electronic":
            return  # the document system gives an electronic document its số and date
        for key in ("number", "date"):
            if self.data[key] is None:
                self.problem(
                    (key,), f"{key}: a final document needs its {key}; only a draft leaves it blank"
                )

    def kind(self, kind: Kind) -> None:
        name = kind.name
        if kind.summary == REQUIRED and not self.present(("summary",)):
            self.problem(
                ("kind",),
                f"summary: a {name} needs its trích yếu (ND30 Phụ lục III, {kind.sample}): add "
                "summary: with what it is about",
            )
        if kind.summary == NEVER and self.present(("summary",)):
            self.problem(
                ("summary",),
                f"summary: a {name} has no trích yếu (ND30 Phụ lục III, {kind.sample}: only the "
                "rule under its name); remove it, its text says what it is for",
                key=True,
            )
        to = self.present(("recipients_to",))
        if kind.recipients_to == NEVER and to:
            self.problem(
                ("recipients_to",),
                f"recipients_to: a {name} has no Kính gửi ({KINH_GUI_RULE}); list its "
                "recipients under recipients",
                key=True,
            )
        if kind.recipients_to == REQUIRED and not to and kind.dispatch:
            self.problem(
                ("kind",),
                f"recipients_to: a {name} names whom it is sent to under “… điện:” (ND30 Phụ "
                f"lục III, {kind.sample}): add recipients_to: with the bodies or officials, one "
                "line each",
            )
        elif kind.recipients_to == REQUIRED and not to:
            self.problem(
                ("kind",),
                f"recipients_to: a {name} needs its Kính gửi (ND30 Phụ lục I, II.9.b): "
                "add recipients_to: with the body or bodies it is addressed to",
            )
        if kind.abbreviation is None and not self.present(("agency", "drafting_unit")):
            self.problem(
                ("agency",),
                f"agency.drafting_unit: the ký hiệu of a {name} is <agency>-<drafting unit> "
                f"({self.data['agency']['abbreviation']}-LĐTBXH): give the drafting unit's "
                "abbreviation",
                key=True,
            )
        if kind.recipients == REQUIRED and not self.present(("recipients",)):
            self.problem(
                ("kind",),
                f"recipients: a {name} lists where it is sent (Nơi nhận; ND30 Phụ lục I, II.9): "
                "add recipients: with one line each, the last “Lưu: VT, …”",
            )
        self.signers(kind)
        if self.data.get("confirmation") and kind.confirmation is None:
            self.problem(
                ("confirmation",),
                f"confirmation: a {name} has no block for another body to confirm it (only a "
                "Giấy nghỉ phép has one: ND30 Phụ lục III, Mẫu 1.10); remove it",
                key=True,
            )
        issuer = self.present(("issuer",))
        if kind.issuer and not issuer and kind.dispatch:
            self.problem(
                ("kind",),
                f"issuer: a {name} names who sends it, printed “… điện:” under its title (ND30 "
                f"Phụ lục III, {kind.sample}), e.g. issuer: {kind.issuer}",
            )
        elif kind.issuer and not issuer:
            self.problem(
                ("kind",),
                f"issuer: a {name} names the authority that issues it under its title (ND30 "
                f"Phụ lục III, {kind.sample.split(',')[0]}: thẩm quyền ban hành), e.g. issuer: "
                f"{kind.issuer}",
            )
        if issuer and not kind.issuer:
            self.problem(
                ("issuer",),
                f"issuer: a {name} prints no line of authority under its title; remove it",
                key=True,
            )

    def signers(self, kind: Kind) -> None:
        """A Biên bản is signed by its secretary and its chair; every other kind by one."""
        secretary = self.present(("secretary",))
        if kind.cosigned and not secretary:
            self.problem(
                ("kind",),
                f"secretary: a {kind.name} is signed by its secretary beside the chair (ND30 Phụ "
                f"lục III, {kind.sample}: THƯ KÝ, CHỦ TỌA): add secretary: with the secretary's "
                "name",
            )
        if secretary and not kind.cosigned:
            self.problem(
                ("secretary",),
                f"secretary: a {kind.name} has one signer (only a Biên bản has a secretary's "
                "signature too); remove it",
                key=True,
            )
        position = self.data["secretary"].get("position") if secretary else None
        prefix = next(
            (p for p in AUTHORITY_PREFIXES if str(position or "").startswith(p + " ")), None
        )
        if kind.cosigned and prefix is not None:
            self.problem(
                ("secretary", "position"),
                f'secretary.position: "{position}" begins with {prefix}, but a {kind.name}\'s '
                f"secretary signs for no one (ND30 Phụ lục III, {kind.sample}: {SECRETARY}); "
                "write the position alone, and an authority the chair signs for in "
                "signer.authority",
            )

    def signer(self) -> None:
        authority = self.data["signer"].get("authority")
        for index, line in enumerate(_lines(authority)):
            if not line.startswith(tuple(p + " " for p in AUTHORITY_PREFIXES)):
                at = ("signer", "authority", index) if isinstance(authority, list) else None
                self.problem(
                    at or ("signer", "authority"),
                    f'signer.authority: "{line}" does not start with an ND30 prefix and a '
                    f"space ({', '.join(AUTHORITY_PREFIXES)}: Phụ lục I, II.7.b)",
                )
        position = self.data["signer"]["position"]
        prefix = next((p for p in AUTHORITY_PREFIXES if position.startswith(p + " ")), None)
        if prefix is not None:
            self.problem(
                ("signer", "position"),
                f'signer.position: "{position}" begins with {prefix}, which belongs in '
                f"signer.authority; the position is the signer's own (PHÓ CHỦ TỊCH, or "
                f"{ACTING_PREFIX} CHỦ TỊCH when acting)",
            )

    def headings(self) -> None:
        scheme = self.data.get("headings")
        if isinstance(scheme, str) and scheme not in SCHEMES:
            self.problem(
                ("headings",),
                f"headings: expected {', '.join(SCHEMES)} or a list of levels "
                f"({', '.join(LEVEL_KINDS)}), got {scheme!r}",
            )
        elif isinstance(scheme, list):
            if len(scheme) > MAX_LEVELS:
                self.problem(
                    ("headings",),
                    f"headings: expected at most {MAX_LEVELS} levels (#, ## … ######), got "
                    f"{len(scheme)}",
                )
            for index, kind in enumerate(scheme):
                if kind not in LEVEL_KINDS:
                    self.problem(
                        ("headings", index),
                        f"headings[{index}]: expected one of {', '.join(LEVEL_KINDS)}, got "
                        f"{kind!r}",
                    )
            for index, message in misordered(scheme):
                self.problem(("headings", index), f"headings[{index}]: {message}")

    def issuing(self) -> None:
        if self.data.get("appendix_files") == "separate" and self.data.get("issuance") != (
            "electronic"
        ):
            self.problem(
                ("appendix_files",),
                "appendix_files: appendices in files of their own are for a document issued "
                "electronically (ND30 Phụ lục I, III.1.d); add issuance: electronic, or "
                "remove appendix_files",
                key=True,
            )
        if self.data.get("drafter") is None and self.data.get("copies") is None:
            return
        received = self.data.get("recipients") or ["(none)"]
        last = received[-1]
        if not last.startswith(ARCHIVE):
            self.problem(
                ("recipients", len(received) - 1),
                f"recipients: the drafter's initials and the copies (ô 12) end the Nơi nhận's "
                f'last line, "Lưu: VT, …" (ND30 Phụ lục I, II.9.d; Phụ lục III, Mẫu 1.4), '
                f"got {last!r}",
            )

    def period(self) -> None:
        period = self.data.get("period")
        if period is not None and period["end"] < period["start"]:
            self.problem(
                ("period", "end"),
                f"period.end: {period['end']} comes before period.start {period['start']}",
            )


def metadata_warnings(loaded: Loaded) -> list[Problem]:
    """Return what `vanban check` warns about in a valid data/document.yaml: a Kính gửi on
    a kind whose ND30 sample shows none, a Biên bản's two signatures the wrong way round."""
    data = loaded.document
    kind = KINDS.get(str(data.get("kind"))) if isinstance(data, Mapping) else None
    if kind is None:
        return []
    warnings = _swapped_signatures(loaded, kind)
    if kind.recipients_to != UNUSUAL or not data.get("recipients_to"):
        return warnings
    line, col = place_of(data, ("recipients_to",), key=True)
    message = (
        f"recipients_to: ND30's sample of a {kind.name} ({kind.sample}, Phụ lục III) has no "
        f"Kính gửi ({KINH_GUI_RULE}); keep it if this {kind.name} is addressed to a body, "
        "else list the body under recipients"
    )
    return [Problem(loaded.display, line, col, message, "warning", RECIPIENTS_TO_RULE), *warnings]


# The chair's position over a Biên bản's right-hand signature: Mẫu 1.9's, and as often typed.
CHAIR_POSITIONS = ("CHỦ TỌA", "CHỦ TRÌ")
COSIGNERS_RULE = "cosigners"


def _swapped_signatures(loaded: Loaded, kind: Kind) -> list[Problem]:
    """A Biên bản whose secretary's position names the chair (CHỦ TỌA), or the chair's
    the secretary (THƯ KÝ): the two signatures printed the wrong way round."""
    data = loaded.document
    secretary, signer = data.get("secretary"), data.get("signer")
    if not kind.cosigned or not isinstance(secretary, Mapping) or not isinstance(signer, Mapping):
        return []
    theirs = str(secretary.get("position") or "").upper()
    chairs = str(signer.get("position") or "").upper()
    if theirs.startswith(CHAIR_POSITIONS):
        at, said = ("secretary", "position"), f'secretary.position: "{secretary["position"]}"'
    elif chairs.startswith(SECRETARY):
        at, said = ("signer", "position"), f'signer.position: "{signer["position"]}"'
    else:
        return []
    line, col = place_of(data, at)
    message = (
        f"{said} is the other signature's: a {kind.name} is signed by its secretary on the "
        f"left ({SECRETARY}, secretary) and its chair on the right ({CHAIR_POSITIONS[0]}, "
        f"signer; ND30 Phụ lục III, {kind.sample}); swap secretary and signer if they are the "
        "wrong way round"
    )
    return [Problem(loaded.display, line, col, message, "warning", COSIGNERS_RULE)]


TEXT_NEEDS_RULE = "kind-text"

# The start of a line before its label: a heading's marks, a list's marker, a typed number
# ("4. ", "III. ", "b) ", escaped "1\\. " as the import writes it), bold or italic marks
# around it ("**5. Địa điểm**:").
_LINE_START = (
    r"^[ \t]*(?:#+[ \t]*)?(?:#\.[ \t]+|[-+*][ \t]+)?[*_]*"
    r"(?:(?:[IVXLC]+|\d+|[a-zđ])\\?[.)][ \t]*)?[*_]*"
)


def text_findings(loaded: Loaded, texts: Sequence[tuple[str, str]]) -> list[Problem]:
    """Return what a valid data/document.yaml's kind needs its text to say and the texts
    (each content file's display and Markdown) do not: a Giấy mời without a "Thời gian: …"
    line. A line typed in its place (a Nghị quyết's "QUYẾT ĐỊNH:") is named where it is."""
    data = loaded.document
    kind = KINDS.get(str(data.get("kind"))) if isinstance(data, Mapping) else None
    if kind is None:
        return []
    problems = []
    line, col = place_of(data, ("kind",))
    for what, labels in kind.text_needs:
        # " … " in a label: any words of the same line ("Giấy … có giá trị")
        either = "|".join(
            r"[^\n]*?".join(re.escape(part) for part in label.split(" … ")) for label in labels
        )
        start = re.compile(f"{_LINE_START}(?:{either})", re.IGNORECASE | re.MULTILINE)
        pattern, said = IN_A_SENTENCE.get((what, labels), (None, None))
        sentence = re.compile(pattern, re.IGNORECASE) if pattern else None
        if any(start.search(text) or (sentence and sentence.search(text)) for _, text in texts):
            continue
        shown = f"{labels[0]} …" if " … " in labels[0] else f"{labels[0]}: …"
        sample = f"ND30 Phụ lục III, {kind.sample}"
        mistaken = _mistaken_lines(texts, MISTAKEN_FOR.get((what, labels), ()))
        for display, number, typed in mistaken:
            message = (
                f"“{typed}:” stands where a {kind.name} says {what} ({shown}; "
                f"{sample}): write “{labels[0]}:”"
            )
            problems.append(Problem(display, number, 1, message, "error", TEXT_NEEDS_RULE))
        if mistaken:
            continue
        named = " or ".join(f"“{label}”" for label in labels)
        message = (
            f"content: a {kind.name} says {what} ({shown}; {sample}): no line of content/*.md "
            f"starts with {named}"
        )
        if said:
            message += f", and no sentence {said}"
        problems.append(Problem(loaded.display, line, col, message, "error", TEXT_NEEDS_RULE))
    return problems


def _mistaken_lines(
    texts: Sequence[tuple[str, str]], labels: Sequence[str]
) -> list[tuple[str, int, str]]:
    """Return the lines (display, number, label) that are one of labels alone, in capitals
    as typed ("QUYẾT ĐỊNH:", "**QUYẾT ĐỊNH:**")."""
    if not labels:
        return []
    either = "|".join(re.escape(label) for label in labels)
    alone = re.compile(rf"{_LINE_START}({either})[ \t]*[*_]*[ \t]*:?[ \t]*[*_]*[ \t]*$")
    return [
        (display, number, found.group(1))
        for display, text in texts
        for number, line in enumerate(text.split("\n"), start=1)
        if (found := alone.match(line))
    ]


_TITLE_BLOCK = re.compile(r'^:::+\s*\{\s*custom-style\s*=\s*"Title"\s*\}\s*$')
_BLOCK_END = re.compile(r"^:::+\s*$")


def centred_line_findings(loaded: Loaded, texts: Sequence[tuple[str, str]]) -> list[Problem]:
    """Return the lines of the text (display, Markdown) that write, as a paragraph of the
    text or a heading, a line the kind's sample centres on its own (a Nghị quyết's
    “QUYẾT NGHỊ:”, a label in capitals): it prints justified and indented, or numbered, and
    the block `::: {custom-style="Title"}` prints it as the sample does."""
    data = loaded.document
    kind = KINDS.get(str(data.get("kind"))) if isinstance(data, Mapping) else None
    if kind is None:
        return []
    labels = [label for _, need in kind.text_needs for label in need if label.isupper()]
    if not labels:
        return []
    either = "|".join(re.escape(label) for label in labels)
    typed = re.compile(rf"^[ \t]*(?:#+[ \t]*)?[*_]*({either})[ \t]*:?[ \t]*[*_]*[ \t]*:?[ \t]*$")
    problems = []
    for display, text in texts:
        centred = False
        for number, line in enumerate(text.split("\n"), start=1):
            if _TITLE_BLOCK.match(line):
                centred = True
            elif _BLOCK_END.match(line):
                centred = False
            elif (found := typed.match(line)) and not centred:
                label = found.group(1)
                typed_as = "a heading" if "#" in line else "a paragraph"
                message = (
                    f"“{label}:” is the line a {kind.name} centres on its own, bold (ND30 Phụ "
                    f"lục III, {kind.sample}); typed as {typed_as} it prints as one: write it "
                    f'on the three lines ::: {{custom-style="Title"}}, {label}:, ::: (as '
                    f"`vanban new {kind.key}` does)"
                )
                problems.append(Problem(display, number, 1, message, "error", TEXT_NEEDS_RULE))
    return problems


def _empty_summary(kind: Kind | None) -> str:
    """Say what an empty `summary: ""` should be: left out, where the kind may print no
    trích yếu (a Giấy mời); the trích yếu itself, where it needs one."""
    if kind is not None and kind.summary != REQUIRED:
        return (
            f'summary: empty (""); a {kind.name} with no trích yếu leaves summary out, or '
            f"writes summary: null, and prints its type name and rule alone"
        )
    name = f"a {kind.name}" if kind is not None else "the document"
    return f'summary: empty (""); {name} needs its trích yếu: write what it is about'


def written_number(loaded: Loaded) -> str | None:
    """Return the number of data/document.yaml as its source spells it, or None if blank."""
    value = loaded.document.get("number")
    if value is None or isinstance(value, str):
        return value
    line, col = place_of(loaded.document, ("number",))
    lines = loaded.raw.decode("utf-8").splitlines()
    found = _WRITTEN.match(lines[line - 1][col - 1 :]) if line <= len(lines) else None
    return found.group() if found else str(value)


def metadata_from(loaded: Loaded, cache: Cache = NO_CACHE) -> tuple[Metadata | None, list[Problem]]:
    """Validate data/document.yaml and turn it into Metadata."""
    schema = _schema(cache)  # vanban's own: Cerberus's meta-schema need not look at it
    trusted = plainly_valid(schema)
    problems = validate(loaded, schema, "document.schema.yaml", placeholders=False, trusted=trusted)
    data: Mapping[str, Any] = loaded.document
    if problems:
        for index, problem in enumerate(problems):
            if problem.message.startswith("kind: expected one of"):
                message = f"kind: expected one of {kind_names()}, got {data['kind']!r}"
                problems[index] = Problem(problem.path, problem.line, problem.col, message)
            elif problem.message == "summary: must not be empty":
                message = _empty_summary(KINDS.get(str(data.get("kind"))))
                problems[index] = Problem(problem.path, problem.line, problem.col, message)
    # the rules too, on what the schema let through: every problem in one run
    checked = _Rules(loaded).check(partial=bool(problems))
    placed = {(p.line, p.col) for p in problems}
    problems += [p for p in checked if (p.line, p.col) not in placed]
    if problems:
        return None, sorted(problems, key=lambda p: (p.line, p.col, p.message))
    agency = data["agency"]
    signer = data["signer"]
    period = data.get("period")
    secretary = data.get("secretary") or {}
    return Metadata(
        kind=data["kind"],
        status=data["status"],
        output=data["output"],
        agency_parent=agency.get("parent"),
        agency_lines=tuple(agency["name"]),
        agency_abbreviation=agency["abbreviation"],
        agency_full_name=agency["full_name"],
        number=DocumentNumber(number) if (number := written_number(loaded)) else None,
        place=data["place"],
        date=data["date"],
        year=data["year"],
        summary=data.get("summary") or "",
        recipients=tuple(data.get("recipients") or ()),
        signer_authority=_lines(signer.get("authority")),
        signer_position=signer["position"],
        signer_name=signer["name"],
        drafting_unit=agency.get("drafting_unit"),
        recipients_to=_lines(data.get("recipients_to")),
        issuer=_lines(data.get("issuer")),
        secretary_position=(secretary.get("position") or SECRETARY) if secretary else None,
        secretary_name=secretary.get("name"),
        period=Period(period["start"], period["end"]) if period else None,
        agency_code=agency.get("code"),
        urgency=data.get("urgency"),
        secrecy=data.get("secrecy"),
        drafter=data.get("drafter"),
        copies=data.get("copies"),
        due_date=data.get("due_date"),
        contact=tuple((key, value) for key, value in (data.get("contact") or {}).items()),
        month=data.get("month"),
        headings=scheme_levels(data.get("headings") or DEFAULT_SCHEME),
        issuance=data.get("issuance") or "paper",
        appendix_files=data.get("appendix_files") or "same",
        signature_space=data.get("signature_space"),
        confirmation=_confirmation(data.get("confirmation"), KINDS[data["kind"]]),
    ), []


def _confirmation(asked: object, kind: Kind) -> str | None:
    """Return the heading of the confirmation block asked for (true: the kind's own), or None."""
    if asked is True:
        return kind.confirmation
    return asked if isinstance(asked, str) else None
