from __future__ import annotations

import re
from pathlib import Path

from report_synthetic import full_session, make_result

from imurep.report import render_markdown


def test_figures_are_written_beside_and_linked(tmp_path: Path) -> None:
    md = render_markdown([full_session()], figures_dir=tmp_path / "r_files", link_base=tmp_path)
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert len(links) == 9
    for link in links:
        assert not Path(link).is_absolute()
        assert (tmp_path / link).read_bytes()[:4] == b"\x89PNG"
    assert "| # | side | start, s | range, deg |" in md
    assert md.count("\n| 1 | left |") == 1


def test_without_a_folder_figures_are_left_out_and_it_says_so() -> None:
    md = render_markdown([full_session()])
    assert "![" not in md and "Figures are left out" in md


def test_text_from_files_is_inert() -> None:
    md = render_markdown([make_result([], source="a|b*<x>[y](z)\nrest")])
    assert "## a\\|b\\*\\<x\\>\\[y\\](z) rest" in md
