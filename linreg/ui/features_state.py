"""The "Many features" page's state, kept per browser session, and how settings apply.

Changing the data, the start or standardisation restarts the run; a new learning rate,
batch size, shuffle or precision continues from the current parameters; switching the way
(from scratch / built-ins) or the comparison never loses the run: the other way is replayed
through the same steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import streamlit as st
import torch

from linreg import features
from linreg.data import Dataset, crop_yields, split
from linreg.landscape import optimum
from linreg.presets import Preset
from linreg.settings import DATA, START, table
from linreg.settings.features import FeaturesConfig
from linreg.trainer import initial_params
from linreg.ui import links, widgets

torch.set_num_threads(1)  # tiny tensors: one thread is faster and fair to other users

TABLE = table(FeaturesConfig)
KEY = "features"  # this page's run in st.session_state


@dataclass(frozen=True, eq=False)
class OwnTable:
    """Columns a user picked from their CSV file: features X (n, d) and targets Y (n, k)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    x_names: tuple[str, ...]
    y_names: tuple[str, ...]

    @property
    def key(self) -> tuple:
        return self.name, self.x_names, self.y_names, hash(self.x.tobytes() + self.y.tobytes())


@dataclass
class Run:
    """One session's run on this page."""

    config: FeaturesConfig
    raw: Dataset  # the data in its own units
    data: Dataset  # what is trained on (standardised or not)
    scaler: features.Scaler | None
    lock: features.Lockstep
    best: np.ndarray  # least-squares θ in the trained units
    data_note: str = ""
    running: bool = False
    notice: str = ""
    stop_reason: str = ""
    follow: bool = True
    drawn: int = 0
    last_tick: float = 0.0
    tick_gap: float = 0.25
    query: dict = field(default_factory=dict)
    lesson: Preset | None = None  # the lesson the link opened, if any
    own: OwnTable | None = None
    notes: list[str] = field(default_factory=list)
    batch_plan: features.BatchPlan | None = None  # this epoch's batches, drawn as needed

    @property
    def stepper(self):
        return self.lock.main


def raw_data(config: FeaturesConfig, own: OwnTable | None) -> tuple[Dataset, str]:
    """The data the settings (and an uploaded file) describe, and a note if it fell back."""
    if config.source == "synthetic":
        x, y = features.synthetic(
            config.true_weight(),
            config.true_bias(),
            config.noise,
            config.n_points,
            config.spread,
            config.seed,
        )
        d, k = config.n_features, config.n_targets
        return split(
            x,
            y,
            1.0,
            feature_names=[f"x{i + 1}" for i in range(d)],
            target_names=[f"y{j + 1}" for j in range(k)],
        ), ""
    if config.source == "csv":
        if own is None:
            return crop_yields(15), (
                "Data is set to your CSV, but no file is loaded (a link cannot carry one): "
                "showing the 15 crop rows until you upload one in the sidebar."
            )
        return split(own.x, own.y, 1.0, feature_names=own.x_names, target_names=own.y_names), ""
    return crop_yields(5 if config.source == "crop5" else 15), ""


def spec_of(config: FeaturesConfig):
    return features.train_spec(
        config.learning_rate, config.batch_size, config.shuffle, config.dtype, config.init_seed
    )


def new_run(config: FeaturesConfig, own: OwnTable | None = None) -> Run:
    raw, note = raw_data(config, own)
    data, scaler = features.standardise(raw) if config.standardise else (raw, None)
    start = initial_params(data.n_features, data.n_targets, config.init_seed)
    lock = features.Lockstep(data, spec_of(config), start, config.mode, config.compare)
    return Run(config, raw, data, scaler, lock, optimum(data), note, own=own)


def restart(run: Run, config: FeaturesConfig, own: OwnTable | None, notice: str) -> None:
    fresh = new_run(config, own)
    for name in ("config", "raw", "data", "scaler", "lock", "best", "data_note", "own"):
        setattr(run, name, getattr(fresh, name))
    run.running, run.follow, run.stop_reason, run.notice = False, True, "", notice


def current_run() -> Run:
    """This session's run. A link with query parameters sets every setting from them."""
    torch.set_num_threads(1)  # per script run: each runs in a thread of its own
    run = st.session_state.get(KEY)
    link = links.opened(TABLE, None if run is None else run.query)
    if link is not None:
        widgets.load(link.config, force=True)
        run = new_run(link.config)
        advance_to(run, link.steps)
        run.notes, run.lesson = link.notes, link.lesson
        run.query = dict(st.query_params.items())
        st.session_state[KEY] = run
    return run


def advance_to(run: Run, steps: int) -> None:
    """Replay a shared view to its step."""
    if steps:
        run.lock.step(min(steps, run.config.max_steps))


def share_link(run: Run, step: int) -> str:
    return links.share(run.config, step, run.lesson)


def apply(run: Run, config: FeaturesConfig) -> None:
    """Bring the run in line with new settings, and say what happened."""
    old = run.config
    if config == old:
        return
    changed = config.changed(old)
    if any(g in (DATA, START) for g in changed.values()) or "standardise" in changed:
        restart(run, config, run.own, _restart_note(changed))
        return
    lock = run.lock
    if "compare" in changed:
        lock.set_compare(config.compare)
    if "mode" in changed:
        lock.set_mode(config.mode)
        run.notice = f"Now showing the {_way(config.mode)} run (the same steps, replayed)."
    training = [n for n in ("learning_rate", "batch_size", "shuffle", "dtype") if n in changed]
    if training:
        lock.configure(spec_of(config))
        run.stop_reason = ""
        names = ", ".join(TABLE.specs[n].label.lower() for n in training)
        run.notice = (
            f"Changed {names}: training continues from step {lock.main.steps} with the "
            "current weights and bias."
        )
    run.config = config


def _restart_note(changed: dict) -> str:
    if "standardise" in changed:
        return "Standardisation changed the features, so the run restarted from step 0."
    return "The data or the start changed, so the run restarted from step 0."


def _way(mode: str) -> str:
    return "from-scratch" if mode == "scratch" else "built-ins"


def reset(run: Run) -> None:
    restart(run, run.config, run.own, "Reset to step 0.")


def toggle(run: Run) -> None:
    run.running, run.stop_reason, run.notice = not run.running, "", ""


def step(run: Run, k: int) -> None:
    """k steps by hand (they stop early only at divergence or the step limit)."""
    room = run.config.max_steps - run.stepper.steps
    if room <= 0:
        run.stop_reason = f"Reached the maximum of {run.config.max_steps} steps."
        return
    run.lock.step(min(k, room))
    run.follow = True
    if run.stepper.diverged_at is not None:
        run.stop_reason = run.stepper.message


def tick(run: Run) -> None:
    """One live update: `speed` steps; stops at divergence, convergence or the limit."""
    torch.set_num_threads(1)  # a fragment rerun may run in a thread of its own
    now = time.perf_counter()
    if run.last_tick and now - run.last_tick < 2.0:
        run.tick_gap = 0.7 * run.tick_gap + 0.3 * (now - run.last_tick)
    run.last_tick = now
    c, s = run.config, run.stepper
    room = c.max_steps - s.steps
    if room > 0:
        run.lock.step(min(c.speed, room), c.stop_at_convergence)
    run.follow = True
    reason = ""
    if s.diverged_at is not None or c.stop_at_convergence and s.converged_at is not None:
        reason = s.message
    elif s.steps >= c.max_steps:
        reason = f"Reached the maximum of {c.max_steps} steps."
    if reason:
        run.running, run.stop_reason = False, reason
