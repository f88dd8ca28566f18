"""`vanban import SOURCE.docx DIR`: an existing Word document becomes a report directory."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from ..classes import dataclass, field
from ..errors import SourceError, VanbanError
from ..kinds import IN_A_SENTENCE, KINDS, MET, OPTIONAL, PLACE, REQUIRED, Kind
from .appendices import AppendixImport, import_appendices
from .attached import split_attached
from .figures import FACTS_FILE, lift_figures
from .markdown import slug
from .reader import Para, Source, Table, read_source
from .structure import Imported, recognise
from .yamlout import dump_yaml

IMPORTED_BY = "vanban import"


@dataclass
class ImportReport:
    """What one import did: the directory, what it mapped, noted, corrected and waived."""

    directory: Path
    mapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    waived: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"imported into {self.directory}"]
        for title, items in (
            ("mapped", self.mapped),
            ("corrected (ND30)", self.corrected),
            ("notes (not mapped, or mapped with a caveat)", self.notes),
            ("footnotes that repeat each other", self.duplicates),
            ("acknowledged as imported (checks/waivers.yaml)", self.waived),
            ("problems left for you (the directory does not build yet)", self.problems),
        ):
            if items:
                out.append(f"{title}: {len(items)}")
                out.extend(f"  - {item}" for item in items)
        return out


def _full_name(lines: list[str], body_text: str) -> tuple[str, bool]:
    """Return the agency's name as the text writes it ("Ủy ban nhân dân tỉnh Lâm Đồng")."""
    upper = " ".join(lines)
    spelled = " ".join(_SPELLED.get(word, word) for word in upper.split())  # UBND → ỦY BAN …
    for name in dict.fromkeys((upper, spelled)):
        for found in re.finditer(re.escape(name), body_text, re.IGNORECASE):
            if not found.group(0).isupper():
                return found.group(0), True
    return _capitalised(spelled), False


def _capitalised(upper: str) -> str:
    """Return an agency's name typed in capitals as ND30 Phụ lục II, IV.1 writes it: the first
    letter of the words naming its kind ("Bộ", "Ủy ban nhân dân") and of each of the words
    naming its function or field ("Tài nguyên và Môi trường"), the unit's name in full
    ("tỉnh Lâm Đồng"), and the names the decree writes so ("Công Thương", "Nhà nước")."""
    words = upper.split()
    lowered = [w.lower() for w in words]
    kind = next((len(k.split()) for k in _KINDS if lowered[: len(k.split())] == k.split()), 1)
    out: list[str] = []
    proper = False
    field = False  # the next word begins a function or a field
    for index, typed in enumerate(words):
        word = typed.lower()
        unit = word in _UNITS and not (word == "xã" and lowered[index + 1 : index + 2] == ["hội"])
        if proper:  # a unit's name: "Đắk Glei", whatever its syllables
            out.append(word.capitalize())
        elif not _syllable(typed):  # an acronym (KHCN, ĐMST) keeps its capitals
            out.append(typed)
        elif index == 0 or field and not unit:
            out.append(word.capitalize())
        else:
            out.append(word)
        proper = proper or unit
        field = not proper and (index == kind - 1 or word in ("và", "về", "-") or typed[-1] == ",")
    name = " ".join(out)
    for phrase in _WRITTEN_SO:
        name = re.sub(rf"\b{re.escape(phrase)}\b", phrase, name, flags=re.IGNORECASE)
    return name


# The kinds of body a name begins with, in words of more than one (the first word alone is
# the kind otherwise: Bộ, Sở, Cục, Vụ, Ban …).
_KINDS = (
    "ủy ban nhân dân",
    "uỷ ban nhân dân",
    "hội đồng nhân dân",
    "tòa án nhân dân",
    "viện kiểm sát nhân dân",
    "bảo hiểm xã hội",
    "văn phòng",
    "trung tâm",
    "chi cục",
    "tổng cục",
    "chi nhánh",
    "học viện",
    "bệnh viện",
    "tập đoàn",
    "tổng công ty",
    "công ty",
    "kho bạc",
    "ngân hàng",
    "thanh tra",
    "công an",
)
# Names ND30 Phụ lục II writes with capitals of their own (IV.1.b, V.1), and Bộ Công Thương's.
_WRITTEN_SO = ("Công Thương", "Nhà nước", "Việt Nam", "Trung ương Đảng", "Đảng Cộng sản")


# One Vietnamese syllable, tone marks and đ taken off: initial consonants, vowels, final ones.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


def _syllable(word: str) -> bool:
    """Whether a word of a name is a Vietnamese syllable (or a number), not an acronym."""
    letters = re.sub(r"[^\w]|\d", "", word.lower()).replace("đ", "d")
    base = "".join(c for c in unicodedata.normalize("NFD", letters) if not unicodedata.combining(c))
    return not base or bool(_SYLLABLE.match(base))


# Abbreviations a masthead may print for an agency's name, and the words they stand for.
_SPELLED = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN"}
_UNITS = {"tỉnh", "huyện", "xã", "phường", "quận", "thị", "phố", "trấn", "khu"}


# A date a Biên bản's text says when it met: "… ngày 17 tháng 2 năm 2025", "ngày 17/02/2025".
_TEXT_DATE = re.compile(
    r"\bngày\s+(?P<day>\d{1,2})(?:\s+tháng\s+|/)(?P<month>\d{1,2})(?:\s+năm\s+|/)"
    r"(?P<year>\d{4})\b",
    re.IGNORECASE,
)
_MARKS = re.compile(r"^[\s#>*_-]*(?:\d+\\?[.)]\s*|[IVXLC]+\.\s*)?[\s*_]*")


def _met_on(kind: Kind, body_text: str) -> tuple[str, dt.date] | None:
    """Return the paragraph of a kind's text that says when it met ("Hôm nay, vào lúc …",
    "Thời gian: …", a sentence giving the hour) and the date it gives, when it has no place
    and date line (a Biên bản)."""
    if kind.date_line or MET not in kind.text_needs:
        return None
    hour = re.compile(IN_A_SENTENCE[MET][0], re.IGNORECASE)
    for paragraph in re.split(r"\n[ \t]*\n", body_text):
        text = " ".join(paragraph.split())
        bare = _MARKS.sub("", text)
        said = any(bare.lower().startswith(label.lower()) for label in MET[1])
        found = _TEXT_DATE.search(text) if said or hour.search(text) else None
        if found:
            try:
                day, month, year = (int(found.group(k)) for k in ("day", "month", "year"))
                return bare.replace("**", ""), dt.date(year, month, day)
            except ValueError:
                continue
    return None


# The units of Vietnam's administration a name of an agency or of a meeting's place names:
# "… tỉnh Bình Thuận", "UBND HUYỆN HÀM THUẬN BẮC", "phường 4".
_UNIT = re.compile(
    r"\b(thành phố|thị xã|thị trấn|đặc khu|tỉnh|huyện|quận|xã|phường)\s+", re.IGNORECASE
)
_NAME_ENDS = ",.;:()"


def _locality(text: str) -> tuple[str, int] | None:
    """Return the first administrative unit a text names, as a địa danh is written ("Bình
    Thuận", "Hàm Thuận Bắc"; a unit named by a number in full, "Phường 4": ND30 Phụ lục I,
    II.4.a), and where its name ends in the text; None when it names none."""
    for unit in _UNIT.finditer(text):
        words: list[str] = []
        end = unit.end()
        for found in re.finditer(r"\S+", text[unit.end() :]):
            typed = found.group(0)
            word = typed.strip(_NAME_ENDS)
            if not word or not (word[0].isupper() or word.isdigit()) or not typed[0].isalnum():
                break
            words.append(word.capitalize() if word.isupper() and len(word) > 1 else word)
            end = unit.end() + found.start() + len(typed.rstrip(_NAME_ENDS))
            if typed.rstrip(_NAME_ENDS) != typed:  # "Bình Thuận," : the name ends there
                break
        if words:
            name = " ".join(words)
            return (f"{unit.group(1).capitalize()} {name}" if name.isdigit() else name), end
    return None


def _meeting_place(body_text: str) -> tuple[str, str] | None:
    """Return where a Biên bản's text says it met, as written ("Hội trường UBND xã Hàm Liêm,
    huyện Hàm Thuận Bắc": after "Địa điểm:" or the "tại" that follows the hour), and the
    unit it names; None when it says none or names no unit."""
    after_the_hour = re.compile(IN_A_SENTENCE[PLACE][0], re.IGNORECASE)
    for paragraph in re.split(r"\n[ \t]*\n", body_text):
        text = " ".join(paragraph.replace("**", "").split())
        bare = _MARKS.sub("", text)
        if bare.lower().startswith("địa điểm"):
            phrase = bare[len("địa điểm") :].lstrip(" :")
        elif found := after_the_hour.search(text):
            phrase = text[found.end() :]
        else:
            continue
        # the place: its first words, and the units of the address after them
        pieces = re.split(r"[.;](?:\s|$)", phrase, maxsplit=1)[0].split(",")
        kept = [pieces[0]]
        for piece in pieces[1:]:
            if not _UNIT.match(piece.strip() + " "):
                break
            kept.append(piece)
        place = ",".join(kept).strip()
        unit = _locality(place)
        if unit:
            return place, unit[0]
    return None


def _bien_ban_place(
    full_name: str | None, lines: list[str], parent: str | None, body_text: str
) -> tuple[str, str] | None:
    """Return a Biên bản's địa danh, the unit where its agency has its seat (ND30 Phụ lục I,
    II.4.a), and where it was read: from the agency's name as the text writes it (its full
    name, or its masthead's name followed by the unit: "Hội đồng quản lý Quỹ Hội Khuyến học
    tỉnh Bình Thuận"), from the masthead's lines, else from the place the text says it met."""
    names = [("the agency's name as the text writes it", full_name or "")]
    for line in reversed(lines):  # its own name first, then the names above it
        for found in re.finditer(re.escape(line), body_text, re.IGNORECASE):
            clause = re.split(r"[,.;:()\n]", body_text[found.start() : found.start() + 200])[0]
            names.append(("the agency's name as the text writes it", clause))
    names += [("the masthead", name) for name in (*lines, parent or "")]
    for what, name in names:
        unit = _locality(name)
        if unit:
            return unit[0], f"from {what}, “{name[: unit[1]]}”"
    met = _meeting_place(body_text)
    if met:
        return met[1], f"from where it met, “{met[0]}”"
    return None


def metadata_document(
    imported: Imported, output: str, body_text: str
) -> tuple[dict[str, Any], list[str]]:
    """Return data/document.yaml's content and the notes on what was filled in by default."""
    meta = imported.metadata
    notes: list[str] = []
    kind = meta.get("kind", "bao-cao")
    symbol = str(meta.get("symbol") or "")
    parts = symbol.split("-") if symbol else []
    abbreviation = KINDS[kind].abbreviation
    drafting_unit = None
    if kind == "cong-van":
        agency = parts[0] if parts else "UBND"
        drafting_unit = "-".join(parts[1:]) or None
    elif len(parts) >= 2 and parts[0] == abbreviation:
        agency = "-".join(parts[1:])
    else:
        agency = parts[-1] if parts else "UBND"
    printed = KINDS[kind].symbol(agency, drafting_unit)
    if printed != symbol:
        read = f"ký hiệu “/{symbol}” read" if symbol else "no ký hiệu read"
        notes.append(
            f"masthead: {read}; the build prints “/{printed}”, the ký hiệu of a "
            f"{KINDS[kind].name} (kind {kind}: {KINDS[kind].symbol('<agency>', None)}), "
            f"agency abbreviation {agency}: check `kind` and `agency.abbreviation` in "
            "data/document.yaml"
        )
    lines = meta.get("agency_lines") or ["(CƠ QUAN BAN HÀNH)"]
    full_name, from_text = _full_name(lines, body_text)
    if meta.get("full_name"):  # as a Phụ lục issued alone names it
        full_name, from_text = meta["full_name"], True
    if not from_text:
        notes.append(
            f"agency.full_name “{full_name}” written from the masthead's capitals (the text never "
            "names the agency in full): check its capitals"
        )
    number = meta.get("number")
    date = meta.get("date")
    met = None if meta.get("place") else _met_on(KINDS[kind], body_text)
    if met:
        said, date = met
        shown = said if len(said) <= 80 else said[:79] + "…"
        notes.append(
            f"date {date.isoformat()} and year {date.year} read from the text “{shown}”, as a "
            f"{KINDS[kind].name} prints no place and date line: check them"
        )
    place = meta.get("place")
    read_place = None
    if not place and not KINDS[kind].date_line:
        named = full_name if from_text else None  # a name made from capitals tells no unit
        read_place = _bien_ban_place(named, lines, meta.get("agency_parent"), body_text)
        place = read_place[0] if read_place else None
    status = "final" if number and date else "draft"
    if bool(number) != bool(date):
        given = f"số {number} and no date" if number else "a date and no số"
        prints = "the số" if number else "no date" if met else "the date"
        notes.append(
            f"masthead: {given}: imported as a draft, which prints {prints} as the original "
            "does; a final document needs both `number` and `date`"
        )
    document: dict[str, Any] = {
        "kind": kind,
        "status": status,
        "output": output,
        "agency": {
            "parent": meta.get("agency_parent"),
            "name": lines,
            "abbreviation": agency,
            "full_name": full_name,
        },
        "number": (number if number.startswith("0") else int(number)) if number else None,
        "place": place or "(địa danh)",
        "date": date,
        "year": date.year if date else meta.get("year"),
    }
    if meta.get("summary") or KINDS[kind].summary == REQUIRED:
        document["summary"] = meta.get("summary") or "(trích yếu)"
    if status == "draft" and meta.get("month"):
        document["month"] = meta["month"]
    if meta.get("headings"):
        document["headings"] = meta["headings"]
    for key in ("issuance", "appendix_files"):
        if meta.get(key):
            document[key] = meta[key]
    if drafting_unit:
        document["agency"]["drafting_unit"] = drafting_unit
    if not meta.get("place") and not KINDS[kind].date_line:
        none = (
            f"masthead: no place and date line, as a {KINDS[kind].name} has none (ND30 Phụ lục "
            f"III, {KINDS[kind].sample}: its text says when and where)"
        )
        if read_place:
            notes.append(
                f"{none}: place “{read_place[0]}” read {read_place[1]}, the unit where the "
                "agency has its seat (ND30 Phụ lục I, II.4.a), not printed, kept for the "
                "document system: check it"
                + ("; `year` left for you" if document["year"] is None else "")
            )
        else:
            notes.append(
                f"{none}: `place`"
                + (" and `year`" if document["year"] is None else "")
                + " left for you, for the document system: neither the agency's name nor "
                "where the text says it met (“… tại …”, “Địa điểm: …”) names a tỉnh, huyện or "
                "xã; write in data/document.yaml, for “(địa danh)”, the name of the unit where "
                "the agency has its seat (ND30 Phụ lục I, II.4.a: “Lâm Đồng”, “Hàm Thuận Bắc”)"
            )
    elif not meta.get("place") and document["year"] is None:
        notes.append(
            "masthead: no place and date line: `place` and `year` left for you (the build "
            "prints “(địa danh)” and a blank year)"
        )
    elif not meta.get("place"):
        notes.append(
            "masthead: no place and date line: `place` left for you (the build prints “(địa danh)”)"
        )
    if not meta.get("summary") and KINDS[kind].summary == REQUIRED:
        notes.append("no trích yếu found: `summary` left for you")
    elif not meta.get("summary") and KINDS[kind].summary == OPTIONAL:
        notes.append(
            f"no trích yếu under the type name, as many a {KINDS[kind].name} has none: none "
            "printed (`summary` gives one)"
        )
    if KINDS[kind].issuer is not None:  # a Quyết định's or a Nghị quyết's
        issuer = meta.get("issuer") or ["(THẨM QUYỀN BAN HÀNH)"]
        document["issuer"] = issuer[0] if len(issuer) == 1 else issuer
    if meta.get("recipients_to"):
        document["recipients_to"] = meta["recipients_to"]
    recipients = [r for r in meta.get("recipients", []) if r]
    if document.get("recipients_to") and recipients and recipients[0].startswith("Như trên"):
        recipients = recipients[1:]
    if recipients or KINDS[kind].recipients == REQUIRED:
        document["recipients"] = recipients or ["Lưu: VT."]
    if meta.get("drafter") and recipients:
        document["drafter"] = meta["drafter"]
    document["signer"] = {
        "authority": meta.get("signer_authority"),
        "position": meta.get("signer_position") or "(CHỨC VỤ)",
        "name": meta.get("signer_name") or "(Họ và tên)",
    }
    if KINDS[kind].cosigned:  # a Biên bản's secretary
        secretary = meta.get("secretary") or {}
        document["secretary"] = {
            "position": secretary.get("position") or "THƯ KÝ",
            "name": secretary.get("name") or "(Họ và tên)",
        }
        if not secretary:
            notes.append("signature: no secretary's signature (THƯ KÝ) found: left for you")
    if meta.get("confirmation"):  # a Giấy nghỉ phép's confirmation block
        document["confirmation"] = meta["confirmation"]
    if not meta.get("signer_position"):
        notes.append("signature: no position found: `signer.position` left for you")
    return document, notes


# What the narrative's reader says of a footnote after the signature (importer.structure):
# not said of the notes an attached document's text imports.
_NOT_IMPORTED_NOTE = "a footnote (id {}) after the signature is not imported"


def _schema_placeholder() -> str:
    return "# Schemas of the fact files of data/, one per file (Cerberus).\n"


def write_tree(root: Path, imported: Imported, appendix: AppendixImport, output: str) -> list[str]:
    """Write the report directory's files below root; return notes on defaults taken."""
    from ..templates_gen import write_templates

    for sub in ("content", "data", "schema", "checks"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    body_text = "\n".join(text for _, text in imported.files)
    document, notes = metadata_document(imported, output, body_text)
    (root / "data" / "document.yaml").write_text(
        dump_yaml(document, "Thông tin văn bản, đọc từ phần đầu và phần cuối của văn bản gốc."),
        encoding="utf-8",
    )
    for name, text in imported.files:
        (root / "content" / name).write_text(text, encoding="utf-8")
    for name, text in appendix.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    if not (root / "checks" / "rules.yaml").exists():
        (root / "checks" / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    write_templates(root / "templates")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    return notes


def _waive(root: Path, report: ImportReport, source_name: str) -> None:
    """Acknowledge, as imported, the check's errors about what the original printed."""
    from ..check.command import check_project
    from ..project import open_project

    result = check_project(open_project(root))
    waivers = []
    for finding in result.findings:
        if finding.severity != "error":
            continue
        if finding.rule is None:
            report.problems.append(str(finding.problem()))
            continue
        at = finding.anchors[0] if finding.anchors else f"{finding.path}:{finding.line}"
        waiver: dict[str, Any] = {
            "rule": finding.rule,
            "at": at,
            "reason": f"As issued: imported from {source_name}; the original prints it so.",
            "by": IMPORTED_BY,
        }
        accepted = dict(finding.accepted_values())
        if accepted:  # bound to the values compared: a change of wording keeps it
            waiver["accepted"] = accepted
        else:  # one finding of its rule there, told by what its message says
            waiver["match"] = finding.message[:60]
            waiver["count"] = 1
        waivers.append(waiver)
        report.waived.append(f"{finding.path}:{finding.line}: [{finding.rule}] {finding.message}")
    text = dump_yaml(
        {"waivers": waivers} if waivers else {"waivers": []},
        "Findings of `vanban check` about the original document, acknowledged by the import\n"
        "(by: vanban import) so that it builds as it was issued. Review each one.",
    )
    (root / "checks" / "waivers.yaml").write_text(text, encoding="utf-8")


def _convert(source: Path, workdir: Path) -> Path:
    """Convert a .doc or .odt to .docx with LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SourceError(
            f"{source}: a {source.suffix} file needs LibreOffice to convert it "
            "(apt-get install libreoffice-writer-nogui); or save it as .docx"
        )
    command = [
        soffice,
        f"-env:UserInstallation=file://{workdir / 'lo-profile'}",
        "--headless",
        "--convert-to",
        "docx",
        "--outdir",
        str(workdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    converted = workdir / (source.stem + ".docx")
    if result.returncode != 0 or not converted.exists():
        raise SourceError(
            f"{source}: LibreOffice could not convert it ({' '.join(command)} exited "
            f"{result.returncode}: {result.stderr.strip() or result.stdout.strip()})"
        )
    return converted


def _body_landscape(read: Source, body_end: int) -> list[str]:
    """Say where a landscape section of the text (not of the appendices after the signature,
    which keep theirs) is: its paragraphs, put between `::: landscape` fences."""
    notes = []
    merged: list[tuple[int, int]] = []  # sections one after another: one fenced section
    for first, last in read.landscape_sections():
        if merged and merged[-1][1] + 1 == first:
            merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    for first, last in merged:
        if first >= body_end:
            continue
        blocks = read.blocks[first : min(last, body_end - 1) + 1]
        numbers = [b.number for b in blocks if b.number]
        place = f"paragraph {numbers[0]}" if numbers else "a section"
        if len(set(numbers)) > 1:
            place = f"paragraphs {numbers[0]}–{numbers[-1]}"
        tables = [b for b in blocks if isinstance(b, Table)]
        what = (
            f"the table at paragraph {tables[0].number} (“{_first_words(tables[0].all_text())}…”)"
            if tables
            else f"“{_first_words(' '.join(b.text for b in blocks if isinstance(b, Para)))}…”"
        )
        notes.append(
            f"{place}, {what}: a landscape section of the text: written between "
            "`::: landscape` and `:::`, printed on pages turned across"
        )
    return notes


def _first_words(text: str) -> str:
    return " ".join(text.split()[:8])


def import_document(source: Path, dest: Path, facts: bool = False) -> ImportReport:
    """Import a Word document into a new report directory; it appears complete or not at all."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise VanbanError(f"{dest}: exists and is not empty: import into a new directory")
    if not source.is_file():
        raise SourceError(f"{source}: no such file")
    parent = dest.resolve().parent
    if not parent.is_dir():
        raise VanbanError(f"{parent}: no such directory")
    with tempfile.TemporaryDirectory(prefix=".vanban-import-", dir=parent) as scratch:
        work = Path(scratch)
        readable = source
        if source.suffix.lower() in (".doc", ".odt", ".rtf"):
            readable = _convert(source, work)
        read = read_source(readable)
        imported = recognise(read)
        imported.notes.extend(
            _body_landscape(read, len(read.blocks) - len(imported.appendix_blocks))
        )
        output = re.sub(r"[^a-z0-9-]+", "-", slug(dest.resolve().name, 12)).strip("-") or "van-ban"
        root = work / "report"
        taken_names = set(imported.note_names.values())
        attached, after = split_attached(imported.appendix_blocks, read, taken_names)
        appendix = import_appendices(
            after,
            read,
            source.name,
            taken_names,
            list(zip(attached.positions, attached.items, strict=True)),
            imported.body_tables,
        )
        appendix.files.update(attached.files)
        appendix.mapped[:0] = attached.mapped
        appendix.notes[:0] = attached.notes
        imported.corrected += attached.corrected + appendix.corrected
        imported_notes = attached.note_ids | appendix.note_ids
        imported.notes = [
            n
            for n in imported.notes
            if not any(n == _NOT_IMPORTED_NOTE.format(nid) for nid in imported_notes)
        ]
        if facts:
            lifted = lift_figures(imported.files)
            imported.files = lifted.files
            if lifted.facts:
                appendix.files[f"data/{FACTS_FILE}.yaml"] = (
                    f"# Figures of the text of {source.name}, lifted by `vanban import --facts`.\n"
                    + "\n".join(lifted.facts)
                    + "\n"
                )
                appendix.files[f"schema/{FACTS_FILE}.yaml"] = (
                    f"# Schema of data/{FACTS_FILE}.yaml.\n" + "\n".join(lifted.schema) + "\n"
                )
            imported.mapped.append(
                f"--facts: {len(lifted.facts)} figures of the text lifted into "
                f"data/{FACTS_FILE}.yaml; {lifted.left} left as text"
            )
        notes = write_tree(root, imported, appendix, output)
        report = ImportReport(
            dest,
            imported.mapped + appendix.mapped,
            imported.notes + notes + appendix.notes,
            imported.corrected,
            imported.duplicates,
        )
        _waive(root, report, source.name)
        (root / "IMPORT.md").write_text(
            "# Import\n\n"
            f"`vanban import {source.name}`: what was mapped and what was not.\n\n"
            + "\n".join(report.lines()[1:])
            + "\n",
            encoding="utf-8",
        )
        if dest.exists():
            dest.rmdir()
        os.replace(root, dest)
    return report


def _run(args: argparse.Namespace) -> int:
    source = Path(args.source)
    try:
        report = import_document(source, Path(args.directory), facts=args.facts)
    except VanbanError:
        raise
    except Exception as exc:  # any input gets a message, never a traceback
        raise SourceError(f"{source}: cannot import it: {type(exc).__name__}: {exc}") from None
    print("\n".join(report.lines()))
    return 1 if report.problems else 0


def add_import_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register `vanban import SOURCE DIR`."""
    command = subparsers.add_parser(
        "import",
        help="turn an existing Word document (.docx; .doc/.odt with LibreOffice) into a report",
        description=(
            "Read SOURCE and write a new report directory DIR that `vanban build DIR` builds: "
            "metadata from the masthead and closing, the narrative with its footnotes, the "
            "appendix tables as facts. Prints what it mapped and what it could not."
        ),
    )
    command.add_argument("source", help="the Word document (.docx)")
    command.add_argument("directory", help="the new report directory (must not exist or be empty)")
    command.add_argument(
        "--facts",
        action="store_true",
        help="lift the text's figures with a unit (money, counts, %%) into data/so-lieu.yaml",
    )
    command.set_defaults(run=_run)
    return command
