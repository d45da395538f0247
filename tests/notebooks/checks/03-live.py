# Run in the kernel after notebooks/03-live.ipynb: "the reps and sides agree" with the offline analysis.
assert [r.side for r in result.reps] == [r.side for r in offline.reps]
assert len(seen) == len(result.reps)
period_s = 1.0 / offline.quality.sample_rate_hz
for live_rep, offline_rep in zip(result.reps, offline.reps, strict=True):
    assert abs(live_rep.start_s - offline_rep.start_s) < period_s, (live_rep.start_s, offline_rep.start_s)
