"""The live page: the session in a browser, with spoken cues, for a laptop, phone or tablet."""

from imurep.live.web.address import make_token, page_urls, qr_text
from imurep.live.web.hub import PageHub
from imurep.live.web.server import PageServer, serve_page

__all__ = ["PageHub", "PageServer", "make_token", "page_urls", "qr_text", "serve_page"]
