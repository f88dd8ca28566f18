"""vanban: build Vietnamese administrative documents from Markdown, YAML and Word templates."""

__version__ = "0.1.0"
