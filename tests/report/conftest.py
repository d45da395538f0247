"""Makes the hand-built results in ``report_synthetic.py`` importable from report and plot tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
