"""Colours and axes helpers shared by every plot: the Okabe-Ito colour-blind-safe palette."""

from __future__ import annotations

from matplotlib.axes import Axes

__all__ = [
    "EXERCISE_COLOURS",
    "OKABE_ITO",
    "POSTURE_COLOURS",
    "SIDE_COLOURS",
    "new_axes",
    "plain_text",
    "side_colour",
    "side_label",
]

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

SIDE_COLOURS: dict[str, str] = {
    "left": OKABE_ITO["blue"],
    "right": OKABE_ITO["vermillion"],
    "heels": OKABE_ITO["bluish_green"],
    "unknown": OKABE_ITO["reddish_purple"],
}

EXERCISE_COLOURS: dict[str, str] = {
    "knee_rolls": OKABE_ITO["sky_blue"],
    "heels_stretch": OKABE_ITO["bluish_green"],
}

POSTURE_COLOURS: dict[str, str] = {
    "standing": OKABE_ITO["orange"],
    "supine": OKABE_ITO["sky_blue"],
    "all_fours": OKABE_ITO["bluish_green"],
    "side_lying": OKABE_ITO["reddish_purple"],
    "prone": OKABE_ITO["blue"],
    "moving": OKABE_ITO["yellow"],
    "unknown": "#BBBBBB",
}


def side_colour(exercise: str, side: str | None) -> str:
    """Colour of a rep: by side for knee rolls, one colour for the heels stretch."""
    if exercise == "heels_stretch":
        return SIDE_COLOURS["heels"]
    return SIDE_COLOURS[side] if side in ("left", "right") else SIDE_COLOURS["unknown"]


def side_label(exercise: str, side: str | None) -> str:
    """Legend label matching :func:`side_colour`."""
    if exercise == "heels_stretch":
        return "heels stretch"
    return f"{side} side" if side in ("left", "right") else "side unknown"


def new_axes(ax: Axes | None, figsize: tuple[float, float] = (8.0, 3.5)) -> Axes:
    """``ax`` itself, or the axes of a new pyplot figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def plain_text(text: str) -> str:
    """``text`` shown literally by matplotlib (a ``$`` would start mathtext, which can fail to parse)."""
    return text.replace("$", r"\$")
