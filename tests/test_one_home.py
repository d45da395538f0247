"""Rules and constants with one home: a copy elsewhere in the package fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from imurep.samples import STANDARD_GRAVITY_M_S2

PACKAGE = Path(__file__).resolve().parents[1] / "imurep"
FILES = sorted(PACKAGE.rglob("*.py"))

# Numbers that are standard gravity (or a rounding of it) wherever they appear in code.
_GRAVITY_LITERALS = {9.80665, 9.8066, 9.807, 9.81, 9.8}


def _numbers(path: Path) -> list[tuple[int, float]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        (node.lineno, float(node.value))
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, float)
    ]


def test_standard_gravity_is_the_standard_value() -> None:
    assert STANDARD_GRAVITY_M_S2 == 9.80665  # CGPM 1901


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_standard_gravity_is_written_only_in_samples(path: Path) -> None:
    if path == PACKAGE / "samples.py":
        return
    copies = [f"{path.name}:{line} {value}" for line, value in _numbers(path) if value in _GRAVITY_LITERALS]
    assert copies == [], "import STANDARD_GRAVITY_M_S2 from imurep.samples instead"


# One spelling in code: analyze / summarize / normalize (the command is ``imurep analyze``). User
# prose (help text, messages, docs) keeps the project's British spelling; identifiers do not.
_BRITISH = re.compile(r"analys(e|ed|es|ing)(?![a-z])|summaris|normalis", re.IGNORECASE)


def _identifiers(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append((node.lineno, node.name))
        elif isinstance(node, ast.arg):
            found.append((node.lineno, node.arg))
        elif isinstance(node, ast.Name):
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_identifiers_spell_analyze_and_summarize(path: Path) -> None:
    british = sorted(
        {f"{path.name}:{line} {name}" for line, name in _identifiers(path) if _BRITISH.search(name)}
    )
    assert british == []
