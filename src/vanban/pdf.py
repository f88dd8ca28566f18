"""The PDF for signing: built DOCX files converted by LibreOffice headless, checked, then kept.

One LibreOffice process converts every document of a run, with a profile of its own (so
concurrent runs never share one) and a time limit. Each PDF is read back before it replaces
the previous one: every page A4, every font embedded, the document properties that the
signing tools and the document system show (title, author, subject) present.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from .classes import dataclass
from .errors import VanbanError
from .files import write_atomic

INSTALL_HINT = (
    "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui fonts-liberation2)"
)
TIMEOUT = 300  # seconds for one LibreOffice run, whatever the number of documents
A4 = (595.28, 841.89)  # points
A4_TOLERANCE = 1.0
# PDF/A-2b, as LibreOffice's PDF export names it (SelectPdfVersion 2).
_FILTER = "pdf:writer_pdf_Export"
_PDFA_FILTER = _FILTER + ':{"SelectPdfVersion":{"type":"long","value":"2"}}'


class PdfError(VanbanError):
    """Raised when a PDF cannot be made: no LibreOffice, a failed or timed-out run, or a PDF
    that is not what was asked for (a page not A4, a font not embedded)."""


@dataclass(frozen=True)
class PdfFont:
    name: str  # without the subset prefix: "LiberationSerif-Bold"
    embedded: bool


@dataclass(frozen=True)
class PdfFacts:
    """What a reader or a signing tool sees of a PDF without rendering it."""

    pages: tuple[tuple[float, float], ...]  # width, height in points, page by page
    fonts: tuple[PdfFont, ...]
    title: str | None
    author: str | None
    subject: str | None
    pdfa: str | None  # "2B" for PDF/A-2b

    @property
    def all_a4(self) -> bool:
        return all(_is_a4(size) for size in self.pages)

    @property
    def families(self) -> list[str]:
        """Return the embedded fonts' family names, once each, in order."""
        seen: list[str] = []
        for font in self.fonts:
            family = font.name.split("-")[0]
            if family not in seen:
                seen.append(family)
        return seen


# The font ND30 asks for (Phụ lục I, I.4), as a PDF names its families
# ("TimesNewRomanPSMT", "TimesNewRomanPS-BoldMT").
ND30_FONT = "TimesNewRoman"


@dataclass(frozen=True)
class Converted:
    path: Path
    facts: PdfFacts

    @property
    def without_nd30_font(self) -> bool:
        """True when the PDF embeds no Times New Roman (LibreOffice put another in)."""
        return not any(family.startswith(ND30_FONT) for family in self.facts.families)

    def summary(self) -> str:
        pages = len(self.facts.pages)
        fonts = ", ".join(self.facts.families) or "none"
        pdfa = f", PDF/A-{self.facts.pdfa.lower()}" if self.facts.pdfa else ""
        return f"{pages} page{'s' if pages != 1 else ''}, A4, fonts embedded: {fonts}{pdfa}"


def font_warning(converted: Sequence[Converted]) -> str | None:
    """Return one warning when a PDF embeds no Times New Roman, naming the fonts it has."""
    lacking = [c for c in converted if c.without_nd30_font]
    if not lacking:
        return None
    families = ", ".join(dict.fromkeys(f for c in lacking for f in c.facts.families)) or "none"
    which = "the PDF embeds" if len(converted) == 1 else f"{len(lacking)} of the PDFs embed"
    return (
        f"warning: {which} {families}, not Times New Roman, which ND30 asks for (Phụ lục I, "
        "I.4); the lines and pages are the same, but the issued PDF does not carry that font "
        "by name: install Times New Roman (Debian: ttf-mscorefonts-installer) and build again"
    )


def office() -> str:
    """Return the LibreOffice program, or explain how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise PdfError(f"--pdf needs LibreOffice, which is not installed: {INSTALL_HINT}")
    return found


def convert(
    documents: Sequence[tuple[Path, Path]], *, pdfa: bool = False, timeout: float = TIMEOUT
) -> list[Converted]:
    """Convert each (docx, pdf) pair in one LibreOffice run; write a PDF only once it checks.

    Nothing is written unless every document converted and checked.
    """
    program = office()
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-") as work:
        root = Path(work)
        inputs = []
        for index, (docx, _) in enumerate(documents):
            # Unique names: two reports of a batch may have documents of the same name.
            copy = root / "in" / f"{index:04d}-{docx.stem}.docx"
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(docx, copy)
            inputs.append(copy)
        command = [
            program,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            _PDFA_FILTER if pdfa else _FILTER,
            "--outdir",
            str(root / "out"),
            *map(str, inputs),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice did not finish converting {len(inputs)} document"
                f"{'s' if len(inputs) != 1 else ''} in {timeout:g} s: no PDF was written"
            ) from None
        made = []
        for copy, (docx, target) in zip(inputs, documents, strict=True):
            pdf = root / "out" / (copy.stem + ".pdf")
            if not pdf.exists():
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise PdfError(
                    f"LibreOffice did not convert {docx} (exit {result.returncode}"
                    f"{': ' + detail[-1] if detail else ''}): no PDF was written"
                )
            data = pdf.read_bytes()
            facts = read_pdf(data)
            check_pdf(facts, target, pdfa)
            made.append((target, data, facts))
        converted = []
        for target, data, facts in made:
            write_atomic(target, data)
            converted.append(Converted(target, facts))
        return converted


def check_pdf(facts: PdfFacts, target: Path, pdfa: bool = False) -> None:
    """Raise when the PDF is not one to sign: no page, a page not A4, a font not embedded."""
    if not facts.pages:
        raise PdfError(f"{target}: LibreOffice wrote a PDF without pages: it was not kept")
    for number, size in enumerate(facts.pages, start=1):
        if not _is_a4(size):
            width, height = (round(v / 72 * 25.4) for v in size)
            raise PdfError(
                f"{target}: page {number} is {width} × {height} mm, not A4 (210 × 297 mm): "
                "it was not kept"
            )
    missing = [font.name for font in facts.fonts if not font.embedded]
    if missing:
        raise PdfError(f"{target}: fonts not embedded: {', '.join(missing)}: it was not kept")
    if pdfa and facts.pdfa != "2B":
        raise PdfError(f"{target}: PDF/A-2b was asked for, LibreOffice wrote {facts.pdfa}")


def _is_a4(size: tuple[float, float]) -> bool:
    short, long = sorted(size)
    return abs(short - A4[0]) <= A4_TOLERANCE and abs(long - A4[1]) <= A4_TOLERANCE


# ------------------------------------------------------------------ reading a PDF

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream|endobj)", re.S)
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
_INFO = re.compile(rb"/Info\s+(\d+)\s+0\s+R")


def read_pdf(data: bytes) -> PdfFacts:
    """Return the pages, fonts and document properties of a PDF as LibreOffice writes it
    (dictionaries in the clear, streams compressed)."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    pages = []
    fonts = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page(?![s\w])", body):
            box = _MEDIABOX.search(body)
            if box:
                x0, y0, x1, y1 = (float(v) for v in box.groups())
                pages.append((abs(x1 - x0), abs(y1 - y0)))
        if re.search(rb"/Type\s*/FontDescriptor", body):
            name = _FONT_NAME.search(body)
            if name:
                full = name.group(1).decode("latin-1")
                embedded = re.search(rb"/FontFile[23]?\s", body) is not None
                fonts.append(PdfFont(full.split("+", 1)[-1], embedded))
    info: dict[str, str] = {}
    found = _INFO.findall(data)
    if found:
        info = _info_strings(objects.get(int(found[-1]), b""))
    return PdfFacts(
        tuple(pages),
        tuple(fonts),
        info.get("Title"),
        info.get("Author"),
        info.get("Subject"),
        _pdfa(data),
    )


def _info_strings(body: bytes) -> dict[str, str]:
    strings = {}
    for key, hexa, literal in re.findall(
        rb"/(\w+)\s*(?:<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\))", body
    ):
        raw = bytes.fromhex(hexa.decode().replace(" ", "")) if hexa else _unescape(literal)
        if raw.startswith(b"\xfe\xff"):
            text = raw[2:].decode("utf-16-be", errors="replace")
        else:
            text = raw.decode("latin-1")
        strings[key.decode()] = text
    return strings


def _unescape(literal: bytes) -> bytes:
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}
    return re.sub(rb"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), literal)


def _pdfa(data: bytes) -> str | None:
    part = re.search(rb"<pdfaid:part>(\d)</pdfaid:part>", data)
    conformance = re.search(rb"<pdfaid:conformance>(\w)</pdfaid:conformance>", data)
    if part is None:
        # The XMP packet may sit in a compressed stream.
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)[-3:]:
            try:
                text = zlib.decompress(stream)
            except zlib.error:
                continue
            part = re.search(rb"<pdfaid:part>(\d)</pdfaid:part>", text)
            conformance = re.search(rb"<pdfaid:conformance>(\w)</pdfaid:conformance>", text)
            if part:
                break
    if part is None:
        return None
    return part.group(1).decode() + (conformance.group(1).decode() if conformance else "")
