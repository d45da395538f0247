"""``--mount`` is parsed once, at the command line, before anything is opened, simulated or scanned."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from imurep.cli.main import build_parser, main
from imurep.errors import InputError
from imurep.mounting_presets import MOUNT_PRESETS, MountChoice, mount_choice


def _argv(command: str, tmp: Path) -> list[str]:
    """Arguments that would make ``command`` do real work (open a missing file, scan, simulate)."""
    missing = str(tmp / "missing.csv")
    out = str(tmp / "out.csv")
    return {
        "analyze": ["analyze", missing],
        "report": ["report", missing],
        "compare": ["compare", missing],
        "batch": ["batch", str(tmp / "missing"), "-o", out],
        "evaluate": ["evaluate", str(tmp / "suite"), "--generate", "1"],
        "simulate": ["simulate", "-o", out],
        "live": ["live", "--device", "phyphox://127.0.0.1:9", "--duration", "1"],
        "demo": ["demo", "--duration", "1"],
        "record": ["record", "--device", "no-such-band", "-o", out, "--scan-timeout", "0.1"],
    }[command]


def _commands_with_mount() -> list[str]:
    parser = build_parser(["--help"])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(
        name for name, p in sub.choices.items() if any("--mount" in a.option_strings for a in p._actions)
    )


def test_every_command_with_mount_is_checked_here(tmp_path: Path) -> None:
    for command in _commands_with_mount():
        assert _argv(command, tmp_path)


@pytest.mark.parametrize("command", _commands_with_mount())
def test_an_unknown_mounting_is_refused_before_any_work(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*_argv(command, tmp_path), "--mount", "sideways"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(
        "imurep: error: unknown mounting 'sideways': use a preset ("
    )
    assert "front-belt" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, nothing simulated


def test_a_choice_is_parsed_once_into_a_value() -> None:
    rotation = mount_choice("back-belt")
    assert rotation.kind == "rotation" and rotation.text == "back-belt"
    assert np.array_equal(rotation.for_file("front-belt"), MOUNT_PRESETS["back-belt"])
    assert mount_choice("auto").for_file("front-belt") is None
    from_file = mount_choice(None)
    assert from_file.kind == "from-file"
    assert np.array_equal(from_file.for_file(" side-left "), MOUNT_PRESETS["side-left"])
    assert np.array_equal(from_file.for_file(None), MOUNT_PRESETS["front-belt"])
    assert mount_choice("calibrate").kind == "calibrate"
    with pytest.raises(InputError, match="imurep record"):
        mount_choice("calibrate", calibrate=False)
    assert isinstance(rotation, MountChoice)
