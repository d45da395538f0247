"""Docstrings document every parameter: of every public function that has a Parameters section,
and of every entry point a user reaches from ``imurep``, ``imurep.analysis``, ``imurep.summary``,
``imurep.plots`` and ``imurep.report``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

import imurep

_SECTION = re.compile(r"^Parameters\n-+\n(.*?)(?=\n\n\S[^\n]*\n-+\n|\Z)", re.DOTALL | re.MULTILINE)
USER_MODULES = ("imurep", "imurep.analysis", "imurep.summary", "imurep.plots", "imurep.report")


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(imurep.__path__, "imurep."):
        if not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


def _functions(module: ModuleType, own_only: bool) -> Iterator[tuple[str, Callable[..., object]]]:
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if own_only and getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if inspect.isfunction(member) and not attr.startswith("_"):
                    yield f"{name}.{attr}", member


def _parameters(f: Callable[..., object]) -> list[str]:
    return [p for p in inspect.signature(f).parameters if p not in ("self", "cls")]


def documented(doc: str) -> set[str] | None:
    """Names the Parameters section lists (``a, b`` lines list both), ``None`` without one."""
    match = _SECTION.search(doc)
    if match is None:
        return None
    names: set[str] = set()
    for line in match.group(1).splitlines():
        if line and not line[0].isspace():
            names |= {n.strip().lstrip("*") for n in line.split(" : ")[0].split(",")}
    return names


def _undocumented(f: Callable[..., object], need_section: bool) -> list[str]:
    params = _parameters(f)
    names = documented(inspect.getdoc(f) or "")
    if names is None:
        return ["no Parameters section"] if need_section and params else []
    return [p for p in params if p not in names]


PUBLIC = sorted(
    {f"{m.__name__}.{name}": f for m in _modules() for name, f in _functions(m, own_only=True)}.items()
)
USER = sorted(
    {
        f"{name}": f
        for m in map(importlib.import_module, USER_MODULES)
        for name, f in _functions(m, own_only=False)
    }.items()
)


@pytest.mark.parametrize(("name", "f"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_a_parameters_section_lists_every_parameter(name: str, f: Callable[..., object]) -> None:
    assert _undocumented(f, need_section=False) == []


@pytest.mark.parametrize(("name", "f"), USER, ids=[n for n, _ in USER])
def test_user_entry_points_document_every_parameter(name: str, f: Callable[..., object]) -> None:
    assert _undocumented(f, need_section=True) == []


def test_the_check_reads_grouped_names_and_sees_a_missing_one() -> None:
    def f(a: int, b: int, c: int) -> None:
        """Do.

        Parameters
        ----------
        a, b
            Numbers.

        Returns
        -------
        Nothing.
        """

    assert documented(inspect.getdoc(f) or "") == {"a", "b"}
    assert _undocumented(f, need_section=True) == ["c"]
