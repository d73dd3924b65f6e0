"""The Fit a line page's session: its settings table, its run and its sidebar.

Changing the data or the start restarts the run; changing a training setting continues
from the current parameters and is recorded on the run's timeline (see `PageSession`).
"""

from __future__ import annotations

import streamlit as st

from linreg import experiment, scene
from linreg.landscape import critical_learning_rate
from linreg.settings import DATA, FIT, SPECS, START, TRAINING, Config
from linreg.settings.fields import schedule_order
from linreg.trainer import TrainSpec
from linreg.ui import widgets
from linreg.ui.session import PageSession

# The settings that only shape generated data (they do nothing to an uploaded file).
SYNTHETIC_ONLY = (
    "true_weight",
    "true_bias",
    "noise",
    "n_points",
    "x_min",
    "x_max",
    "outlier_fraction",
    "outlier_size",
)


class Run(PageSession):
    """One session's run on Fit a line: the stepper and the loss surfaces it is drawn on."""

    KEY = "fit"
    TABLE = FIT
    TIMELINE = tuple(name for name, spec in SPECS.items() if spec.group == TRAINING)

    def build(self) -> None:
        self.stepper = experiment.new_stepper(self.config, own=self.own)
        self.lands: dict[tuple, scene.Landscape] = {}
        self.backdrop: dict | None = None  # the contour's still part, built once per surface
        self.backdrop_key = -1

    def continue_with(self, config: Config, names: list[str]) -> None:
        self.stepper.configure(TrainSpec.from_config(config))

    # ---- the loss surface of each step's settings ---------------------------------------
    def land_key(self, config: Config) -> tuple:
        data = tuple(getattr(config, n) for n, s in SPECS.items() if s.group in (DATA, START))
        own = None if self.own is None else self.own.key
        return data, config.loss, config.huber_delta, own

    def land_at(self, step: int) -> scene.Landscape:
        """The loss surface (and its landmarks) of the settings in force at `step`."""
        config = self.settings_at(step)
        key = self.land_key(config)
        if key not in self.lands:
            self.lands[key] = _landscape(config, self.stepper, self.own)
        return self.lands[key]

    @property
    def land(self) -> scene.Landscape:
        return self.land_at(self.stepper.steps)


def _landscape(config: Config, stepper, own=None) -> scene.Landscape:
    """The loss surface, framed to hold the start, the truth, the minima and a preview of
    the run (up to 400 steps with these settings, so the path stays in view)."""
    preview = experiment.new_stepper(config, stepper.data)
    preview.step(min(config.max_steps, 400), stop_at_convergence=True)
    truth = None if own is not None else (config.true_weight, config.true_bias)
    return scene.landscape(
        stepper.data,
        config.loss,
        config.huber_delta,
        stepper.history.params[0],
        truth,
        preview.history.params,
    )


def settings(run: Run) -> None:
    """Read what the widgets now say, apply it (restart or continue), then draw them, so
    that what the sidebar shows (Huber's δ, the critical rate) follows the new settings."""
    run.take_widgets()
    bar = st.sidebar
    with bar.expander("Data", expanded=True):
        for name in SYNTHETIC_ONLY:
            widgets.widget(name, disabled=run.own is not None)
        for name in ("train_fraction", "split", "seed"):
            widgets.widget(name)
        st.button(
            "New sample",
            on_click=_new_sample,
            help="Draw the noise again (next seed).",
            width="stretch",
        )
    with bar.expander("Start", expanded=False):
        for name in ("init", "init_weight", "init_bias"):
            widgets.widget(name, disabled=name != "init" and run.config.init == "random")
    with bar.expander("Training", expanded=True):
        widgets.widget("loss")
        if run.config.loss == "huber":
            widgets.widget("huber_delta")
        widgets.widget("optimizer")
        widgets.widget("learning_rate")
        st.caption(critical_note(run))
        with st.expander("Optimizer settings"):
            for name in ("momentum", "beta1", "beta2", "alpha"):
                widgets.widget(name)
        for name in ("batch_size", "shuffle", "dtype"):
            widgets.widget(name)
        widgets.widget("schedule")
        # every schedule's settings, the chosen one's first (each label names its schedule)
        with st.expander("Schedule settings", expanded=run.config.schedule != "constant"):
            for name in schedule_order(run.config.schedule):
                widgets.widget(name)
    with bar.expander("Run", expanded=False):
        for name in ("steps_per_click", "stop_at_convergence", "tolerance", "max_steps"):
            widgets.widget(name)
    with bar.expander("View", expanded=True):
        for name in ("show_truth", "show_residuals", "show_field", "log_loss", "show_surface"):
            widgets.widget(name)


def critical_note(run: Run) -> str:
    """The critical learning rate 2/λmax, and whether it applies to these settings."""
    rate = critical_learning_rate(run.stepper.data)
    lr = run.config.learning_rate
    where = "above" if lr > rate else "below"
    if run.config.loss == "mse" and run.config.optimizer == "sgd":
        return (
            f"Critical rate 2/λmax = **{rate:.3g}**: plain gradient descent on MSE diverges "
            f"above it. This run is {where} it."
        )
    return (
        f"For plain gradient descent on MSE the critical rate would be 2/λmax = {rate:.3g} "
        "(it applies exactly only to MSE with SGD)."
    )


def _new_sample() -> None:
    k = widgets.key("seed")
    st.session_state[k] = (st.session_state[k] + 1) % (int(SPECS["seed"].high) + 1)
