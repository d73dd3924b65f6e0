"""The "Capacity and regularisation" panels around the run: the sidebar's settings, why the
features are standardised (conditioning), the lasso two ways side by side, ridge two ways
(weight_decay or the loss; Adam vs AdamW), the code, and views 5 and 6 (many runs at once)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from linreg.capacity_code import training_code
from linreg.figures.capacity import coefficients_figure
from linreg.figures.reg_path import path_figure
from linreg.figures.validation import validation_figure
from linreg.polyfeatures import conditioning_table
from linreg.regpath import PathResult
from linreg.regularised import PenalisedStepper
from linreg.settings.fields import SCHEDULE_SETTINGS
from linreg.ui import widgets
from linreg.ui.capacity_state import PATH_STEPS, TABLE, CapacityRun
from linreg.ui.capacity_view import style
from linreg.ui.plot import live_chart

TWO_WAYS_STEPS = 300  # steps of each run in "ridge two ways"


def widget(name: str, where=st):
    return widgets.widget(name, where, table=TABLE)


def settings(run: CapacityRun) -> None:
    """Read what the widgets say, apply it, then draw the sidebar's widgets."""
    run.take_widgets()
    c, bar = run.config, st.sidebar
    with bar.expander("Data: y = f(x) + noise", expanded=True):
        for name in ("curve", "noise", "n_points", "x_min", "x_max", "train_fraction"):
            widget(name)
        for name in ("split_mode", "seed"):
            widget(name)
    with bar.expander("Features and penalty", expanded=True):
        widget("degree")
        widget("penalty")
        if c.penalty != "none":
            widget("strength")
        if c.penalty == "elastic":
            widget("mix")
        if c.penalty in ("ridge", "elastic"):
            widget("ridge_method")
        widget("l1_method")  # always there: with Adam, the lasso needs "subgradient" first
        if c.penalty != "none":
            widget("penalise_bias")
    with bar.expander("Training", expanded=True):
        for name in (
            "optimizer",
            "learning_rate",
            "schedule",
            *SCHEDULE_SETTINGS[c.schedule],
        ):
            widget(name)
    with bar.expander("Run", expanded=False):
        for name in (
            "steps_per_click",
            "speed",
            "max_steps",
            "stop_at_convergence",
            "tolerance",
            "dtype",
        ):
            widget(name)
    with bar.expander("View", expanded=True):
        for name in ("log_loss", "slice_i", "slice_j", "many_runs"):
            widget(name)
        st.caption(
            f"Slice coefficients: 0 = x, …, {run.poly.degree - 1} = the top power, "
            f"{run.poly.degree} = the bias."
        )


def conditioning(run: CapacityRun) -> None:
    """Why standardise: the Hessian's condition number and critical rate, raw and scaled."""
    c = run.config
    ridge = run.stepper.spec.rule.decay
    kept_for = getattr(run, "conditioning_for", (None, None))
    if kept_for[0] is not run.poly or kept_for[1] != ridge:  # once per features and λ
        run.conditioning = conditioning_table(run.poly, ridge)
        run.conditioning_for = (run.poly, ridge)
    rows = run.conditioning
    st.dataframe(
        {
            "features": list(rows),
            "λmax / λmin (condition number)": [f"{r.condition_number:.3g}" for r in rows.values()],
            "critical rate 2/λmax": [f"{r.critical_rate:.3g}" for r in rows.values()],
        },
        hide_index=True,
    )
    raw, scaled = rows["raw"], rows["standardised"]
    gain = scaled.critical_rate / raw.critical_rate
    if gain > 2:
        verdict = (
            f"gradient descent on them must keep its rate below 2/λmax = "
            f"{raw.critical_rate:.3g}; standardised, below {scaled.critical_rate:.3g}, "
            f"{gain:.3g}× larger"
        )
    else:
        verdict = (
            f"with |x| ≤ 1 the raw powers are already no larger than 1, so standardising "
            f"gains little here (critical rate {raw.critical_rate:.3g} raw, "
            f"{scaled.critical_rate:.3g} standardised); try x from 0 to 2, where x¹² reaches "
            "4096"
        )
    st.caption(
        f"Raw powers x … x^{c.degree} on [{c.x_min:g}, {c.x_max:g}]: {verdict}. Each "
        "standardised column has mean square 1, so the critical rate 2/λmax stays of order "
        "1/degree whatever the range. Standardising "
        "cannot make x, x³, x⁵ … less alike: κ stays large and the slow directions crawl. "
        "A ridge penalty adds λ to every weight's curvature, so it shrinks κ too."
    )


def lasso_two_ways(run: CapacityRun, t: int) -> None:
    """Subgradient and proximal lasso side by side, at the newest step."""
    twin = run.other_method()
    if twin is None:
        st.caption(
            "Choose the lasso or the elastic net with SGD to see the two lasso methods side "
            "by side: by subgradient (λ·sign(w) in the gradient) and by the proximal step "
            "(soft-threshold after each step)."
        )
        return
    mine, d = run.stepper, run.poly.degree
    pair = {mine.spec.l1_method: mine, twin.spec.l1_method: twin}
    cols = st.columns(2)
    for col, method in zip(cols, ("subgradient", "proximal"), strict=True):
        s = pair[method]
        theta = s.history.params[-1, :d]
        zeros = int(np.sum(theta == 0.0))
        with col:
            live_chart(
                coefficients_figure(run.poly.data.feature_names, theta, style=style(run)),
                key=f"capacity.chart.{method}",
                height=300,
            )
            st.caption(
                f"**{method.capitalize()}** after {s.steps} steps: {zeros} of {d} weights "
                f"exactly 0; smallest |w| {np.min(np.abs(theta)):.2g}."
            )
    st.caption(
        "Notice: by subgradient a weight whose best value is 0 jumps across it by about "
        "lr·λ every step and never lands (it chatters); the soft-threshold sets it to "
        "exactly 0 and keeps it there."
    )


def ridge_two_ways(run: CapacityRun) -> None:
    """weight_decay vs the penalty in the loss, for SGD, Adam and AdamW."""
    lam = run.config.strength
    key = (run.many_key, run.config.degree, lam, run.config.learning_rate)
    if getattr(run, "two_ways_key", None) != key:
        run.two_ways = two_ways(run, lam)
        run.two_ways_key = key
    st.dataframe(run.two_ways, hide_index=True)
    st.caption(
        f"Ridge λ = {lam:g}, {TWO_WAYS_STEPS} steps from the same start. SGD and Adam add "
        "weight_decay·w to the gradient, exactly what the penalty λ/2‖w‖² in the loss adds: "
        "the same update (Δ = 0). AdamW decays w apart from the adaptive step, so Adam's "
        "per-coordinate scaling does not touch the decay: it is not the ridge loss's "
        "minimum it heads for, as its distance from it shows."
    )


def two_ways(run: CapacityRun, lam: float) -> dict:
    """Each optimizer with ridge as its weight_decay against Adam/SGD with the penalty in
    the loss: how far apart they end, and how far each is from the ridge minimum."""
    base = replace(run.stepper.spec, penalty="ridge", strength=lam, l1_method="proximal")
    best = run.exact(base)

    def end(optimizer: str, method: str) -> np.ndarray:
        s = PenalisedStepper(run.poly, replace(base, optimizer=optimizer, ridge_method=method))
        s.step(TWO_WAYS_STEPS)
        return s.params

    in_loss = {"sgd": end("sgd", "gradient"), "adam": end("adam", "gradient")}
    rows = {"weight_decay in": [], "against the penalty in the loss of": [], "max |Δθ|": []}
    rows["distance to the ridge minimum"] = []
    for name, label, other in (
        ("sgd", "SGD", "sgd"),
        ("adam", "Adam", "adam"),
        ("adamw", "AdamW (decoupled)", "adam"),
    ):
        theta = end(name, "weight_decay")
        rows["weight_decay in"].append(label)
        rows["against the penalty in the loss of"].append("SGD" if other == "sgd" else "Adam")
        rows["max |Δθ|"].append(f"{np.max(np.abs(theta - in_loss[other])):.2g}")
        rows["distance to the ridge minimum"].append(f"{np.linalg.norm(theta - best):.3g}")
    return rows


def code(run: CapacityRun, t: int) -> None:
    st.code(training_code(run.spec_at(t), run.poly.degree, max(t, 1)), language="python")
    st.caption(
        "Two param groups: the weight's with the weight decay, the bias's with none, so the "
        "bias is never penalised. z is the standardised features, y the targets."
    )


def many_runs(run: CapacityRun) -> None:
    """Views 5 and 6: the regularisation path and the validation curves."""
    if not run.config.many_runs:
        st.caption("Switch on **Path and validation curves** under View to draw them.")
        return
    bar = st.progress(0.0, text="Many runs at once…")
    many = run.many_runs(lambda f, text="": bar.progress(min(f, 1.0), text=f"Many runs: {text}"))
    bar.progress(
        1.0,
        text=f"{len(many.path.strengths) + len(many.degrees.degrees)} runs of "
        f"{PATH_STEPS} steps, batched: {many.seconds:.2f} s",
    )
    c = run.config
    key = (run.many_key, c.strength, c.degree, c.penalty, c.presenter)
    if getattr(run, "many_figures_for", None) != key:  # the specs, once per settings shown
        run.many_figures, run.many_figures_for = many_figures(run, many), key
    figures, notes = run.many_figures
    left, right = st.columns(2)
    with left:
        live_chart(figures["path"], key="capacity.chart.path", height=400)
        st.caption(notes["path"])
    with right:
        live_chart(figures["val_lambda"], key="capacity.chart.val_lambda", height=400)
        st.caption(notes["val_lambda"])
    live_chart(figures["val_degree"], key="capacity.chart.val_degree", height=360)
    st.caption(notes["val_degree"])


def many_figures(run: CapacityRun, many) -> tuple[dict, dict]:
    """Views 5 and 6 as figure specs, with what each says under it."""
    c, s, d = run.config, style(run), run.poly.degree
    scale = float(np.mean(run.data.y_train**2))
    path, lost = kept(many.path, scale)
    deg, lost_degrees = kept(many.degrees, scale)
    unsettled = int(np.sum(path.last_move > 1e-4))
    figures = {
        "path": path_figure(
            path.strengths,
            path.params[:, :d],
            run.poly.data.feature_names,
            c.strength,
            many.exact[:, :d],
            PATH_STEPS,
            style=s,
        ),
        "val_lambda": validation_figure(
            path.strengths, path.train_loss, path.test_loss, c.strength, "strength", style=s
        ),
        "val_degree": validation_figure(
            deg.degrees, deg.train_loss, deg.test_loss, c.degree, "degree", style=s
        ),
    }
    penalty = "ridge" if c.penalty == "none" else c.penalty
    diverged = (
        f" {lost} runs diverged and are left out (λ from "
        f"{np.nanmin(many.path.strengths[np.isnan(path.train_loss)]):.2g}: the rate "
        "times the curvature plus λ passed 2)."
        if lost
        else ""
    )
    notes = {
        "path": f"Notice: each {penalty} coefficient after {PATH_STEPS} steps against λ (solid) "
        f"and the exact minimum (dotted). {unsettled} of {len(path.strengths)} runs still "
        "moved in their last step (small λ on many degrees: gradient descent crawls)." + diverged,
        "val_lambda": "Notice: too little λ fits the noise (test above train), too much "
        "flattens the curve (both high).",
        "val_degree": "Notice: the train loss falls with every degree; the test loss falls, "
        "then turns up once the model starts to fit the noise."
        + (
            f" {lost_degrees} degrees diverged at this rate and are left out."
            if lost_degrees
            else ""
        ),
    }
    return figures, notes


def kept(result: PathResult, scale: float) -> tuple[PathResult, int]:
    """The runs with those that diverged (a train loss past 100× that of predicting 0, or
    not finite) blanked to NaN, and how many there were."""
    gone = ~(result.train_loss <= 100 * max(scale, 1e-12))
    if not gone.any():
        return result, 0
    blank = {
        name: np.where(gone[:, None] if name == "params" else gone, np.nan, getattr(result, name))
        for name in ("params", "train_loss", "test_loss", "objective", "last_move")
    }
    return replace(result, **blank), int(gone.sum())
