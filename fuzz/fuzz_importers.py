"""Fuzz the importers through ``imurep.importers.load_any``, on a file or a folder of files.

Input: one selector byte, then file contents separated by ``\\n--8<--\\n``. The selector picks
the file names, i.e. which exporter the files pretend to come from (names matter: Sensor
Logger is recognised by ``TotalAcceleration.csv``, MetaBase by "gravity"/"linear" in the name,
a zip by its bytes). One part is loaded as a single file, several as a folder.

Contract: an ``ImportedRecording`` with finite samples and strictly increasing times, or an
``InputError`` (an ``ImurepError``); nothing else.

Run: ``python fuzz/fuzz_importers.py fuzz/corpus/importers -max_total_time=600``
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["imurep"]):
    from imurep.importers import load_any

sys.path.insert(0, os.path.dirname(__file__))
from _contract import ALLOWED, check_samples, scratch_dir
from _importer_layout import materialize

_ROOT = scratch_dir()


def test_one_input(data: bytes) -> None:
    target = materialize(data, _ROOT)
    if target is None:
        return
    try:
        imported = load_any(target)
    except ALLOWED:
        return
    check_samples(imported.block, f"load_any ({imported.format})")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
