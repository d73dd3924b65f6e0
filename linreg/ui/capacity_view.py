"""The "Capacity and regularisation" run panel: controls, the timeline, the numbers of the
step on show, and views 1-4 (data and curves, loss with the rate under it, coefficients,
the penalised loss's slice), all drawn for that one step."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg.curves import CURVES, curve_grid
from linreg.figures.capacity import bar_range, coefficients_figure, curve_figure
from linreg.figures.penalty_slice import penalty_slice_figure, slice_window
from linreg.figures.rate_strip import rate_strip_figure
from linreg.figures.style import STYLES
from linreg.optima import outline_level, slice_grid, slice_minimum
from linreg.schedules import LABELS as SCHEDULE_LABELS
from linreg.settings.capacity import OPTIMIZER_LABELS
from linreg.ui.capacity_state import CapacityRun
from linreg.ui.controls import badge, buttons, shown_step
from linreg.ui.fit_view import short
from linreg.ui.plot import live_chart

GRID = 61  # slice resolution per axis
MAX_POINTS = 600  # points per loss curve sent to the browser


def controls(run: CapacityRun) -> None:
    s = run.stepper
    buttons(
        "capacity.btn",
        run.step,
        run.toggle,
        run.reset,
        running=run.running,
        stopped=s.diverged_at is not None,
        k=run.config.steps_per_click,
        badge=badge(s.steps, run.running, s.diverged_at, s.converged_at),
        presenting=run.config.presenter,
    )


def timeline(run: CapacityRun) -> int:
    """The step on show."""
    return shown_step(run, run.stepper.steps, "capacity.timeline")


def style(run: CapacityRun):
    return STYLES["projector" if run.config.presenter else "classic"]


def metrics(run: CapacityRun, t: int) -> None:
    h, d = run.stepper.history, run.poly.degree
    zeros = int(np.sum(h.params[t, :d] == 0.0))
    rate = h.learning_rate[t]
    cells = [
        ("Step", f"{t}"),
        ("Train MSE", short(float(h.train_loss[t]))),
        ("Test MSE", short(float(h.test_loss[t]))),
        ("Penalised loss", short(float(h.objective[t]))),
        ("Rate of this step", "—" if not np.isfinite(rate) else short(float(rate))),
        ("Exactly 0", f"{zeros} of {d}"),
    ]
    for col, (label, value) in zip(st.columns(len(cells)), cells, strict=True):
        col.metric(label, value)


def _sample(last: int, t: int) -> np.ndarray:
    idx = np.unique(np.linspace(0, last, min(last + 1, MAX_POINTS)).astype(int))
    return np.union1d(idx, [t])


def slice_pair(run: CapacityRun) -> tuple[int, int]:
    """The two chosen coefficients, moved into range for this degree (index d = the bias)."""
    p = run.poly.degree + 1
    i, j = min(run.config.slice_i, p - 1), min(run.config.slice_j, p - 1)
    return (i, j) if i != j else (i, (i + 1) % p)


def charts(run: CapacityRun, t: int) -> None:
    c, h, poly, data = run.config, run.stepper.history, run.poly, run.data
    s = style(run)
    theta = h.params[t]
    left, right = st.columns(2)
    with left:
        grid, features = drawing_grid(run)
        curve = CURVES[c.curve]
        live_chart(
            curve_figure(
                data.x_train,
                data.y_train,
                data.x_test,
                data.y_test,
                grid,
                theta[: poly.degree] @ features.T + theta[poly.degree],
                curve(grid),
                f"True curve {curve.label}",
                f"Fitted, degree {poly.degree}",
                style=s,
            ),
            key="capacity.chart.curve",
            height=380,
        )
        st.caption(
            "Notice: the fitted curve passes near the training points (dots); the test "
            "points (diamonds) say whether it learned the curve or the noise."
        )
    with right:
        idx = _sample(run.steps, t)
        optimizer = dict(OPTIMIZER_LABELS)[c.optimizer]
        schedule = f"{SCHEDULE_LABELS[c.schedule]}, {optimizer} at {c.learning_rate:g}"
        live_chart(
            rate_strip_figure(
                idx,
                h.train_loss[idx],
                h.test_loss[idx],
                h.learning_rate[idx],
                t,
                c.log_loss,
                schedule,
                style=s,
            ),
            key="capacity.chart.loss",
            height=380,
        )
        st.caption(
            "Notice: where the test loss turns up while the train loss falls, the fit has "
            "started to learn the noise. Underneath: the rate each step used."
        )
    spec = run.spec_at(t)
    best = run.exact(spec)
    left, right = st.columns(2)
    with left:
        d = poly.degree
        live_chart(
            coefficients_figure(
                poly.data.feature_names,
                theta[:d],
                best[:d],
                "Exact minimum",
                bars_range(h.params[:, :d], best[:d]),
                style=s,
            ),
            key="capacity.chart.coef",
            height=380,
        )
        off = (
            ""
            if np.all(np.abs(best[:d]) <= 10 * bar_range(h.params[:, :d])[1])
            else (f" (here off the scale: up to {np.max(np.abs(best[:d])):.3g})")
        )
        st.caption(
            "Notice: ringed bars are exactly 0, which only the proximal lasso step produces; "
            f"hollow diamonds mark the exact minimum of this penalised loss{off}."
        )
    with right:
        live_chart(slice_figure(run, t, best, spec), key="capacity.chart.slice", height=420)
        st.caption(
            "Notice: a slice through the exact penalised minimum (other coefficients held "
            "there). Raise λ: the penalty's outline shrinks and pulls the minimum towards 0."
        )


def drawing_grid(run: CapacityRun) -> tuple[np.ndarray, np.ndarray]:
    """x across the data and the standardised features there (kept per run: the fitted
    curve at any step is then one product)."""
    kept = getattr(run, "grid_for", None)
    if kept is None or kept[0] is not run.poly:
        grid = curve_grid(run.data, 300)
        run.grid_for = (run.poly, grid, run.poly.features(grid))
    return run.grid_for[1], run.grid_for[2]


def bars_range(weights: np.ndarray, best: np.ndarray) -> list[float]:
    """The bars' range, fixed for the run: every step's weights, and the exact minimum if it
    is of their size (an overfit minimum of ±400 would flatten the bars to nothing)."""
    low, high = bar_range(weights)
    if np.all(np.abs(best) <= 10 * high):
        return bar_range(np.concatenate([weights.ravel(), best]))
    return [low, high]


def slice_figure(run: CapacityRun, t: int, best: np.ndarray, spec) -> dict:
    """View 4: the penalised loss on the plane of two coefficients through the minimum."""
    i, j = slice_pair(run)
    h, poly = run.stepper.history, run.poly
    rule = spec.rule
    plain = slice_minimum(poly.data, best, i, j)
    path = h.params[_sample(t, t)][:, [i, j]]
    low, high = slice_window(path, plain, best[[i, j]])
    s_values, t_values = np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID)
    total, mse = slice_grid(poly.data, rule, best, i, j, s_values, t_values, spec.penalise_bias)
    level = outline_level(rule, best[[i, j]], i, j, poly.degree)
    outline = rule.level_set(level) if level > 0 else None
    mse_level = None
    if rule.shape:  # the MSE's contour through the penalised minimum touches the outline
        at = slice_grid(poly.data, rule, best, i, j, [best[i]], [best[j]], spec.penalise_bias)
        mse_level = float(at[1][0, 0])
    return penalty_slice_figure(
        s_values,
        t_values,
        total,
        (poly.names[i], poly.names[j]),
        path,
        h.params[t, [i, j]],
        plain,
        best[[i, j]],
        outline,
        rule.shape,
        mse,
        mse_level,
        "MSE + penalty" if rule.shape else "MSE",
        style=style(run),
    )
