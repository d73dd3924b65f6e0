"""The "Many features" page's settings table: data, training, run and view.

The defaults reproduce seed 001's second half: the tutorial's 15 crop rows (temperature,
rainfall, humidity → apples, oranges), batches of 5, shuffled, plain SGD at 1e-5 on MSE.
The synthetic data's true weight matrix is written out as one setting per entry (w11..w34
for up to 3 targets × 4 features, b1..b3), so a link carries it like any other setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from linreg.errors import SettingsError
from linreg.settings import DATA, START, TRAINING, VIEW, Settings, setting
from linreg.settings import fields as shared

MAX_FEATURES, MAX_TARGETS = 4, 3
SOURCES = ("crop5", "crop15", "synthetic", "csv")
SOURCE_LABELS = (
    ("crop5", "Crop yields, 5 rows"),
    ("crop15", "Crop yields, 15 rows"),
    ("synthetic", "Synthetic"),
    ("csv", "Your CSV"),
)
MODES = ("scratch", "builtins")
MODE_LABELS = (("scratch", "From scratch"), ("builtins", "Built-ins"))
SLICE_BASES = ("current", "optimum")
SLICE_LABELS = (("current", "the step shown"), ("optimum", "the optimum"))
# A default truth with a little of everything: signs, sizes, a zero.
TRUE_WEIGHTS = ((1.0, -2.0, 0.5, 3.0), (0.5, 1.0, -1.5, 0.0), (-1.0, 0.0, 2.0, 1.0))
TRUE_BIASES = (1.0, -0.5, 2.0)


def weight_name(target: int, feature: int) -> str:
    """The setting that holds true W[target, feature] (0-based): w11 is W[0, 0]."""
    return f"w{target + 1}{feature + 1}"


def bias_name(target: int) -> str:
    return f"b{target + 1}"


def _weight(t: int, f: int):
    return setting(
        TRUE_WEIGHTS[t][f],
        f"W[{t + 1},{f + 1}]",
        weight_name(t, f),
        DATA,
        low=-10.0,
        high=10.0,
        step=0.1,
        box=True,
    )


def _bias(t: int):
    return setting(
        TRUE_BIASES[t], f"b[{t + 1}]", bias_name(t), DATA, low=-10.0, high=10.0, step=0.1, box=True
    )


@dataclass(frozen=True)
class FeaturesConfig(Settings):
    """Every setting of the "Many features" page, validated on construction."""

    prefix: ClassVar[str] = "features"

    # --- data ---
    source: str = setting(
        "crop15",
        "Data",
        "src",
        DATA,
        choices=SOURCES,
        labels=SOURCE_LABELS,
        help="Seed 001's crop yields (the 5 rows, or the tutorial's 15 = the 5 three times), "
        "synthetic data from a true weight matrix, or your own CSV file.",
    )
    n_features: int = setting(3, "Features d", "d", DATA, low=1, high=MAX_FEATURES)
    n_targets: int = setting(2, "Targets k", "k", DATA, low=1, high=MAX_TARGETS)
    n_points: int = setting(50, "Rows", "n", DATA, low=2, high=2000, box=True)
    noise: float = setting(0.1, "Noise σ", "noise", DATA, low=0.0, high=10.0, step=0.05)
    spread: float = setting(
        1.0,
        "Feature scale spread",
        "spread",
        DATA,
        low=1.0,
        high=1000.0,
        log=True,
        help="The last feature's scale over the first's (the others in between): "
        "1 gives equal scales, large values an ill-conditioned problem.",
    )
    seed: int = shared.seed(0)
    w11: float = _weight(0, 0)
    w12: float = _weight(0, 1)
    w13: float = _weight(0, 2)
    w14: float = _weight(0, 3)
    w21: float = _weight(1, 0)
    w22: float = _weight(1, 1)
    w23: float = _weight(1, 2)
    w24: float = _weight(1, 3)
    w31: float = _weight(2, 0)
    w32: float = _weight(2, 1)
    w33: float = _weight(2, 2)
    w34: float = _weight(2, 3)
    b1: float = _bias(0)
    b2: float = _bias(1)
    b3: float = _bias(2)
    # --- start: nn.Linear's own initialisation from this seed, for both ways ---
    init_seed: int = setting(
        42,
        "Start seed",
        "init",
        START,
        low=0,
        high=999_999,
        help="The start is nn.Linear's own random initialisation after "
        "torch.manual_seed(start seed); both ways start from it. It also seeds the shuffle.",
    )
    # --- training ---
    mode: str = setting(
        "builtins",
        "Way",
        "way",
        TRAINING,
        choices=MODES,
        labels=MODE_LABELS,
        help="From scratch: autograd for the gradient and a manual update, as in the "
        "tutorial's first half. Built-ins: TensorDataset + DataLoader, nn.Linear, "
        "F.mse_loss and optim.SGD.",
    )
    compare: bool = setting(
        True,
        "Run the other way alongside",
        "cmp",
        TRAINING,
        help="Take the same steps on the same batches the other way, and show how far "
        "apart the two stay (max |Δθ|).",
    )
    standardise: bool = setting(
        False,
        "Standardise features",
        "std",
        TRAINING,
        help="Train on (x - mean) / std of each feature (train rows). Weights can still be "
        "shown in the original units.",
    )
    learning_rate: float = shared.learning_rate(1e-5)
    batch_size: int = shared.batch_size(
        5, 2000, "0 or at least the number of rows = full batch.", box=True
    )
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
    schedule_steps: int = shared.schedule_steps(5000)
    # --- run ---
    steps_per_click: int = shared.steps_per_click("k_click", box=True)
    speed: int = shared.speed(20)
    max_steps: int = shared.max_steps(5000, box=True)
    stop_at_convergence: bool = shared.stop_at_convergence()
    # --- view ---
    log_loss: bool = shared.log_loss(True)
    original_units: bool = setting(
        True,
        "Weights in original units",
        "orig",
        VIEW,
        help="With standardised features, show W and b converted back to the raw features' "
        "units (the same predictions).",
    )
    slice_i: int = setting(0, "Slice: first parameter", "si", VIEW, low=0, high=14)
    slice_j: int = setting(6, "Slice: second parameter", "sj", VIEW, low=0, high=14)
    slice_through: str = setting(
        "current",
        "Slice through",
        "sat",
        VIEW,
        choices=SLICE_BASES,
        labels=SLICE_LABELS,
        help="The other parameters are held at the step shown's values, or at the optimum.",
    )
    presenter: bool = shared.presenter()

    def check(self) -> None:
        if self.slice_i == self.slice_j:
            raise SettingsError("The slice needs two different parameters.")

    linked: ClassVar[tuple[str, ...]] = ("slice_i", "slice_j")
    linked_note: ClassVar[str] = "Kept the previous slice parameters."

    def true_weight(self) -> list[list[float]]:
        """The synthetic truth W, k × d."""
        return [
            [getattr(self, weight_name(t, f)) for f in range(self.n_features)]
            for t in range(self.n_targets)
        ]

    def true_bias(self) -> list[float]:
        return [getattr(self, bias_name(t)) for t in range(self.n_targets)]


SYNTHETIC_ONLY = (
    "n_features",
    "n_targets",
    "n_points",
    "noise",
    "spread",
    "seed",
    *(weight_name(t, f) for t in range(MAX_TARGETS) for f in range(MAX_FEATURES)),
    *(bias_name(t) for t in range(MAX_TARGETS)),
)
