"""Standing calibration finds a mounting the pipeline was not told."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imurep.analysis.analyze import analyze_file
from imurep.errors import InputError
from imurep.pipeline.calibration import body_from_two_poses, calibrate_from_blocks
from imurep.recording import write_recording
from imurep.sim import SensorConfig, SimulationConfig, body_from_sensor, simulate


def test_two_poses_give_the_rotation():
    true = Rotation.from_euler("xyz", [30, -50, 120], degrees=True).as_matrix()  # body from sensor
    up_standing = true.T @ [0, 0, 1]  # up in sensor axes
    up_supine = true.T @ [1, 0, 0]
    np.testing.assert_allclose(body_from_two_poses(up_standing, up_supine), true, atol=1e-12)
    with pytest.raises(InputError, match="too alike"):
        body_from_two_poses(up_standing, up_standing)


def test_a_strange_strap_is_calibrated_from_the_session_start(tmp_path):
    # A band strapped on sideways and tilted: no preset matches.
    sensor = SensorConfig(mount="side-right", misalignment_deg=(40.0, -35.0, 60.0), rate_hz=100.0)
    sim = simulate(SimulationConfig(seed=3, kind="session", sensor=sensor))
    found = calibrate_from_blocks([sim.block])
    true = body_from_sensor(sensor)
    # The anterior axis is only known up to the pelvis tilt of the lying pose: a few degrees.
    angle = Rotation.from_matrix(found @ true.T).magnitude()
    assert np.degrees(angle) < 8.0
    path = tmp_path / "s.csv"
    write_recording(path, sim.block, {"mount": "front-belt"})
    truth = sim.truth.to_json_obj()
    result = analyze_file(path, mount="calibrate")
    assert len(result.reps) == len(truth["reps"])
    assert [r.side for r in result.reps if r.exercise == "knee_rolls"] == [
        r["side"] for r in truth["reps"] if r["exercise"] == "knee_rolls"
    ]
