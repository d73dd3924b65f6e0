"""The "Capacity and regularisation" page's settings table: data, features, penalty,
training, run and view.

The defaults: the noisy cubic 3x³ - 2.5x + 0.5 (noise 0.3, 40 points on [-1, 1), half for
training), polynomial features of degree 9, standardised, a light ridge penalty (λ = 0.01)
as `weight_decay` on the weight's param group, plain SGD at 0.1 with a constant rate. The x
range is symmetric by default: on [0, 2] the powers are so nearly parallel (κ ≈ 1e17 at
degree 12) that gradient descent cannot separate them.

The proximal lasso step (soft-thresholding) is plain SGD's: `check` refuses it with another
optimizer, so a link or a widget asking for both gets a note and keeps the previous values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from linreg.curves import CURVES, SPLITS
from linreg.errors import SettingsError
from linreg.penalties import KINDS as PENALTIES
from linreg.polyfeatures import MAX_DEGREE
from linreg.settings import fields as shared
from linreg.settings.table import (
    DATA,
    SCHEDULE_LABELS,
    SCHEDULES,
    TRAINING,
    VIEW,
    Settings,
    setting,
)

CURVE_LABELS = tuple((name, c.label) for name, c in CURVES.items())
PENALTY_LABELS = (
    ("none", "None"),
    ("ridge", "Ridge (L2)"),
    ("lasso", "Lasso (L1)"),
    ("elastic", "Elastic net"),
)
OPTIMIZERS = ("sgd", "adam", "adamw")
OPTIMIZER_LABELS = (("sgd", "SGD"), ("adam", "Adam"), ("adamw", "AdamW"))
RIDGE_METHODS = (("weight_decay", "optimizer's weight_decay"), ("gradient", "in the loss"))
L1_METHODS = (("proximal", "proximal (soft-threshold)"), ("subgradient", "subgradient"))


@dataclass(frozen=True)
class CapacityConfig(Settings):
    """Every setting of the "Capacity and regularisation" page, validated on construction."""

    prefix: ClassVar[str] = "capacity"

    # --- data: y = f(x) + noise, split into train and test ---
    curve: str = setting(
        "cubic", "True curve", "curve", DATA, choices=tuple(CURVES), labels=CURVE_LABELS
    )
    noise: float = setting(0.3, "Noise σ", "noise", DATA, low=0.0, high=3.0, step=0.05)
    n_points: int = setting(40, "Points n", "n", DATA, low=4, high=1000, box=True)
    x_min: float = setting(-1.0, "x from", "x0", DATA, low=-5.0, high=5.0, step=0.5, box=True)
    x_max: float = setting(1.0, "x to", "x1", DATA, low=-5.0, high=5.0, step=0.5, box=True)
    train_fraction: float = setting(0.5, "Train share", "train", DATA, low=0.1, high=0.9, step=0.05)
    split_mode: str = setting(
        "shuffled",
        "Test rows",
        "split",
        DATA,
        choices=SPLITS,
        help="Shuffled: test rows drawn at random. Ordered: the last rows (the model must "
        "extrapolate), as seed 000 does.",
    )
    seed: int = shared.seed(0, help="Seeds the noise, the split and nn.Linear's start.")
    # --- features and penalty ---
    degree: int = setting(
        9,
        "Degree",
        "deg",
        TRAINING,
        low=1,
        high=MAX_DEGREE,
        help="Features x, x², …, x^degree, standardised on the train rows.",
    )
    penalty: str = setting(
        "ridge", "Penalty", "pen", TRAINING, choices=PENALTIES, labels=PENALTY_LABELS
    )
    strength: float = setting(
        0.01, "λ (penalty strength)", "lam", TRAINING, low=1e-5, high=10.0, log=True
    )
    mix: float = setting(
        0.5,
        "α (elastic net's L1 share)",
        "alpha",
        TRAINING,
        low=0.0,
        high=1.0,
        step=0.05,
        help="P(w) = λ(α‖w‖₁ + (1-α)/2‖w‖²): 1 is the lasso, 0 ridge.",
    )
    ridge_method: str = setting(
        "weight_decay",
        "Ridge by",
        "ridge",
        TRAINING,
        choices=tuple(c for c, _ in RIDGE_METHODS),
        labels=RIDGE_METHODS,
        help="torch.optim's weight_decay on the weight's param group, or λw added to the "
        "gradient by hand: the same update for SGD and Adam (AdamW decays apart).",
    )
    l1_method: str = setting(
        "proximal",
        "Lasso by",
        "l1",
        TRAINING,
        choices=tuple(c for c, _ in L1_METHODS),
        labels=L1_METHODS,
        help="Proximal: soft-threshold after each SGD step (weights land on exactly 0). "
        "Subgradient: λ·sign(w) in the gradient (weights chatter around 0).",
    )
    penalise_bias: bool = setting(
        False,
        "Penalise the bias too",
        "pbias",
        TRAINING,
        help="Never do this: the bias only moves the curve up and down (see the lesson).",
    )
    # --- training ---
    optimizer: str = setting(
        "sgd", "Optimizer", "opt", TRAINING, choices=OPTIMIZERS, labels=OPTIMIZER_LABELS
    )
    learning_rate: float = shared.learning_rate(0.1, high=10.0)
    schedule: str = setting(
        "constant",
        "Learning-rate schedule",
        "sched",
        TRAINING,
        choices=SCHEDULES,
        labels=tuple(SCHEDULE_LABELS.items()),
        help="How the learning rate changes step by step (torch.optim.lr_scheduler). On this "
        "page, with a schedule other than constant, a change of the penalty, optimizer or "
        "rate restarts the run (rather than start the schedule over mid-run).",
    )
    step_size: int = shared.step_size()
    gamma: float = shared.gamma()
    decay: float = shared.decay()
    eta_min: float = shared.eta_min()
    pct_start: float = shared.pct_start()
    div_factor: float = shared.div_factor()
    final_div_factor: float = shared.final_div_factor()
    schedule_steps: int = shared.schedule_steps(1000)
    dtype: str = shared.dtype("float64")
    # --- run ---
    steps_per_click: int = shared.steps_per_click(box=True)
    speed: int = shared.speed(20)
    max_steps: int = shared.max_steps(2000, high=20_000, box=True)
    stop_at_convergence: bool = shared.stop_at_convergence()
    tolerance: float = shared.tolerance()
    # --- view ---
    log_loss: bool = shared.log_loss(True)
    slice_i: int = setting(0, "Slice: first coefficient", "si", VIEW, low=0, high=MAX_DEGREE)
    slice_j: int = setting(2, "Slice: second coefficient", "sj", VIEW, low=0, high=MAX_DEGREE)
    many_runs: bool = setting(
        True,
        "Path and validation curves",
        "many",
        VIEW,
        help="Views 5 and 6: dozens of runs at once (batched), about a second each time "
        "the data, degree or training settings change.",
    )
    presenter: bool = shared.presenter()

    def check(self) -> None:
        if not self.x_max > self.x_min:
            raise SettingsError("The x range is empty: x to must be larger than x from.")
        l1 = self.penalty == "lasso" or (self.penalty == "elastic" and self.mix > 0)
        if l1 and self.l1_method == "proximal" and self.optimizer != "sgd":
            raise SettingsError(
                "The proximal lasso step (soft-thresholding by lr·λα) is plain SGD's: "
                "choose SGD, or the lasso by subgradient."
            )
        if self.slice_i == self.slice_j:
            raise SettingsError("The slice needs two different coefficients.")

    linked: ClassVar[tuple[str, ...]] = (
        "x_min",
        "x_max",
        "optimizer",
        "l1_method",
        "slice_i",
        "slice_j",
    )
    linked_note: ClassVar[str] = "Kept the previous values of the settings that clash."
