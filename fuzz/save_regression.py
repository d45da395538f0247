"""Turn a fuzzing finding into a regression input of the default test run.

``python fuzz/save_regression.py HARNESS CRASH_FILE`` writes the input under
``tests/data/fuzz/HARNESS/<sha1 prefix>/`` as the files the harness fed the code:

* ``recording_reader``: ``recording.csv``;
* ``importers``: the export as ``load_any`` saw it (a single file, or a folder ``export/``);
* ``analysis``: ``case.npz``, the samples, block cuts and settings the pipeline was fed
  (``fuzz/_analysis_layout.py``);
* ``ble_decoders``: ``notifications.txt``, the device profile's name on the first line, then one
  notification a line: characteristic UUID and payload in hex (empty payload: nothing after it).

The tests in ``tests/*/test_fuzz_regressions.py`` run every saved input.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _importer_layout import materialize

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    harness, crash = sys.argv[1], Path(sys.argv[2])
    data = crash.read_bytes()
    out = ROOT / "tests" / "data" / "fuzz" / harness / hashlib.sha1(data).hexdigest()[:12]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if harness == "recording_reader":
        (out / "recording.csv").write_bytes(data)
    elif harness == "importers":
        target = materialize(data, str(out))
        if target is None:
            raise SystemExit("empty input")
        empty_meta = out / "export" / "meta"
        if empty_meta.is_dir() and not any(empty_meta.iterdir()):
            empty_meta.rmdir()
        (out / "TARGET").write_text(os.path.relpath(target, out) + "\n")
    elif harness == "analysis":
        from _analysis_layout import base_recordings, make_case, save_case

        save_case(make_case(data, base_recordings()), out / "case.npz")
    elif harness == "ble_decoders":
        from _ble_layout import split

        profile, notes = split(data)
        lines = [profile.name] + [f"{uuid} {payload.hex()}" for uuid, payload in notes]
        (out / "notifications.txt").write_text("\n".join(lines) + "\n")
    else:
        raise SystemExit(f"unknown harness {harness!r}")
    print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
