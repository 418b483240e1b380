"""The shape of webapp/: no import cycle (lazy imports included), imports only down the layers, no long module.

Every module is parsed with `ast`; each `import`/`from … import` anywhere in it (module level,
inside a function, inside an `if`) is an edge. `from . import x` points at the submodule `x` when
there is one, else at the package. Importing `a.b` also imports the package `a` first, but that
implicit edge is left out: it is not a dependency the code chose, and every submodule has it.
docs/architecture.md describes the layers.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "webapp"
MAX_LINES = 250

# Layers, lowest first: a module imports from its own layer or a lower one, never a higher one
# (docs/architecture.md). A name covers the module and, for a package, everything under it.
LAYERS = {
    "foundation": ["webapp.paths", "webapp.languages", "webapp.geo", "webapp.text", "webapp.hours",
                   "webapp.clock", "webapp.places", "webapp.labels", "webapp.zones",
                   "webapp.shared", "webapp.translation", "webapp.lru"],
    "data": ["webapp.sources", "webapp.territories", "webapp.dedupe", "webapp.spatial",
             "webapp.gazetteer", "webapp.heat", "webapp.sorting", "webapp.transit",
             "webapp.catalog", "webapp.coverage"],
    "web": ["webapp.assets", "webapp.caching", "webapp.compression", "webapp.security",
            "webapp.rendering", "webapp.limits", "webapp.limit_storage", "webapp.meta", "webapp.pictos", "webapp.errors",
            "webapp.i18n", "webapp.filters", "webapp.cards", "webapp.cli", "webapp.heat_cli", "webapp.kiosk",
            "webapp.tasks", "webapp.pages", "webapp.pack", "webapp.offline"],
    "wiring": ["webapp.views", "webapp"],
}
# Only the portal layer speaks HTTP (STYLE.md §6: views never import requests).
HTTP_CLIENTS = ("requests", "requests_cache", "urllib.request", "http.client", "httpx")


def module_name(path: Path) -> str:
    """`webapp/tasks/bike.py` → `webapp.tasks.bike`; a package's `__init__.py` → the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def resolve(importer: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of a (possibly relative) import made in `importer`."""
    if not level:
        return target or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports_of(name: str, is_package: bool, source: str, known: set[str]) -> list[tuple[str, int]]:
    """(imported module of the package, line) for every import statement in the source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(name, is_package, node.level, node.module)
            # `from pkg import sub` imports the submodule; `from mod import name` the module.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        else:
            continue
        for target in targets:
            # `import webapp.a.b.name` reaches the deepest module of the package it names.
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name:
                found.append((target, node.lineno))
    return sorted(found, key=lambda edge: edge[1])


def import_graph() -> dict[str, dict[str, int]]:
    """Module → {imported module: first line importing it}."""
    found = modules()
    known = set(found)
    graph: dict[str, dict[str, int]] = {}
    for name, path in found.items():
        edges = graph.setdefault(name, {})
        source = path.read_text(encoding="utf-8")
        for target, line in imports_of(name, path.name == "__init__.py", source, known):
            edges.setdefault(target, line)
    return graph


def knots(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): each holds cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph[node]:
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One shortest cycle path per knot."""
    return [cycle_path(graph, set(component)) for component in knots(graph)]


def cycle_path(graph: dict[str, dict[str, int]], component: set[str]) -> list[str]:
    """A shortest cycle through the component's first module (breadth-first, inside it)."""
    start = min(component)
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for succ in sorted(graph[node]):
                if succ == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return path[::-1] + [start]
                if succ in component and succ not in parents:
                    parents[succ] = node
                    following.append(succ)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a component always has one


def describe(graph: dict[str, dict[str, int]], path: list[str]) -> str:
    """`a (line 3) → b (line 9) → a`: where each step of the cycle imports the next."""
    steps = [f"{a} (line {graph[a][b]})" for a, b in zip(path, path[1:])]
    return " → ".join(steps + [path[-1]])


def test_the_graph_sees_relative_and_lazy_imports():
    # Checked on a made-up module, so a regression of the parser cannot hide a real cycle.
    source = ("from . import sibling\nfrom .pkg.sub import x\nimport webapp.pkg\n"
              "def later():\n    from ..top import y\n    from .pkg import sub\n"
              "    import json\n")
    known = {"webapp", "webapp.top", "webapp.tasks", "webapp.tasks.sibling", "webapp.tasks.pkg",
             "webapp.tasks.pkg.sub", "webapp.pkg"}
    found = imports_of("webapp.tasks.probe", False, source, known)
    assert found == [("webapp.tasks.sibling", 1), ("webapp.tasks.pkg.sub", 2), ("webapp.pkg", 3),
                     ("webapp.top", 5), ("webapp.tasks.pkg.sub", 6)]
    # In a package's __init__, `.` is the package itself.
    assert imports_of("webapp.tasks", True, "from .pkg import sub\n", known) == [
        ("webapp.tasks.pkg.sub", 1)]


def test_cycles_are_found_and_named():
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 7}, "d": {"a": 1}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert describe(graph, ["a", "b", "c", "a"]) == "a (line 1) → b (line 2) → c (line 7) → a"


def test_no_import_cycle():
    graph = import_graph()
    found = knots(graph)
    # One cycle of each knot, then every module caught in it: breaking that cycle may not be all.
    assert not found, "import cycles in webapp/ (docs/architecture.md):\n" + "\n".join(
        f"{describe(graph, cycle_path(graph, set(knot)))}\n  knot: {', '.join(knot)}"
        for knot in found)


def layer_of(name: str) -> str | None:
    """The layer whose most specific entry covers the module."""
    best = max(((entry, layer) for layer, entries in LAYERS.items() for entry in entries
                if name == entry or name.startswith(entry + ".")),
               key=lambda pair: len(pair[0]), default=(None, None))
    return best[1]


def test_imports_go_down_the_layers():
    graph = import_graph()
    order = list(LAYERS)
    unplaced = sorted(name for name in graph if layer_of(name) is None)
    assert not unplaced, f"put these modules in a layer of LAYERS (docs/architecture.md): {unplaced}"
    upward = [f"{a} ({layer_of(a)}, line {line}) imports {b} ({layer_of(b)})"
              for a, edges in sorted(graph.items()) for b, line in edges.items()
              if order.index(layer_of(b)) > order.index(layer_of(a))]
    assert not upward, "imports up the layers:\n" + "\n".join(upward)


def test_only_sources_speak_http():
    speaking = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            if any(n == c or n.startswith(c + ".") for n in names for c in HTTP_CLIENTS):
                speaking.append(f"{name} (line {node.lineno})")
    outside = [where for where in speaking if not where.startswith("webapp.sources")]
    assert not outside, f"HTTP clients outside webapp/sources: {outside}"


def test_no_long_module():
    long = {name: len(path.read_text(encoding="utf-8").splitlines())
            for name, path in modules().items()}
    long = {name: count for name, count in long.items() if count > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them): " + ", ".join(
        f"{name} ({count})" for name, count in sorted(long.items()))


def test_every_module_says_what_it_is():
    # STYLE.md: one-line docstrings; a module without one is hard to place in the layers.
    missing = [name for name, path in modules().items()
               if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text("utf-8")))]
    assert not missing, f"modules without a docstring: {missing}"
