"""Shared fixtures: the repository, tiny report projects, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


def copy_case(name: str, dest: Path) -> Path:
    """Copy tests/cases/<name> to dest with the repository's Word templates."""
    project = dest / name
    shutil.copytree(CASES / name, project)
    if not (project / "templates").exists():
        shutil.copytree(REPO / "templates", project / "templates")
    (project / "expected-errors.txt").unlink(missing_ok=True)
    return project


def commit_all(root: Path) -> None:
    """Make root a git repository whose one commit holds every file, as an office keeps a
    report (absorb reads the base revision a document records)."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "draft"]):
        subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=a", "-c", "user.email=a@b", *args],
            check=True,
            capture_output=True,
        )


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)


def to_pdf(docx: Path, outdir: Path) -> Path:
    """Convert a DOCX to PDF with LibreOffice, as a second real client opening the file."""
    profile = outdir / "lo-profile"
    command = [
        str(soffice()),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    pdf = outdir / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), (command, result.stdout, result.stderr)
    return pdf


def pdf_pages(pdf: Path) -> list[dict[str, str]]:
    """Return each page's size (pdfinfo) and text (pdftotext), in order."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [
        line.split(":", 1)[1].strip()
        for line in info.splitlines()
        if line.startswith("Page") and "size" in line
    ]
    pages = []
    for number, size in enumerate(sizes, start=1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append({"size": size, "text": text})
    return pages


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
