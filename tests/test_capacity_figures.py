"""The capacity page's figure builders: pure functions from arrays to Plotly specs. Checked
for what a student relies on: the values drawn are the values given, exact zeros (and only
those) are marked, ranges hold what must be seen, the setting on show is marked."""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio

from linreg.figures.capacity import bar_range, coefficients_figure, curve_figure
from linreg.figures.penalty_slice import penalty_slice_figure, slice_window
from linreg.figures.rate_strip import rate_strip_figure
from linreg.figures.reg_path import path_figure
from linreg.figures.style import PROJECTOR
from linreg.figures.validation import validation_figure


def drawable(spec: dict) -> dict:
    """The spec as the browser gets it (JSON), read back."""
    return json.loads(pio.to_json(spec, validate=False))


def by_name(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


def test_curve_view_draws_the_curves_given_and_frames_the_data():
    grid = np.linspace(-1, 1, 50)
    wild = 40 * np.sin(9 * grid)  # an overfit curve far outside the data
    spec = drawable(
        curve_figure([-0.5, 0.5], [1.0, -2.0], [0.0], [3.0], grid, wild, grid**3, style=PROJECTOR)
    )
    np.testing.assert_allclose(by_name(spec, "Fitted curve")["y"], wild)
    np.testing.assert_allclose(by_name(spec, "True curve")["y"], grid**3)
    assert by_name(spec, "Testing data")["y"] == [3.0]
    low, high = spec["layout"]["yaxis"]["range"]
    assert low < -2.0 and high > 3.0 and high < 10  # the data, not the wild curve


def test_bars_mark_exact_zeros_and_nothing_else():
    weights = np.array([0.8, 0.0, -1e-12, 0.0, -0.3])
    names = ["x", "x²", "x³", "x⁴", "x⁵"]
    spec = drawable(coefficients_figure(names, weights, reference=weights * 1.5))
    bars = spec["data"][0]
    np.testing.assert_array_equal(bars["y"], weights)
    zeros = spec["data"][1]
    assert zeros["x"] == ["x²", "x⁴"] and zeros["name"].startswith("Exactly 0 (2 of 5)")
    np.testing.assert_allclose(spec["data"][2]["y"], weights * 1.5)
    low, high = spec["layout"]["yaxis"]["range"]
    assert low <= -0.45 and high >= 1.2 and low == -high


def test_bar_range_holds_every_value_and_keeps_a_floor():
    assert bar_range([0.0, 0.0]) == [-1.1e-3, 1.1e-3]
    low, high = bar_range(np.array([[2.0, -5.0], [np.nan, 1.0]]))
    assert low == -high and high >= 5.0


def test_validation_curve_rings_the_lowest_test_loss():
    degrees = np.arange(1, 8)
    train = np.array([0.3, 0.2, 0.05, 0.04, 0.03, 0.02, 0.01])
    test = np.array([0.35, 0.25, 0.06, 0.07, 0.2, 0.9, 4.0])
    spec = drawable(validation_figure(degrees, train, test, 3, exact_test=test * 2))
    ring = by_name(spec, "Lowest test loss")
    assert ring["x"] == [3] and ring["y"] == [0.06]
    low, high = spec["layout"]["yaxis"]["range"]
    assert 10**low <= 0.01 and 10**high >= 8.0
    assert spec["layout"]["shapes"][0]["x0"] == 3
    strengths = np.logspace(-4, 1, 6)
    spec = drawable(validation_figure(strengths, train[:6], test[:6], 0.01, "strength"))
    assert spec["layout"]["xaxis"]["type"] == "log"
    low, high = spec["layout"]["xaxis"]["range"]
    assert low <= -4 and high >= 1


def test_slice_window_is_square_and_holds_the_origin_and_the_points():
    path = np.array([[0.5, 0.2], [1.5, 0.3]])
    low, high = slice_window(path, np.array([2.0, -0.1]))
    assert np.all(low < [0.0, -0.1]) and np.all(high > [2.0, 0.3])
    assert np.isclose(*(high - low))


def test_penalty_slice_draws_the_outline_the_minima_and_the_path():
    s, t = np.linspace(-2, 2, 41), np.linspace(-2, 2, 41)
    ss, tt = np.meshgrid(s, t)
    mse = (ss - 1.2) ** 2 + 3 * (tt - 0.8) ** 2
    objective = mse + 0.5 * (np.abs(ss) + np.abs(tt))
    diamond = (np.array([1.0, 0.0, -1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0, -1.0, 0.0]))
    path = np.array([[-1.5, -1.5], [0.0, 0.0], [0.9, 0.1]])
    spec = drawable(
        penalty_slice_figure(
            s,
            t,
            objective,
            ("x", "x³"),
            path,
            path[-1],
            [1.2, 0.8],
            [1.0, 0.0],
            diamond,
            "diamond",
            mse,
            0.5**2 + 3 * 0.8**2,
        )
    )
    contour = spec["data"][0]
    assert contour["type"] == "contour"
    np.testing.assert_allclose(contour["customdata"], objective)
    assert by_name(spec, "Lasso diamond")["x"] == [1.0, 0.0, -1.0, 0.0, 1.0]
    assert by_name(spec, "Minimum without penalty")["x"] == [1.2]
    assert by_name(spec, "Penalised minimum")["y"] == [0.0]
    np.testing.assert_allclose(by_name(spec, "Path")["x"], path[:, 0])
    level = by_name(spec, "MSE contour through it")
    xs = np.array([v for v in level["x"] if v is not None])
    ys = np.array([v for v in level["y"] if v is not None])
    assert len(xs) > 10  # the MSE contour through (1, 0): (s - 1.2)² + 3(t - 0.8)² = 2.17
    np.testing.assert_allclose((xs - 1.2) ** 2 + 3 * (ys - 0.8) ** 2, 2.17, rtol=0.05)
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"


def test_path_draws_each_coefficient_against_lambda():
    strengths = np.logspace(-3, 1, 5)
    weights = np.outer(1 / (1 + strengths), [1.0, -2.0, 0.5])
    spec = drawable(path_figure(strengths, weights, ["x", "x²", "x³"], 0.1, exact=weights * 0.9))
    lines = [t for t in spec["data"] if t.get("showlegend", True)]
    assert [t["name"] for t in lines] == ["x", "x²", "x³"]
    np.testing.assert_allclose(lines[1]["y"], weights[:, 1])
    np.testing.assert_allclose(by_name(spec, "x² (exact)")["y"], weights[:, 1] * 0.9)
    assert spec["layout"]["shapes"][0]["x0"] == 0.1 and spec["layout"]["xaxis"]["type"] == "log"
    low, high = spec["layout"]["yaxis"]["range"]
    assert low <= -2.0 and high >= 2.0


def test_rate_strip_draws_the_rates_under_the_loss():
    steps = np.arange(6)
    loss = np.array([1.0, 0.5, 0.3, 0.2, 0.15, 0.1])
    rates = np.array([np.nan, 0.1, 0.1, 0.05, 0.05, 0.025])
    spec = drawable(rate_strip_figure(steps, loss, loss * 1.2, rates, 3, schedule_label="StepLR"))
    rate = by_name(spec, "Learning rate")
    assert rate["yaxis"] == "y2" and rate["line"]["shape"] == "hv"
    assert rate["y"][0] is None and rate["y"][1:] == [0.1, 0.1, 0.05, 0.05, 0.025]
    assert by_name(spec, "Rate at step 3: 0.05")["y"] == [0.05]
    assert spec["layout"]["yaxis2"]["range"][1] >= 0.1
    assert spec["layout"]["yaxis"]["domain"][0] > spec["layout"]["yaxis2"]["domain"][1]
    assert "StepLR" in spec["layout"]["title"]["text"]
