"""Run the pandoc that ships with pypandoc-binary: Markdown body to DOCX."""

from __future__ import annotations

import shlex
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

from .errors import PandocError

# Smart punctuation would rewrite the issued text ("--", "..."), and ^ ~ $ are plain
# characters in Vietnamese documents, not super/subscript or math marks.
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


def command(reference_doc: Path) -> list[str]:
    """Return the pandoc command line that converts Markdown on stdin to DOCX on stdout."""
    return [
        pandoc_path(),
        "--from", MARKDOWN,
        "--to", "docx",
        "--reference-doc", str(reference_doc),
        "--syntax-highlighting", "none",
        "--output", "-",
    ]  # fmt: skip


class Conversion:
    """A pandoc run going on in the background while the build checks its sources.

    pandoc starts at once, so its start-up overlaps the loading of the sources; the
    Markdown is fed to it when rendered.
    """

    def __init__(self, reference_doc: Path):
        self.command = command(reference_doc)
        self._output: tuple[bytes, bytes] = (b"", b"")
        try:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise PandocError(f"cannot run pandoc: {shlex.join(self.command)}: {exc}") from exc
        self._thread: threading.Thread | None = None

    def feed(self, markdown: str) -> None:
        """Give pandoc the Markdown to convert; it works on it in the background."""
        self._thread = threading.Thread(
            target=self._communicate, args=(markdown.encode("utf-8"),), daemon=True
        )
        self._thread.start()

    def _communicate(self, data: bytes) -> None:
        self._output = self._process.communicate(data)

    def result(self) -> bytes:
        """Wait for pandoc and return the DOCX it wrote; raise with its message if it failed."""
        assert self._thread is not None, "feed() comes before result()"
        self._thread.join()
        stdout, stderr = self._output
        code = self._process.returncode
        if code != 0 or not stdout:
            message = stderr.decode("utf-8", "replace").strip() or "no output"
            raise PandocError(
                f"pandoc failed (exit code {code}): {shlex.join(self.command)}\n{message}"
            )
        return stdout

    def cancel(self) -> None:
        """Stop pandoc: the build found problems and will write nothing."""
        if self._process.poll() is None:
            self._process.kill()
        if self._thread is not None:
            self._thread.join()
        else:
            self._process.communicate()


def markdown_to_docx(markdown: str, reference_doc: Path) -> bytes:
    """Convert the rendered Markdown to DOCX bytes with the reference document's styles."""
    conversion = Conversion(reference_doc)
    conversion.feed(markdown)
    return conversion.result()
