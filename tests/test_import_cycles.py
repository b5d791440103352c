"""Our modules import each other without circles: each layer can be read, tested and replaced
below the ones that use it. Imports inside functions count (they are still a dependency);
imports under `if TYPE_CHECKING:` do not (they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import tui_reader

ROOT = Path(tui_reader.__file__).parent
PACKAGE = "tui_reader"


def _module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[tuple[str, str | None]]:
    """What `module` imports anywhere in its body except under TYPE_CHECKING: (module, None) for
    `import module`, (module, name) for `from module import name`."""
    found: set[tuple[str, str | None]] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.update((base, alias.name) for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _targets(imported: set[tuple[str, str | None]], modules: set[str]) -> set[str]:
    """`from a import b` depends on the module a.b when there is one, else on a. A package's
    own __init__ is not counted for its submodules: Python runs it first for any of them."""
    found = set()
    for base, name in imported:
        found.add(f"{base}.{name}" if f"{base}.{name}" in modules else base)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports."""
    files = {_module_name(path): path for path in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imports(tree, name, path.name == "__init__.py")
        graph[name] = _targets(imported, set(files)) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

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
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_finder_sees_a_circle_through_a_function_level_import() -> None:
    source = {"a": "import b\n", "b": "def f():\n    from a import x\n"}
    graph = {
        name: _targets(_imports(ast.parse(text), name, False), {"a", "b"})
        for name, text in source.items()
    }
    assert cycles(graph) == [["a", "b"]]


def test_the_finder_ignores_type_checking_imports() -> None:
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n"
    assert ("a", None) not in _imports(ast.parse(text), "b", False)


def test_relative_imports_resolve_to_our_modules() -> None:
    found = _imports(ast.parse("from . import x\nfrom ..y import z\n"), "p.q.m", False)
    assert _targets(found, {"p.q", "p.q.x", "p.y"}) == {"p.q.x", "p.y"}


def test_our_modules_import_each_other_without_circles() -> None:
    assert cycles(import_graph()) == []
