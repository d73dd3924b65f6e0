"""The "From scratch" page's settings table.

The defaults reproduce seed 002: X = [[1,2],[3,4],[5,6]], y = X·[10, 20], no bias, plain
gradient descent on MSE at a learning rate of 1e-4 from w = [0.1, 0.1], for a million
epochs, in float64 (NumPy's default). The critical rate for this X is 2/λmax ≈ 0.0331; the
slider stops below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from linreg.scratch_code import WAY_LABELS, WAYS
from linreg.settings import RUN, START, VIEW, Settings, setting
from linreg.settings import fields as shared

STAGES = ("predict", "error", "gradient", "update")
STAGE_LABELS = (
    ("predict", "1 · predict"),
    ("error", "2 · error / loss"),
    ("gradient", "3 · gradient"),
    ("update", "4 · update"),
)
MAX_STEPS = 5000  # steps the three programs take one by one; longer runs use the fast paths


@dataclass(frozen=True)
class ScratchConfig(Settings):
    """Every setting of the From scratch page, validated on construction."""

    prefix: ClassVar[str] = "scratch"

    dtype: str = shared.dtype(
        "float64",
        help="float64 is NumPy's default; torch tensors are float32 unless told otherwise.",
    )
    learning_rate: float = shared.learning_rate(
        1e-4,
        high=0.03,
        help="Seed 002 uses 1e-4. Above 2/λmax ≈ 0.0331 this X makes gradient descent diverge.",
    )
    start_w1: float = setting(0.1, "Start w₁", "w1", START, low=-50.0, high=50.0, step=0.1)
    start_w2: float = setting(0.1, "Start w₂", "w2", START, low=-50.0, high=50.0, step=0.1)
    steps_per_click: int = shared.steps_per_click(box=True)
    speed: int = shared.speed(10, high=200, what="epochs")
    epochs: int = setting(
        1_000_000,
        "Epochs of the long run",
        "epochs",
        RUN,
        low=1,
        high=2_000_000,
        box=True,
        help="Seed 002 trains for 1,000,000 epochs.",
    )
    long_run: bool = setting(False, "Run all the epochs", "long", VIEW)
    way: str = setting(
        "numpy", "Program", "way", VIEW, choices=WAYS, labels=tuple(WAY_LABELS.items())
    )
    stage: str = setting("gradient", "Line", "line", VIEW, choices=STAGES, labels=STAGE_LABELS)
    cell: int = setting(0, "Output cell", "cell", VIEW, low=0, high=35)

    @property
    def start(self) -> tuple[float, float]:
        return (self.start_w1, self.start_w2)
