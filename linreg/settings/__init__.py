"""The one table of settings: default, range, label and URL key of every knob.

`Config` is a frozen dataclass whose fields *are* the table: each field's metadata holds
its `Spec`. Widgets, URL query parameters, presets and the engine all read from here, so a
default or a bound is written exactly once.

The defaults reproduce seed 000: y = 0.8 x + 0.2 on x = arange(0, 2, 0.02), an ordered
80/20 split, L1 loss, plain SGD at a learning rate of 0.01.

The other pages keep their own tables in this package (`features`, `scratch`, `race`),
built from the same `setting()` fields on `Settings`; `table(cls)` gives any of them its
specs, URL keys and defaults, and the same reading of URLs and widgets.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, ClassVar

from linreg import optimizers
from linreg.errors import SettingsError

LOSSES = ("mse", "mae", "huber")
LOSS_LABELS = {"mse": "MSE (squared)", "mae": "MAE (L1)", "huber": "Huber"}
OPTIMIZERS = optimizers.NAMES
OPTIMIZER_LABELS = optimizers.LABELS
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
    box: bool = False  # a number box instead of a slider
    labels: tuple = ()  # (choice, label) pairs for choices not named in the widgets' LABELS
    # The name in notes, where the widget's label leans on its place ("Learning rate" under
    # Adam's heading): "Adam's learning rate". Empty: the label.
    long_label: str = ""


def setting(default: Any, label: str, url: str, group: str, **spec: Any) -> Any:
    """A dataclass field that carries its `Spec`."""
    return field(default=default, metadata={"spec": Spec(label, url, group, **spec)})


class Settings:
    """The base of a page's settings table: a frozen dataclass whose fields are `setting()`s.

    Every value is validated on construction; `check` adds the rules between fields, and
    `linked` names the fields a failed `check` drops when reading a link or the widgets.
    """

    prefix: ClassVar[str] = "setting"  # widget keys are f"{prefix}.{name}"
    linked: ClassVar[tuple[str, ...]] = ()
    linked_note: ClassVar[str] = ""

    def __post_init__(self) -> None:
        t = table(type(self))
        for f in fields(self):
            object.__setattr__(self, f.name, t.coerce(f.name, getattr(self, f.name)))
        self.check()

    def check(self) -> None:
        """Rules between fields; raise SettingsError."""

    def replace(self, **changes: Any):
        """A copy with some settings changed (validated)."""
        return dataclasses.replace(self, **changes)

    def changed(self, other) -> dict[str, str]:
        """Names of settings that differ from `other`, mapped to their group."""
        specs = table(type(self)).specs
        return {
            f.name: specs[f.name].group
            for f in fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        }


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

    def check(self) -> None:
        if self.x_min >= self.x_max:
            raise SettingsError(
                f"'x from' ({self.x_min:g}) must be smaller than 'x to' ({self.x_max:g})."
            )


class Table:
    """What a settings class's fields say, in the forms the pages need: specs by name,
    Python types, names by URL key and the defaults; and the reading of URLs and widgets."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.specs: dict[str, Spec] = {f.name: f.metadata["spec"] for f in fields(cls)}
        self.kinds: dict[str, type] = {
            f.name: {"bool": bool, "int": int, "float": float, "str": str}[f.type]
            for f in fields(cls)
        }
        self.by_url: dict[str, str] = {s.url: name for name, s in self.specs.items()}
        self._defaults = None

    @property
    def defaults(self):
        if self._defaults is None:
            self._defaults = self.cls()
        return self._defaults

    def coerce(self, name: str, value: Any) -> Any:
        """`value` (maybe a URL string) as a valid value for `name`, or SettingsError."""
        if name not in self.specs:
            raise SettingsError(f"There is no setting called {name!r}.")
        return _coerce(self.specs[name], self.kinds[name], value)

    def from_mapping(self, values: Mapping[str, Any], base=None) -> tuple[Any, list[str]]:
        """Apply setting names to `base`; skip bad ones. Returns the settings and one note
        per skip."""
        base = self.defaults if base is None else base
        good: dict[str, Any] = {}
        notes: list[str] = []
        for name, value in values.items():
            try:
                good[name] = self.coerce(name, value)
            except SettingsError as err:
                notes.append(str(err))
        try:
            return base.replace(**good), notes
        except SettingsError as err:  # a rule between fields failed: keep the base's values
            for name in self.cls.linked:
                good.pop(name, None)
            try:
                return base.replace(**good), notes + [f"{err} {self.cls.linked_note}".strip()]
            except SettingsError:
                return base, notes + [str(err)]

    def to_query(self, config) -> dict[str, str]:
        """URL query parameters for the settings that differ from the defaults."""
        out = {}
        for name, spec in self.specs.items():
            value = getattr(config, name)
            if value != getattr(self.defaults, name):
                out[spec.url] = _text(value)
        return out

    def from_query(self, query: Mapping[str, Any], base=None) -> tuple[Any, list[str]]:
        """Read URL query parameters (unknown keys are noted and ignored)."""
        values, notes = {}, []
        for key, value in query.items():
            if key in self.by_url:
                values[self.by_url[key]] = value
            else:
                notes.append(f"Unknown link parameter {_show(key)} was ignored.")
        config, bad = self.from_mapping(values, base)
        return config, notes + bad


@cache
def table(cls: type) -> Table:
    """The table of a settings class (built once)."""
    return Table(cls)


def _coerce(spec: Spec, want: type, value: Any) -> Any:
    label = spec.long_label or spec.label
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
    # Text must be ASCII: float() also reads '٣' and '１２' as numbers, which no link of ours
    # writes and a reader would not expect to work.
    if isinstance(value, bool) or (isinstance(value, str) and not value.isascii()):
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


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


# The live page's table, under the names the rest of the code uses.
FIT = table(Config)
SPECS, KINDS, BY_URL = FIT.specs, FIT.kinds, FIT.by_url
DEFAULTS = FIT.defaults
coerce, from_mapping, to_query, from_query = (
    FIT.coerce,
    FIT.from_mapping,
    FIT.to_query,
    FIT.from_query,
)


def kind(name: str) -> type:
    """The Python type of a live-page setting: bool, int, float or str."""
    return KINDS[name]
