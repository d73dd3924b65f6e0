"""Views frame the run: the data chart's y axis holds the fitted line (issue 11), with an
edge arrow when a line is too far off to follow; the axis moves in quarter-span steps."""

import numpy as np
import pytest

from linreg.figures.fit import fit_figure, frame_line
from linreg.presets import BY_KEY
from linreg.ui import live


def _inside(fig, weight, bias):
    lo, hi = fig["layout"]["yaxis"]["range"]
    x0, x1 = fig["layout"]["xaxis"]["range"]
    ends = weight * np.array([x0, x1]) + bias
    return lo <= ends.min() and ends.max() <= hi


@pytest.mark.parametrize("steps", [0, 10, 500])
def test_the_unscaled_lessons_line_is_in_view_at_every_stage(steps):
    preset = next(p for p in BY_KEY.values() if "nscaled x" in p.title)
    run = live.Run(preset.config)
    run.step(steps)
    w, b = run.stepper.params
    d = run.stepper.data
    fig = fit_figure(d.x_train, d.y_train, d.x_test, d.y_test, w, b)
    if run.stepper.diverged_at is None:
        assert _inside(fig, w, b)


def test_a_line_far_away_gets_an_edge_arrow_and_the_frame_stays_on_the_data():
    (lo, hi), notes = frame_line(np.array([0.0, 2.0]), np.array([1e6, 2e6]))
    assert hi <= 2.0 + 3 * 2.0 and lo <= 0.0
    assert notes and "above" in notes[0]["text"]
    (lo, hi), notes = frame_line(np.array([0.0, 2.0]), np.array([-5.0, -4.0]))
    assert lo <= -5.0 and not notes  # within three spans: followed, no arrow


def test_the_frame_moves_in_quarter_spans():
    (lo, hi), _ = frame_line(np.array([0.0, 4.0]), np.array([0.3, 4.2]))
    assert lo / 1.0 == round(lo) and hi / 1.0 == round(hi)  # span 4: steps of 1
