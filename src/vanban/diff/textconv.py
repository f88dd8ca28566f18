"""Text views of a DOCX and of a fact file, for git's textconv, and the git settings that use them.

- `vanban docx-text FILE`: the paragraphs of the body (tables cell by cell), a footnote
  reference as [n], then the footnotes in order; tracked changes as [-deleted-]{+inserted+};
  with `--properties`, first the document's provenance (`name: value` lines).
- `vanban facts-text FILE`: one `dotted.name = value unit` line per fact, in file order.

With `.gitattributes` (`*.docx diff=vanban-docx`, `data/*.yaml diff=vanban-facts`) and
`vanban git-setup`, `git diff`, `git log -p` and `git show` print these views.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..facts import load_yaml, unit_of
from ..ooxml import DOCUMENT_PART, FOOTNOTES_PART, parse_xml, qn, read_parts
from ..provenance import read_properties
from .figures import leaves
from .revisions import W_DEL, W_DELTEXT, W_INS, W_P, W_T, W_TBL, W_TC, W_TR

# git's name for the temporary copy of a blob: six random characters, "_", the base name.
_GIT_TEMP = re.compile(r"^[A-Za-z0-9]{6}_(.+)$")

DRIVERS = {"vanban-docx": "docx-text", "vanban-facts": "facts-text"}


# --------------------------------------------------------------------------- docx


def docx_lines(docx: bytes | Path, marks: bool = True) -> list[str]:
    """Return the text of a DOCX: body paragraphs, then footnotes in order of reference."""
    parts = read_parts(docx)
    document = parse_xml(parts[DOCUMENT_PART])
    notes: dict[str, etree._Element] = {}
    if FOOTNOTES_PART in parts:
        for note in parse_xml(parts[FOOTNOTES_PART]).iter(qn("w:footnote")):
            notes[note.get(qn("w:id")) or ""] = note
    order: list[str] = []
    lines: list[str] = []
    body = document.find(qn("w:body"))
    if body is not None:
        for block in body:
            lines += _block_lines(block, order, marks)
    if order:
        lines.append("")
        lines.append("--- footnotes ---")
        for number, note_id in enumerate(order, start=1):
            note = notes.get(note_id)
            if note is None:
                continue
            texts = [_paragraph_text(p, [], marks, note=True) for p in note.iter(W_P)]
            lines.append(f"[{number}] " + " ¶ ".join(t for t in texts if t))
    return lines


def properties_lines(docx: bytes | Path) -> list[str]:
    """Return a DOCX's title, creator, dates and vanban's provenance as `name: value` lines."""
    return [f"{name}: {value}" for name, value in read_properties(read_parts(docx)).items()]


def _block_lines(block: etree._Element, order: list[str], marks: bool) -> Iterator[str]:
    if block.tag == W_P:
        text = _paragraph_text(block, order, marks)
        if text.strip():
            yield text
    elif block.tag == W_TBL:
        for row in block.iter(W_TR):
            cells = []
            for cell in row.iter(W_TC):
                texts = [_paragraph_text(p, order, marks) for p in cell.iter(W_P)]
                cells.append(" / ".join(t for t in texts if t.strip()))
            if any(cells):
                yield " | ".join(cells)
    else:
        for p in block.iter(W_P):
            text = _paragraph_text(p, order, marks)
            if text.strip():
                yield text


def _paragraph_text(p: etree._Element, order: list[str], marks: bool, note: bool = False) -> str:
    parts: list[str] = []
    current: str | None = None
    for element in p.iter(W_T, W_DELTEXT, qn("w:tab"), qn("w:br"), qn("w:footnoteReference")):
        kind = _tracked(element, p)
        if marks and kind != current:
            if current is not None:
                parts.append("-]" if current == "del" else "+}")
            if kind is not None:
                parts.append("[-" if kind == "del" else "{+")
            current = kind
        if element.tag in (W_T, W_DELTEXT):
            parts.append(element.text or "")
        elif element.tag == qn("w:tab"):
            parts.append("\t")
        elif element.tag == qn("w:br"):
            parts.append(" ")
        else:
            note_id = element.get(qn("w:id")) or ""
            if note_id not in order:
                order.append(note_id)
            parts.append(f"[{order.index(note_id) + 1}]")
    if marks and current is not None:
        parts.append("-]" if current == "del" else "+}")
    text = "".join(parts)
    return text.strip() if note else text


def _tracked(element: etree._Element, stop: etree._Element) -> str | None:
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return None
        if ancestor.tag == W_INS:
            return "ins"
        if ancestor.tag == W_DEL:
            return "del"
    return None


# --------------------------------------------------------------------------- facts


def facts_lines(path: Path, schema_dir: Path | None = None) -> list[str]:
    """Return `dotted.name = value unit` for every fact of a data file, in file order.

    The unit comes from schema/<file name> under schema_dir (git runs textconv at the top of
    the work tree, and hands over the old side as a temporary file of the same base name).
    A file that is not valid YAML is returned as it is.
    """
    name = path.name
    match = _GIT_TEMP.match(name)
    if match and not path.resolve().is_relative_to(Path.cwd().resolve()):
        name = match.group(1)
    loaded, problems = load_yaml(path, str(path))
    if loaded is None or problems:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    schema: dict[str, object] = {}
    schema_path = (schema_dir if schema_dir is not None else Path.cwd() / "schema") / name
    if schema_path.is_file():
        schema_file, _ = load_yaml(schema_path, str(schema_path))
        if schema_file is not None and isinstance(schema_file.document, dict):
            schema = schema_file.document
    stem = Path(name).stem.replace("-", "_")
    lines = []
    for dotted, value in leaves(loaded.document, stem):
        unit = unit_of(schema, tuple(dotted.split(".")[1:])) if schema else None
        shown = _value(value)
        lines.append(f"{dotted} = {shown}" + (f" {unit}" if unit else ""))
    return lines


def _value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" in value else value
    return str(value)


# --------------------------------------------------------------------------- git


def textconv_command(subcommand: str, program: str | None = None) -> str:
    """Return the command git runs as a textconv: this interpreter's vanban, by default."""
    base = program or f"{shlex.quote(sys.executable)} -m vanban.diff"
    return f"{base} {subcommand}"


def git_settings(program: str | None = None) -> dict[str, str]:
    """Return the git configuration of the vanban diff drivers."""
    settings = {}
    for driver, subcommand in DRIVERS.items():
        settings[f"diff.{driver}.textconv"] = textconv_command(subcommand, program)
    return settings


def setup_git(repository: Path, program: str | None = None) -> dict[str, str]:
    """Write the diff drivers into the repository's .git/config; return what was set."""
    from .sides import run_git

    settings = git_settings(program)
    for key, value in settings.items():
        run_git(repository, "config", "--local", key, value)
    return settings
