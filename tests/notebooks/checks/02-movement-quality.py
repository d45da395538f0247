# Run in the kernel after notebooks/02-movement-quality.ipynb: its results are what it tells the reader.
assert len(reps) == len(result.reps) >= 10
assert set(reps["side"]) == {"left", "right"}
assert {"range_deg", "hold_s", "smoothness_sparc"} <= set(summary.sets[0].trends)
assert [p.when_from for p in points] == ["time_s"] * 3
assert [str(d.day) for d in days] == ["2026-01-05", "2026-01-07", "2026-01-10"]
