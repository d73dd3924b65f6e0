"""The Optimizers page's state, kept per browser session, and how its settings apply.

Any change to the data, the start, the loss or a racer restarts the race from step 0 (the
paths stay comparable); run, view and sweep settings change nothing already recorded.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg import scene
from linreg.data import Dataset, split, synthetic_line
from linreg.race import Race, valley_rates
from linreg.settings import DATA, OPTIMIZER_LABELS, START, TRAINING
from linreg.settings.race import RACE, RACERS, RaceConfig
from linreg.sweep import SweepResult
from linreg.trainer import TrainSpec
from linreg.ui import widgets
from linreg.ui.session import PageSession

PREVIEW = 300  # steps of every racer that frame the contour's box


class RaceRun(PageSession):
    """One session's race: the racers, the surface they race on, the sweep below."""

    KEY = "race"
    TABLE = RACE
    # Every change of the race's training settings restarts it, so the paths stay comparable.
    TIMELINE = ()

    def build(self) -> None:
        self.race = Race(dataset(self.config), specs(self.config), start(self.config))
        self.land = _landscape(self.config, self.race)
        self.backdrop: dict | None = None
        self.backdrop_key = -1
        self.drawn_specs: dict = {}  # chart key -> the last spec drawn
        if not hasattr(self, "sweep"):
            self.sweep: SweepResult | None = None
            self.sweep_key: tuple | None = None
            self.sweep_seconds = 0.0

    @property
    def stepper(self) -> Race:
        return self.race

    def advance(self, k: int, stop_at_convergence: bool = False) -> None:
        self.race.step(k)

    def halted(self) -> str:
        return ""  # a racer that diverges stops alone; the race goes on

    def finished(self) -> str:
        if self.steps >= self.limit:
            return self.limit_note()
        if self.race.finished(self.config.tolerance):
            return f"Every racer has converged or diverged by step {self.steps}."
        return ""

    def restarts(self, changed: dict[str, str]) -> list[str]:
        return [n for n, g in changed.items() if g in (DATA, START, RACERS, TRAINING)]

    def restart_note(self, names: list[str]) -> str:
        shown = ", ".join(_name(n) for n in names[:4]) + ("…" if len(names) > 4 else "")
        return f"Changed {shown}: the race restarted from step 0."


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


def _name(setting: str) -> str:
    label = RACE.specs[setting].label
    racer = setting.split("_")[0]
    if RACE.specs[setting].group == RACERS and racer in OPTIMIZER_LABELS:
        return f"{OPTIMIZER_LABELS[racer]}'s {label.lower()}"
    return label.lower()


def all_diverged(run: RaceRun) -> bool:
    return all(s.diverged_at is not None for s in run.race.steppers.values())


def settings(run: RaceRun) -> None:
    """Read what the widgets say, apply it, then draw the sidebar's widgets."""
    run.take_widgets()
    bar = st.sidebar
    with bar.expander("Data: y = weight·x + bias + noise", expanded=True):
        for name in ("true_weight", "true_bias", "noise", "n_points", "x_min", "x_max", "seed"):
            widget(name)
        st.button(
            "Unscaled x: 5 to 10",
            key="race.unscaled",
            on_click=_unscaled,
            help="x far from 0: a long, narrow valley where the optimizers differ most (with "
            "rates at which SGD, momentum and Nesterov stay stable there).",
            width="stretch",
        )
        widget("loss")
        if run.config.loss == "huber":
            widget("huber_delta")
    with bar.expander("Start (shared by every racer)", expanded=True):
        for name in ("init_weight", "init_bias"):
            widget(name)
    with bar.expander("Run", expanded=False):
        for name in ("steps_per_click", "max_steps", "tolerance", "dtype"):
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
    """x from 5 to 10, and rates at which SGD, momentum and Nesterov stay stable there."""
    run = st.session_state[RaceRun.KEY]
    config = run.config.replace(x_min=5.0, x_max=10.0)
    rates = valley_rates(dataset(config), config.momentum_mu, config.nesterov_mu)
    for name, value in {"x_min": 5.0, "x_max": 10.0, **rates}.items():
        st.session_state[widgets.key(name, RACE)] = value
