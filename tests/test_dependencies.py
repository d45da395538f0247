"""pyproject's runtime dependencies are what the package imports: none unused, none missing."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imurep"

# Distribution name -> the module it installs, where the two differ.
_MODULE_OF = {"pyyaml": "yaml", "scikit-learn": "sklearn"}


def _distribution(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return name.group(0).lower()


def _imported_top_level_modules() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.partition(".")[0])
    return found


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_distribution(r) for r in project["dependencies"]}
    imported = _imported_top_level_modules()
    unused = sorted(d for d in wanted if _MODULE_OF.get(d, d.replace("-", "_")) not in imported)
    assert not unused, f"runtime dependencies the package never imports (move them to an extra): {unused}"


def test_every_third_party_import_of_the_package_is_a_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_distribution(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_distribution(r) for r in extra}
    modules = {_MODULE_OF.get(d, d.replace("-", "_")) for d in declared}
    third_party = _imported_top_level_modules() - set(sys.stdlib_module_names) - {"imurep"}
    assert third_party <= modules, f"imported but not declared: {sorted(third_party - modules)}"
