"""The targets `imurep evaluate` marks as met or not are the ones the project holds the counter to."""

from __future__ import annotations

from pathlib import Path

from imurep.cli.evaluate import TARGETS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "accuracy.md"


def test_targets_are_the_projects_accuracy_targets() -> None:
    assert TARGETS["rep_f1"] == (">=", 0.995)
    assert TARGETS["sets_exact_share"] == (">=", 0.98)
    assert TARGETS["side_accuracy"] == (">=", 1.0)
    assert TARGETS["hold_abs_err_median_s"] == ("<=", 0.3)
    assert TARGETS["hold_abs_err_p90_s"] == ("<=", 0.6)
    assert TARGETS["latency_p90_s"] == ("<=", 0.5)


def test_docs_table_states_the_same_targets() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "| ≥ 0.995 |" in text
    assert "| ≥ 98 % |" in text
    assert "≤ 0.3 s / ≤ 0.6 s" in text
