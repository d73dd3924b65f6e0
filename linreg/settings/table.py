"""The machinery of a settings table: `Spec` (how one setting is shown, bounded and written
into a URL), `setting()` (a dataclass field that carries its Spec), `Settings` (the base of
a page's frozen, validated settings class) and `Table` (what a class's fields say, in the
forms the pages need, with the reading of URLs and widgets).

Each page's own settings live beside this module (`fit`, `features`, `race`, `scratch`);
the fields several pages share come from `fields`.
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
# Learning-rate schedules, by the names of torch.optim.lr_scheduler's classes.
SCHEDULES = ("constant", "step", "exponential", "cosine", "onecycle")
SCHEDULE_LABELS = {
    "constant": "Constant",
    "step": "StepLR",
    "exponential": "ExponentialLR",
    "cosine": "CosineAnnealingLR",
    "onecycle": "OneCycleLR (warm-up)",
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
