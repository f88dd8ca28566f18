"""`vanban diff`: what changed between two drafts — figures, text, footnotes — and a Word redline.

Modules: sides (read a revision or directory), tree (pandoc's tree of the rendered Markdown),
align (blocks and words), figures, text, body (the redline tree), revisions (w:ins/w:del),
redline (the DOCX), report (text, Markdown, JSON), textconv (git), command (the CLI).
"""

from .command import add_diff_command

__all__ = ["add_diff_command"]
