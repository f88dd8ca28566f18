"""Appendices (Phụ lục): tables declared in content/appendices.yaml, computed from the facts.

- declaration: read the declaration, number the appendices, the body's `appendix_ref`;
- tables: compute every cell from the facts, keep stated totals that differ;
- docx: build each appendix's blocks as WordprocessingML (layout.add_sections places them).
"""

from .declaration import APPENDICES_FILE, Declaration, declaration_bytes, load_declaration
from .tables import Appendices, Difference, build_appendices

__all__ = [
    "APPENDICES_FILE",
    "declaration_bytes",
    "Appendices",
    "Declaration",
    "Difference",
    "build_appendices",
    "load_declaration",
]
