"""The package's layout: no module imports, directly or through others, a module that imports it.

Imports are read with `ast` from the source, so an import deferred into a function counts
as much as one at the top of a file; importing `vanban.check.run` counts as importing the
package `vanban.check` too, since Python runs its `__init__` first.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "vanban"


def module_files(package: Path) -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the package's modules that the module imports, anywhere in its code."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # The module named is a dependency, even the package the importer sits in
            # (`from . import helper` runs that package's __init__ for its names).
            if target in modules and target != name:
                found.add(target)
            parts = target.split(".")
            # Importing a.b.c runs a/__init__ and a/b/__init__ first; the packages a module
            # sits in are run before it anyway, so they are no edge of its own.
            for end in range(1, len(parts)):
                candidate = ".".join(parts[:end])
                inside = name.startswith(candidate + ".")
                if candidate in modules and not inside:
                    found.add(candidate)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    modules = module_files(package)
    return {name: imported(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_no_import_cycles() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_the_graph_sees_deferred_and_package_imports() -> None:
    graph = import_graph(PACKAGE)
    # pipeline imports vanban.check.run's names through the package, and layout lazily.
    assert {"vanban.check", "vanban.layout", "vanban.project"} <= graph["vanban.pipeline"]
    assert "vanban.pipeline" in graph["vanban.check.command"]


def test_a_cycle_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from .sub import c\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "c.py").write_text("from ..a import x\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.sub.c"]]


def test_a_helper_taken_from_the_own_package_s_init_counts(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .a import run\ndef helper(): ...\n")
    (package / "a.py").write_text("def run():\n    from . import helper\n")
    assert cycles(import_graph(package)) == [["pkg", "pkg.a"]]


def test_the_engines_stay_below_the_build() -> None:
    graph = import_graph(PACKAGE)
    below = [n for n in graph if n.startswith(("vanban.appendix", "vanban.check."))]
    reaching_up = {
        name: sorted(graph[name] & {"vanban.pipeline"})
        for name in below
        if name != "vanban.check.command" and "vanban.pipeline" in graph[name]
    }
    assert reaching_up == {}
