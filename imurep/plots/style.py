"""Colours and axes helpers shared by every plot: the Okabe-Ito colour-blind-safe palette."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

__all__ = [
    "EXERCISE_COLOURS",
    "OKABE_ITO",
    "POSTURE_COLOURS",
    "SIDE_COLOURS",
    "exercise_colour",
    "integer_ticks",
    "legend_beside",
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
    "unknown": "#BBBBBB",
}


def exercise_colour(exercise: str) -> str:
    """Colour of an exercise's sets and lines; black for one registered without a colour here.

    Parameters
    ----------
    exercise
        API name of the exercise.
    """
    return EXERCISE_COLOURS.get(exercise, OKABE_ITO["black"])


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


def legend_beside(
    ax: Axes,
    handles: Sequence[Artist] | None = None,
    labels: Sequence[str] | None = None,
    *,
    below: bool = False,
) -> None:
    """The legend outside the axes, so that it never covers what is drawn.

    Parameters
    ----------
    ax
        The axes.
    handles, labels
        As :meth:`matplotlib.axes.Axes.legend`; default: the labelled artists of ``ax``.
    below
        Under the axis label instead of to the right (for narrow axes side by side).
    """
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    elif labels is None:
        labels = [str(h.get_label()) for h in handles]
    if below:
        # Anchored a fixed 34 points under the axes: below the tick labels and the axis label.
        offset = ScaledTranslation(0.0, -34.0 / 72.0, ax.figure.dpi_scale_trans)
        ax.legend(
            list(handles),
            list(labels),
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=ax.transAxes + offset,
            borderaxespad=0.0,
            fontsize="small",
            frameon=False,
        )
        return
    ax.legend(
        list(handles),
        list(labels),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        fontsize="small",
        frameon=False,
    )


def integer_ticks(ax: Axes) -> None:
    """Whole numbers only on the x axis (rep numbers: no 2.5)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def plain_text(text: str) -> str:
    """``text`` shown literally by matplotlib (a ``$`` would start mathtext, which can fail to parse)."""
    return text.replace("$", r"\$")
