"""Counts in messages: ``1 set``, ``2 sets``, ``0 reps``."""

from __future__ import annotations

__all__ = ["count"]


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` followed by the noun in the number it needs.

    Parameters
    ----------
    n
        How many.
    singular
        The noun for one (``"rep"``).
    plural
        The noun for any other number; default: ``singular + "s"``.

    Examples
    --------
    >>> count(1, "recording"), count(2, "recording"), count(0, "rep")
    ('1 recording', '2 recordings', '0 reps')
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
