"""The "Capacity and regularisation" page's state, kept per browser session, and how its
settings apply.

The data, the degree, the precision and the schedule restart the run. The penalty (kind, λ,
α, how ridge and the lasso are applied, whether the bias is penalised), the optimizer and
the learning rate continue it from the current θ: `PenalisedStepper.configure` builds a
fresh optimizer (Adam's moments start again) and a fresh schedule. With the constant rate
that is exactly "go on with the new setting", and a share link replays it bit for bit; with
any other schedule it would silently start the schedule over (a second warm-up, the decay
undone), so there those changes restart the run instead, and say so. The schedule's own
settings (the shared `fields` ones, its length T included) restart it too.

Views 5 and 6 (the regularisation path, the validation curves) are dozens of runs at once
(`linreg.regpath`): kept with their key, recomputed only when what they depend on changes.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from linreg.curves import sample_curve
from linreg.data import Dataset
from linreg.optima import penalised_optimum
from linreg.polyfeatures import polynomial
from linreg.regpath import PathResult, degree_curve, exact_path, log_strengths, regularisation_path
from linreg.regularised import PenalisedStepper, RegSpec
from linreg.schedules import Schedule
from linreg.settings import table
from linreg.settings.capacity import CapacityConfig
from linreg.settings.fields import SCHEDULE_FIELDS
from linreg.ui.session import PageSession

TABLE = table(CapacityConfig)
KEY = "capacity"
PATH_STEPS = 1000  # each of the many runs of views 5 and 6
PATH_STRENGTHS = log_strengths(1e-4, 10.0, 40)


class CapacityRun(PageSession):
    """One session's penalised fit: the data, its polynomial features, the stepper, the
    exact penalised minimum, and (on demand) the many runs of views 5 and 6."""

    KEY = KEY
    TABLE = TABLE
    TIMELINE = (
        "penalty",
        "strength",
        "mix",
        "ridge_method",
        "l1_method",
        "penalise_bias",
        "optimizer",
        "learning_rate",
    )
    RESTARTS = ("degree", "dtype", *SCHEDULE_FIELDS)

    def build(self) -> None:
        c = self.config
        self.data = dataset(c)
        self.poly = polynomial(self.data, c.degree)
        self.stepper = PenalisedStepper(self.poly, reg_spec(c))
        self.twin: PenalisedStepper | None = None  # the other lasso method, side by side
        if not hasattr(self, "many"):
            self.many: Many | None = None
            self.many_key: tuple | None = None
        self._exact: dict[tuple, np.ndarray] = {}

    def continue_with(self, config: CapacityConfig, names: list[str]) -> None:
        self.stepper.configure(reg_spec(config))

    def restarts(self, changed: dict[str, str]) -> list[str]:
        names = super().restarts(changed)
        if self.config.schedule != "constant":
            names += [n for n in changed if n in self.TIMELINE]
        return names

    def restart_note(self, names: list[str]) -> str:
        moved = [n for n in names if n in self.TIMELINE]
        if moved and self.config.schedule != "constant":
            return (
                "With a learning-rate schedule, a change mid-run would start the schedule over, "
                "so the run restarted from step 0 with the new settings."
            )
        if "degree" in names:
            return "The degree changed the features, so the run restarted from step 0."
        return "The data or the training set-up changed, so the run restarted from step 0."

    def finished(self) -> str:
        s = self.stepper
        if s.diverged_at is None and self.config.stop_at_convergence and s.converged_at is not None:
            return (
                f"Converged at step {s.converged_at}: the penalised loss changes by less than "
                f"{self.config.tolerance:g} over 50 steps."
            )
        return super().finished()

    # ---- what the views read ----------------------------------------------------------
    def spec_at(self, step: int) -> RegSpec:
        """The engine's settings in force at `step`."""
        return reg_spec(self.settings_at(step))

    def exact(self, spec: RegSpec) -> np.ndarray:
        """The exact minimum of MSE + penalty for `spec` (kept per penalty)."""
        key = (spec.penalty, spec.strength, spec.mix, spec.penalise_bias)
        if key not in self._exact:
            self._exact[key] = penalised_optimum(self.poly.data, spec.rule, spec.penalise_bias)
        return self._exact[key]

    def other_method(self) -> PenalisedStepper | None:
        """The same run with the lasso the other way (proximal ↔ subgradient), to the same
        step, under the settings now in force; None unless an L1 penalty runs on SGD."""
        spec = self.stepper.spec
        if spec.rule.threshold == 0 or spec.optimizer != "sgd":
            return None
        other = "subgradient" if spec.l1_method == "proximal" else "proximal"
        want = replace(spec, l1_method=other)
        twin = self.twin
        if twin is None or twin.spec != want or twin.steps > self.steps:
            twin = self.twin = PenalisedStepper(self.poly, want)
        if twin.steps < self.steps and twin.diverged_at is None:
            twin.step(self.steps - twin.steps)
        return twin

    def many_runs(self, progress=None) -> Many:
        """Views 5 and 6 for the settings in force (recomputed only when they change)."""
        spec = path_spec(self.stepper.spec)
        key = (
            self.config.curve,
            self.config.noise,
            self.config.n_points,
            self.config.x_min,
            self.config.x_max,
            self.config.train_fraction,
            self.config.split_mode,
            self.config.seed,
            self.config.degree,
            spec,
        )
        if self.many_key != key or self.many is None:
            self.many = compute_many(self.data, self.poly, spec, progress)
            self.many_key = key
        return self.many


class Many:
    """The batched runs: one per λ (the path, the validation curve against λ) and one per
    degree (the validation curve against the degree), with the exact minima beside them."""

    def __init__(self, path: PathResult, exact: np.ndarray, degrees: PathResult, seconds: float):
        self.path, self.exact, self.degrees, self.seconds = path, exact, degrees, seconds


def compute_many(data: Dataset, poly, spec: RegSpec, progress=None) -> Many:
    start = time.perf_counter()
    tell = progress or (lambda f, text="": None)
    with np.errstate(over="ignore", invalid="ignore"):  # runs whose λ or degree diverge
        path = regularisation_path(
            poly, spec, PATH_STRENGTHS, PATH_STEPS, progress=lambda f: tell(0.45 * f, "λ path")
        )
        tell(0.45, "exact minima")
        exact = exact_path(poly, spec, PATH_STRENGTHS)
        tell(0.55, "degrees")
        degrees = degree_curve(
            data, spec, steps=PATH_STEPS, progress=lambda f: tell(0.55 + 0.45 * f, "degrees")
        )
    tell(1.0, "done")
    return Many(path, exact, degrees, time.perf_counter() - start)


def path_spec(spec: RegSpec) -> RegSpec:
    """The many runs' settings: the run's, with ridge standing in for no penalty (a path
    over λ needs a penalty) and the horizon of PATH_STEPS."""
    penalty = "ridge" if spec.penalty == "none" else spec.penalty
    return replace(spec, penalty=penalty, total_steps=PATH_STEPS)


def dataset(config: CapacityConfig) -> Dataset:
    """The page's points: the true curve plus noise, split into train and test."""
    return sample_curve(
        config.curve,
        config.noise,
        config.n_points,
        config.x_min,
        config.x_max,
        config.train_fraction,
        config.split_mode,
        config.seed,
    )


def schedule_of(config: CapacityConfig) -> Schedule:
    return Schedule(
        config.schedule,
        step_size=config.step_size,
        gamma=config.gamma,
        decay=config.decay,
        eta_min=config.eta_min,
        pct_start=config.pct_start,
        div_factor=config.div_factor,
        final_div_factor=config.final_div_factor,
    )


def reg_spec(config: CapacityConfig) -> RegSpec:
    """The engine's settings: every training field passes here once on its way to torch."""
    return RegSpec(
        penalty=config.penalty,
        strength=config.strength,
        mix=config.mix,
        ridge_method=config.ridge_method,
        l1_method=config.l1_method,
        penalise_bias=config.penalise_bias,
        optimizer=config.optimizer,
        learning_rate=config.learning_rate,
        schedule=schedule_of(config),
        total_steps=config.schedule_steps,
        seed=config.seed,
        dtype=config.dtype,
    )
