"""Imports point down the layers of the README's layout line, never back up.

The README's ``- Layout`` line lists the package's layers left to right, separated by ``→``; the
parts named in one layer are peers. A module may import its own top-level part (``imurep.pipeline``
anything within ``imurep.pipeline``) and any part of a layer to its left; not a peer, not a layer
to its right. Every import counts: module-level, inside functions, under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imurep"


def layout_layers(readme: str) -> list[list[str]]:
    """The layers of the README's layout line, each a list of module names (``imurep.cli``, …)."""
    match = re.search(r"^- Layout\b(.*?)(?=^\S|^- |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '- Layout' line"
    layers = []
    for part in match.group(1).split("→"):
        names = []
        for path in re.findall(r"`imurep/([\w./]+)`", part):
            stem = path.removesuffix(".py")
            names.append("imurep" if stem == "__init__" else f"imurep.{stem.replace('/', '.')}")
        layers.append(names)
    return layers


LAYERS = layout_layers((ROOT / "README.md").read_text(encoding="utf-8"))
LAYER_OF = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str | None:
    """The layout entry ``module`` belongs to: the longest listed name that is it or contains it."""
    if module == "imurep":
        return "imurep" if "imurep" in LAYER_OF else None
    best = None
    for name in LAYER_OF:
        if name != "imurep" and (module == name or module.startswith(name + ".")):
            if best is None or len(name) > len(best):
                best = name
    return best


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, imurep module) for every import in the source of ``module``, at any depth."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if _is_module(sub) else base))
    return [(line, name) for line, name in found if name == "imurep" or name.startswith("imurep.")]


FILES = sorted(PACKAGE.rglob("*.py"))


def test_the_layout_line_names_existing_parts_once() -> None:
    names = [name for layer in LAYERS for name in layer]
    assert len(LAYERS) >= 5 and all(LAYERS), LAYERS
    assert len(names) == len(set(names)), names
    assert [n for n in names if not _is_module(n)] == []


def test_every_module_has_a_layer() -> None:
    assert [module_name(f) for f in FILES if part_of(module_name(f)) is None] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_the_layers(path: Path) -> None:
    here = part_of(module_name(path))
    assert here is not None
    back_edges = []
    source = path.read_text(encoding="utf-8")
    for line, target in imported_modules(source, module_name(path), path.name == "__init__.py"):
        there = part_of(target)
        if there == here:
            continue
        if there is None or LAYER_OF[there] >= LAYER_OF[here]:
            back_edges.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({here} → {there})")
    assert back_edges == []


def test_the_check_sees_function_level_and_relative_imports() -> None:
    source = "def f():\n    from imurep.cli.main import main\n    from ..report import render_html\n"
    found = imported_modules(source, "imurep.pipeline.posture")
    assert found == [(2, "imurep.cli.main"), (3, "imurep.report")]
    assert LAYER_OF["imurep.cli"] > LAYER_OF["imurep.report"] > LAYER_OF["imurep.pipeline"]
