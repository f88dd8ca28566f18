"""Document metadata (agency, số, date, signer) and the ND30 strings made from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .cache import NO_CACHE, Cache
from .errors import Problem
from .facts import Loaded, load_yaml, plain, validate

# ND30 Phụ lục III: the printed type name and the abbreviation used in the ký hiệu.
KINDS: dict[str, tuple[str, str]] = {
    "bao-cao": ("BÁO CÁO", "BC"),
}

# Width of the blanks a draft leaves for the văn thư to fill in by hand.
BLANK = " " * 6


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
    number: int | None
    place: str
    date: dt.date | None
    year: int
    summary: str
    recipients: tuple[str, ...]
    signer_authority: str | None
    signer_position: str
    signer_name: str

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind][0]

    @property
    def symbol(self) -> str:
        """Return the ký hiệu, e.g. "BC-UBND"."""
        return f"{KINDS[self.kind][1]}-{self.agency_abbreviation}"

    @property
    def number_line(self) -> str:
        """Return "Số: 05/BC-UBND", or "Số:      /BC-UBND" while the number is blank."""
        if self.number is None:
            return f"Số:{BLANK}/{self.symbol}"
        return f"Số: {self.number:02d}/{self.symbol}"

    @property
    def date_line(self) -> str:
        """Return "Đắk Glei, ngày 05 tháng 01 năm 2024" (blanks in a draft without a date)."""
        return f"{self.place}, {date_words(self.date, self.year)}"

    def template_context(self) -> dict[str, Any]:
        """Return the names the masthead and closing templates use."""
        return {
            "agency_parent": self.agency_parent,
            "agency_lines": list(self.agency_lines),
            "number_line": self.number_line,
            "date_line": self.date_line,
            "kind_title": self.kind_title,
            "summary": self.summary,
            "recipients": list(self.recipients),
            "signer_authority": self.signer_authority,
            "signer_position": self.signer_position,
            "signer_name": self.signer_name,
        }


def date_words(date: dt.date | None, year: int) -> str:
    """Write a date the ND30 way: leading zero for days < 10 and months 1 and 2."""
    if date is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"ngày {date.day:02d} tháng {month} năm {date.year}"


def _schema(cache: Cache) -> dict[str, Any]:
    text = resources.files("vanban").joinpath("data/document.schema.yaml")
    with resources.as_file(text) as path:
        loaded, problems = load_yaml(path, "document.schema.yaml", cache)
    assert loaded is not None and not problems, problems
    return plain(loaded.document)


def metadata_from(loaded: Loaded, cache: Cache = NO_CACHE) -> tuple[Metadata | None, list[Problem]]:
    """Validate data/document.yaml and turn it into Metadata."""
    problems = validate(loaded, _schema(cache), "document.schema.yaml")
    data: Mapping[str, Any] = loaded.document
    if problems:
        return None, problems
    if data["status"] == "final":
        for key in ("number", "date"):
            if data[key] is None:
                from .facts import place_of

                line, col = place_of(data, (key,))
                problems.append(
                    Problem(
                        loaded.display,
                        line,
                        col,
                        f"{key}: a final document needs its {key}; only a draft leaves it blank",
                    )
                )
        if problems:
            return None, problems
    agency = data["agency"]
    signer = data["signer"]
    return Metadata(
        kind=data["kind"],
        status=data["status"],
        output=data["output"],
        agency_parent=agency.get("parent"),
        agency_lines=tuple(agency["name"]),
        agency_abbreviation=agency["abbreviation"],
        agency_full_name=agency["full_name"],
        number=data["number"],
        place=data["place"],
        date=data["date"],
        year=data["year"],
        summary=data["summary"],
        recipients=tuple(data["recipients"]),
        signer_authority=signer.get("authority"),
        signer_position=signer["position"],
        signer_name=signer["name"],
    ), []
