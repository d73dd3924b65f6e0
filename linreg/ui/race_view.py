"""The Optimizers page's panels: racers, run controls, timeline, leaderboard, the contour
and loss views, the replay, and the learning-rate sweep."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from linreg.figures.contour import STATIC
from linreg.figures.race import COLOURS, race_backdrop, race_contour, race_losses
from linreg.figures.race_replay import race_replay
from linreg.figures.sweep import sweep_figure
from linreg.landscape import critical_learning_rate
from linreg.race import shown_loss
from linreg.scene import thin
from linreg.settings import DATA, LOSS_LABELS, OPTIMIZER_LABELS, OPTIMIZERS, START
from linreg.settings.race import HYPER, RACE
from linreg.sweep import lr_sweep
from linreg.sweep import notice as sweep_notice
from linreg.ui import race_state as state
from linreg.ui.controls import buttons, shown_step
from linreg.ui.plot import live_chart
from linreg.ui.session import one_thread

NOTICE = {
    "contour": "What to notice: SGD heads straight down the steepest slope; momentum and "
    "Nesterov overshoot and swing across the valley; Adam and RMSprop first step both "
    "coordinates by about the same amount, so they set off at 45°.",
    "loss": "What to notice: on the log scale a straight fall is steady (linear) convergence; "
    "bumps are overshoots (momentum and Nesterov swing past the minimum and back), and the "
    "early leader is not always the leader later.",
    "board": "What to notice: the lowest loss now is not always the nearest to the minimum, "
    "and the fastest starter is not always the first to converge.",
    "replay": "What to notice: play it back and watch where the paths part ways; drag the "
    "slider to any step.",
}


def racers(run: state.RaceRun) -> None:
    """One column per optimizer: whether it takes part, its learning rate, its knobs."""
    cols = st.columns(len(OPTIMIZERS))
    for col, name in zip(cols, OPTIMIZERS, strict=True):
        with col:
            st.markdown(
                f"<span style='color:{COLOURS[name]};font-size:1.4em'>●</span> "
                f"**{OPTIMIZER_LABELS[name]}**",
                unsafe_allow_html=True,
            )
            state.widget(name)
            off = not getattr(run.config, name)
            state.widget(f"{name}_lr", disabled=off)
            for field, _ in HYPER[name]:
                state.widget(field, disabled=off)


def controls(run: state.RaceRun) -> None:
    """Step, Step ×k, Run/Pause and Reset for every racer at once, and the race's state."""
    r = run.race
    if r.steps and state.all_diverged(run):
        badge = f":red-badge[Every racer diverged (step {r.steps})]"
    elif run.running:
        badge = ":blue-badge[Running]"
    elif r.steps and r.finished(run.config.tolerance):
        badge = ":green-badge[Every racer converged or diverged]"
    else:
        badge = ":gray-badge[Paused]" if r.steps else ":gray-badge[Ready]"
    buttons(
        "race.btn",
        run.step,
        run.toggle,
        run.reset,
        running=run.running,
        stopped=state.all_diverged(run),
        k=run.config.steps_per_click,
        badge=badge,
        speed=(run.TABLE, run.config.speed),
    )


def diverged_note(run: state.RaceRun) -> None:
    """Which racers diverged, and what to do about it."""
    gone = [(n, s.diverged_at) for n, s in run.race.steppers.items() if s.diverged_at is not None]
    if gone:
        names = ", ".join(f"{OPTIMIZER_LABELS[n]} at step {t}" for n, t in gone)
        st.error(
            f"Diverged: {names}. Its learning rate is too large for this valley; lower it in "
            "the racers' panel (the race restarts) or switch it off. The others race on.",
            icon="💥",
        )


def timeline(run: state.RaceRun) -> int:
    """The step on show."""
    return shown_step(
        run,
        run.race.steps,
        "race.timeline",
        "Step 0 of 0: press Step or Run, and every racer takes a step.",
    )


def leaderboard(run: state.RaceRun, shown: int) -> None:
    """Loss now, distance to the minimum, and when each racer converged or diverged."""
    rows = run.race.standings(shown, run.land.minimum, run.config.tolerance)
    names = state.labels(run.config)
    table = pd.DataFrame(
        {
            "Rank": [r.place for r in rows],  # "=2": tied (see linreg.race)
            "Optimizer": [names[r.name] for r in rows],
            "Loss now": [r.loss for r in rows],
            "To minimum": [r.distance for r in rows],
            "Converged at": [_at(r.converged_at) for r in rows],
            "Diverged at": [_at(r.diverged_at) for r in rows],
        },
        index=pd.RangeIndex(1, len(rows) + 1),  # unique, as the Styler needs; hidden
    )
    colours = {names[r.name]: COLOURS[r.name] for r in rows}
    styled = table.style.map(
        lambda v: f"color: {colours.get(v, 'inherit')}; font-weight: 600", subset=["Optimizer"]
    ).format({"Loss now": shown_loss, "To minimum": "{:.4g}"})
    st.dataframe(styled, key="race.board", width="stretch", hide_index=True)
    tie = (
        " Racers showing the same loss are tied (=1): the first to converge is listed first."
        if any(r.tied and r.diverged_at is None for r in rows)
        else ""
    )
    st.caption(NOTICE["board"] + tie)


def _at(step: int | None) -> str:
    return "—" if step is None else str(step)


def charts(run: state.RaceRun, shown: int) -> None:
    """The contour with every path, and every racer's loss curve, at the step on show."""
    c, land = run.config, run.land
    rev = hash((c.loss, c.huber_delta, tuple(land.weights), tuple(land.biases))) & 0xFFFFFFF
    if run.backdrop_key != rev:
        run.backdrop = race_backdrop(land.weights, land.biases, land.loss, LOSS_LABELS[c.loss])
        run.backdrop_key = rev
    names = state.labels(c)

    def contour(t: int) -> dict:
        paths = {n: _thinned(p) for n, p in run.race.paths(t).items()}
        return race_contour(
            land.weights,
            land.biases,
            run.backdrop,
            paths,
            names,
            land.start,
            land.truth,
            land.minimum,
            LOSS_LABELS[c.loss],
        )

    since = run.drawn if run.running and run.drawn < shown else shown
    gap = np.arange(since + 1, shown)
    between = gap[np.linspace(0, len(gap) - 1, 8).astype(int)] if len(gap) > 8 else gap
    run.drawn = shown
    frame_ms = int(1000 * run.tick_gap / (len(between) + 1))
    left, right = st.columns([3, 2])  # the contour, with six paths and a legend, gets room
    with left:
        spec = run.drawn_specs["race.chart.contour"] = contour(shown)
        live_chart(
            spec,
            key="race.chart.contour",
            revisions=dict.fromkeys(STATIC, rev),
            height=520,
            between=[contour(int(t)) for t in between],
            frame_ms=frame_ms,
        )
        st.caption(NOTICE["contour"])
    with right:
        steppers = run.race.steppers
        losses = {n: s.history.train_loss[: shown + 1] for n, s in steppers.items()}
        diverged = {n: s.diverged_at for n, s in steppers.items()}
        spec = run.drawn_specs["race.chart.loss"] = race_losses(
            losses, names, shown, c.log_loss, diverged
        )
        live_chart(spec, key="race.chart.loss", height=520)
        st.caption(NOTICE["loss"])


def _thinned(path: np.ndarray) -> np.ndarray:
    return path[thin(len(path))]


def replay(run: state.RaceRun) -> None:
    """The recorded race as Plotly frames, played by the browser."""
    if run.race.steps < 2:
        st.caption("Take a few steps first: the replay plays the recorded race.")
        return
    c, land = run.config, run.land
    steppers = run.race.steppers
    spec = race_replay(
        land.weights,
        land.biases,
        land.loss,
        {n: s.history.params for n, s in steppers.items()},
        {n: s.history.train_loss for n, s in steppers.items()},
        state.labels(c),
        c.log_loss,
    )
    run.drawn_specs["race.chart.replay"] = spec
    live_chart(spec, key="race.chart.replay", height=500)
    st.caption(NOTICE["replay"])


def sweep(run: state.RaceRun) -> None:
    """Pick an optimizer and a range of rates; run them all at once on a button press."""
    c = run.config
    cols = st.columns([1.4, 1, 1, 1.2, 1.2])
    for col, name in zip(
        cols,
        ("sweep_optimizer", "sweep_rates", "sweep_steps", "sweep_lr_min", "sweep_lr_max"),
        strict=True,
    ):
        with col:
            state.widget(name)
    data = run.race.data
    spec = state.specs(c.replace(**{c.sweep_optimizer: True}))[c.sweep_optimizer]
    rates = np.geomspace(c.sweep_lr_min, c.sweep_lr_max, c.sweep_rates)
    shape = [getattr(c, n) for n, sp in RACE.specs.items() if sp.group in (DATA, START)]
    key = (spec, tuple(rates), c.sweep_steps, tuple(shape), c.tolerance)
    if st.button("Run the sweep", key="race.sweep.run", type="primary"):
        bar = st.progress(0.0, text="Sweeping…")

        def progress(done: float) -> None:
            bar.progress(min(max(done, 0.0), 1.0), text=f"Sweeping… {done:.0%}")

        one_thread()
        began = time.perf_counter()
        run.sweep = lr_sweep(
            data, spec, rates, c.sweep_steps, state.start(c), c.tolerance, progress=progress
        )
        run.sweep_seconds = time.perf_counter() - began
        run.sweep_key = key
        bar.empty()
    if run.sweep is None:
        st.caption(f"Press the button: {c.sweep_rates} runs of {c.sweep_steps} steps, all at once.")
        return
    if run.sweep_key != key:
        st.info("The settings changed since this sweep was run: press the button to update it.")
    res = run.sweep
    critical = critical_learning_rate(data)
    opt = OPTIMIZER_LABELS[res_name(run)]
    spec_fig = run.drawn_specs["race.chart.sweep"] = sweep_figure(
        res.learning_rates,
        res.final_loss,
        res.diverged_at,
        res.converged_at,
        critical,
        opt,
        res.loss.shape[0] - 1,
    )
    live_chart(spec_fig, key="race.chart.sweep", height=560)
    n_div = int((res.diverged_at >= 0).sum())
    st.caption(
        f"{len(res.learning_rates)} rates × {res.loss.shape[0] - 1} steps in "
        f"{run.sweep_seconds:.2f} s; {n_div} diverged. The dashed line is 2/λmax = "
        f"{critical:.3g}, the edge of plain full-batch SGD on MSE."
    )
    st.caption(sweep_notice(res, run.sweep_key[0], critical))


def res_name(run: state.RaceRun) -> str:
    """The optimizer the shown sweep was run with."""
    return run.sweep_key[0].optimizer if run.sweep_key else run.config.sweep_optimizer
