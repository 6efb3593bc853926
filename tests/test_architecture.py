"""The package's structure: layers import only downwards, and no module imports itself
back through others. Every import counts, also the ones inside functions (an import
deferred for speed is still a dependency)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bpmncx"

# Bottom first. A module may import its own layer and the layers below it, never above.
LAYERS: List[Set[str]] = [
    {"errors", "vocabulary", "severity", "palette", "files", "version", "limits"},  # words, colours, safe writing
    {"model", "annotations"},  # the domain's plain data
    {"analysis", "inspect"},  # pure rules over it
    {"diff"},  # two versions compared (pure, over analyses)
    {"bpmn", "eventlog"},  # BPMN files in and out; event logs in, measured
    {"workbook"},  # the owners' workbook in and out
    {"render"},  # scenes and pictures
    {"report"},  # HTML, Excel, JSON/CSV/Markdown, the portfolio
    {"pipeline"},  # orchestration: the only layer that imports every other
    {"cli", "__init__", "__main__"},  # the command line and the package's front door
]
# What the issue "One rule in one place" asks in words, checked by name as well.
NEVER = {
    "bpmn": {"render", "report", "workbook", "pipeline", "cli", "click"},
    "analysis": {"render", "report", "workbook", "pipeline", "cli", "click", "bpmn"},
    "diff": {"render", "report", "workbook", "pipeline", "cli", "click", "bpmn"},
    "render": {"report", "workbook", "pipeline", "cli", "click"},
    "report": {"pipeline", "cli", "click"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> Set[str]:
    """Every module ``path`` imports (absolute names), at any depth of the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # "from . import styles" imports the module bpmncx.render.styles;
            # "from . import scene_for" a name of the package bpmncx.render
            for alias in node.names:
                candidate = f"{prefix}.{alias.name}"
                where = PACKAGE.parent / Path(*candidate.split("."))
                if where.with_suffix(".py").exists() or (where / "__init__.py").exists():
                    found.add(candidate)
                else:
                    found.add(prefix)
    found.discard(name)
    return found


def graph() -> Dict[str, Set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {i for i in imports_of(path) if i in modules or not i.startswith("bpmncx")}
            for name, path in modules.items()}


def area(module: str) -> str:
    """The top-level part of the package a module belongs to: bpmncx.render.graph -> render."""
    parts = module.split(".")
    if parts[0] != "bpmncx":
        return parts[0]  # a third-party package, e.g. click
    return parts[1] if len(parts) > 1 else "__init__"


def layer(module: str) -> int:
    name = area(module)
    for index, names in enumerate(LAYERS):
        if name in names:
            return index
    raise AssertionError(f"{module}: in no layer of tests/test_architecture.py; add it there")


def test_every_module_is_in_a_layer():
    for module in graph():
        layer(module)


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for module, imported in sorted(graph().items()):
        for other in sorted(imported):
            if other.startswith("bpmncx") and layer(other) > layer(module):
                upward.append(f"{module} imports {other}")
    assert upward == []


@pytest.mark.parametrize("low", sorted(NEVER))
def test_lower_packages_never_import_what_the_issue_forbids(low):
    wrong = [f"{module} imports {other}" for module, imported in sorted(graph().items())
             if area(module) == low for other in sorted(imported) if area(other) in NEVER[low]]
    assert wrong == []


def test_no_import_cycle():
    edges = graph()
    state: Dict[str, int] = {}  # 1: on the path, 2: done
    cycles: List[str] = []

    def visit(module: str, path: List[str]) -> None:
        state[module] = 1
        for other in sorted(edges.get(module, ())):
            if other not in edges:
                continue
            if state.get(other) == 1:
                cycle = path[path.index(other):] + [other]
                cycles.append(" -> ".join(cycle))
            elif other not in state:
                visit(other, path + [other])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """A check that cannot fail is no check: a module of analysis/ importing render/ is found."""
    fake = tmp_path / "bpmncx"
    (fake / "analysis").mkdir(parents=True)
    (fake / "render").mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "analysis" / "__init__.py").write_text("")
    (fake / "render" / "__init__.py").write_text("")
    (fake / "analysis" / "bad.py").write_text("def f():\n    from ..render import draw\n")
    (fake / "render" / "draw.py").write_text("from ..analysis import bad\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    edges = graph()
    assert "bpmncx.render.draw" in edges["bpmncx.analysis.bad"]
    with pytest.raises(AssertionError):
        test_no_module_imports_a_layer_above_its_own()
    with pytest.raises(AssertionError):
        test_no_import_cycle()
