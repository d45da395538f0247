"""Memory of the BLE decode path without the fuzzing engine: is a growing RSS ours or atheris'?

Feeds byte-mutated copies of a corpus (and random inputs) through exactly what
``fuzz_ble_decoders.test_one_input`` runs (``split``, a fresh decoder, every notification) in a plain
Python loop, and prints the resident set size every ``--every`` executions. Flat RSS here while the
harness grows means the growth is in the fuzzing engine, not in imurep.

Run: ``python fuzz/ble_memory_check.py fuzz/corpus/ble_decoders --seconds 90``
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
import _contract  # noqa: F401  (warnings off, as in the harnesses)
from _ble_layout import split

from imurep.ble.devices.polar_pmd import PmdControlPointError
from imurep.ble.profile import DecodeError


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _mutated(rng: random.Random, corpus: list[bytes]) -> bytes:
    if not corpus or rng.random() < 0.3:
        return rng.randbytes(rng.randint(1, 300))
    data = bytearray(rng.choice(corpus))
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of harness inputs")
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--every", type=int, default=200_000, help="print RSS every this many executions")
    args = parser.parse_args()
    corpus = [p.read_bytes() for p in sorted(args.corpus.iterdir()) if p.is_file()]
    print(f"corpus: {len(corpus)} inputs, longest {max((len(c) for c in corpus), default=0)} bytes")
    rng = random.Random(1)
    start = time.monotonic()
    executions = 0
    while time.monotonic() - start < args.seconds:
        profile, notes = split(_mutated(rng, corpus))
        decoder = profile.make_decoder(profile.nominal_rate_hz)
        for uuid, payload in notes:
            try:
                decoder.decode(uuid, payload)
            except (DecodeError, PmdControlPointError):
                pass
        executions += 1
        if executions % args.every == 0:
            print(f"{executions:>10} executions  RSS {_rss_mib():.1f} MiB", flush=True)
    print(f"{executions:>10} executions  RSS {_rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
