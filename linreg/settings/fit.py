"""The Fit a line page's settings: default, range, label and URL key of every knob.

The defaults reproduce seed 000: y = 0.8 x + 0.2 on x = arange(0, 2, 0.02), an ordered
80/20 split, L1 loss, plain SGD at a learning rate of 0.01.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from linreg.errors import SettingsError
from linreg.settings import fields as shared
from linreg.settings.table import (
    DATA,
    LOSSES,
    OPTIMIZERS,
    START,
    TRAINING,
    VIEW,
    Settings,
    setting,
)


@dataclass(frozen=True)
class Config(Settings):
    """Every setting of the live page, validated on construction."""

    linked: ClassVar[tuple[str, ...]] = ("x_min", "x_max")
    linked_note: ClassVar[str] = "Kept the previous x range."

    # --- data: the truth the points are drawn from ---
    true_weight: float = setting(0.8, "True weight", "w", DATA, low=-5.0, high=5.0, step=0.05)
    true_bias: float = setting(0.2, "True bias", "b", DATA, low=-5.0, high=5.0, step=0.05)
    noise: float = setting(
        0.0,
        "Noise σ",
        "noise",
        DATA,
        low=0.0,
        high=3.0,
        help="Standard deviation of the Gaussian noise added to y.",
        step=0.01,
    )
    n_points: int = setting(100, "Number of points", "n", DATA, low=2, high=5000)
    x_min: float = setting(0.0, "x from", "x0", DATA, low=-10.0, high=10.0, step=0.1)
    x_max: float = setting(2.0, "x to", "x1", DATA, low=-10.0, high=10.0, step=0.1)
    outlier_fraction: float = setting(
        0.0,
        "Outlier fraction",
        "of",
        DATA,
        low=0.0,
        high=0.5,
        help="Share of points pushed off the line.",
        step=0.01,
    )
    outlier_size: float = setting(
        3.0,
        "Outlier offset",
        "os",
        DATA,
        low=-20.0,
        high=20.0,
        help="How far (in y) each outlier is pushed.",
        step=0.1,
    )
    train_fraction: float = setting(
        0.8, "Train fraction", "tf", DATA, low=0.1, high=0.95, step=0.05
    )
    split: str = setting(
        "ordered",
        "Split",
        "split",
        DATA,
        choices=("ordered", "shuffled"),
        help="Ordered: the last points are the test set (extrapolation).",
    )
    seed: int = shared.seed(42)
    # --- training: changing these continues from the current parameters ---
    loss: str = setting("mae", "Loss", "loss", TRAINING, choices=LOSSES)
    huber_delta: float = setting(1.0, "Huber δ", "delta", TRAINING, low=0.01, high=10.0, log=True)
    optimizer: str = setting("sgd", "Optimizer", "opt", TRAINING, choices=OPTIMIZERS)
    learning_rate: float = shared.learning_rate(0.01)
    momentum: float = setting(0.9, "Momentum μ", "mom", TRAINING, low=0.0, high=0.999, step=0.01)
    beta1: float = setting(0.9, "Adam β₁", "b1", TRAINING, low=0.0, high=0.999, step=0.01)
    beta2: float = setting(0.999, "Adam β₂", "b2", TRAINING, low=0.0, high=0.9999, step=0.0001)
    alpha: float = setting(0.99, "RMSprop α", "alpha", TRAINING, low=0.0, high=0.9999, step=0.0001)
    batch_size: int = shared.batch_size(0, 5000, "0 = full batch, 1 = stochastic, else mini-batch.")
    shuffle: bool = shared.shuffle()
    dtype: str = shared.dtype("float32")
    schedule: str = shared.schedule()
    step_size: int = shared.step_size()
    gamma: float = shared.gamma()
    decay: float = shared.decay()
    eta_min: float = shared.eta_min()
    pct_start: float = shared.pct_start()
    div_factor: float = shared.div_factor()
    final_div_factor: float = shared.final_div_factor()
    schedule_steps: int = shared.schedule_steps(1000)
    # --- start: changing these restarts the run ---
    init: str = setting(
        "given",
        "Start",
        "init",
        START,
        choices=("given", "random"),
        help="Given: from the start weight and bias. Random: nn.Linear's "
        "own initialisation, seeded.",
    )
    # Seed 000 starts from an unseeded nn.Linear; this start reproduces its logged losses
    # (0.2716/0.6603 at epoch 100, 0.1717/0.3428 at 200, 0.0807/0.1586 at 300) to 1e-4.
    init_weight: float = setting(
        -0.4936, "Start weight", "w0", START, low=-5.0, high=5.0, step=0.01
    )
    init_bias: float = setting(0.3721, "Start bias", "b0", START, low=-5.0, high=5.0, step=0.01)
    # --- run ---
    tolerance: float = shared.tolerance()
    stop_at_convergence: bool = shared.stop_at_convergence()
    max_steps: int = shared.max_steps(2000)
    steps_per_click: int = shared.steps_per_click()
    speed: int = shared.speed(15)
    # --- view: what the charts show ---
    show_truth: bool = setting(True, "True line", "truth", VIEW)
    show_residuals: bool = setting(False, "Residuals", "resid", VIEW)
    show_field: bool = setting(False, "Gradient field", "field", VIEW)
    log_loss: bool = shared.log_loss(False)
    show_surface: bool = setting(
        True,
        "3-D surface",
        "3d",
        VIEW,
        help="Turn off on a slow computer: the 3-D view costs the most.",
    )
    presenter: bool = shared.presenter(
        "For a projector: large type, thick lines, colour-blind-safe colours, and only "
        "Step, Run/Pause and Reset (keys: →, Space, Home)."
    )

    def check(self) -> None:
        if self.x_min >= self.x_max:
            raise SettingsError(
                f"'x from' ({self.x_min:g}) must be smaller than 'x to' ({self.x_max:g})."
            )
