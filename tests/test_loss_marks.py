"""The loss curve marks each mid-run change: a labelled vertical line at its step, and each
segment of the curves ends at the loss its own settings gave there (no jump drawn that
never happened)."""

import numpy as np

from linreg.figures.loss_curve import loss_figure
from linreg.settings import DEFAULTS
from linreg.ui import live


def test_a_change_gets_a_labelled_line_and_the_curve_breaks_there():
    run = live.Run(DEFAULTS.replace(loss="mse", learning_rate=0.05))
    run.step(20)
    run.apply(run.config.replace(loss="mae", learning_rate=0.07))
    run.step(10)
    h, seg = run.stepper.history, run.stepper.segments[-1]
    marks = [(at, label, seg.before) for at, label in run.change_marks()]
    assert marks[0][:2] == (20, "loss MSE (squared) → MAE (L1), lr 0.05 → 0.07")
    fig = loss_figure(h.steps, h.train_loss, h.test_loss, 30, changes=marks)
    lines = [s for s in fig["layout"]["shapes"] if s["x0"] == 20]
    assert len(lines) == 1
    assert [a["text"] for a in fig["layout"]["annotations"]] == [marks[0][1]]
    train = fig["data"][0]
    x, y = np.asarray(train["x"], float), np.asarray(train["y"], float)
    at = np.flatnonzero(x == 20)
    # the old segment ends at step 20 with MSE's loss there, then a gap, then MAE's loss
    assert y[at[0]] == seg.before[0] != h.train_loss[20]
    assert np.isnan(y[at[1]]) and y[at[2]] == h.train_loss[20]
    # every other point is the history's own
    keep = np.ones(len(x), bool)
    keep[at[:2]] = False
    np.testing.assert_array_equal(y[keep], h.train_loss)


def test_without_changes_the_curve_is_the_history():
    run = live.Run(DEFAULTS)
    run.step(15)
    h = run.stepper.history
    fig = loss_figure(h.steps, h.train_loss, h.test_loss, 15)
    np.testing.assert_array_equal(np.asarray(fig["data"][0]["y"], float), h.train_loss)
    assert not fig["layout"].get("annotations")
