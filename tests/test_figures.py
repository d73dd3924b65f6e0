"""The live page's figure builders: properties the browser relies on."""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import loss_figure


def test_a_log_loss_axis_has_an_explicit_range_that_holds_every_loss():
    """In the browser a redraw-free update never recomputes an autorange, so the log axis
    must carry its own range, and it must hold every positive loss drawn."""
    steps = np.arange(400)
    train = 3.0 * 0.97**steps
    test = 5.0 * 0.97**steps
    for shown in (10, 100, 399):
        spec = loss_figure(steps[: shown + 1], train[: shown + 1], test[: shown + 1], shown, True)
        low, high = spec["layout"]["yaxis"]["range"]
        drawn = np.concatenate([train[: shown + 1], test[: shown + 1]])
        assert 10**low <= drawn.min() and drawn.max() <= 10**high
        assert low == int(low) and high == int(high) and high > low  # whole decades


def test_a_linear_loss_axis_starts_at_zero():
    spec = loss_figure(np.arange(3), [2.0, 1.0, 0.5], [2.5, 1.2, 0.7], 1)
    low, high = spec["layout"]["yaxis"]["range"]
    assert low == 0 and high >= 2.5


def test_chart_numbers_keep_six_significant_digits_each():
    """What the live chart sends: every number to 6 significant digits on its own scale, so
    tiny losses on a log axis are not rounded to zero, and each prints short."""
    from linreg.ui.plot import significant

    values = np.array([1234567.89, 3.14159265, -2.718281828e-9, 0.0, np.nan, np.inf, 1e-300])
    got = significant(values)
    want = [float(f"{v:.6g}") if np.isfinite(v) else v for v in values]
    np.testing.assert_array_equal(got, want)
    assert [repr(float(v)) for v in got[:3]] == ["1234570.0", "3.14159", "-2.71828e-09"]
    rng = np.random.default_rng(0)
    many = rng.standard_normal(2000) * 10.0 ** rng.integers(-12, 12, 2000)
    np.testing.assert_array_equal(significant(many), [float(f"{v:.6g}") for v in many])
