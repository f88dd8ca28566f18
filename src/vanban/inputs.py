"""What a result depends on, read with the standard library's os, sys and hashlib alone.

The files of a report a build reads, the engine's fingerprint, the pandoc it runs and the
name of a cache entry. The cache (vanban.cache), the kept results (vanban.results) and the
`vanban` command's first step (vanban.launch, which answers a check from what it printed
before the engine loads) all compute them here, so that each finds what the others keep.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache

from . import __version__

# The directories of a report whose files a build reads.
SOURCE_DIRS = ("content", "data", "schema", "templates", "checks")
METADATA_FILE = "document.yaml"  # data/document.yaml: the document's metadata
# What a directory has to have to be a report, as the message that it is not names it.
REPORT_PARTS = ("content/", "data/", "data/" + METADATA_FILE)

# The engine's code and data files.
_ENGINE_FILES = (".py", ".yaml", ".json")

# The libraries whose results are cached: YAML parsed by ruamel.yaml, templates compiled by
# Jinja2, schemas and facts validated by Cerberus; the Word XML written by lxml, python-docx
# and docxtpl (a build's whole document is kept) and the pandoc that pypandoc-binary ships.
LIBRARIES = ("cerberus", "jinja2", "ruamel.yaml", "lxml", "docx", "docxtpl", "pypandoc")
# Distributions not named after their module.
_DISTRIBUTIONS = {"docx": "python_docx"}


def source_files(root: str, folders: tuple[str, ...] = SOURCE_DIRS) -> list[tuple[str, str]]:
    """Return (path in the report, path) of every file below folders of the report at root,
    folder by folder, each folder's files sorted by their path's parts.

    Files only (a link to a file counts, a linked folder is not entered), hidden ones too."""
    found: list[tuple[str, str]] = []
    for name in folders:
        directory = os.path.join(root, name)
        if not os.path.isdir(directory):
            continue
        files: list[tuple[tuple[str, ...], str]] = []
        for here, _, names in os.walk(directory):
            inside = os.path.relpath(here, root).split(os.sep)
            for file_name in names:
                path = os.path.join(here, file_name)
                if os.path.isfile(path):
                    files.append(((*inside, file_name), path))
        files.sort()
        found += [("/".join(parts), path) for parts, path in files]
    return found


def read_sources(root: str) -> tuple[tuple[str, bytes], ...]:
    """Return every file a build reads, as (path in the report, bytes), in a fixed order."""
    read = []
    for name, path in source_files(root):
        with open(path, "rb") as handle:
            read.append((name, handle.read()))
    return tuple(read)


def joined(items: list[bytes]) -> bytes:
    """Return items joined so that no two lists give the same bytes: each with its length."""
    return b"\0".join(f"{len(item)}:".encode() + item for item in items)


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


def _stem(name: str) -> str:
    """Return a distribution's name as its dist-info folder spells it: in lower case, each
    run of "-", "_" and "." one "_"."""
    spelt: list[str] = []
    for c in name.lower():
        if c not in "-_.":
            spelt.append(c)
        elif not spelt or spelt[-1] != "_":
            spelt.append("_")
    return "".join(spelt)


def library_version(module: str) -> str:
    """Return what identifies an installed library: its dist-info names and its entry's stat.

    Read from the directory it is installed in, without importing it (importing Cerberus or
    reading package metadata costs more than a warm build's whole cache lookup).
    """
    origin = module_origin(module)
    if origin is None:
        return "absent"
    top = module.split(".")[0]
    home = os.path.dirname(origin)
    for _ in module.split(".")[1:]:
        home = os.path.dirname(home)
    stat = os.stat(origin)
    stem = _DISTRIBUTIONS.get(module) or _stem(module)
    return "\0".join(
        [f"{stat.st_size}:{stat.st_mtime_ns}"]
        + [
            name
            for name in _listing(os.path.dirname(home))
            if name.endswith(".dist-info") and _stem(name).startswith((stem + "_", top + "_"))
        ]
    )


def module_origin(module: str) -> str | None:
    """Return the file a module is loaded from (a package's __init__.py), or None when it is
    not installed: the first folder on sys.path that has it, as Python's own finder looks;
    through importlib for what that look does not find (a zip, an editable install)."""
    relative = module.replace(".", os.sep)
    for folder in sys.path:
        listed = _listing(os.path.join(folder or ".", os.path.dirname(relative)))
        name = os.path.basename(relative)
        if name in listed:
            origin = os.path.join(folder or ".", relative, "__init__.py")
            if os.path.isfile(origin):
                return os.path.abspath(origin)
        if name + ".py" in listed:
            return os.path.abspath(os.path.join(folder or ".", relative + ".py"))
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.origin not in (None, "namespace") else None


@lru_cache(maxsize=64)
def _listing(directory: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(directory)))
    except OSError:
        return ()


def cache_directory() -> str | None:
    """Return the cache's directory: $VANBAN_CACHE_DIR, else $XDG_CACHE_HOME/vanban, else
    ~/.cache/vanban; None when VANBAN_CACHE_DIR is "off"."""
    configured = os.environ.get("VANBAN_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "vanban")


def entry_name(kind: str, content: bytes) -> str:
    """Return the file name of the cache entry of kind for content."""
    prefix = f"{__version__}\0{engine_fingerprint()}\0{kind}\0".encode()
    return f"{kind}-{hashlib.sha256(prefix + content).hexdigest()[:32]}"
