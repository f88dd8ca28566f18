"""Run the pandoc that ships with pypandoc-binary: Markdown body to DOCX."""

from __future__ import annotations

import shlex
import subprocess
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import PandocError

# Smart punctuation would rewrite the issued text ("--", "..."), and ^ ~ are plain
# characters in Vietnamese documents, not super/subscript marks.
MARKDOWN = "markdown-smart-superscript-subscript-tex_math_dollars-raw_tex"


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Return the path of the bundled pandoc binary."""
    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise PandocError("pypandoc-binary is not installed: pip install pypandoc-binary") from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise PandocError(f"no pandoc found: {exc} (install pypandoc-binary)") from exc


def lua_filter() -> Path:
    """Return the path of the ND30 Lua filter shipped with the package."""
    return Path(str(resources.files("vanban").joinpath("nd30.lua")))


def markdown_to_docx(markdown: str, reference_doc: Path) -> bytes:
    """Convert the rendered Markdown to DOCX bytes with the reference document's styles."""
    command = [
        pandoc_path(),
        "--from",
        MARKDOWN,
        "--to",
        "docx",
        "--reference-doc",
        str(reference_doc),
        "--lua-filter",
        str(lua_filter()),
        "--output",
        "-",
    ]
    try:
        result = subprocess.run(
            command, input=markdown.encode("utf-8"), capture_output=True, check=False
        )
    except OSError as exc:
        raise PandocError(f"cannot run pandoc: {shlex.join(command)}: {exc}") from exc
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode("utf-8", "replace").strip() or "no output"
        raise PandocError(
            f"pandoc failed (exit code {result.returncode}): {shlex.join(command)}\n{message}"
        )
    return result.stdout
