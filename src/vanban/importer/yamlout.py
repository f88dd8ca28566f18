"""The YAML the import writes: Unicode kept, block style, a leading comment."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


def _yaml() -> YAML:
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def dump_yaml(data: Any, comment: str = "") -> str:
    """Return data as YAML text, with a leading comment."""
    stream = io.StringIO()
    _yaml().dump(data, stream)
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + stream.getvalue()
