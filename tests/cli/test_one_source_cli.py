"""``record``, ``live`` and ``demo`` name their source one way: the same string opens the same source."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from imurep.cli import live, record
from imurep.cli.main import build_parser, main
from imurep.recording import read_recording
from imurep.sources.spec import SourceKind, VirtualBandSettings

SAMPLES = Path(__file__).parents[2] / "recordings"


def _record_spec(*options: str):  # type: ignore[no-untyped-def]
    argv = ["record", "-o", "unused.csv", *options]
    return record.source_spec(build_parser(argv).parse_args(argv))


def _live_spec(*options: str):  # type: ignore[no-untyped-def]
    argv = ["live", *options]
    args = build_parser(argv).parse_args(argv)
    return live.source_spec(args, args.device, args.replay)


@pytest.mark.parametrize(
    "options",
    [
        ("--device", "virtual"),
        ("--device", "virtual", "--seed", "3", "--speed", "5"),
        ("--device", "AA:BB:CC:DD:EE:FF"),
        ("--device", "witmotion:WT901BLE68"),
    ],
)
def test_record_and_live_parse_the_same_device_string_to_the_same_source(options: tuple[str, ...]) -> None:
    assert _record_spec(*options) == _live_spec(*options)


def test_record_and_live_have_one_set_of_virtual_band_defaults() -> None:
    spec = _record_spec("--device", "virtual")
    assert spec.kind is SourceKind.VIRTUAL and spec.virtual == VirtualBandSettings()
    demo_args = build_parser(["demo"]).parse_args(["demo"])
    demo = live.source_spec(demo_args, "virtual", None)
    assert demo.virtual is not None and demo.virtual.seed == spec.virtual.seed  # the demo only plays faster


def test_record_and_live_stream_the_same_virtual_band(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same session, at the same rate, sample for sample (both through the real bumble stack)."""
    recorded, lived = tmp_path / "record.csv", tmp_path / "live.csv"
    common = ["--device", "virtual", "--duration", "1.5", "--speed", "10"]
    assert main(["record", *common, "-o", str(recorded)]) == 0
    assert main(["live", *common, "-o", str(lived), "--json"]) == 0
    capsys.readouterr()
    a, b = read_recording(recorded), read_recording(lived)
    for key in ("simulation", "mount", "misalignment_deg"):
        assert a.header.metadata[key] == b.header.metadata[key], key
    assert a.header.metadata["simulation"] == "kind=session seed=7"
    n = min(len(a.samples), len(b.samples))
    assert n > 500
    step_a, step_b = np.median(np.diff(a.samples.time_s)), np.median(np.diff(b.samples.time_s))
    assert step_a == pytest.approx(step_b, rel=1e-3) == pytest.approx(0.01, rel=1e-3)
    np.testing.assert_array_equal(a.samples.acc_m_s2[:n], b.samples.acc_m_s2[:n])


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["live", "--device", ""], "--device is empty: give a BLE address or name"),
        (
            ["live", "--device", "AA:BB:CC:DD:EE:FF", "--seed", "3"],
            "--seed works with the virtual device only",
        ),
        (
            ["live", "--device", "AA:BB:CC:DD:EE:FF", "--replay", str(SAMPLES / "knee_rolls.csv")],
            "--replay works with the virtual device only",
        ),
        (
            ["live", "--device", "virtual", "--replay", str(SAMPLES / "knee_rolls.csv"), "--seed", "3"],
            "--seed chooses the simulated session, which --replay replaces by the file",
        ),
        (
            ["live", "--device", "virtual", "--replay", "nowhere.csv"],
            "nowhere.csv: no such file or directory",
        ),
        (["live", "--device", "phyphox://"], "names no phone: give phyphox://HOST:PORT"),
        (["live", "--device", "virtual", "--rate-hz", "1000"], "the virtual band samples at 25-400 Hz"),
        (
            ["record", "--device", "virtual", "--rate", "5", "-o", "x.csv"],
            "the virtual band samples at 25-400 Hz",
        ),
        (["record", "--device", "AA:BB:CC:DD:EE:FF", "--seed", "1", "-o", "x.csv"], "--seed works with"),
        (
            ["record", "--device", "phyphox://192.168.1.20", "-o", "x.csv"],
            "imurep live --device phyphox://192.168.1.20 -o FILE",
        ),
        (
            ["record", "--device", "nofamily:AA:BB:CC:DD:EE:FF", "-o", "x.csv"],
            "unknown device family 'nofamily'",
        ),
        (["demo", "--rate-hz", "1"], "the virtual band samples at 25-400 Hz"),
    ],
)
def test_a_bad_source_is_one_line_and_exit_2_before_anything_opens(
    argv: list[str],
    says: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("imurep: error: ") and says in err, err
    assert not (tmp_path / "x.csv").exists()


def test_a_replay_through_the_spec_counts_the_files_reps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A replay still counts the file's reps (the spec carries the file and the units to the band)."""
    path = SAMPLES / "knee_rolls.csv"
    assert main(["live", "--device", "virtual", "--replay", str(path), "--speed", "40", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["source"] == str(path) and len(obj["reps"]) > 0
