"""Where the page is: the access token, the addresses to print, and their QR code."""

from __future__ import annotations

import ipaddress
import secrets
import socket

import segno

__all__ = ["make_token", "page_urls", "qr_text"]

_TOKEN_BYTES = 16  # 128 bits: not guessable over a home network


def make_token() -> str:
    """A fresh random token for the page's address (URL-safe, 22 characters)."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


def _lan_address() -> str | None:
    """This machine's address on its local network (the one its default route uses), if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            # A UDP "connect" only picks the route; nothing is sent.
            s.connect(("192.0.2.1", 9))
            addr: str = s.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(addr).is_loopback else addr


def page_urls(host: str, port: int, token: str) -> list[str]:
    """The page's address(es) for a server bound to ``host``:``port``.

    A wildcard host (``0.0.0.0``, ``::``) is reached at this machine's network address (first,
    for a phone) and at the loopback address; any other host at itself.
    """
    if host in ("0.0.0.0", "::", ""):
        hosts = [h for h in (_lan_address(), "127.0.0.1") if h is not None]
    else:
        hosts = [host]
    return [f"http://{_bracket(h)}:{port}/{token}/" for h in hosts]


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with block characters, for a phone's camera to read off a terminal."""
    qr = segno.make(url, error="m")
    lines: list[str] = []
    matrix = [list(row) for row in qr.matrix]
    border = 2
    size = len(matrix)
    full = [[0] * (size + 2 * border) for _ in range(border)]
    rows = full + [[0] * border + [int(bool(v)) for v in row] + [0] * border for row in matrix] + full
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    # Two modules per character cell (upper and lower half), dark modules as dark cells: drawn
    # light-on-dark inverted so that it reads on a dark terminal and a light one alike.
    glyph = {(0, 0): "█", (1, 0): "▄", (0, 1): "▀", (1, 1): " "}
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append("".join(glyph[(a, b)] for a, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)
