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


def docx_command(reference_doc: Path) -> list[str]:
    """Return the pandoc command line that converts Markdown on stdin to DOCX on stdout."""
    return [
        pandoc_path(),
        "--from", MARKDOWN,
        "--to", "docx",
        "--reference-doc", str(reference_doc),
        "--syntax-highlighting", "none",
        "--output", "-",
    ]  # fmt: skip


def _failure(command: list[str], code: int | None, stderr: bytes) -> PandocError:
    message = stderr.decode("utf-8", "replace").strip() or "no output"
    return PandocError(f"pandoc failed (exit code {code}): {shlex.join(command)}\n{message}")


def run(command: list[str], data: bytes = b"") -> bytes:
    """Run pandoc to the end and return what it wrote; raise with its message if it failed."""
    try:
        result = subprocess.run(command, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise PandocError(f"cannot run pandoc: {shlex.join(command)}: {exc}") from exc
    if result.returncode != 0 or not result.stdout:
        raise _failure(command, result.returncode, result.stderr)
    return result.stdout


class Conversion:
    """A pandoc run going on in the background while the build checks its sources.

    pandoc starts at once, so its start-up overlaps the loading of the sources; the
    Markdown is fed to it when rendered. By default it converts to DOCX with the
    reference document; `command` runs another pandoc command line the same way.
    """

    def __init__(self, reference_doc: Path | None = None, *, command: list[str] | None = None):
        if command is None:
            assert reference_doc is not None, "a reference document or a command"
            command = docx_command(reference_doc)
        self.command = command
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

    @property
    def fed(self) -> bool:
        """True once the input was given."""
        return self._thread is not None

    def feed(self, markdown: str) -> None:
        """Give pandoc its input; it works on it in the background."""
        self._thread = threading.Thread(
            target=self._communicate, args=(markdown.encode("utf-8"),), daemon=True
        )
        self._thread.start()

    def _communicate(self, data: bytes) -> None:
        self._output = self._process.communicate(data)

    def result(self) -> bytes:
        """Wait for pandoc and return what it wrote; raise with its message if it failed."""
        if self._thread is None:
            self.cancel()
            raise PandocError(f"no input was given to pandoc: {shlex.join(self.command)}")
        self._thread.join()
        stdout, stderr = self._output
        if self._process.returncode != 0 or not stdout:
            raise _failure(self.command, self._process.returncode, stderr)
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
