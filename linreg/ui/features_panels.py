"""The "Many features" text panels: this epoch's batches, conditioning, the code."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg import features
from linreg.features_code import program
from linreg.figures.features_replay import features_replay_figure, replay_steps
from linreg.figures.parity import parity_range
from linreg.figures.style import STYLES
from linreg.ui import features_state as state
from linreg.ui.plot import live_chart

SHOW_BATCHES = 40  # batches listed around the step shown


def batches(run: state.Run, t: int) -> None:
    """Which rows go into each batch of the epoch the step shown belongs to."""
    c, n = run.config, len(run.data.x_train)
    spec = run.stepper.spec
    since = _last_rebuild(run.lock)
    per = features.batches_per_epoch(n, spec.batch_size)
    if per == 1:
        st.caption(
            f"Full batch: every step uses all {n} rows (batch size {c.batch_size} "
            f"{'≥ rows' if c.batch_size else '= 0'})."
        )
        return
    local = max(t - since, 1)
    epoch, current = features.batch_of_step(local, n, spec.batch_size)
    plan = _plan(run, n, spec, epoch)
    first = since + epoch * per + 1
    rows = []
    show = range(max(0, current - SHOW_BATCHES // 2), min(per, current + SHOW_BATCHES // 2))
    for b in show:
        idx = plan[b]
        mark = " ◀ the step shown" if b == current and t > since else ""
        rows.append(
            {
                "batch": f"{b + 1}{mark}",
                "step": first + b,
                "rows (0-based, in the order the DataLoader yields them)": _rows(idx),
            }
        )
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key="features.batches",
        height=min(36 + 35 * per, 260),
    )
    order = (
        "a fresh random order each epoch, seeded by the start seed"
        if spec.shuffle
        else ("the file's order every epoch (shuffle off)")
    )
    note = (
        " The 15 crop rows are the 5 rows three times: rows r, r+5, r+10 are equal."
        if (c.source == "crop15")
        else ""
    )
    st.caption(
        f"Epoch {epoch + 1}: {n} rows in {per} batches of up to {spec.batch_size}, "
        f"{order}.{note}"
        + (f" (Batches restarted at step {since}, when their settings changed.)" if since else "")
    )


def _plan(run: state.Run, n: int, spec, epoch: int) -> list[np.ndarray]:
    """One epoch's batches, from the session's plan (kept: each epoch needs those before)."""
    plan = run.batch_plan
    if plan is None or (plan.n_rows, plan.spec) != (n, spec):
        plan = run.batch_plan = features.BatchPlan(n, spec)
    return plan.epoch(epoch)


def _rows(idx: np.ndarray, limit: int = 40) -> str:
    text = ", ".join(str(r) for r in idx[:limit])
    return text + (f", … ({len(idx)} rows)" if len(idx) > limit else "")


def _last_rebuild(lock: features.Lockstep) -> int:
    """The step at which the loader was last rebuilt (a change other than the rate)."""
    since = 0
    segments = lock.main.segments
    for new, old in zip(segments[1:], segments[:-1], strict=False):
        a, b = new.spec, old.spec
        if (a.batch_size, a.shuffle, a.dtype) != (b.batch_size, b.shuffle, b.dtype):
            since = new.start
    return since


def conditioning(run: state.Run) -> None:
    """Raw against standardised features: the spectrum, 2/λmax, and what lr does to both."""
    raw = features.conditioning(run.raw)
    scaled = features.conditioning(features.standardise(run.raw)[0])
    lr = run.config.learning_rate
    used = "standardised" if run.config.standardise else "raw"

    def row(name: str, cond: features.Conditioning) -> dict:
        flat = "∞ (a flat direction)"
        return {
            "features": name,
            "in use": "✓" if name == used else "",
            "λmin": "0" if cond.singular else f"{cond.eigenvalues[0]:.3g}",
            "λmax": f"{cond.eigenvalues[-1]:.3g}",
            "κ = λmax/λmin": flat if cond.singular else f"{cond.condition_number:.3g}",
            "2/λmax": f"{cond.critical_rate:.3g}",
            f"lr {lr:g}": "ABOVE: diverges" if lr > cond.critical_rate else "below: stable",
            "slowest ≈ 1/(lr·λmin) steps": (
                flat
                if cond.singular
                else "— (diverges)"
                if lr > cond.critical_rate
                else f"{cond.slowest_steps(lr):.3g}"
            ),
        }

    st.dataframe(
        [row("raw", raw), row("standardised", scaled)],
        hide_index=True,
        width="stretch",
        key="features.conditioning",
    )
    if raw.singular:
        st.caption(
            "Notice: these features are linearly dependent, or there are fewer rows than "
            "parameters. The loss has a flat valley floor that no learning rate and no scaling "
            "removes; the optimum shown is the least-squares one of smallest norm."
        )
        return
    ratio = raw.condition_number / max(scaled.condition_number, 1e-300)
    st.caption(
        f"Notice: the raw features' condition number is {ratio:.3g}× the standardised one's. "
        f"Gradient descent must keep lr below 2/λmax for the steepest direction, and then creeps "
        f"along the flattest, about 1/(lr·λmin) steps per e-fold. Standardising makes the "
        f"eigenvalues alike, so a far larger lr is stable and a few dozen steps suffice."
    )
    if not run.config.standardise and ratio > 10:
        st.caption(
            "Try it: turn on **Standardise features**, then press **Use ½ × critical rate**."
        )


def code(run: state.Run, t: int) -> None:
    """Both ways as complete programs that take the `t` steps on show and print its numbers."""
    c = run.config
    left, right = st.columns(2)
    for col, mode in ((left, "scratch"), (right, "builtins")):
        with col:
            on = " (on show)" if run.lock.mode == mode else ""
            st.markdown(f"**{'From scratch' if mode == 'scratch' else 'Built-ins'}**{on}")
            st.code(program(mode, c, run.raw, t), language="python")
    if len(run.stepper.segments) > 1:
        st.caption(
            f"The training settings changed at step {run.stepper.segments[-1].start} of this "
            "run; each "
            "program runs today's settings from step 0, so its numbers match the page's after "
            "Reset."
        )
    else:
        st.caption(
            f"Either program, run as it stands, takes the {t} steps on show and prints the "
            "page's train MSE and parameters at this step."
        )


def replay(run: state.Run) -> None:
    """The recorded run as Plotly frames, played by the browser (no server calls)."""
    h, data = run.stepper.history, run.data
    if len(h) < 2:
        st.caption("Take a few steps first: the replay plays the recorded history.")
        return
    picked = replay_steps(len(h))
    rows = np.unique(np.linspace(0, len(data.y_train) - 1, 300).astype(int))
    predicted = np.stack([features.predictions(data, h.params[t])[rows] for t in picked])
    actual = data.y_train[rows]
    spec = features_replay_figure(
        picked,
        actual,
        predicted,
        h.train_loss[picked],
        data.target_names,
        parity_range(actual, predicted[0], predicted[-1]),
        STYLES["projector" if run.config.presenter else "classic"],
    )
    live_chart(spec, key="features.chart.replay", height=440)
    st.caption(
        f"Notice: {len(picked)} of the {len(h) - 1} recorded steps, played in the browser: "
        "the points slide onto the diagonal as fast as the loss falls."
    )
