"""The build: load facts → validate → render narrative → convert → assemble → write."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, ProblemsError, ProjectError, relpath
from .facts import Loaded, check_schema, load_yaml, plain, unit_of, validate
from .metadata import Metadata, metadata_from
from .narrative import FactTree, Narrative, render_narrative
from .pandoc import markdown_to_docx

METADATA_FILE = "document.yaml"


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

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

    def content_files(self) -> list[Path]:
        return sorted(self.content_dir.glob("*.md"))

    def fact_files(self) -> list[Path]:
        return sorted(p for p in self.data_dir.glob("*.yaml") if p.name != METADATA_FILE)


def open_project(root: Path) -> Project:
    """Return the project at root, or explain which part is missing."""
    project = Project(root.resolve())
    missing = [
        name
        for name, path in (
            ("content/", project.content_dir),
            ("data/", project.data_dir),
            ("data/" + METADATA_FILE, project.data_dir / METADATA_FILE),
        )
        if not path.exists()
    ]
    if missing:
        raise ProjectError(f"{root}: not a vanban report directory: missing {', '.join(missing)}")
    return project


@dataclass(frozen=True)
class DataFile:
    """One validated fact file with its schema."""

    name: str
    loaded: Loaded
    schema: dict[str, Any]


@dataclass(frozen=True)
class Facts:
    """All fact files of a report, by the name templates use (data/an-sinh.yaml → an_sinh)."""

    files: dict[str, DataFile]
    unavailable: frozenset[str] = frozenset()

    def context(self) -> dict[str, FactTree]:
        """Return the template names: one FactTree per data file."""
        return {
            name: FactTree(f.loaded.document, name, _unit_lookup(f.schema, name))
            for name, f in self.files.items()
        }


def _unit_lookup(schema: dict[str, Any], name: str) -> Callable[[str], str | None]:
    def lookup(dotted: str) -> str | None:
        return unit_of(schema, tuple(dotted.split(".")[1:]))

    return lookup


def template_name(path: Path) -> str:
    """Return the name a data file has in templates: its stem with "-" as "_"."""
    return path.stem.replace("-", "_")


def load_facts(project: Project) -> tuple[Facts, list[Problem]]:
    """Load every fact file with its schema; collect every problem."""
    problems: list[Problem] = []
    files: dict[str, DataFile] = {}
    unavailable: set[str] = set()
    for path in project.fact_files():
        display = project.display(path)
        loaded, found = load_yaml(path, display)
        problems += found
        if loaded is None:
            unavailable.add(template_name(path))
            continue
        schema_path = project.schema_dir / path.name
        schema: dict[str, Any] = {}
        if not schema_path.exists():
            problems.append(
                Problem(display, 0, 0, f"no schema: expected {project.display(schema_path)}")
            )
        else:
            schema_loaded, found = load_yaml(schema_path, project.display(schema_path))
            problems += found
            if schema_loaded is not None:
                schema = plain(schema_loaded.document)
                found = check_schema(schema, schema_loaded.display)
                if not found:
                    found = validate(loaded, schema, schema_loaded.display)
                problems += found
        files[template_name(path)] = DataFile(template_name(path), loaded, schema)
    return Facts(files, frozenset(unavailable)), problems


def load_metadata(project: Project) -> tuple[Metadata | None, list[Problem]]:
    """Load and validate data/document.yaml."""
    path = project.data_dir / METADATA_FILE
    loaded, problems = load_yaml(path, project.display(path))
    if loaded is None:
        return None, problems
    return metadata_from(loaded)


@dataclass(frozen=True)
class Sources:
    """Everything a build needs, gathered and checked before anything is written."""

    project: Project
    facts: Facts
    metadata: Metadata
    narrative: Narrative


def gather(project: Project) -> Sources:
    """Load, validate and render every source; raise with all problems found."""
    facts, problems = load_facts(project)
    metadata, found = load_metadata(project)
    problems += found
    context: dict[str, Any] = dict(facts.context())
    if metadata is not None:
        context["document"] = metadata
    sources = [(project.display(p), p) for p in project.content_files()]
    if not sources:
        problems.append(
            Problem(project.display(project.content_dir), 0, 0, "no Markdown sections (*.md)")
        )
    narrative, found = render_narrative(sources, context, facts.unavailable)
    problems += found
    if problems or metadata is None:
        raise ProblemsError(problems)
    return Sources(project, facts, metadata, narrative)


def render_docx(sources: Sources) -> bytes:
    """Convert the narrative with pandoc and put the masthead and closing around it."""
    from .layout import assemble

    templates = sources.project.templates_dir
    reference = templates / "reference.docx"
    if not reference.exists():
        raise ProjectError(f"missing {sources.project.display(reference)}: run `vanban templates`")
    body = markdown_to_docx(sources.narrative.markdown, reference)
    return assemble(body, templates, sources.metadata.template_context())


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path so that a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def output_path(sources: Sources) -> Path:
    return sources.project.build_dir / f"{sources.metadata.output}.docx"


def build(root: Path, output: Path | None = None) -> Path:
    """Build the report at root into build/<output>.docx; nothing is written on failure."""
    project = open_project(root)
    sources = gather(project)
    document = render_docx(sources)
    target = output or output_path(sources)
    write_atomic(target, document)
    return target
