"""Makes ``live_page.py`` (a running demo, headless Chromium) importable from the live page tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from live_page import new_browser  # the fixture, for the tests here

__all__ = ["new_browser"]
