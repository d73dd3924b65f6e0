"""The optimizers the app offers, one entry each: a new optimizer is one more entry here.

Each entry names its `torch.optim` class, the keyword arguments it takes from the settings
(the ones that may change mid-run without losing the optimizer's state), any fixed ones,
its update rule in LaTeX and how its knobs read in a sentence. The settings table, the
stepper, the update rule on show and the exported script all read from here.

This module imports nothing heavy (no torch): the settings table sits below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Optimizer:
    """One optimizer: its torch class, its settings and its rule."""

    name: str
    label: str
    torch_class: str  # a name in torch.optim
    hyper: Callable[[Any], dict]  # settings -> the param_group entries it sets
    rule: str  # LaTeX
    knobs: Callable[[Any], str] = lambda s: ""  # its own settings, in words
    fixed: dict = field(default_factory=dict)  # constructor arguments that never change
    # On the Optimizers page: its colour and marker (Okabe-Ito, distinct under colour-vision
    # deficiencies) and a rate that suits it on the race's default data (2/λmax ≈ 0.46).
    colour: str = "#000000"
    marker: str = "circle"
    race_rate: float = 0.1


def _lr(s) -> dict:
    return {"lr": s.learning_rate}


def _momentum(s) -> dict:
    return {"lr": s.learning_rate, "momentum": s.momentum}


ENTRIES = (
    Optimizer(
        "sgd",
        "SGD",
        "SGD",
        _lr,
        r"\theta_{t+1} = \theta_t - \eta\, g_t",
        colour="#000000",
        marker="circle",
        race_rate=0.1,
    ),
    Optimizer(
        "momentum",
        "SGD + momentum",
        "SGD",
        _momentum,
        r"v_{t+1} = \mu v_t + g_t,\quad \theta_{t+1} = \theta_t - \eta\, v_{t+1}",
        lambda s: f"μ = {s.momentum:g}",
        colour="#E69F00",
        marker="square",
        race_rate=0.05,
    ),
    Optimizer(
        "nesterov",
        "Nesterov",
        "SGD",
        _momentum,
        r"v_{t+1} = \mu v_t + g_t,\quad \theta_{t+1} = \theta_t - \eta\,(g_t + \mu v_{t+1})",
        lambda s: f"μ = {s.momentum:g}",
        {"nesterov": True},
        colour="#56B4E9",
        marker="diamond",
        race_rate=0.05,
    ),
    Optimizer(
        "adam",
        "Adam",
        "Adam",
        lambda s: {"lr": s.learning_rate, "betas": (s.beta1, s.beta2)},
        r"m_{t+1} = \beta_1 m_t + (1-\beta_1) g_t,\ "
        r"v_{t+1} = \beta_2 v_t + (1-\beta_2) g_t^2,\ "
        r"\theta_{t+1} = \theta_t - \eta\,\frac{\hat m_{t+1}}{\sqrt{\hat v_{t+1}} + \epsilon}",
        lambda s: f"β₁ = {s.beta1:g}, β₂ = {s.beta2:g}",
        colour="#009E73",
        marker="triangle-up",
        race_rate=0.1,
    ),
    Optimizer(
        "rmsprop",
        "RMSprop",
        "RMSprop",
        lambda s: {"lr": s.learning_rate, "alpha": s.alpha},
        r"v_{t+1} = \alpha v_t + (1-\alpha) g_t^2,\quad "
        r"\theta_{t+1} = \theta_t - \eta\,\frac{g_t}{\sqrt{v_{t+1}} + \epsilon}",
        lambda s: f"α = {s.alpha:g}",
        colour="#D55E00",
        marker="hexagon",
        race_rate=0.01,
    ),
    Optimizer(
        "adagrad",
        "Adagrad",
        "Adagrad",
        _lr,
        r"s_{t+1} = s_t + g_t^2,\quad "
        r"\theta_{t+1} = \theta_t - \eta\,\frac{g_t}{\sqrt{s_{t+1}} + \epsilon}",
        colour="#CC79A7",
        marker="triangle-down",
        race_rate=0.5,
    ),
)
BY_NAME = {o.name: o for o in ENTRIES}
NAMES = tuple(BY_NAME)
LABELS = {o.name: o.label for o in ENTRIES}
RULES = {o.name: o.rule for o in ENTRIES}
# The settings whose change keeps an optimizer's state (its param_group entries).
HYPER_FIELDS = ("learning_rate", "momentum", "beta1", "beta2", "alpha")


def get(name: str) -> Optimizer:
    if name not in BY_NAME:
        raise ValueError(f"unknown optimizer {name!r}")
    return BY_NAME[name]


def describe(settings) -> str:
    """The optimizer of `settings` in words: "Adam, η = 0.01, β₁ = 0.9, β₂ = 0.999"."""
    o = get(settings.optimizer)
    knobs = o.knobs(settings)
    return f"{o.label}, η = {settings.learning_rate:g}" + (f", {knobs}" if knobs else "")


def arguments(settings) -> dict:
    """The keyword arguments of its torch.optim constructor. (Nesterov with μ = 0 is plain
    SGD, and torch refuses nesterov=True without momentum, so μ = 0 drops the flag.)"""
    o = get(settings.optimizer)
    fixed = dict(o.fixed)
    if fixed.get("nesterov") and not settings.momentum:
        del fixed["nesterov"]
    return {**o.hyper(settings), **fixed}


def code(settings, params: str = "model.parameters()") -> str:
    """The torch.optim call that builds it, as the seeds write it."""
    o = get(settings.optimizer)
    args = arguments(settings)
    return (
        f"torch.optim.{o.torch_class}({params}, "
        + ", ".join(f"{k}={v!r}" for k, v in args.items())
        + ")"
    )
