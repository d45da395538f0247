"""Session reports: HTML and Markdown pages with figures, from :mod:`imurep.summary`.

The data (summaries, verdicts, trends, progress, the JSON object and rep rows) is in
:mod:`imurep.summary`, which needs no plotting library.
"""

from __future__ import annotations

from imurep.report.html import render_html
from imurep.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
