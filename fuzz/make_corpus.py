"""Write the seed corpora of the harnesses into ``fuzz/corpus/<harness>/`` (not committed).

Seeds come from the repository's own data: ``recordings/`` and ``tests/data/`` (real exports and
recordings, cut to their first lines so that each execution stays fast), the synthetic app
exports of ``tests/importers/importer_layouts.py``, and the decoders' valid vectors (the band's
own encoder, the vendor vectors of ``tests/ble/devices``).

Run: ``python fuzz/make_corpus.py``
"""

from __future__ import annotations

import hashlib
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fuzz" / "corpus"
_LINES = 40  # rows kept of each seed file

sys.path.insert(0, str(ROOT / "fuzz"))
sys.path.insert(0, str(ROOT / "tests" / "importers"))


def _head(path: Path, lines: int = _LINES) -> bytes:
    with path.open("rb") as f:
        return b"".join(line for _, line in zip(range(lines), f, strict=False))


def _save(harness: str, data: bytes) -> None:
    folder = CORPUS / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)


def recording_seeds() -> None:
    files = sorted(ROOT.glob("recordings/*.csv")) + sorted(ROOT.glob("tests/data/real/*/*.csv"))
    for path in files:
        head = _head(path)
        _save("recording_reader", head)
        _save("recording_reader", head[:-7])  # a torn last line
    for path in sorted(ROOT.glob("tests/data/formats/*/*")):
        if path.suffix in (".csv", ".txt"):
            _save("recording_reader", _head(path, 10))


def importer_seeds() -> None:
    import importer_layouts as layouts
    from _importer_layout import NAME_SETS, SEPARATOR

    def pack(selector: int, files: list[Path]) -> bytes:
        return bytes([selector]) + SEPARATOR.join(_head(p) for p in files)

    formats = ROOT / "tests" / "data" / "formats"
    _save("importers", pack(0, [ROOT / "recordings" / "knee_rolls.csv"]))
    sl = formats / "sensor-logger-android"
    _save("importers", pack(1, [sl / n for n in NAME_SETS[1]]))
    polar = sorted((formats / "polar-sensor-logger").glob("*.txt"))
    acc = [p for p in polar if p.name.endswith("_ACC.txt")]
    gyr = [p for p in polar if p.name.endswith("_GYRO.txt")]
    _save("importers", pack(2, acc + gyr))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        m = layouts.motion(duration_s=1.0, rate_hz=25.0)
        ph = layouts.phyphox_export(d / "ph", m, m)
        _save("importers", pack(3, [d / "ph" / n for n in NAME_SETS[3]]))
        _save("importers", pack(4, [d / "ph" / "Accelerometer.csv"]))
        layouts.sensor_logger_export(d / "sl", m, m)
        _save("importers", pack(1, [d / "sl" / n for n in NAME_SETS[1] if (d / "sl" / n).exists()]))
        layouts.polar_export(d / "po", m, m)
        po = sorted((d / "po").glob("*_ACC.txt")) + sorted((d / "po").glob("*_GYRO.txt"))
        _save("importers", pack(2, po))
        layouts.metawear_export(d / "mw", m, m)
        mw = sorted((d / "mw").glob("*.csv"))
        _save("importers", pack(5, mw))
        _save("importers", pack(6, [layouts.witmotion_file(d / "wt" / "a.txt", m)]))
        _save("importers", pack(6, [layouts.witmotion_file(d / "wt" / "b.csv", m, style="csv-utf8")]))
        _save("importers", pack(7, [layouts.plain_csv(d / "pl" / "p.csv", m)]))
        zipped = layouts.zip_dir(Path(ph), d / "ph.zip")
        _save("importers", bytes([8]) + zipped.read_bytes())


def ble_seeds() -> None:
    from _ble_layout import DEVICES, channels

    from imurep.ble.band import encode_packet
    from imurep.ble.devices.polar_pmd import CONTROL_POINT_UUID

    def pack(selector: int, notes: list[tuple[str, bytes]]) -> bytes:
        uuids = channels(DEVICES[selector])
        out = bytes([selector])
        for uuid, payload in notes:
            out += bytes([uuids.index(uuid), len(payload)]) + payload
        return out

    band = DEVICES[0]
    rng = np.random.default_rng(0)
    packets = []
    for k, n in enumerate((4, 4, 9)):
        acc = rng.normal(0.0, 5.0, (n, 3))
        gyr = rng.normal(0.0, 1.0, (n, 3)) if k != 2 else None
        packets.append((band.notify_uuids[0], encode_packet(k, 4_294_960_000 + 40_000 * k, 10_000, acc, gyr)))
    _save("ble_decoders", pack(0, packets))
    wit = "0000ffe4-0000-1000-8000-00805f9a34fb"
    one = b"\x55\x61" + struct.pack("<9h", 2048, 0, 0, 5, 5, 5, 0, 0, 0)
    _save("ble_decoders", pack(1, [(wit, one * 3), (wit, one[:7]), (wit, one[7:] + one)]))
    thingy = "ef680406-9b35-4933-9b10-52ffa9740042"
    _save("ble_decoders", pack(2, [(thingy, struct.pack("<9h", 1024, 0, 0, 32, 0, 0, 1, 1, 1))] * 2))
    data = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"
    start_resp = bytes.fromhex("F0 02 05 00 00 05 01 00 00 80 3F")
    acc_delta = bytes.fromhex("02 65 00 00 00 00 00 00 00 81 F1 FF 14 00 F0 03 06 01 7B 0F 08")
    gyr_delta = bytes.fromhex(
        "05 00 94 35 77 00 00 00 00 81"
        "00 00 80 3F 00 00 20 41 00 00 A0 41 1C 01 00 00 A0 01 00 00 08 CD CC EC 0D"
    )
    _save("ble_decoders", pack(3, [(CONTROL_POINT_UUID, start_resp), (data, acc_delta), (data, gyr_delta)]))
    h10 = bytes.fromhex("02 00 94 35 77 00 00 00 00 01 F7 FF FF FF E7 03 F8 FF FE FF E5 03")
    _save("ble_decoders", pack(4, [(data, h10)]))


def analysis_seeds() -> None:
    # Short byte strings for fuzz/_analysis_layout.py: the first byte sets the flags (recording,
    # gyroscope, exercise, mounting, HTML); the fuzzer grows the damage from there.
    for flags in (0, 1, 2, 4, 8, 16, 0xE0):
        _save("analysis", bytes([flags, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0]))
    for kind in range(8):
        _save("analysis", bytes([0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 1, kind, 0x80, 0x40, 1]))


def main() -> None:
    recording_seeds()
    importer_seeds()
    ble_seeds()
    analysis_seeds()
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.relative_to(ROOT)}: {len(list(folder.iterdir()))} seeds")


if __name__ == "__main__":
    main()
