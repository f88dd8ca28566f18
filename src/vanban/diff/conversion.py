"""The redlined body's conversion, started before the Word layer loads.

B's pandoc tree with A's differences as deletion and insertion spans (body.py) goes to
pandoc by units; lxml, the redline's XML steps (vanban.diff.redline) and B's check run
while pandoc works.
"""

from __future__ import annotations

from ..cache import user_cache
from ..pandoc import BodyConversion, Units
from ..pipeline import reference_doc
from .body import Author, Marks, redline_tree
from .compare import Comparison


def start_redline(comparison: Comparison, author: Author) -> BodyConversion:
    """Start converting B's body with A's differences marked, with B's reference document:
    by units in parallel, each kept by its tree (an edit converts again the units it
    changed)."""
    marks = Marks(author.name, author.date)
    # the body only: the appendices' own texts are redlined each in its own scheme and
    # printed in their appendices' sections (redline.redline_texts)
    attached = {
        text.source
        for side in (comparison.a_sources, comparison.b_sources)
        for text in side.narrative.attached
    }
    a_blocks = [block.node for block in comparison.a_tree.blocks if block.section not in attached]
    b_blocks = [block.node for block in comparison.b_tree.blocks if block.section not in attached]
    document = comparison.b_tree.document(redline_tree(a_blocks, b_blocks, marks))
    sources = comparison.b_sources
    reference = reference_doc(sources.project, sources.narrative.headings)
    return BodyConversion(Units.of_tree(document, reference), reference, user_cache())
