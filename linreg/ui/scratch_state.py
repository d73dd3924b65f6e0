"""The From scratch page's per-session state: the three programs, the step on show, the
matrices of the A @ B panel, the long runs, and the link that reproduces the view.

A link's query parameters set every setting of `ScratchConfig` (bad ones are ignored with a
note), plus `step` (the epoch on show, replayed by all three programs) and `A`, `B` (the
matrices, e.g. `A=1 2; 3 4`).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg import matmul
from linreg.data import seed002
from linreg.fastpath import params_at
from linreg.precision import Float32Result, Float32Run, log_steps
from linreg.scratch_steps import ThreeWays
from linreg.settings import table
from linreg.settings.scratch import MAX_STEPS, ScratchConfig
from linreg.ui.session import PageSession

TABLE = table(ScratchConfig)
DEFAULTS = TABLE.defaults
KEY_A, KEY_B = "scratch.matrix_a", "scratch.matrix_b"
MATRICES = ((KEY_A, "A", matmul.SEED_A), (KEY_B, "B", matmul.SEED_B))  # widget, link, seed


class Session(PageSession):
    """One session's three programs, stepped together."""

    KEY = "scratch"
    TABLE = TABLE
    EXTRA = ("A", "B")
    RESTARTS = ("dtype", "learning_rate")  # with the start: the three programs restart

    def build(self) -> None:
        self.ways = _ways(self.config)

    @property
    def stepper(self) -> ThreeWays:
        return self.ways

    def advance(self, k: int, stop_at_convergence: bool = False) -> None:
        self.ways.step(k)

    @property
    def limit(self) -> int:
        return MAX_STEPS

    def limit_note(self) -> str:
        return (
            f"The page steps the three programs up to {MAX_STEPS:,} epochs one by one; "
            "the long run below goes to the end."
        )

    def halted(self) -> str:
        return ""

    def finished(self) -> str:
        return self.limit_note() if self.steps >= self.limit else ""

    def restart_note(self, names: list[str]) -> str:
        return (
            "The precision, learning rate or start changed, so the three programs restarted "
            "from step 0."
        )

    def opened(self) -> None:
        for key, url, seed in MATRICES:
            st.session_state[key] = self.extra.get(url, seed)[:400]
        st.session_state["scratch.timeline"] = self.ways.steps

    def address_extra(self) -> dict[str, str]:
        return typed_matrices()


def _ways(config: ScratchConfig) -> ThreeWays:
    return ThreeWays(config.start, config.learning_rate, config.dtype)


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
