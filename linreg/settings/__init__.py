"""The one table of settings: default, range, label and URL key of every knob.

Each page's settings class is a frozen dataclass whose fields *are* its table: each field's
metadata holds its `Spec`. Widgets, URL query parameters, presets and the engine all read
from there, so a default or a bound is written exactly once.

- `table`: the machinery (`Spec`, `setting`, `Settings`, `Table`), the same for every page;
- `fields`: the settings several pages share (learning rate, speed, steps per click, ...);
- `fit`, `features`, `race`, `scratch`: each page's own class.

This package's top level keeps the Fit a line page's table under the names the rest of
the code uses (`Config`, `FIT`, `SPECS`, `DEFAULTS`, ...).
"""

from __future__ import annotations

from linreg.settings.fit import Config
from linreg.settings.table import (  # noqa: F401 (the package's names)
    DATA,
    LOSS_LABELS,
    LOSSES,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    RUN,
    START,
    TRAINING,
    VIEW,
    Settings,
    Spec,
    Table,
    setting,
    table,
)

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
