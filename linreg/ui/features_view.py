"""The "Many features" panels: run controls, timeline, numbers, the five linked views,
the batches of this epoch, conditioning, and the code of the chosen way."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg import features
from linreg.errors import SettingsError
from linreg.figures.heatmap import weights_figure
from linreg.figures.parity import parity_figure, parity_range
from linreg.figures.slice2d import slice_figure, slice_frame
from linreg.figures.style import STYLES
from linreg.figures.target_loss import agreement_figure, target_loss_figure
from linreg.landscape import param_names
from linreg.surfaces import loss_grid
from linreg.ui import features_state as state
from linreg.ui.controls import badge, buttons, shown_step
from linreg.ui.fit_view import scheduled, short, with_rates
from linreg.ui.plot import live_chart

WAYS = {"scratch": "From scratch", "builtins": "Built-ins"}
GRID = 61  # slice resolution per axis
MAX_POINTS = 600  # points per curve sent to the browser


def controls(run: state.Run) -> None:
    s = run.stepper
    buttons(
        "features.btn",
        run.step,
        run.toggle,
        run.reset,
        running=run.running,
        stopped=s.diverged_at is not None,
        k=run.config.steps_per_click,
        badge=badge(s.steps, run.running, s.diverged_at, s.converged_at),
        presenting=run.config.presenter,
        speed=(run.TABLE, run.config.speed),
    )


def pace_hint(run: state.Run) -> None:
    """Say so when the run cannot get anywhere in its steps, and what would help."""
    cond = features.conditioning(run.data)
    lr, steps = run.config.learning_rate, cond.slowest_steps(run.config.learning_rate)
    if cond.singular or steps <= run.config.max_steps:
        return
    text = (
        f"At lr {lr:g} the slowest direction needs about {steps:.2g} steps per e-fold, more "
        f"than the {run.config.max_steps} allowed."
    )
    if lr < cond.critical_rate / 4:
        text += (
            f" Raise the rate towards 2/λmax = {cond.critical_rate:.3g} "
            "(**Use ½ × critical rate**)."
        )
    if not run.config.standardise and cond.condition_number > 100:
        text += (
            f" The loss curves {cond.condition_number:.2g}× more steeply one way than "
            "another (λmax/λmin): **Standardise features**."
        )
    st.caption(text)


def timeline(run: state.Run) -> int:
    """The step on show."""
    return shown_step(run, run.stepper.steps, "features.timeline")


def slice_params(run: state.Run) -> tuple[int, int]:
    """The two chosen parameters, moved into range for this data's parameter count."""
    p = run.stepper.history.params.shape[1]
    i = min(run.config.slice_i, p - 1)
    j = min(run.config.slice_j, p - 1)
    return (i, j) if i != j else (i, (i + 1) % p)


def metrics(run: state.Run, t: int) -> None:
    h, data = run.stepper.history, run.data
    per = features.target_losses(data, h.params[t])[0]
    epoch, batch = features.batch_of_step(t, len(data.x_train), run.config.batch_size)
    delta = run.lock.delta()
    cells = [("Step", f"{t}"), ("Epoch · batch", f"{epoch + 1} · {batch + 1}" if t else "—")]
    cells.append(("Train MSE", short(float(h.train_loss[t]))))
    if data.n_targets <= 3:
        cells += [
            (f"MSE {name}", short(float(v))) for name, v in zip(data.target_names, per, strict=True)
        ]
    cells.append(("‖∇L‖", short(float(np.linalg.norm(h.grad[t])))))
    if run.lock.twin is not None and t < len(delta):
        gap = "0" if delta[t] == 0 else f"{delta[t]:.1e}"
        cells.append(("max |Δθ|, two ways", gap))
    for col, (label, value) in zip(st.columns(len(cells)), cells, strict=True):
        col.metric(label, value)


def _sample(last: int, t: int) -> np.ndarray:
    idx = np.unique(np.linspace(0, last, min(last + 1, MAX_POINTS)).astype(int))
    return np.union1d(idx, [t])


def shown_params(run: state.Run, theta: np.ndarray) -> np.ndarray:
    """θ in the units the user chose (original units when standardised and asked for)."""
    if run.scaler is not None and run.config.original_units:
        return run.scaler.to_original(theta, run.data.n_targets)
    return theta


def charts(run: state.Run, t: int) -> None:
    c, data, h = run.config, run.data, run.stepper.history
    s = STYLES["projector" if c.presenter else "classic"]
    d, k = data.n_features, data.n_targets
    last = run.stepper.steps
    since = run.drawn if run.running and run.drawn < t else t
    gap = np.arange(since + 1, t)
    between = gap[np.linspace(0, len(gap) - 1, 12).astype(int)] if len(gap) > 12 else gap
    run.drawn = t
    frame_ms = int(1000 * run.tick_gap / (len(between) + 1))

    left, right = st.columns(2)
    with left:
        idx = _sample(last, t)
        per = features.target_losses(data, h.params[idx])
        spec = target_loss_figure(
            idx, h.train_loss[idx], per, data.target_names, t, h.train_loss[t], c.log_loss, s
        )
        if scheduled(run):
            rate = h.learning_rate[max(t - 1, 0)]  # the step into row t
            spec = with_rates(spec, idx, h.learning_rate[idx], t, rate, s)
        live_chart(spec, key="features.chart.loss", height=360)
        st.caption(
            "Notice: each target has its own loss; the overall MSE is their mean. "
            + (
                "Standardised, a large stable rate takes it down by decades in a few steps."
                if c.standardise
                else "Raw features at a tiny rate: a quick drop, then a long slow crawl."
            )
        )
    with right:
        rows = np.unique(np.linspace(0, len(data.y_train) - 1, MAX_POINTS).astype(int))
        y = data.y_train[rows]
        ends = [features.predictions(data, h.params[r])[rows] for r in (0, last)]
        box = parity_range(y, *ends)

        def parity(step: int) -> dict:
            predicted = features.predictions(data, h.params[step])[rows]
            return parity_figure(y, predicted, data.target_names, box, s)

        live_chart(
            parity(t),
            key="features.chart.parity",
            height=360,
            between=[parity(int(b)) for b in between],
            frame_ms=frame_ms,
        )
        st.caption("Notice: the points gather onto the diagonal as the model learns.")

    left, right = st.columns(2)
    with left:
        theta, best = shown_params(run, h.params[t]), shown_params(run, run.best)
        start, newest = shown_params(run, h.params[0]), shown_params(run, h.params[last])
        scale = float(np.nanmax(np.abs(np.concatenate([best, start, newest]))))
        units = "original units" if run.scaler is not None and c.original_units else ""
        if run.scaler is not None and not c.original_units:
            units = "standardised units"
        live_chart(
            weights_figure(
                theta[: k * d].reshape(k, d),
                theta[k * d :],
                best[: k * d].reshape(k, d),
                best[k * d :],
                data.feature_names,
                data.target_names,
                scale,
                s,
                units=units,
            ),
            key="features.chart.weights",
            height=340,
        )
        st.caption(
            "Notice: compare the two grids cell by cell. "
            + (
                "Standardised, every cell reaches its optimum at about the same pace."
                if c.standardise
                else "On raw data the weights move at once but the bias hardly moves: it "
                "lies along the valley's flat floor."
            )
        )
        if run.lock.twin is not None:
            delta = run.lock.delta()
            idx = _sample(len(delta) - 1, min(t, len(delta) - 1))
            names = (WAYS[run.lock.mode], WAYS[run.lock.other])
            live_chart(
                agreement_figure(idx, delta[idx], names, s),
                key="features.chart.agree",
                height=280,
            )
            st.caption(
                f"Notice: the two ways stay within rounding of each other ({c.dtype}: "
                f"{'~1e-7 relative' if c.dtype == 'float32' else '~1e-16 relative'}); "
                "they take the same steps on the same batches (bit-identical steps are drawn "
                "at 1e-18)."
            )
    with right:
        _slice(run, t, s)


def _slice(run: state.Run, t: int, s) -> None:
    data, h = run.data, run.stepper.history
    i, j = slice_params(run)
    names = param_names(data)
    path_all = h.params[:, [i, j]]
    low, high = slice_frame(path_all, run.best[[i, j]])
    s_values = np.linspace(low[0], high[0], GRID)
    t_values = np.linspace(low[1], high[1], GRID)
    base = h.params[t] if run.config.slice_through == "current" else run.best
    grid = loss_grid(data, base, i, j, s_values, t_values, "mse")
    keep = _sample(t, t)
    cols = st.columns(2)
    for col, name, key, value, label in (
        (cols[0], "slice_i", "features.pick_i", i, "Slice: first parameter"),
        (cols[1], "slice_j", "features.pick_j", j, "Slice: second parameter"),
    ):
        st.session_state[key] = value
        col.selectbox(
            label,
            range(len(names)),
            format_func=lambda n: names[n],
            key=key,
            on_change=_pick,
            args=(run, name, key),
        )
    live_chart(
        slice_figure(
            s_values,
            t_values,
            grid,
            path_all[keep],
            h.params[t, [i, j]],
            run.best[[i, j]],
            (names[i], names[j]),
            s,
            title="Loss slice" + (" (standardised features)" if run.scaler is not None else ""),
        ),
        key="features.chart.slice",
        height=400,
    )
    where = "at the step shown" if run.config.slice_through == "current" else "at the optimum"
    st.caption(
        f"Notice: a long, narrow valley means an ill-conditioned problem. Other parameters "
        f"held {where}; the path is projected onto this plane."
    )


def _pick(run: state.Run, name: str, key: str) -> None:
    """A slice picker sets its setting at once (and its table widget, so links carry it)."""
    value = int(st.session_state[key])
    try:
        run.config = run.config.replace(**{name: value})
    except SettingsError as err:
        run.notice = str(err)
        return
    st.session_state[f"features.{name}"] = value
