"""`vanban metadata [DIR]`: the outgoing document's record for the document system.

The fields are those of ND30 Phụ lục VI, Phần II, Mục I ("Thông tin đầu vào của dữ liệu quản
lý văn bản đi"), with their English names, types and lengths, so that the văn thư can type
them into iOffice, VOffice and the like, or import the JSON or XML.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .classes import dataclass
from .errors import ProblemsError
from .metadata import Metadata
from .parts import escape
from .pdf import read_pdf
from .project import Project, load_metadata, open_project

ANNEX = "Nghị định 30/2020/NĐ-CP, Phụ lục VI, Phần II, Mục I"
LANGUAGE = "Tiếng Việt"
# The annex types Priority as one digit without listing the digits; vanban writes the
# urgency's rank among ND30's three levels (Phụ lục I, III.2.b), 0 for none.
URGENCY = {None: 0, "khan": 1, "thuong-khan": 2, "hoa-toc": 3}
URGENCY_WORDS = {"khan": "Khẩn", "thuong-khan": "Thượng khẩn", "hoa-toc": "Hỏa tốc"}
SECRECY_WORDS = {"mat": "Mật", "toi-mat": "Tối mật", "tuyet-mat": "Tuyệt mật"}


@dataclass(frozen=True)
class Field:
    """One field of the annex: its number, Vietnamese name, English name, type and length."""

    number: str
    label: str
    name: str
    type: str
    length: int | None


FIELDS = (
    Field("1", "Mã hồ sơ", "FileCode", "", None),
    Field("1.1", "Mã định danh của cơ quan, tổ chức lập danh mục hồ sơ", "OrganId", "String", 13),
    Field("1.2", "Năm hình thành hồ sơ", "FileCatalog", "Number", 4),
    Field("1.3", "Số và ký hiệu hồ sơ", "FileNotation", "String", 20),
    Field("2", "Số thứ tự văn bản trong hồ sơ", "DocOrdinal", "Number", 3),
    Field("3", "Tên loại văn bản", "TypeName", "String", 100),
    Field("4", "Số của văn bản", "CodeNumber", "String", 11),
    Field("5", "Ký hiệu của văn bản", "CodeNotation", "String", 30),
    Field("6", "Ngày, tháng, năm văn bản", "IssuedDate", "Date", 10),
    Field("7", "Tên cơ quan, tổ chức ban hành văn bản", "OrganName", "String", 200),
    Field("8", "Trích yếu nội dung", "Subject", "String", 500),
    Field("9", "Ngôn ngữ", "Language", "String", 30),
    Field("10", "Số trang của văn bản", "PageAmount", "Number", 3),
    Field("11", "Ghi chú", "Description", "String", 500),
    Field("12", "Chức vụ, họ tên người ký", "SignerInfo", "", None),
    Field("12.1", "Chức vụ của người ký văn bản", "Position", "String", 100),
    Field("12.2", "Họ và tên người ký văn bản", "FullName", "String", 50),
    Field("13", "Nơi nhận", "To", "", None),
    Field("13.1", "Mã định danh của cơ quan, tổ chức nhận văn bản", "OrganId", "String", 13),
    Field("13.2", "Tên cơ quan, tổ chức nhận văn bản", "OrganName", "String", 200),
    Field("14", "Mức độ khẩn, độ mật", "Priority", "Number", 1),
    Field("15", "Số lượng bản phát hành", "IssuedAmount", "Number", 3),
    Field("16", "Hạn trả lời văn bản", "DueDate", "Date", 10),
)
_BY_NUMBER = {f.number: f for f in FIELDS}

# "Thường trực Huyện ủy (b/c);" → "Thường trực Huyện ủy": the purpose and punctuation go.
_PURPOSE = re.compile(r"\s*\((?:b/c|t/h|đ/b|p/h|để [^)]*)\)\s*$", re.I)


def recipient_names(metadata: Metadata) -> list[str]:
    """Return the bodies the document goes to: Kính gửi, then Nơi nhận without "Như trên"
    and the "Lưu" line."""
    names = []
    for line in [*metadata.recipients_to, *metadata.recipients]:
        name = _PURPOSE.sub("", line.strip().lstrip("-– ").rstrip(" ;.,"))
        if not name or name.startswith(("Như trên", "Lưu")) or name in names:
            continue
        names.append(name)
    return names


def outgoing_record(metadata: Metadata, pages: int | None) -> dict[str, Any]:
    """Return the annex's fields for the document, by English name (None where not known)."""
    date = metadata.date.isoformat() if metadata.date else None
    due = metadata.due_date.isoformat() if metadata.due_date else None
    return {
        "FileCode": {
            "OrganId": metadata.agency_code,
            "FileCatalog": metadata.year,
            "FileNotation": None,
        },
        "DocOrdinal": None,
        "TypeName": metadata.kind_info.name,
        "CodeNumber": str(metadata.number) if metadata.number else None,
        "CodeNotation": metadata.symbol,
        "IssuedDate": date,
        "OrganName": metadata.agency_full_name,
        "Subject": metadata.summary or metadata.kind_info.name,
        "Language": LANGUAGE,
        "PageAmount": pages,
        "Description": _description(metadata),
        "SignerInfo": {
            "Position": metadata.signer_position,
            "FullName": metadata.signer_name,
        },
        "To": [{"OrganId": None, "OrganName": name} for name in recipient_names(metadata)],
        "Priority": URGENCY[metadata.urgency],
        "IssuedAmount": metadata.copies,
        "DueDate": due,
    }


def _description(metadata: Metadata) -> str | None:
    notes = []
    if metadata.secrecy:
        notes.append(f"Độ mật: {SECRECY_WORDS[metadata.secrecy]}")
    if metadata.urgency:
        notes.append(f"Mức độ khẩn: {URGENCY_WORDS[metadata.urgency]}")
    if metadata.status != "final":
        notes.append("Dự thảo: số và ngày do Văn thư cấp khi ban hành")
    return "; ".join(notes) or None


def too_long(record: dict[str, Any]) -> Iterator[str]:
    """Yield a warning for each value longer than the annex allows."""
    for number, path in (
        ("8", ("Subject",)),
        ("7", ("OrganName",)),
        ("12.1", ("SignerInfo", "Position")),
        ("12.2", ("SignerInfo", "FullName")),
    ):
        value: Any = record
        for step in path:
            value = value[step]
        field = _BY_NUMBER[number]
        if isinstance(value, str) and field.length and len(value) > field.length:
            yield (
                f"warning: {field.name} ({field.label}) has {len(value)} characters; the annex "
                f"allows {field.length}"
            )


def as_xml(record: dict[str, Any]) -> str:
    """Return the record as XML, one element per field, in the annex's order."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- {ANNEX} -->", "<OutgoingDocument>"]

    def element(name: str, value: Any, indent: str) -> None:
        if isinstance(value, dict):
            lines.append(f"{indent}<{name}>")
            for key, inner in value.items():
                element(key, inner, indent + "  ")
            lines.append(f"{indent}</{name}>")
        elif isinstance(value, list):
            lines.append(f"{indent}<{name}>")
            for item in value:
                element("Organ", item, indent + "  ")
            lines.append(f"{indent}</{name}>")
        elif value is None:
            lines.append(f"{indent}<{name}/>")
        else:
            lines.append(f"{indent}<{name}>{escape(str(value))}</{name}>")

    for key, value in record.items():
        element(key, value, "  ")
    lines.append("</OutgoingDocument>")
    return "\n".join(lines) + "\n"


def as_text(record: dict[str, Any]) -> str:
    """Return the record as the văn thư reads it: the annex's numbers and Vietnamese names."""
    flat = {
        "1.1": record["FileCode"]["OrganId"],
        "1.2": record["FileCode"]["FileCatalog"],
        "1.3": record["FileCode"]["FileNotation"],
        "2": record["DocOrdinal"],
        "3": record["TypeName"],
        "4": record["CodeNumber"],
        "5": record["CodeNotation"],
        "6": record["IssuedDate"],
        "7": record["OrganName"],
        "8": record["Subject"],
        "9": record["Language"],
        "10": record["PageAmount"],
        "11": record["Description"],
        "12.1": record["SignerInfo"]["Position"],
        "12.2": record["SignerInfo"]["FullName"],
        "13.2": "; ".join(o["OrganName"] for o in record["To"]) or None,
        "14": record["Priority"],
        "15": record["IssuedAmount"],
        "16": record["DueDate"],
    }
    lines = [ANNEX]
    for number, value in flat.items():
        field = _BY_NUMBER[number]
        shown = "—" if value is None else str(value)
        lines.append(f"{number:>5}  {field.label} ({field.name}): {shown}")
    return "\n".join(lines) + "\n"


def page_count(project: Project, metadata: Metadata) -> int | None:
    """Return the page count of the document's PDF when it is newer than its DOCX."""
    docx = project.build_dir / f"{metadata.output}.docx"
    pdf = docx.with_suffix(".pdf")
    if not pdf.exists() or (docx.exists() and docx.stat().st_mtime > pdf.stat().st_mtime):
        return None
    return len(read_pdf(pdf.read_bytes()).pages) or None


def add_metadata_command(commands: Any) -> None:
    """Register `vanban metadata` on the subparsers of the vanban command."""
    command = commands.add_parser(
        "metadata",
        help="print the document's record for the document system (ND30 Phụ lục VI)",
        description=f"Print the fields of {ANNEX} for the document: as text for the văn thư, "
        "or as JSON or XML to import. The page count comes from build/<output>.pdf "
        "(vanban build --pdf) when it is newer than the DOCX.",
    )
    command.add_argument("project", nargs="?", default=".", help="report directory (default: .)")
    command.add_argument("--format", choices=("text", "json", "xml"), default="text")
    command.set_defaults(run=run_metadata)


def run_metadata(args: argparse.Namespace) -> int:
    """Print the record; warn about what the annex would not take."""
    project = open_project(Path(args.project))
    metadata, problems = load_metadata(project)
    if metadata is None:
        raise ProblemsError(problems)
    pages = page_count(project, metadata)
    record = outgoing_record(metadata, pages)
    if args.format == "json":
        json.dump({"annex": ANNEX, **record}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "xml":
        sys.stdout.write(as_xml(record))
    else:
        sys.stdout.write(as_text(record))
    for warning in too_long(record):
        print(warning, file=sys.stderr)
    if pages is None:
        print(
            "note: PageAmount is blank: run `vanban build --pdf` to count the pages",
            file=sys.stderr,
        )
    return 0
