"""A cache of parsed sources, keyed by content, so that rebuilds skip re-parsing.

It lives in $VANBAN_CACHE_DIR, else $XDG_CACHE_HOME/vanban, else ~/.cache/vanban; setting
VANBAN_CACHE_DIR to "off" disables it. It is shared by every report on the machine.

Entries are keyed by a hash of the vanban version, the entry kind and the exact source bytes,
so an edited file is never served stale. A damaged or unreadable entry is ignored and
recomputed: the cache can only make a build faster, never different.

It is kept under a size ($VANBAN_CACHE_MAX_MB megabytes, 1 000 by default): at most once a
day a write looks, and when the entries take more, the oldest written go until they take
four fifths of it. An entry gone is computed again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import pickle
import re
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from . import __version__

T = TypeVar("T")


# The engine's code and data files.
_ENGINE_FILES = (".py", ".yaml", ".json")


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Return a hash of the engine's own code and data files (names, sizes, times).

    Part of every key, so that a changed parser, validator or renderer never reads results
    an older one stored, even within one version number.
    """
    package = os.path.dirname(os.path.realpath(__file__))
    found = []
    for directory, folders, names in os.walk(package):  # one walk: cheaper than globs
        folders[:] = [folder for folder in folders if folder != "__pycache__"]
        for name in names:
            if name.endswith(_ENGINE_FILES):
                path = os.path.join(directory, name)
                found.append((os.path.relpath(path, package).replace(os.sep, "/"), path))
    digest = hashlib.sha256()
    for name, path in sorted(found):
        stat = os.stat(path)  # size and time: as safe as the content, and a stat is cheap
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    digest.update(f"{sys.version}\0".encode())  # marshalled code is per Python version
    for library in LIBRARIES:
        digest.update(f"{library}\0{library_version(library)}\0".encode())
    return digest.hexdigest()[:16]


# The libraries whose results are cached: YAML parsed by ruamel.yaml, templates compiled by
# Jinja2, schemas and facts validated by Cerberus; the Word XML written by lxml, python-docx
# and docxtpl (a build's whole document is kept) and the pandoc that pypandoc-binary ships.
LIBRARIES = ("cerberus", "jinja2", "ruamel.yaml", "lxml", "docx", "docxtpl", "pypandoc")
# Distributions not named after their module.
_DISTRIBUTIONS = {"docx": "python_docx"}


def library_version(module: str) -> str:
    """Return what identifies an installed library: its dist-info names and its entry's stat.

    Read from the directory it is installed in, without importing it (importing Cerberus or
    reading package metadata costs more than a warm build's whole cache lookup).
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return "absent"
    origin = Path(spec.origin)
    top = module.split(".")[0]
    home = origin.parent
    for _ in module.split(".")[1:]:
        home = home.parent
    stat = origin.stat()
    stem = _DISTRIBUTIONS.get(module) or re.sub(r"[-_.]+", "_", module).lower()
    return "\0".join(
        [f"{stat.st_size}:{stat.st_mtime_ns}"]
        + [
            name
            for name in _listing(home.parent)
            if name.endswith(".dist-info")
            and re.sub(r"[-_.]+", "_", name).lower().startswith((stem + "_", top + "_"))
        ]
    )


@lru_cache(maxsize=8)
def _listing(directory: Path) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(directory)))
    except OSError:
        return ()


class Cache:
    """Content-addressed store of pickled (or marshalled) values."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self._pruned = False

    def _path(self, kind: str, content: bytes) -> Path | None:
        if self.directory is None:
            return None
        prefix = f"{__version__}\0{engine_fingerprint()}\0{kind}\0".encode()
        digest = hashlib.sha256(prefix + content).hexdigest()
        return self.directory / f"{kind}-{digest[:32]}"

    def _read(self, path: Path | None, loads: Callable[[bytes], object]) -> object | None:
        if path is None:
            return None
        try:
            return loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - any damaged entry is simply recomputed
            return None

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            return
        self._prune_daily()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # here: a lookup that only reads (a kept check) never loads it

            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only tree still builds, only slower

    def _prune_daily(self) -> None:
        """Prune the cache when it was last pruned more than a day ago (or never)."""
        if self.directory is None or self._pruned:
            return
        self._pruned = True  # once for this cache object; the marker tells the others
        marker = self.directory / PRUNED_MARKER
        try:
            if time.time() - marker.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return
        except OSError:
            pass  # never pruned, or no cache yet
        self.prune(max_bytes())
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass

    def prune(self, limit: int) -> int:
        """Remove the entries written longest ago while they take more than limit bytes,
        down to four fifths of it; return how many went. Safe while others read and write:
        a reader of a removed entry computes it again, and writes replace whole files."""
        if self.directory is None:
            return 0
        entries = []
        try:
            with os.scandir(self.directory) as found:
                for entry in found:
                    if entry.name.startswith(".") or entry.name == PRUNED_MARKER:
                        continue
                    try:
                        stat = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if entry.is_file(follow_symlinks=False):
                        entries.append((stat.st_mtime, stat.st_size, entry.path))
        except OSError:
            return 0
        total = sum(size for _, size, _ in entries)
        if total <= limit:
            return 0
        removed = 0
        for _, size, path in sorted(entries):
            if total <= limit * 4 // 5:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
            removed += 1
        return removed

    def get(self, kind: str, content: bytes) -> object | None:
        """Return the pickled value stored for content, or None."""
        return self._read(self._path(kind, content), pickle.loads)

    def put(self, kind: str, content: bytes, value: object) -> None:
        """Store a value for content (pickled)."""
        self._write(self._path(kind, content), pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    def value(self, kind: str, content: bytes, compute: Callable[[], T]) -> T:
        """Return the pickled value stored for content, computing and storing it if absent."""
        path = self._path(kind, content)
        found = self._read(path, pickle.loads)
        if found is not None:
            return found  # type: ignore[return-value]
        value = compute()
        if value is not None:
            self._write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value

    def code(self, kind: str, content: bytes, compute: Callable[[], T]) -> T:
        """Return a code object stored for content (marshal), compiling it if absent."""
        path = self._path(kind, content)
        found = self._read(path, marshal.loads)
        if found is not None:
            return found  # type: ignore[return-value]
        value = compute()
        self._write(path, marshal.dumps(value))  # type: ignore[arg-type]
        return value


NO_CACHE = Cache(None)

PRUNED_MARKER = "pruned"  # its time: when the cache was last pruned
PRUNE_EVERY_SECONDS = 24 * 3600
DEFAULT_MAX_MB = 1000


def value_key(value: object) -> bytes | None:
    """Return bytes that equal values give alike, however their parts are shared (a value
    read from the cache shares fewer objects than one computed): a pickle without memo;
    None for a value that cannot be one."""
    import io
    import pickle

    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: the same bytes for equal values
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        return None
    return out.getvalue()


def max_bytes() -> int:
    """Return the size the cache is kept under: $VANBAN_CACHE_MAX_MB megabytes, or 1 000."""
    configured = os.environ.get("VANBAN_CACHE_MAX_MB", "").strip()
    megabytes = int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_MAX_MB
    return megabytes * 1024 * 1024


def user_cache() -> Cache:
    """Return the cache of this user, or NO_CACHE when it is switched off."""
    configured = os.environ.get("VANBAN_CACHE_DIR")
    if configured == "off":
        return NO_CACHE
    if configured:
        return Cache(Path(configured))
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Cache(Path(base) / "vanban")
