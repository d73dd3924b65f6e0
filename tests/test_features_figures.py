"""The "Many features" figure builders: pure functions from arrays to Plotly specs. Checked
for what a student relies on: every value is on the chart, ranges hold the data, the
heatmap's colours mean the same at every step."""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio

from linreg.figures.features_replay import features_replay_figure, replay_steps
from linreg.figures.heatmap import weights_figure
from linreg.figures.parity import parity_figure, parity_range
from linreg.figures.slice2d import slice_figure, slice_frame
from linreg.figures.style import PROJECTOR
from linreg.figures.target_loss import agreement_figure, target_loss_figure


def drawable(spec: dict) -> dict:
    """The spec as the browser gets it (JSON), read back."""
    return json.loads(pio.to_json(spec, validate=False))


def test_heatmap_shows_every_weight_and_bias_on_a_fixed_scale():
    w, b = np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]]), np.array([4.0, -5.0])
    spec = drawable(
        weights_figure(w, b, 2 * w, 2 * b, ["t", "r", "h"], ["apples", "oranges"], 10.0)
    )
    now, best = spec["data"]
    assert now["x"] == ["t", "r", "h", "bias"] and now["y"] == ["apples", "oranges"]
    assert np.allclose(now["z"], np.hstack([w, b[:, None]]))
    assert np.allclose(best["z"], 2 * np.hstack([w, b[:, None]]))
    assert now["zmin"] == best["zmin"] == -10 and now["zmax"] == best["zmax"] == 10
    assert now["text"][1][1] == "3" and now["text"][0][3] == "4"


def test_parity_range_holds_all_values_and_the_points_are_the_predictions():
    actual = np.array([[56.0, 70.0], [81.0, 101.0], [119.0, 133.0]])
    predicted = actual * 0.5 - 30
    lo, hi = parity_range(actual, predicted)
    assert lo <= predicted.min() and hi >= actual.max()
    spec = drawable(parity_figure(actual, predicted, ["apples", "oranges"], [lo, hi], PROJECTOR))
    diagonal, apples, oranges = spec["data"]
    assert diagonal["x"] == diagonal["y"] == [lo, hi]
    assert np.allclose(apples["x"], actual[:, 0]) and np.allclose(oranges["y"], predicted[:, 1])


def test_slice_frame_holds_the_path_and_the_optimum():
    path = np.array([[0.0, 0.0], [1.0, -3.0], [2.0, -2.0]])
    low, high = slice_frame(path, np.array([-1.0, 5.0]))
    assert (low < [-1.0, -3.0]).all() and (high > [2.0, 5.0]).all()
    s, t = np.linspace(low[0], high[0], 5), np.linspace(low[1], high[1], 4)
    grid = np.outer(t**2 + 1, s**2 + 1)
    spec = drawable(slice_figure(s, t, grid, path, path[-1], np.array([-1.0, 5.0]), ("a", "b")))
    assert np.allclose(spec["data"][0]["z"], np.log10(grid))
    assert np.allclose(spec["data"][1]["x"], path[:, 0])


def test_loss_axes_hold_every_curve():
    steps = np.arange(6)
    per = np.array([[100.0, 1e4]] * 3 + [[0.5, 20.0]] * 3)
    spec = drawable(target_loss_figure(steps, per.mean(1), per, ["a", "o"], 5, 10.25))
    low, high = spec["layout"]["yaxis"]["range"]  # decades of a log axis
    assert 10**low <= per.min() and 10**high >= per.max()
    linear = drawable(target_loss_figure(steps, per.mean(1), per, ["a", "o"], 5, 10.25, False))
    assert linear["layout"]["yaxis"]["range"][1] >= per.max()
    gaps = drawable(agreement_figure(steps, np.array([0, 0, 1e-7, 2e-7, 0, 1e-6]), ("x", "y")))
    assert min(gaps["data"][0]["y"]) == 1e-18 and gaps["layout"]["yaxis"]["range"][1] >= -6


def test_replay_frames_are_the_recorded_predictions():
    steps = replay_steps(500)
    assert steps[0] == 0 and steps[-1] == 499 and len(steps) <= 120
    actual = np.array([[1.0, 2.0], [3.0, 4.0]])
    predicted = np.stack([actual * t / 10 for t in range(3)])
    loss = np.array([10.0, 1.0, 0.1])
    spec = drawable(
        features_replay_figure(np.arange(3), actual, predicted, loss, ["a", "o"], [0.0, 5.0])
    )
    assert [f["name"] for f in spec["frames"]] == ["0", "1", "2"]
    second = spec["frames"][1]
    assert second["traces"] == [2, 3, 4]
    assert np.allclose(second["data"][1]["y"], predicted[1][:, 1])
    assert second["data"][2]["y"] == [1.0]
    assert all(t["type"] == "scatter" for f in spec["frames"] for t in f["data"])
