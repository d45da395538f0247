"""The live page in headless Chromium against the virtual band's simulated session.

What a person on the mat sees and hears: the counts on the page are the session's reps, the hold
timer fills to one breath and resets, the cues come in order ("three, left", "breathe out, come
back", the target, the dropped link), a reload mid-session resumes where it was, and the page
without its token is refused.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from live_page import Demo, start_demo, stop_demo, wait_for

from imurep.live.cues import number_words

# Records what the page's count boxes show, each time they change (read off the DOM, as a user would).
_WATCH_COUNTS = """
window.testSeen = [];
var box = document.getElementById('counts');
new MutationObserver(function () {
  var row = Array.from(box.querySelectorAll('.count')).map(function (c) {
    return c.querySelector('.side').textContent + '=' + c.querySelector('.n').textContent;
  }).join(' ');
  var seen = window.testSeen;
  if (!seen.length || seen[seen.length - 1] !== row) seen.push(row);
}).observe(box, {subtree: true, childList: true, characterData: true});
window.testPending = [];
var pending = document.getElementById('pending');
new MutationObserver(function () {
  if (!pending.hidden) window.testPending.push(pending.textContent);
}).observe(pending, {subtree: true, childList: true, characterData: true, attributes: true});
"""

TARGET = 5
DROP_AT_S = 120.0


@pytest.fixture(scope="module")
def session() -> Any:
    """One demo session at ten times real time, target 5 per side, the link dropped once.

    It starts once a page has connected (the token test, first, connects none).
    """
    demo = start_demo(
        "--wait-for-page",
        "--port",
        "0",
        "--speed",
        "10",
        "--target-reps",
        str(TARGET),
        "--drop-link-at",
        str(DROP_AT_S),
    )
    yield demo
    stop_demo(demo)


def _js(d: Any, script: str) -> Any:
    return d.execute_script(script)


def test_without_the_token_nothing_is_served(session: Demo, new_browser: Any) -> None:
    base = session.url.rsplit("/", 2)[0]  # http://host:port
    token = session.url.rstrip("/").rsplit("/", 1)[1]
    for path in ("/", "/page.js", "/state", f"/{token[:-1]}x/", f"/{token[:-1]}x/state", "/favicon.ico"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + path, timeout=10)
        assert e.value.code == 403, path
        assert b"counts" not in e.value.read()
    with urllib.request.urlopen(session.url + "state", timeout=10) as ok:
        assert ok.status == 200
    d = new_browser()
    d.get(base + "/")
    assert "403 Forbidden" in d.find_element("tag name", "body").text
    assert d.find_elements("id", "counts") == []


def test_the_page_follows_the_session_and_cues_it(session: Demo, new_browser: Any) -> None:
    watcher = new_browser()
    watcher.get(session.url)
    wait_for(lambda: _js(watcher, "return window.imurepState !== null"), 30, "the page's first snapshot")
    _js(watcher, _WATCH_COUNTS)
    watcher.find_element("id", "sound").click()  # a person taps "sound on": tones through WebAudio

    # Meanwhile a second browser loads the page, and reloads it mid-session.
    other = new_browser(window="412,915")  # a phone, portrait
    other.get(session.url)
    reps_before = wait_for(
        lambda: _js(other, "var s = window.imurepState; return s && s.session_reps >= 3 && s.session_reps"),
        120,
        "three reps on the second page",
    )
    last_cued = _js(
        other,
        "return Math.max.apply(null, window.imurepCues.filter("
        "function (c) { return c.kind === 'rep'; }).map(function (c) { return c.rep_index; }))",
    )
    other.refresh()
    # The reloaded page shows the session where it is at once (from the snapshot), not from zero.
    resumed = wait_for(lambda: _js(other, "return window.imurepState"), 10, "the snapshot after the reload")
    assert resumed["session_reps"] >= reps_before
    shown = sum(int(e.text) for e in other.find_elements("css selector", "#counts .n"))
    assert shown == sum(c["count"] for c in resumed["counts"])
    assert resumed["status"] == "running"

    result = session.wait()
    wait_for(lambda: _js(watcher, "return window.imurepState.status === 'ended'"), 10, "the end on the page")
    reps = result["reps"]
    cues = _js(watcher, "return window.imurepCues")
    kinds = [c["kind"] for c in cues]

    # Every rep cued once, in order, as "count, side" within its set.
    rep_cues = [c for c in cues if c["kind"] == "rep"]
    assert [c["rep_index"] for c in rep_cues] == [r["index"] for r in reps]
    expected: list[str] = []
    for s in result["sets"]:
        counts = {"left": 0, "right": 0, None: 0}
        for r in reps:
            if r["exercise"] == s["exercise"] and s["start_s"] <= r["start_s"] <= s["end_s"]:
                counts[r["side"]] += 1
                n = number_words(counts[r["side"]])
                expected.append(f"{n}, {r['side']}" if r["side"] else n)
    assert [c["text"] for c in rep_cues] == expected

    # A hold of one breath is cued before its rep's count.
    for r in reps:
        if r["hold_s"] >= 4.0:
            i_hold = next(
                i for i, c in enumerate(cues) if c["kind"] == "hold" and c["rep_index"] == r["index"]
            )
            i_rep = next(i for i, c in enumerate(cues) if c["kind"] == "rep" and c["rep_index"] == r["index"])
            assert i_hold < i_rep, r["index"]

    # The target: five each side in the knee rolls, then five stretches, cued right after the rep.
    target_texts = [c["text"] for c in cues if c["kind"] == "target"]
    five = number_words(TARGET)
    assert len(target_texts) == 3 and target_texts[-1] == f"{five}: set complete, well done"
    first_target = kinds.index("target")
    before = cues[first_target - 1]
    first_side = before["text"].split(", ")[1]
    assert before["kind"] == "rep" and before["text"] == f"{five}, {first_side}"
    assert target_texts[0] == f"{five} on the {first_side}: now the other side"
    assert target_texts[1] == f"{five}: set complete, well done"

    # The dropped link: warned, then back; and the page says it happened.
    assert kinds.index("link_lost") < kinds.index("link_back")
    assert "dropped 1×" in watcher.find_element("id", "link-state").text
    alerts = _js(watcher, "return window.imurepAlerts")
    assert alerts.index("LINK LOST: keep still, reconnecting…") < alerts.index("Link back: carry on")
    assert kinds[-1] == "end"
    assert all(c["sounded"] for c in cues)  # sound was on: every cue had its tone

    # What the page showed: the knee-roll counts went up to the set's, per side; the stretch's too.
    seen = _js(watcher, "return window.testSeen")
    knee, heels = result["sets"]
    assert f"◀ LEFT={knee['left']} RIGHT ▶={knee['right']}" in seen
    assert f"REPS={heels['reps']}" in seen
    assert watcher.find_element("id", "count-reps").find_element("css selector", ".n").text == str(
        heels["reps"]
    )
    assert (
        watcher.find_element("id", "count-reps").find_element("css selector", ".of").text.strip()
        == f"/ {TARGET}"
    )

    # A set's first movement waits for the next to confirm it: shown apart, never as a count.
    assert "+1 movement being checked" in _js(watcher, "return window.testPending")

    # The hold timer filled gradually to one breath, and went back to empty after.
    hold = _js(watcher, "return window.imurepHold")
    assert any(0 < h < 1 for h in hold)
    full = hold.index(1)
    assert 0 in hold[full:]

    # The reloaded page spoke no cue twice.
    again = _js(
        other,
        "return window.imurepCues.filter(function (c) { return c.kind === 'rep'; })"
        ".map(function (c) { return c.rep_index; })",
    )
    assert again and min(again) > last_cued
