"""The Optimizers page's table: the race's data, start and racers, the run, and the sweep.

Every optimizer in the race has its own switch, learning rate and hyper-parameters
(momentum μ for momentum and Nesterov, β₁/β₂ for Adam, α for RMSprop); all start from the
same (weight, bias) on the same points. Changing the data, the start, the loss or any racer
restarts the race from step 0, so every path stays comparable with the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from linreg import optimizers
from linreg.errors import SettingsError
from linreg.settings import (
    DATA,
    LOSSES,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    START,
    Settings,
    setting,
    table,
)
from linreg.settings import fields as shared

SWEEP = "sweep"
RACERS = "racers"

# Each racer's learning rate: what suits it on the default data (x from 0 to 2, where
# 2/λmax ≈ 0.46), so that the default race shows all six moving at once.
RATES = {o.name: o.race_rate for o in optimizers.ENTRIES}
# The hyper-parameter fields of each optimizer: (field name, TrainSpec name).
HYPER = {
    "sgd": (),
    "momentum": (("momentum_mu", "momentum"),),
    "nesterov": (("nesterov_mu", "momentum"),),
    "adam": (("adam_beta1", "beta1"), ("adam_beta2", "beta2")),
    "rmsprop": (("rmsprop_alpha", "alpha"),),
    "adagrad": (),
}


# A racer's widgets sit under its name, so their labels leave it out; a note about a link
# names it ("Adam's learning rate: expected a number, got 'abc'.").
def _on(name: str):
    racer = OPTIMIZER_LABELS[name]
    return setting(True, "Takes part", name, RACERS, long_label=f"{racer} takes part")


def _rate(name: str):
    racer = OPTIMIZER_LABELS[name]
    return setting(
        RATES[name],
        "Learning rate",
        f"{name}_lr",
        RACERS,
        low=1e-5,
        high=10.0,
        log=True,
        long_label=f"{racer}'s learning rate",
    )


def _mu(name: str):
    racer = OPTIMIZER_LABELS[name]
    return setting(
        0.9,
        "Momentum μ",
        f"{name}_mu",
        RACERS,
        low=0.0,
        high=0.999,
        step=0.01,
        long_label=f"{racer}'s momentum μ",
    )


@dataclass(frozen=True)
class RaceConfig(Settings):
    """Every setting of the Optimizers page, validated on construction."""

    prefix: ClassVar[str] = "race"
    linked: ClassVar[tuple[str, ...]] = ("x_min", "x_max", "sweep_lr_min", "sweep_lr_max")
    linked_note: ClassVar[str] = "Kept the previous ranges."

    # --- data: y = weight·x + bias + noise, all of it trained on ---
    true_weight: float = setting(0.8, "True weight", "w", DATA, low=-5.0, high=5.0, step=0.05)
    true_bias: float = setting(0.2, "True bias", "b", DATA, low=-5.0, high=5.0, step=0.05)
    noise: float = setting(0.1, "Noise σ", "noise", DATA, low=0.0, high=3.0, step=0.01)
    n_points: int = setting(100, "Number of points", "n", DATA, low=2, high=5000, box=True)
    x_min: float = setting(
        0.0,
        "x from",
        "x0",
        DATA,
        low=-10.0,
        high=10.0,
        step=0.5,
        help="Try x from 5 to 10 (unscaled x): the valley of the loss turns long and narrow, "
        "and the optimizers part ways.",
    )
    x_max: float = setting(2.0, "x to", "x1", DATA, low=-10.0, high=10.0, step=0.5)
    seed: int = shared.seed(42)
    loss: str = setting("mse", "Loss", "loss", DATA, choices=LOSSES)
    huber_delta: float = setting(1.0, "Huber δ", "delta", DATA, low=0.01, high=10.0, log=True)
    # --- start: every racer starts here ---
    init_weight: float = setting(-1.5, "Start weight", "w0", START, low=-5.0, high=5.0, step=0.05)
    init_bias: float = setting(2.0, "Start bias", "b0", START, low=-5.0, high=5.0, step=0.05)
    # --- racers: who takes part, and with what ---
    sgd: bool = _on("sgd")
    sgd_lr: float = _rate("sgd")
    momentum: bool = _on("momentum")
    momentum_lr: float = _rate("momentum")
    momentum_mu: float = _mu("momentum")
    nesterov: bool = _on("nesterov")
    nesterov_lr: float = _rate("nesterov")
    nesterov_mu: float = _mu("nesterov")
    adam: bool = _on("adam")
    adam_lr: float = _rate("adam")
    adam_beta1: float = setting(
        0.9, "β₁", "adam_b1", RACERS, low=0.0, high=0.999, step=0.01, long_label="Adam's β₁"
    )
    adam_beta2: float = setting(
        0.999, "β₂", "adam_b2", RACERS, low=0.0, high=0.9999, step=0.0001, long_label="Adam's β₂"
    )
    rmsprop: bool = _on("rmsprop")
    rmsprop_lr: float = _rate("rmsprop")
    rmsprop_alpha: float = setting(
        0.99,
        "α",
        "rmsprop_alpha",
        RACERS,
        low=0.0,
        high=0.9999,
        step=0.0001,
        long_label="RMSprop's α",
    )
    adagrad: bool = _on("adagrad")
    adagrad_lr: float = _rate("adagrad")
    dtype: str = shared.dtype("float64")
    # --- run ---
    steps_per_click: int = shared.steps_per_click()
    speed: int = shared.speed(20, high=200, what="steps of every racer")
    max_steps: int = shared.max_steps(2000, high=20_000)
    tolerance: float = shared.tolerance()
    # --- view ---
    log_loss: bool = shared.log_loss(True)
    # --- sweep: one optimizer at many learning rates ---
    sweep_optimizer: str = setting("sgd", "Optimizer to sweep", "sw_opt", SWEEP, choices=OPTIMIZERS)
    sweep_rates: int = setting(50, "Number of rates", "sw_n", SWEEP, low=10, high=100)
    sweep_steps: int = setting(1000, "Steps per rate", "sw_steps", SWEEP, low=100, high=5000)
    sweep_lr_min: float = setting(
        1e-4, "Smallest rate", "sw_lo", SWEEP, low=1e-5, high=10.0, log=True
    )
    sweep_lr_max: float = setting(
        3.0, "Largest rate", "sw_hi", SWEEP, low=1e-5, high=10.0, log=True
    )

    def check(self) -> None:
        if self.x_min >= self.x_max:
            raise SettingsError(
                f"'x from' ({self.x_min:g}) must be smaller than 'x to' ({self.x_max:g})."
            )
        if not self.racers:
            raise SettingsError("At least one optimizer must take part in the race.")
        if self.sweep_lr_min >= self.sweep_lr_max:
            raise SettingsError(
                f"The sweep's smallest rate ({self.sweep_lr_min:g}) must be below its largest "
                f"({self.sweep_lr_max:g})."
            )

    @property
    def racers(self) -> list[str]:
        """The optimizers taking part, in the table's order."""
        return [name for name in OPTIMIZERS if getattr(self, name)]

    def racer_spec(self, name: str) -> dict:
        """The TrainSpec fields of one optimizer: its rate and hyper-parameters."""
        out = {"optimizer": name, "learning_rate": getattr(self, f"{name}_lr")}
        out.update({spec: getattr(self, field) for field, spec in HYPER[name]})
        return out


RACE = table(RaceConfig)
