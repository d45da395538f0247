"""One exception hierarchy for imurep.

Every error the user can cause (a bad file, a bad argument, an unknown device) is an
:class:`ImurepError`; errors caused by input data are also :class:`ValueError` so that generic
code can catch them. The CLI turns any :class:`ImurepError` into one line and a non-zero exit.
"""

from __future__ import annotations

__all__ = ["DeviceError", "ImurepError", "InputError"]


class ImurepError(Exception):
    """Base class of every error imurep raises on purpose."""


class InputError(ImurepError, ValueError):
    """Input data breaks a rule.

    Parameters
    ----------
    message
        What was expected and what arrived.
    source
        The file (or other source) the input came from, if any.
    line
        1-based line number in ``source``, if the error is tied to a line.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class DeviceError(ImurepError):
    """A device could not be found, connected, configured or decoded."""
