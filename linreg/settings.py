"""The one table of settings: default, range, label and URL key of every knob.

`Config` is a frozen dataclass whose fields *are* the table: each field's metadata holds
its `Spec`. Widgets, URL query parameters, presets and the engine all read from here, so a
default or a bound is written exactly once.

The defaults reproduce seed 000: y = 0.8 x + 0.2 on x = arange(0, 2, 0.02), an ordered
80/20 split, L1 loss, plain SGD at a learning rate of 0.01.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from linreg.errors import SettingsError

LOSSES = ("mse", "mae", "huber")
LOSS_LABELS = {"mse": "MSE (squared)", "mae": "MAE (L1)", "huber": "Huber"}
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad")
OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "nesterov": "Nesterov",
    "adam": "Adam",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
}
DATA, START, TRAINING, RUN, VIEW = "data", "start", "training", "run", "view"


@dataclass(frozen=True)
class Spec:
    """How one setting is shown, bounded and written into a URL."""

    label: str
    url: str
    group: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    log: bool = False
    help: str = ""
    step: float | None = None  # slider step; None for the widget's own


def setting(default: Any, label: str, url: str, group: str, **spec: Any) -> Any:
    """A dataclass field that carries its `Spec`."""
    return field(default=default, metadata={"spec": Spec(label, url, group, **spec)})


@dataclass(frozen=True)
class Config:
    """Every setting of the live page, validated on construction."""

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
    seed: int = setting(42, "Seed", "seed", DATA, low=0, high=999_999)
    # --- training: changing these continues from the current parameters ---
    loss: str = setting("mae", "Loss", "loss", TRAINING, choices=LOSSES)
    huber_delta: float = setting(1.0, "Huber δ", "delta", TRAINING, low=0.01, high=10.0, log=True)
    optimizer: str = setting("sgd", "Optimizer", "opt", TRAINING, choices=OPTIMIZERS)
    learning_rate: float = setting(
        0.01, "Learning rate", "lr", TRAINING, low=1e-5, high=10.0, log=True
    )
    momentum: float = setting(0.9, "Momentum μ", "mom", TRAINING, low=0.0, high=0.999, step=0.01)
    beta1: float = setting(0.9, "Adam β₁", "b1", TRAINING, low=0.0, high=0.999, step=0.01)
    beta2: float = setting(0.999, "Adam β₂", "b2", TRAINING, low=0.0, high=0.9999, step=0.0001)
    alpha: float = setting(0.99, "RMSprop α", "alpha", TRAINING, low=0.0, high=0.9999, step=0.0001)
    batch_size: int = setting(
        0,
        "Batch size",
        "bs",
        TRAINING,
        low=0,
        high=5000,
        help="0 = full batch, 1 = stochastic, else mini-batch.",
    )
    shuffle: bool = setting(True, "Shuffle batches", "shuf", TRAINING)
    dtype: str = setting("float32", "Precision", "dtype", TRAINING, choices=("float32", "float64"))
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
    tolerance: float = setting(
        1e-6, "Convergence tolerance", "tol", RUN, low=1e-12, high=1e-2, log=True
    )
    stop_at_convergence: bool = setting(True, "Stop at convergence", "stop", RUN)
    max_steps: int = setting(2000, "Max steps", "max", RUN, low=10, high=100_000)
    steps_per_click: int = setting(10, "Steps per click", "k", RUN, low=1, high=1000)
    speed: int = setting(
        4,
        "Steps per update",
        "speed",
        RUN,
        low=1,
        high=500,
        help="How many steps a live run takes between two redraws.",
    )
    # --- view: what the charts show ---
    show_truth: bool = setting(True, "True line", "truth", VIEW)
    show_residuals: bool = setting(False, "Residuals", "resid", VIEW)
    show_field: bool = setting(False, "Gradient field", "field", VIEW)
    log_loss: bool = setting(False, "Log-scale loss", "log", VIEW)
    show_surface: bool = setting(
        True,
        "3-D surface",
        "3d",
        VIEW,
        help="Turn off on a slow computer: the 3-D view costs the most.",
    )
    presenter: bool = setting(
        False,
        "Presenter mode",
        "present",
        VIEW,
        help="For a projector: large type, thick lines, colour-blind-safe colours, and only "
        "Step, Run/Pause and Reset (keys: →, Space, Home).",
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, coerce(f.name, getattr(self, f.name)))
        if self.x_min >= self.x_max:
            raise SettingsError(
                f"'x from' ({self.x_min:g}) must be smaller than 'x to' ({self.x_max:g})."
            )

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed (validated)."""
        return dataclasses.replace(self, **changes)

    def changed(self, other: Config) -> dict[str, str]:
        """Names of settings that differ from `other`, mapped to their group."""
        return {
            f.name: SPECS[f.name].group
            for f in fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        }


SPECS: dict[str, Spec] = {f.name: f.metadata["spec"] for f in fields(Config)}
KINDS: dict[str, type] = {
    f.name: {"bool": bool, "int": int, "float": float, "str": str}[f.type] for f in fields(Config)
}
BY_URL: dict[str, str] = {s.url: name for name, s in SPECS.items()}


def kind(name: str) -> type:
    """The Python type of a setting: bool, int, float or str."""
    return KINDS[name]


def coerce(name: str, value: Any) -> Any:
    """Turn `value` (maybe a URL string) into a valid value for `name`, or raise SettingsError."""
    if name not in SPECS:
        raise SettingsError(f"There is no setting called {name!r}.")
    spec, want = SPECS[name], kind(name)
    label = spec.label
    if want is bool:
        if isinstance(value, bool):
            return value
        text = _plain(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{label}: expected true or false, got {_show(value)}.")
    if want is str:
        text = _plain(value).strip().lower()
        if text not in spec.choices:
            raise SettingsError(f"{label}: {_show(value)} is not one of {', '.join(spec.choices)}.")
        return text
    number = _number(label, value)
    if want is int:
        if number != int(number):
            raise SettingsError(f"{label}: expected a whole number, got {_show(value)}.")
        number = int(number)
    if not spec.low <= number <= spec.high:
        raise SettingsError(
            f"{label}: {number:g} is outside the allowed range {spec.low:g} to {spec.high:g}."
        )
    return number if want is int else float(number)


def _plain(value: Any) -> str:
    try:
        return str(value)
    except ValueError:  # an int too long to turn into text
        return ""


def _number(label: str, value: Any) -> float:
    if isinstance(value, bool):
        raise SettingsError(f"{label}: expected a number, got {_show(value)}.")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise SettingsError(f"{label}: expected a number, got {_show(value)}.") from None
    if not math.isfinite(number):
        raise SettingsError(f"{label}: {_show(value)} is not a finite number.")
    return number


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # e.g. an int of more than 4,300 digits
        return "a value too long to show"
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 30 else text[:27] + "..."


DEFAULTS = Config()


def from_mapping(values: Mapping[str, Any], base: Config = DEFAULTS) -> tuple[Config, list[str]]:
    """Apply setting names to `base`; skip bad ones. Returns the config and one note per skip."""
    good: dict[str, Any] = {}
    notes: list[str] = []
    for name, value in values.items():
        try:
            good[name] = coerce(name, value)
        except SettingsError as err:
            notes.append(str(err))
    try:
        return base.replace(**good), notes
    except SettingsError as err:  # a cross-field rule (x range) failed: keep the base range
        good.pop("x_min", None)
        good.pop("x_max", None)
        return base.replace(**good), notes + [str(err) + " Kept the previous x range."]


def to_query(config: Config) -> dict[str, str]:
    """URL query parameters for the settings that differ from the defaults."""
    out = {}
    for name, spec in SPECS.items():
        value = getattr(config, name)
        if value != getattr(DEFAULTS, name):
            out[spec.url] = _text(value)
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def from_query(query: Mapping[str, Any], base: Config = DEFAULTS) -> tuple[Config, list[str]]:
    """Read URL query parameters (unknown keys are noted and ignored)."""
    values, notes = {}, []
    for key, value in query.items():
        if key in BY_URL:
            values[BY_URL[key]] = value
        else:
            notes.append(f"Unknown link parameter {_show(key)} was ignored.")
    config, bad = from_mapping(values, base)
    return config, notes + bad
