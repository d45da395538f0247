"""What the commands say: counts in the right number, --mount choices that work, hints that help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imurep.cli.main import main
from imurep.plural import count

SAMPLES = Path(__file__).resolve().parents[2] / "recordings"


def test_count_uses_the_singular_for_one_only() -> None:
    assert [count(n, "set") for n in (0, 1, 2)] == ["0 sets", "1 set", "2 sets"]
    assert count(1, "recording") == "1 recording"
    assert count(3, "analysis", "analyses") == "3 analyses"


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("command", ["live", "demo"])
def test_live_help_does_not_offer_calibrate(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help([command], capsys)
    assert "'auto'" in shown and "calibrate" not in shown


def test_live_with_mount_calibrate_says_where_it_works(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["live", "--device", "virtual", "--duration", "1", "--mount", "calibrate"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "unknown mounting" not in err and "imurep record" in err and "--mount auto" in err


@pytest.mark.parametrize("command", ["analyze", "report", "batch", "compare"])
def test_commands_that_read_a_whole_recording_offer_calibrate(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "'calibrate'" in _help([command], capsys)


@pytest.mark.parametrize("command", ["analyze", "report"])
def test_help_explains_the_quality_columns(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help([command], capsys)
    assert re.search(r"smooth: .*SPARC", shown) and "steady_deg: hold steadiness" in shown


def test_summary_of_one_set_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SAMPLES / "heels_stretch.csv")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"reps? in 1 set\b", out), out.splitlines()[0]
    assert "1 sets" not in out
    assert "smooth: " in out and "steady_deg: " in out


def test_no_adapter_suggests_the_virtual_band(capsys: pytest.CaptureFixture[str]) -> None:
    if Path("/sys/class/bluetooth").exists() and any(Path("/sys/class/bluetooth").iterdir()):
        pytest.skip("this machine has a Bluetooth adapter")
    assert main(["devices"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--device virtual" in err


def test_live_from_a_dead_phyphox_address_says_connecting(capsys: pytest.CaptureFixture[str]) -> None:
    # Port 9 on localhost: nothing listens. --json puts the view on stderr.
    code = main(["live", "--device", "phyphox://127.0.0.1:9", "--duration", "1", "--json"])
    err = capsys.readouterr().err
    assert code == 0  # stopped by --duration before phyphox's retries give up
    assert "connecting" in err and "0 Hz" not in err and "connected" not in err


def test_no_message_puts_a_count_before_a_plural_noun_by_hand() -> None:
    """'{n} reps' reads '1 reps' for one: the user-facing layers spell counts with plural.count."""
    package = Path(__file__).resolve().parents[2] / "imurep"
    by_hand = re.compile(r"\{[^{}]*\} (reps|sets|recordings|gaps|files|sessions|days|holds)\b")
    found = [
        f"{path.relative_to(package)}:{i}"
        for folder in ("cli", "report", "plots", "analysis", "live")
        for path in sorted((package / folder).glob("*.py"))
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert not found, found


def test_knee_rolls_counted_as_heels_stretch_say_what_was_seen(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(SAMPLES / "knee_rolls.csv"), "--exercise", "heels-stretch"])
    out = capsys.readouterr().out
    assert code == 0 and "0 reps" in out
    assert "no rep found; seen: lying on the back" in out
    assert "is where knee rolls start" in out and "try --exercise auto" in out


def test_a_wrong_mounting_says_what_was_seen(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(SAMPLES / "knee_rolls.csv"), "--mount", "back-belt"])
    out = capsys.readouterr().out
    assert code == 0 and "0 reps" in out
    assert re.search(r"\d+ movements not counted \(.*off_axis \d+", out)
    assert "try --mount auto" in out


def test_the_right_exercise_gives_no_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SAMPLES / "knee_rolls.csv"), "--exercise", "knee-rolls"]) == 0
    out = capsys.readouterr().out
    assert "no rep found" not in out and "try --exercise" not in out
