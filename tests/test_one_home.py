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


def _module_names(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        (node.lineno, target.id)
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    ]


def test_what_a_gap_is_is_defined_once() -> None:
    """A step between samples is a gap by one rule (``imurep.samples.gap_limit_s``): no module
    keeps a gap threshold of its own (BLE command pauses are not data gaps)."""
    copies = [
        f"{path.relative_to(PACKAGE)}:{line} {name}"
        for path in FILES
        if path.name != "samples.py"
        for line, name in _module_names(path)
        if "GAP" in name.upper() and not name.upper().startswith("_COMMAND_GAP")
    ]
    assert copies == []


def test_the_timebase_and_the_import_checks_see_the_same_gaps() -> None:
    import numpy as np

    from imurep.importers.units import check_samples
    from imurep.pipeline.timebase import TimebaseMonitor
    from imurep.samples import SampleBlock, gap_limit_s

    period_s = 0.01
    limit_s = gap_limit_s(period_s)
    for step_s, is_gap in ((limit_s * 0.99, False), (limit_s * 1.01, True)):
        first = np.arange(500) * period_s
        t = np.concatenate([first, first[-1] + step_s + np.arange(500) * period_s])
        acc = np.tile([0.0, 0.0, STANDARD_GRAVITY_M_S2], (t.size, 1))
        block = SampleBlock(t, acc, None)
        monitor = TimebaseMonitor()
        monitor.process(block)
        said = [w for w in check_samples(block) if "gap" in w]
        assert (len(monitor.gaps) == 1) == is_gap and bool(said) == is_gap


def test_the_band_rate_is_clamped_in_one_place() -> None:
    """The band's 25-400 Hz range has one home (``imurep.ble.band.band_rate_hz``): no copy of the
    clamp elsewhere (a device with other limits, the Thingy:52, clamps to its own constants)."""
    from imurep.ble.band import MAX_RATE_HZ, MIN_RATE_HZ, band_rate_hz

    assert [band_rate_hz(r) for r in (1.0, 25.4, 99.6, 400.0, 1e4)] == [
        MIN_RATE_HZ,
        25,
        100,
        400,
        MAX_RATE_HZ,
    ]
    copies = [
        f"{path.relative_to(PACKAGE)}:{i}"
        for path in FILES
        if path.name != "band.py"
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"min\(max\(round\(.*\b25\b.*\b400\b", line)
    ]
    assert copies == []


def _clamp_calls(path: Path) -> list[str]:
    """``min``/``max``/``clip`` calls of ``path`` that bound by the band's rate range: its constants
    (imported from ``imurep.ble.band``) or the literals 25 and 400 together."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    band_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "imurep.ble.band"
        for alias in node.names
        if alias.name in ("MIN_RATE_HZ", "MAX_RATE_HZ")
    }
    where = {
        id(inner): node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in ("min", "max", "clip", "clamp"):
            continue
        inside = list(ast.walk(node))
        numbers = {
            n.value for n in inside if isinstance(n, ast.Constant) and isinstance(n.value, int | float)
        }
        names = {n.id for n in inside if isinstance(n, ast.Name)} | {
            n.attr for n in inside if isinstance(n, ast.Attribute)
        }
        if {25, 400} <= numbers or names & band_names or {"MIN_RATE_HZ", "MAX_RATE_HZ"} <= names:
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} in {where.get(id(node), 'module')}")
    return found


def test_the_band_rate_range_is_applied_only_by_band_rate_hz() -> None:
    """No ``min(max(...))`` of the band's range outside ``band_rate_hz``, in any spelling: the
    literals, the constants, ``np.clip``. (In ``band.py`` itself only ``band_rate_hz`` clamps.)"""
    copies = [c for path in FILES for c in _clamp_calls(path)]
    assert [c for c in copies if not (c.startswith("ble/band.py:") and c.endswith(" in band_rate_hz"))] == []
    assert copies  # the one clamp is found (so that a copy would be)


class _Writes:
    """A GATT writer that keeps what it was asked to write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    async def write_gatt_char(self, _uuid: str, data: bytes, response: bool = False) -> None:
        self.writes.append(bytes(data))


@pytest.mark.parametrize("asked_hz", [1.0, 24.6, 52.0, 99.6, 400.4, 1e4])
async def test_the_band_is_started_at_band_rate_hz(asked_hz: float) -> None:
    """What the client asks the band for (its START) is ``band_rate_hz`` of the rate wanted."""
    from imurep.ble.band import BAND_PROFILE, Command, band_rate_hz, parse_command

    client = _Writes()
    await BAND_PROFILE.start(client, asked_hz)
    commands = [parse_command(w) for w in client.writes]
    assert commands == [(Command.SET_RATE, (band_rate_hz(asked_hz),)), (Command.START, ())]


def test_the_virtual_band_accepts_the_rates_of_the_band_constants() -> None:
    """The parser's range for ``--device virtual`` is the band's (not a copy of its numbers)."""
    from imurep.ble.band import MAX_RATE_HZ, MIN_RATE_HZ
    from imurep.errors import InputError
    from imurep.sources.spec import parse_device

    assert parse_device("virtual", rate_hz=float(MIN_RATE_HZ)).rate_hz == MIN_RATE_HZ
    assert parse_device("virtual", rate_hz=float(MAX_RATE_HZ)).rate_hz == MAX_RATE_HZ
    for outside in (MIN_RATE_HZ - 0.5, MAX_RATE_HZ + 0.5):
        with pytest.raises(InputError, match=f"{MIN_RATE_HZ}-{MAX_RATE_HZ} Hz"):
            parse_device("virtual", rate_hz=outside)
