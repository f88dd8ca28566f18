"""A report directory and its sources: the fact files with their schemas and the metadata.

Every stage of a build and every command shares these types; they import no engine above
them (narrative, check, appendix, layout) and nothing imports back down into a command.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import inputs
from .cache import NO_CACHE, Cache
from .classes import dataclass
from .errors import Problem, ProjectError, relpath
from .inputs import METADATA_FILE as METADATA_FILE
from .inputs import SOURCE_DIRS as SOURCE_DIRS
from .inputs import joined, source_files

# YAML, Cerberus and the metadata are loaded where a source is read: opening a project
# (a kept build or check) loads none of them.
if TYPE_CHECKING:
    from .facts import Loaded
    from .metadata import Metadata


@dataclass(frozen=True)
class Project:
    """A report directory: where its sources are and where its output goes."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def metadata_path(self) -> Path:
        return self.data_dir / METADATA_FILE

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

    def content_files(self) -> list[Path]:
        return sorted(self.content_dir.glob("*.md"))

    def fact_files(self) -> list[Path]:
        return sorted(p for p in self.data_dir.glob("*.yaml") if p.name != METADATA_FILE)


def source_files_below(root: Path, folders: Sequence[str] = SOURCE_DIRS) -> Iterator[Path]:
    """Yield every file a build of the report at root reads (below folders), in a fixed
    order (see vanban.inputs.source_files)."""
    for name, _ in source_files(str(root), tuple(folders)):
        yield root / name


def read_sources(root: Path) -> tuple[tuple[str, bytes], ...]:
    """Return every file a build reads, as (path in the report, bytes), in a fixed order."""
    return inputs.read_sources(str(root))


def files_key(root: Path, folders: Sequence[str]) -> bytes:
    """Return the path in the report and the bytes of every file below folders, each with
    its length: what is computed from those files is kept in the cache by it. Not where the
    report is: what is computed names files relative to it, so the same sources elsewhere
    (a draft taken from git by `vanban diff`, another checkout) find it too."""
    items: list[bytes] = []
    for name, path in source_files(str(root), tuple(folders)):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            data = b"\0unreadable"  # loading the file says so, with its place
        items += [name.encode(), data]
    return joined(items)


def open_project(root: Path) -> Project:
    """Return the project at root, or explain which part is missing."""
    project = Project(root.resolve())
    missing = [name for name in inputs.REPORT_PARTS if not (project.root / name).exists()]
    if missing:
        raise ProjectError(f"{root}: not a vanban report directory: missing {', '.join(missing)}")
    return project


@dataclass(frozen=True)
class DataFile:
    """One fact file with its schema (None when the schema file is missing or unreadable)."""

    name: str
    loaded: Loaded
    schema_file: Loaded | None

    @property
    def schema(self) -> Mapping[str, Any]:
        """Return the schema's field rules (empty without a schema)."""
        document = self.schema_file.document if self.schema_file else None
        return document if isinstance(document, Mapping) else {}


@dataclass(frozen=True)
class Facts:
    """All fact files of a report, by the name templates use (data/an-sinh.yaml → an_sinh)."""

    files: dict[str, DataFile]
    unavailable: frozenset[str] = frozenset()


def template_name(path: Path) -> str:
    """Return the name a data file has in templates: its stem with "-" as "_"."""
    return path.stem.replace("-", "_")


def load_facts(project: Project, cache: Cache = NO_CACHE) -> tuple[Facts, dict[str, list[Problem]]]:
    """Parse every fact file and its schema; problems by data file, in file order."""
    from .facts import load_yaml

    problems: dict[str, list[Problem]] = {}
    files: dict[str, DataFile] = {}
    unavailable: set[str] = set()
    for path in project.fact_files():
        display = project.display(path)
        loaded, found = load_yaml(path, display, cache)
        problems[display] = found
        if loaded is None:
            unavailable.add(template_name(path))
            continue
        schema_path = project.schema_dir / path.name
        schema_file = None
        if not schema_path.exists():
            found.append(
                Problem(display, 0, 0, f"no schema: expected {project.display(schema_path)}")
            )
        else:
            schema_file, bad = load_yaml(schema_path, project.display(schema_path), cache)
            found += bad
        files[template_name(path)] = DataFile(template_name(path), loaded, schema_file)
    return Facts(files, frozenset(unavailable)), problems


def _validate_file(data: DataFile, cache: Cache = NO_CACHE) -> list[Problem]:
    from .facts import check_schema, plain, validate

    assert data.schema_file is not None
    schema = plain(data.schema_file.document)
    # Cerberus checks a schema against its meta-schema before using it, which costs more
    # than the validation itself; a schema whose exact bytes passed once is trusted.
    if cache.get("valid-schema", data.schema_file.raw) is not True:
        invalid = check_schema(schema, data.schema_file.display, data.schema_file.document)
        if invalid:
            return invalid
        cache.put("valid-schema", data.schema_file.raw, True)
    return validate(data.loaded, schema, data.schema_file.display, trusted=True)


def validate_facts(facts: Facts, cache: Cache = NO_CACHE) -> dict[str, list[Problem]]:
    """Validate every fact file against its schema; problems by data file.

    The result depends only on the two files' bytes, so it is cached by them.
    """
    results: dict[str, list[Problem]] = {}
    for data in facts.files.values():
        if data.schema_file is None:
            continue
        key = data.loaded.raw + b"\0" + data.schema_file.raw
        results[data.loaded.display] = cache.value(
            "validation", key, functools.partial(_validate_file, data, cache)
        )
    return results


def load_valid_facts(project: Project, cache: Cache = NO_CACHE) -> tuple[Facts, list[Problem]]:
    """Parse and validate every fact file; problems in file order, each file's parse first."""
    facts, parsed = load_facts(project, cache)
    validated = validate_facts(facts, cache)
    return facts, [p for name, found in parsed.items() for p in found + validated.get(name, [])]


def load_metadata(
    project: Project, cache: Cache = NO_CACHE
) -> tuple[Metadata | None, list[Problem]]:
    """Load and validate data/document.yaml."""
    from .facts import load_yaml
    from .metadata import metadata_from

    path = project.metadata_path
    loaded, problems = load_yaml(path, project.display(path), cache)
    if loaded is None:
        return None, problems
    # The result depends only on the file's bytes (and the engine): validated once.
    return cache.value("metadata", loaded.raw, functools.partial(metadata_from, loaded, cache))
