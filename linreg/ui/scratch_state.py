"""The From scratch page's per-session state: the three programs, the step on show, the
matrices of the A @ B panel, the long runs, and the link that reproduces the view.

A link's query parameters set every setting of `ScratchConfig` (bad ones are ignored with a
note), plus `step` (the epoch on show, replayed by all three programs) and `A`, `B` (the
matrices, e.g. `A=1 2; 3 4`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st
import torch

from linreg import matmul
from linreg.data import seed002
from linreg.fastpath import params_at
from linreg.precision import Float32Result, Float32Run, log_steps
from linreg.presets import Preset
from linreg.scratch_steps import ThreeWays
from linreg.settings import table
from linreg.settings.scratch import MAX_STEPS, ScratchConfig
from linreg.ui import links, widgets

torch.set_num_threads(1)  # tiny tensors: one thread is faster and fair to other users

TABLE = table(ScratchConfig)
DEFAULTS = TABLE.defaults
KEY_A, KEY_B = "scratch.matrix_a", "scratch.matrix_b"
MATRICES = ((KEY_A, "A", matmul.SEED_A), (KEY_B, "B", matmul.SEED_B))  # widget, link, seed


@dataclass
class Session:
    config: ScratchConfig
    ways: ThreeWays
    running: bool = False
    follow: bool = True
    notice: str = ""
    notes: list[str] = field(default_factory=list)
    query: dict = field(default_factory=dict)
    lesson: Preset | None = None


def _ways(config: ScratchConfig) -> ThreeWays:
    return ThreeWays(config.start, config.learning_rate, config.dtype)


def current() -> Session:
    """This session's state; a link with query parameters rebuilds it from them."""
    torch.set_num_threads(1)  # per script run: each runs in a thread of its own
    run = st.session_state.get("scratch")
    link = links.opened(TABLE, None if run is None else run.query, extra=("A", "B"))
    if link is not None:
        widgets.load(link.config, force=True)
        for key, url, seed in MATRICES:
            st.session_state[key] = link.extra.get(url, seed)[:400]
        run = Session(config=link.config, ways=_ways(link.config), lesson=link.lesson)
        run.ways.step(min(link.steps, MAX_STEPS))
        run.notes = link.notes
        run.query = dict(st.query_params.items())
        st.session_state["scratch"] = run
        st.session_state["scratch.timeline"] = run.ways.steps
    return run


def settings(run: Session) -> None:
    """Read what the widgets say (refused values spring back, with a note), apply it, and
    keep the address bar in step."""
    config, notes = widgets.take(run.config)
    run.notes.extend(notes)
    apply(run, config)
    run.query = links.sync_address(run.config, run.lesson, typed_matrices())


def apply(run: Session, config: ScratchConfig) -> None:
    """A new precision, rate or start restarts the three programs from step 0."""
    old, run.config = run.config, config
    if (old.dtype, old.learning_rate, old.start) != (
        config.dtype,
        config.learning_rate,
        config.start,
    ):
        run.ways = _ways(config)
        run.running, run.follow = False, True
        run.notice = (
            "The precision, learning rate or start changed, so the three programs restarted "
            "from step 0."
        )


def step(run: Session, k: int) -> None:
    room = MAX_STEPS - run.ways.steps
    if room <= 0:
        run.notice = (
            f"The page steps the three programs up to {MAX_STEPS:,} epochs one by one; "
            "the long run below goes to the end."
        )
        run.running = False
        return
    run.ways.step(min(k, room))
    run.follow = True


def toggle(run: Session) -> None:
    run.running, run.notice = not run.running, ""


def reset(run: Session) -> None:
    run.ways = _ways(run.config)
    run.running, run.follow, run.notice = False, True, "Reset to step 0."


def tick(run: Session) -> None:
    """One live update: `speed` more epochs, stopping at the step limit."""
    step(run, run.config.speed)


def matrices() -> tuple[np.ndarray | None, np.ndarray | None, list[str]]:
    """The A and B the user typed, or every message saying what is wrong."""
    return matmul.parse_both(
        st.session_state.get(KEY_A, matmul.SEED_A), st.session_state.get(KEY_B, matmul.SEED_B)
    )


def typed_matrices() -> dict[str, str]:
    """The A and B the user typed, by their link keys, where they differ from the seed's."""
    typed = {}
    for key, url, seed in MATRICES:
        text = st.session_state.get(key, seed)
        if text != seed:
            typed[url] = text
    return typed


def share_link(run: Session, shown: int) -> str:
    """A link that reopens this view on a fresh server."""
    return links.share(run.config, shown, run.lesson, typed_matrices())


# ---- the long runs (deterministic, so one result serves every user) ----------------------
@st.cache_data(max_entries=32, show_spinner=False)
def long_run64(start: tuple, learning_rate: float, epochs: int) -> tuple[np.ndarray, np.ndarray]:
    """float64 through the matrix-power fast path: w at log-spaced epochs, last = the end."""
    steps = log_steps(epochs)
    return steps, params_at(seed002(), learning_rate, np.array(start), steps, bias=False)


@st.cache_resource(max_entries=32, show_spinner=False)
def _float32_results() -> dict:
    return {}


def long_run32(start: tuple, learning_rate: float, epochs: int) -> Float32Result:
    """float32 step by step to its fixed point, with a progress bar the first time."""
    store = _float32_results()
    key = (tuple(float(v) for v in start), float(learning_rate), int(epochs))
    if key in store:
        return store[key]
    run = Float32Run(start, learning_rate, epochs)
    bar = st.progress(0.0, text="Running the float32 NumPy loop epoch by epoch…")
    while not run.advance(20_000):
        bar.progress(
            min(run.t / max(epochs, 1), 1.0),
            text=f"float32, epoch by epoch: {run.t:,} of up to {epochs:,}…",
        )
    bar.empty()
    store[key] = result = run.result()
    return result
