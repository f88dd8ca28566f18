"""`vanban watch`: a save rebuilds once; a broken save leaves the last good document."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest

from conftest import copy_case
from vanban.watch import watch


class Watching:
    """`watch` running in a thread on a project, with its output and each build's outcome."""

    def __init__(self, root: Path):
        self.out, self.err = io.StringIO(), io.StringIO()
        self.builds: list[bool] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch,
            args=(root,),
            kwargs={
                "interval": 0.05,
                "stop": self.stop,
                "out": self.out,
                "err": self.err,
                "on_build": self.builds.append,
            },
        )
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.builds) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.builds) >= count, (self.out.getvalue(), self.err.getvalue())

    def close(self) -> None:
        self.stop.set()
        self.thread.join(60)


@pytest.fixture
def watching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    root = copy_case("minimal", tmp_path)
    session = Watching(root)
    session.wait_for(1)
    yield root, session
    session.close()


def save(path: Path, text: str) -> None:
    """Write a file as an editor saves it, with a modification time of its own."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    while path.stat().st_mtime_ns == before:  # coarse clocks: make the change visible
        time.sleep(0.01)
        path.write_text(text, encoding="utf-8")


def test_a_save_rebuilds_once(watching) -> None:
    root, session = watching
    document = root / "build" / "thu-nghiem.docx"
    assert session.builds == [True] and document.exists()
    content = root / "content" / "01-ket-qua.md"
    save(content, content.read_text(encoding="utf-8").replace("Tốt.", "Tốt hơn."))
    session.wait_for(2)
    time.sleep(0.5)  # no further rebuild without a further save
    assert session.builds == [True, True]
    out = session.out.getvalue()
    assert "changed: content/01-ket-qua.md" in out
    assert out.count("built ") == 2 and " s; check: " in out
    assert "Tốt hơn.".encode() in _document_xml(document)


def test_a_broken_save_leaves_the_last_good_document(watching) -> None:
    root, session = watching
    document = root / "build" / "thu-nghiem.docx"
    good = document.read_bytes()
    data = root / "data" / "so-lieu.yaml"
    text = data.read_text(encoding="utf-8")
    save(data, text.replace("households: 2532", "households: 2.532"))
    session.wait_for(2)
    assert session.builds == [True, False]
    assert document.read_bytes() == good
    err = session.err.getvalue()
    assert "data/so-lieu.yaml:" in err and "error: ngheo.households: expected a whole number" in err
    assert "nothing was written: the last good document stays" in err
    save(data, text)  # mended: the next save builds again
    session.wait_for(3)
    assert session.builds == [True, False, True]


def _document_xml(docx: Path) -> bytes:
    from vanban.ooxml import read_parts

    return read_parts(docx)["word/document.xml"]
