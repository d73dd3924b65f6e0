"""The state of the live page, kept per browser session, and how settings changes apply.

Changing the data or the start restarts the run; changing a training setting continues
from the current parameters. Either way the page says which happened.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import streamlit as st
import torch

from linreg import experiment, scene
from linreg.landscape import critical_learning_rate
from linreg.presets import Preset
from linreg.settings import DATA, FIT, SPECS, START, Config
from linreg.trainer import Stepper, TrainSpec
from linreg.ui import links, widgets

# Tiny tensors: one thread is faster and fair to the other users of a shared server, and
# torch would otherwise size its pool from the host, not from the container's quota.
torch.set_num_threads(1)

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


@dataclass
class Run:
    """One session's run: its settings, the stepper and what is on show."""

    config: Config
    stepper: Stepper
    land: scene.Landscape
    land_key: tuple
    running: bool = False
    notice: str = ""
    stop_reason: str = ""
    follow: bool = True  # the timeline follows the newest step
    drawn: int = 0  # the step the charts showed last
    last_tick: float = 0.0  # when the last live update ran (perf_counter)
    tick_gap: float = 0.25  # seconds between live updates, smoothed
    query: dict = field(default_factory=dict)  # the link's query parameters, once applied
    lesson: Preset | None = None  # the lesson the link opened, if any
    backdrop: dict | None = None  # the contour's still part, built once per surface
    backdrop_key: int = -1
    own: experiment.OwnData | None = None  # the user's uploaded data, if in use
    notes: list[str] = field(default_factory=list)


def _land_key(config: Config, own: experiment.OwnData | None = None) -> tuple:
    data = tuple(getattr(config, n) for n, s in SPECS.items() if s.group in (DATA, START))
    return data, config.loss, config.huber_delta, None if own is None else own.key


def _landscape(config: Config, stepper: Stepper, own=None) -> scene.Landscape:
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


def _new_run(config: Config, own: experiment.OwnData | None = None) -> Run:
    stepper = experiment.new_stepper(config, own=own)
    return Run(config, stepper, _landscape(config, stepper, own), _land_key(config, own), own=own)


def restart(run: Run, config: Config, own: experiment.OwnData | None, notice: str) -> None:
    """A fresh run in place: new data or start, or Reset."""
    fresh = _new_run(config, own)
    run.config, run.own = config, own
    run.stepper, run.land, run.land_key = fresh.stepper, fresh.land, fresh.land_key
    run.running, run.follow, run.stop_reason, run.notice = False, True, "", notice


def current_run(page: str) -> Run:
    """This session's run for `page`. A link with query parameters (a lesson, a shared
    view) sets every setting from them, on top of the defaults; a plain link keeps the run."""
    torch.set_num_threads(1)  # per script run: each runs in a thread of its own
    run = st.session_state.get(page)
    link = links.opened(FIT, None if run is None else run.query)
    if link is not None:
        widgets.load(link.config, force=True)
        run = _new_run(link.config)
        run.stepper.step(min(link.steps, link.config.max_steps))  # replay to the link's step
        run.notes, run.lesson = link.notes, link.lesson
        run.query = dict(st.query_params.items())
        st.session_state[page] = run
    return run


def share_link(run: Run, step: int) -> str:
    """A link that reopens this view on a fresh server: every changed setting and the step."""
    return links.share(run.config, step, run.lesson)


def apply(run: Run, config: Config) -> None:
    """Bring the run in line with new settings, and say what happened."""
    old = run.config
    if config == old:
        return
    if experiment.restarts(old, config):
        restart(
            run, config, run.own, "The data or the start changed, so the run restarted from step 0."
        )
    elif changed := experiment.retrains(old, config):
        names = ", ".join(SPECS[n].label.lower() for n in changed)
        run.stepper.configure(TrainSpec.from_config(config))
        run.stop_reason = ""
        run.notice = (
            f"Changed {names}: training continues from step {run.stepper.steps} "
            "with the current weight and bias."
        )
        if _land_key(config, run.own) != run.land_key:
            run.land = _landscape(config, run.stepper, run.own)
            run.land_key = _land_key(config, run.own)
    run.config = config


def reset(run: Run) -> None:
    """Back to step 0 with the same settings."""
    restart(run, run.config, run.own, "Reset to step 0.")


def toggle(run: Run) -> None:
    """Run or pause."""
    run.running, run.stop_reason = not run.running, ""
    run.notice = ""


def step(run: Run, k: int) -> None:
    """Take k steps by hand (they stop early only at divergence or the step limit)."""
    room = run.config.max_steps - run.stepper.steps
    if room <= 0:
        run.stop_reason = f"Reached the maximum of {run.config.max_steps} steps."
        return
    run.stepper.step(min(k, room))
    run.follow = True
    if run.stepper.diverged_at is not None:
        run.stop_reason = run.stepper.message


def tick(run: Run) -> None:
    """One live update; stops the run when it diverges, converges or hits the limit."""
    torch.set_num_threads(1)  # a fragment rerun runs in a thread of its own
    now = time.perf_counter()
    if run.last_tick and now - run.last_tick < 2.0:  # how far apart updates come, smoothed
        run.tick_gap = 0.7 * run.tick_gap + 0.3 * (now - run.last_tick)
    run.last_tick = now
    reason = experiment.advance(run.stepper, run.config)
    run.follow = True
    if reason:
        run.running, run.stop_reason = False, reason


def settings(run: Run) -> None:
    """Read what the widgets now say, apply it (restart or continue), then draw them, so
    that what the sidebar shows (Huber's δ, the critical rate) follows the new settings."""
    config, notes = widgets.take(run.config)
    run.notes.extend(notes)
    apply(run, config)
    run.query = links.sync_address(run.config, run.lesson)
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
    with bar.expander("Run", expanded=False):
        for name in ("speed", "steps_per_click", "stop_at_convergence", "tolerance", "max_steps"):
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
