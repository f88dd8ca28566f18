"""The pandoc that ships with pypandoc-binary, and the command line that converts the body."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

from .inputs import module_origin

TYPE_CHECKING = False  # typing itself is not loaded for a kept check
if TYPE_CHECKING:
    from pathlib import Path

# Smart punctuation would rewrite the issued text ("--", "..."), and ^ ~ $ are plain
# characters in Vietnamese documents, not super/subscript or math marks.
MARKDOWN = "markdown-smart-superscript-subscript-tex_math_dollars-raw_tex"


# pandoc's binary suggests a 64 MB heap to its runtime (linked with -with-rtsopts=-H64m); a
# suggested 8 MB lowers the peak memory of a run on the reference report from 175 to 120 MB
# with no time lost, and the output is the same (the heap size is the runtime's concern, not
# the converter's). An old generation of at least 32 MB (-O32m) spares most of the major
# collections a unit's run would make: on units of the report ×20 of 160 000 and 290 000
# characters, 0.37 → 0.28 and 0.61 → 0.52 CPU-seconds, for 11 and 2 MB more at the peak;
# 0.15 → 0.12 s on the reference report. Given through GHCRTS: a pandoc linked without RTS
# options only warns.
RUNTIME_OPTIONS = "-H8m -O32m"
# From this much input on, the oldest generation is compacted instead of copied (-c): on
# 600 000 characters of Markdown the peak goes from 175 to 145 MB for a tenth more time;
# below it the copying collector needs little more memory and is faster.
COMPACT_FROM = 256 * 1024
COMPACTING = " -c"


def pandoc_environment(size: int = 0) -> dict[str, str]:
    """Return the environment pandoc runs in for an input of `size` characters: this one,
    with the runtime options unless the user set GHCRTS already."""
    environment = dict(os.environ)
    options = RUNTIME_OPTIONS + (COMPACTING if size >= COMPACT_FROM else "")
    environment.setdefault("GHCRTS", options)
    return environment


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Return the path of the bundled pandoc binary."""
    # Where pypandoc-binary puts it; importing pypandoc (urllib, ssl) to ask costs more.
    origin = module_origin("pypandoc")
    if origin is not None:
        name = "pandoc.exe" if os.name == "nt" else "pandoc"
        bundled = os.path.join(os.path.dirname(origin), "files", name)
        if os.path.isfile(bundled) and os.access(bundled, os.X_OK):
            return bundled
    from .errors import PandocError  # the engine's errors: not for a kept check

    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise PandocError("pypandoc-binary is not installed: pip install pypandoc-binary") from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise PandocError(f"no pandoc found: {exc} (install pypandoc-binary)") from exc


def command_identity(command: Sequence[str]) -> str:
    """Return what a pandoc run's output depends on besides its input: its arguments and
    its binary (size and time, not its place)."""
    binary = os.stat(command[0])
    return "\0".join([*command[1:], str(binary.st_size), str(binary.st_mtime_ns)])


def docx_command(reference_doc: str | Path) -> list[str]:
    """Return the pandoc command line that converts Markdown on stdin to DOCX on stdout."""
    return [
        pandoc_path(),
        "--from", MARKDOWN,
        "--to", "docx",
        "--reference-doc", os.fspath(reference_doc),
        "--syntax-highlighting", "none",
        "--output", "-",
    ]  # fmt: skip
