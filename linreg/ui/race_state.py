"""The Optimizers page's state, kept per browser session, and how its settings apply.

Any change to the data, the start, the loss or a racer restarts the race from step 0 (the
paths stay comparable); run, view and sweep settings change nothing already recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import streamlit as st
import torch

from linreg import scene
from linreg.data import Dataset, split, synthetic_line
from linreg.presets import Preset
from linreg.race import Race
from linreg.settings import DATA, OPTIMIZER_LABELS, START, TRAINING
from linreg.settings.race import RACE, RACERS, RaceConfig
from linreg.sweep import SweepResult
from linreg.trainer import TrainSpec
from linreg.ui import links, widgets


def one_thread() -> None:
    """Tiny tensors: one thread is faster and fair to the other users. OpenMP keeps the
    thread count per calling thread, and Streamlit runs every script run (and fragment
    run) in a new thread, so this is called at the start of each run, not once at import:
    without it torch's sqrt on a 50×2 tensor took 3 ms instead of 3 µs (Adam's sweep 5 s
    instead of 0.4 s)."""
    torch.set_num_threads(1)


one_thread()

PREVIEW = 300  # steps of every racer that frame the contour's box


@dataclass
class RaceRun:
    """One session's race: its settings, the racers and what is on show."""

    config: RaceConfig
    race: Race
    land: scene.Landscape
    running: bool = False
    notice: str = ""
    stop_reason: str = ""
    follow: bool = True  # the timeline follows the newest step
    drawn: int = 0  # the step the charts showed last
    last_tick: float = 0.0
    tick_gap: float = 0.25  # seconds between live updates, smoothed
    query: dict = field(default_factory=dict)
    lesson: Preset | None = None  # the lesson the link opened, if any
    notes: list[str] = field(default_factory=list)
    backdrop: dict | None = None
    backdrop_key: int = -1
    sweep: SweepResult | None = None
    sweep_key: tuple | None = None
    sweep_seconds: float = 0.0
    drawn_specs: dict = field(default_factory=dict)  # chart key -> the last spec drawn


def dataset(config: RaceConfig) -> Dataset:
    """y = weight·x + bias + noise at n evenly spaced x; every point is trained on."""
    x, y = synthetic_line(
        config.true_weight,
        config.true_bias,
        config.noise,
        config.n_points,
        config.x_min,
        config.x_max,
        seed=config.seed,
    )
    return split(x, y, 1.0)


def specs(config: RaceConfig) -> dict[str, TrainSpec]:
    """Each racer's TrainSpec: the shared loss and precision, its own optimizer settings."""
    shared = dict(loss=config.loss, huber_delta=config.huber_delta, dtype=config.dtype)
    return {
        name: TrainSpec(seed=config.seed, **shared, **config.racer_spec(name))
        for name in config.racers
    }


def start(config: RaceConfig) -> np.ndarray:
    return np.array([config.init_weight, config.init_bias])


def labels(config: RaceConfig) -> dict[str, str]:
    """Legend names: the optimizer and its learning rate."""
    return {n: f"{OPTIMIZER_LABELS[n]} (η={getattr(config, n + '_lr'):g})" for n in config.racers}


def _landscape(config: RaceConfig, race: Race) -> scene.Landscape:
    """The loss surface framed around the start, the truth, the minima and the first
    PREVIEW steps of every racer that does not diverge in them (points far outside are
    left out, see scene.landscape)."""
    preview = Race(race.data, race.specs, race.start)
    preview.step(min(config.max_steps, PREVIEW))
    # A racer that diverges would stretch the box until the others' paths are specks.
    kept = [s.history.params for s in preview.steppers.values() if s.diverged_at is None]
    points = np.concatenate(kept) if kept else None
    truth = (config.true_weight, config.true_bias)
    return scene.landscape(race.data, config.loss, config.huber_delta, race.start, truth, points)


def new_run(config: RaceConfig) -> RaceRun:
    race = Race(dataset(config), specs(config), start(config))
    return RaceRun(config, race, _landscape(config, race))


def restart(run: RaceRun, config: RaceConfig, notice: str) -> None:
    """A fresh race in place: new settings, or Reset."""
    fresh = new_run(config)
    run.config, run.race, run.land = config, fresh.race, fresh.land
    run.running, run.follow, run.stop_reason, run.notice = False, True, "", notice


def current_run(page: str = "race") -> RaceRun:
    """This session's race. A link with query parameters sets every setting from them (on
    top of the defaults) and replays the race to its step; a plain link keeps the race."""
    one_thread()
    run = st.session_state.get(page)
    link = links.opened(RACE, None if run is None else run.query)
    if link is not None:
        widgets.load(link.config, force=True)
        run = new_run(link.config)
        if link.steps:
            run.race.step(min(link.steps, link.config.max_steps))
        run.notes, run.lesson = link.notes, link.lesson
        run.query = dict(st.query_params.items())
        st.session_state[page] = run
    return run


def share_link(run: RaceRun, step: int) -> str:
    """A link that reopens this view anywhere: every changed setting and the step shown."""
    return links.share(run.config, step, run.lesson)


def apply(run: RaceRun, config: RaceConfig) -> None:
    """Bring the race in line with new settings, and say what happened."""
    old = run.config
    if config == old:
        return
    changed = config.changed(old)
    restarting = [n for n, g in changed.items() if g in (DATA, START, RACERS, TRAINING)]
    if restarting:
        names = ", ".join(_name(n) for n in restarting[:4]) + ("…" if len(restarting) > 4 else "")
        restart(run, config, f"Changed {names}: the race restarted from step 0.")
    else:
        run.config = config


def _name(setting: str) -> str:
    label = RACE.specs[setting].label
    racer = setting.split("_")[0]
    if RACE.specs[setting].group == RACERS and racer in OPTIMIZER_LABELS:
        return f"{OPTIMIZER_LABELS[racer]}'s {label.lower()}"
    return label.lower()


def reset(run: RaceRun) -> None:
    restart(run, run.config, "Reset to step 0.")


def toggle(run: RaceRun) -> None:
    run.running, run.stop_reason, run.notice = not run.running, "", ""


def all_diverged(run: RaceRun) -> bool:
    return all(s.diverged_at is not None for s in run.race.steppers.values())


def step(run: RaceRun, k: int) -> None:
    """k steps of every racer, by hand."""
    room = run.config.max_steps - run.race.steps
    if room <= 0:
        run.stop_reason = f"Reached the maximum of {run.config.max_steps} steps."
        return
    run.race.step(min(k, room))
    run.follow = True


def tick(run: RaceRun) -> None:
    """One live update: `speed` steps of every racer; stops when every racer has converged
    or diverged, or at the step limit."""
    one_thread()
    now = time.perf_counter()
    if run.last_tick and now - run.last_tick < 2.0:
        run.tick_gap = 0.7 * run.tick_gap + 0.3 * (now - run.last_tick)
    run.last_tick = now
    c = run.config
    room = c.max_steps - run.race.steps
    if room > 0:
        run.race.step(min(c.speed, room))
    run.follow = True
    if run.race.steps >= c.max_steps:
        run.running, run.stop_reason = False, f"Reached the maximum of {c.max_steps} steps."
    elif run.race.finished(c.tolerance):
        run.running = False
        run.stop_reason = f"Every racer has converged or diverged by step {run.race.steps}."


def settings(run: RaceRun) -> None:
    """Read what the widgets say, apply it, then draw the sidebar's widgets."""
    config, notes = widgets.take(run.config)
    run.notes.extend(notes)
    apply(run, config)
    run.query = links.sync_address(run.config, run.lesson)
    bar = st.sidebar
    with bar.expander("Data: y = weight·x + bias + noise", expanded=True):
        for name in ("true_weight", "true_bias", "noise", "n_points", "x_min", "x_max", "seed"):
            widget(name)
        st.button(
            "Unscaled x: 5 to 10",
            key="race.unscaled",
            on_click=_unscaled,
            help="x far from 0: a long, narrow valley where the optimizers differ most.",
            width="stretch",
        )
        widget("loss")
        if run.config.loss == "huber":
            widget("huber_delta")
    with bar.expander("Start (shared by every racer)", expanded=True):
        for name in ("init_weight", "init_bias"):
            widget(name)
    with bar.expander("Run", expanded=False):
        for name in ("steps_per_click", "speed", "max_steps", "tolerance", "dtype"):
            widget(name)
    with bar.expander("View", expanded=True):
        widget("log_loss")


def widget(name: str, where=st, disabled: bool = False):
    """A setting's widget; fine sliders (β₂, α) show four decimals, not a rounded 1.00."""
    spec = RACE.specs[name]
    if spec.step is not None and spec.step < 0.01:
        return where.slider(
            spec.label,
            float(spec.low),
            float(spec.high),
            step=spec.step,
            format="%.4f",
            key=widgets.key(name, RACE),
            help=spec.help or None,
            disabled=disabled,
        )
    return widgets.widget(name, where, disabled, table=RACE)


def _unscaled() -> None:
    st.session_state[widgets.key("x_min", RACE)] = 5.0
    st.session_state[widgets.key("x_max", RACE)] = 10.0
