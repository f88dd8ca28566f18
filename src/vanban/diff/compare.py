"""Compare two drafts: read both through the engine, then their figures, text and fields."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..cache import user_cache
from ..classes import dataclass, replace
from ..errors import ProblemsError
from ..pipeline import Sources
from ..rendered import Narrative
from .cells import CellChange, cell_changes
from .figures import FactChange, fact_changes, fact_set
from .sides import (
    NotePlace,
    Side,
    Workspace,
    gather_side,
    locate_side,
    marked_parts,
    materialise,
    note_places,
    open_side,
)
from .text import (
    FieldChange,
    NoteChange,
    TextChange,
    appendix_titles,
    field_changes,
    note_changes,
    text_changes,
)
from .tree import Tree, TreeReader, changed_sections


@dataclass(frozen=True)
class Comparison:
    """Two sides read by the engine, and what changed between them."""

    a: Side
    b: Side
    a_sources: Sources
    b_sources: Sources
    a_tree: Tree
    b_tree: Tree
    facts: tuple[FactChange, ...]
    text: tuple[TextChange, ...]
    notes: tuple[NoteChange, ...]
    fields: tuple[FieldChange, ...]
    cells: tuple[CellChange, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.facts or self.text or self.notes or self.fields or self.cells)

    def note_place(self, name: str) -> NotePlace | None:
        """Return where a footnote, by its compared name, prints in B (in A for one B
        removed): its name as written, its number, the attached text it is in."""
        for sources in (self.b_sources, self.a_sources):
            place = note_places(sources.narrative).get(name)
            if place is not None:
                return place
        return None

    def checked(self) -> Comparison:
        """Return the comparison with B's check run, if it was left for later."""
        return replace(self, b_sources=self.b_sources.checked_now())

    @property
    def date(self) -> dt.datetime:
        """Return when B was made: its commit date, or now for a directory."""
        return self.b.date or dt.datetime.now(dt.timezone.utc)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often for a while.

    Two drafts make two large document trees of small objects: with the default thresholds
    the collector keeps walking them, a tenth of the diff's time. Nothing is leaked: the
    thresholds come back afterwards.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def compare(
    a_spec: str, b_spec: str, base: Path, workspace: Workspace, check_b_later: bool = False
) -> Comparison:
    """Compare side a_spec with side b_spec (revisions of base's repository, or directories).

    With check_b_later, B's check is left for later (Comparison.checked runs it), so that
    what else needs B's tree can start first: the redline's pandoc runs."""
    with fewer_collections():
        comparison = _compare(a_spec, b_spec, base, workspace)
        return comparison if check_b_later else comparison.checked()


def _compare(a_spec: str, b_spec: str, base: Path, workspace: Workspace) -> Comparison:
    a_place = locate_side(a_spec, base)  # a wrong side A is told first
    b = open_side(b_spec, base, workspace, "b")
    cache = user_cache()
    # pandoc reads B's Markdown while the engine checks B's facts, and only the sections of
    # A that differ from B's (the rest of A's tree is B's).
    readers = (TreeReader(cache), TreeReader(cache))
    marked: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def keep_a(narrative: Narrative) -> None:
        marked["a"] = marked_parts(a, narrative)

    def read_b(narrative: Narrative) -> None:
        marked["b"] = marked_parts(b, narrative)
        readers[1].feed(marked["b"][0])

    try:
        # B first, so that pandoc reads it while A is gathered; A's problems are still
        # reported first when both sides have some.
        b_gathered: Sources | ProblemsError
        try:
            b_gathered = gather_side(b, cache, read_b, check_later=True)
        except ProblemsError as exc:
            b_gathered = exc
        a = materialise(a_place, workspace, "a")  # out of git while pandoc reads B
        a_sources = gather_side(a, cache, keep_a)
        if isinstance(b_gathered, ProblemsError):
            raise b_gathered
        b_sources = b_gathered
        if not readers[1].fed:  # gathered despite the check's findings
            read_b(b_sources.narrative)
        if "a" not in marked:
            keep_a(a_sources.narrative)
        (a_parts, a_sections), (b_parts, b_sections) = marked["a"], marked["b"]
        a_markdown, b_markdown = "\n\n".join(a_parts), "\n\n".join(b_parts)
        partial, read = changed_sections(a_markdown, a_sections, b_markdown, b_sections)
        readers[0].feed(partial)
    except BaseException:
        for reader in readers:
            reader.cancel()
        raise
    # The facts are compared while pandoc reads.
    facts = tuple(fact_changes(fact_set(a_sources, cache), fact_set(b_sources, cache)))
    b_tree = readers[1].result(b_sections).in_appendices(appendix_titles(b_sources))
    a_tree = readers[0].result(a_sections).completed(b_tree, a_sections, read)
    a_tree = a_tree.in_appendices(appendix_titles(a_sources))
    return Comparison(
        a,
        b,
        a_sources,
        b_sources,
        a_tree,
        b_tree,
        facts,
        tuple(text_changes(a_tree, b_tree)),
        tuple(note_changes(a_tree, b_tree)),
        tuple(field_changes(a_sources.metadata, b_sources.metadata)),
        tuple(cell_changes(a_sources.appendices, b_sources.appendices)),
    )
