from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

from report_synthetic import full_session, knee_roll_reps, make_result

from imurep.report import render_html


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.imgs.append(dict(attrs))
        if tag == "script":
            self.scripts += 1
        for k, v in attrs:
            if k in ("href", "src") and v and not v.startswith("data:"):
                self.links.append(v)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_report_is_self_contained_with_png_figures() -> None:
    page = render_html([full_session()])
    p = _Collect()
    p.feed(page)
    assert p.links == [] and p.scripts == 0
    keys = re.findall(r'<figure id="fig-([a-z0-9_]+)"', page)
    assert keys == [
        "posture",
        "timeline",
        "reps",
        "symmetry",
        "set1_timeline",
        "set1_trend",
        "set2_timeline",
        "set2_trend",
        "quality",
    ]
    assert len(p.imgs) == len(keys)
    for img in p.imgs:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        assert img["alt"]
    text = " ".join(p.text)
    assert "10 to the left and 10 to the right" in text
    assert "Every stretch was held for about one breath" in text
    assert "time under stretch" in text


def test_everything_from_files_is_escaped() -> None:
    evil = '<script>alert("x")</script>&.csv'
    result = make_result([], source=evil, warnings=['<img src="http://evil/">'])
    page = render_html([result])
    assert "<script>" not in page and "http://evil" not in page.replace("http://evil/&quot;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;.csv" in page
    p = _Collect()
    p.feed(page)
    assert p.scripts == 0 and p.links == []


def test_dollar_signs_in_names_do_not_break_the_figures() -> None:
    page = render_html([make_result(knee_roll_reps(4), source="a$\\frac{$b.csv")])
    assert "a$\\frac{$b.csv" in page and page.count("<img ") >= 5


def test_accelerometer_only_and_gaps_are_shown() -> None:
    result = make_result(
        [], has_gyr=False, gaps=[(1_700_000_005.0, 1_700_000_006.5)], warnings=["gap at 5 s"]
    )
    page = render_html([result])
    assert "no (accelerometer only)" in page
    assert "1 (total 1.50 s)" in page
    assert "gap at 5 s" in page and "smoothness_sparc" in page
