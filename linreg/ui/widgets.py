"""One widget per setting, drawn from a settings table (label, range, step, help).

Every function takes the table (`linreg.settings.table(cls)`); the live page's is the
default. Widget keys are f"{prefix}.{name}", so two pages never share a widget's state.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from linreg import settings
from linreg.settings import FIT, LOSS_LABELS, OPTIMIZER_LABELS, Settings, Table

NUMBER_BOXES = {"seed", "batch_size", "max_steps", "steps_per_click"}
LABELS = {
    **LOSS_LABELS,
    **OPTIMIZER_LABELS,
    "ordered": "ordered",
    "shuffled": "shuffled",
    "given": "given",
    "random": "random",
    "float32": "float32",
    "float64": "float64",
}


def key(name: str, table: Table = FIT) -> str:
    """The session-state key of a setting's widget."""
    return f"{table.cls.prefix}.{name}"


def load(config: Settings, force: bool = False) -> None:
    """Put a config's values into the widgets (all of them when forced: preset, link, reset)."""
    table = settings.table(type(config))
    for name in table.specs:
        k = key(name, table)
        if force or k not in st.session_state:
            st.session_state[k] = getattr(config, name)


def read(base: Settings) -> tuple[Settings, list[str]]:
    """The config the widgets show, with a note for any value that had to be refused."""
    table = settings.table(type(base))
    keys = {name: key(name, table) for name in table.specs}
    values = {name: st.session_state[k] for name, k in keys.items() if k in st.session_state}
    return table.from_mapping(values, base)


def take(current: Settings) -> tuple[Settings, list[str]]:
    """The settings the widgets now say, read on top of `current`; a refused value springs
    back on its widget, with a note."""
    load(current)
    config, notes = read(current)
    load(config, force=True)
    return config, notes


def log_options(low: float, high: float, current: float) -> list[float]:
    """1-1.5-2-3-5-7 steps per decade between low and high, plus the current value."""
    grid = [
        m * 10.0**e
        for e in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
        for m in (1, 1.5, 2, 3, 5, 7)
    ]
    values = {float(f"{v:.6g}") for v in grid if low <= v <= high}
    values.add(float(current))
    return sorted(values)


def widget(
    name: str, where=st, disabled: bool = False, table: Table = FIT, label: str | None = None
):
    """Draw the widget for one setting (under its own label, or `label`); its value lives
    in st.session_state[key(name)]."""
    spec, kind, k = table.specs[name], table.kinds[name], key(name, table)
    spec = dataclasses.replace(spec, label=label) if label else spec
    common = dict(key=k, help=spec.help or None, disabled=disabled)
    if kind is bool:
        return where.toggle(spec.label, **common)
    if kind is str:
        names = {**LABELS, **dict(spec.labels)}
        fmt = names.get
        if len(spec.choices) <= 3:
            return where.segmented_control(
                spec.label, spec.choices, format_func=fmt, required=True, **common
            )
        return where.selectbox(spec.label, spec.choices, format_func=fmt, **common)
    if spec.log:
        options = log_options(spec.low, spec.high, st.session_state.get(k, spec.low))
        return where.select_slider(spec.label, options, format_func=lambda v: f"{v:g}", **common)
    if (name in NUMBER_BOXES or spec.box) and kind is int:
        return where.number_input(
            spec.label, min_value=int(spec.low), max_value=int(spec.high), step=1, **common
        )
    if spec.box:
        return where.number_input(
            spec.label,
            min_value=float(spec.low),
            max_value=float(spec.high),
            step=spec.step or 0.1,
            format=f"%.{_decimals(spec.step or 0.1)}f",
            **common,
        )
    if kind is int:
        return where.slider(spec.label, int(spec.low), int(spec.high), step=1, **common)
    return where.slider(
        spec.label,
        float(spec.low),
        float(spec.high),
        step=spec.step,
        format=f"%.{_decimals(spec.step)}f",  # β₂ = 0.999 must not read 1.00
        **common,
    )


def _decimals(step: float | None) -> int:
    """Decimals enough to show a multiple of `step` (at least 2)."""
    return max(2, -int(np.floor(np.log10(step)))) if step else 2
