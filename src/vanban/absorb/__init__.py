"""`vanban absorb`: a reviewer's Word edits back into the sources.

Modules: wordfile (what a reader of the .docx sees), sourcemap (where each piece of a
rendered paragraph comes from), plan (differences → edits of the sources), command (the CLI).
"""

from .command import add_absorb_command

__all__ = ["add_absorb_command"]
