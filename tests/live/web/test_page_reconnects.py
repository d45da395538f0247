"""The page left open across a restart of imurep (same port and token) picks the new session up."""

from __future__ import annotations

from typing import Any

from live_page import free_port, start_demo, stop_demo, wait_for

from imurep.live.web import make_token


def test_the_page_resumes_by_itself_when_imurep_starts_again(new_browser: Any) -> None:
    port, token = str(free_port()), make_token()
    args = ("--port", port, "--token", token, "--speed", "10", "--wait-for-page")
    first = start_demo(*args, "--duration", "4")
    try:
        d = new_browser()
        d.get(first.url)
        state = wait_for(lambda: d.execute_script("return window.imurepState"), 30, "the first session")
        first_session = state["session_id"]
        first.wait(120)  # it stops after 4 s: the page is told, and the server goes
        wait_for(
            lambda: "resumes when imurep starts again" in d.find_element("id", "banner").text,
            15,
            "the page to say the session finished and it will resume",
        )
    finally:
        stop_demo(first)
    second = start_demo(*args, "--duration", "4")
    try:
        assert second.url == first.url
        # No reload: the page reconnects, which also starts the second session (--wait-for-page).
        state = wait_for(
            lambda: d.execute_script(
                "var s = window.imurepState; return s.session_id !== arguments[0] && s.samples > 0 && s;",
                first_session,
            ),
            60,
            "the page to follow the second session",
        )
        assert state["status"] == "running"
        assert d.find_element("id", "banner").get_attribute("hidden") is not None
        second.wait(120)
    finally:
        stop_demo(second)
