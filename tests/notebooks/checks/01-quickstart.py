# Run in the kernel after notebooks/01-quickstart.ipynb: its results are what it tells the reader.
import json

truth = json.loads(path.with_suffix(".truth.json").read_text())
assert abs(len(result.reps) - len(truth["reps"])) <= 2, (len(result.reps), len(truth["reps"]))
assert [e.exercise for e in summary.exercises] == ["knee_rolls", "heels_stretch"]
assert out.read_text(encoding="utf-8").count("<img ") >= 6
assert abs(len(real.reps) - 21) <= 2  # 21 excursions counted by hand
