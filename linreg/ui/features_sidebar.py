"""The "Many features" sidebar: the settings table's widgets, and a CSV upload with
column picking (several feature columns, one or more targets). Every refusal is explained."""

from __future__ import annotations

import streamlit as st

from linreg.csvdata import load_columns, read_csv
from linreg.errors import DataError
from linreg.settings.features import (
    bias_name,
    weight_name,
)
from linreg.settings.fields import schedule_order
from linreg.ui import features_state as state
from linreg.ui import widgets

MAX_CSV_FEATURES, MAX_CSV_TARGETS = 20, 5


def _w(name: str, where=st, disabled: bool = False):
    return widgets.widget(name, where, disabled=disabled, table=state.TABLE)


def _number(name: str, where, label: str) -> None:
    """A number box for one entry of the true weights."""
    widgets.widget(name, where, table=state.TABLE, label=label)


def settings(run: state.Run) -> None:
    """Read the widgets, apply (restart or continue), then draw them."""
    run.take_widgets()
    c, bar = run.config, st.sidebar
    with bar.expander("Data", expanded=True):
        _w("source")
        if c.source == "csv":
            upload(run)
        synthetic = c.source == "synthetic"
        if synthetic:
            for name in ("n_features", "n_targets", "n_points", "noise", "spread", "seed"):
                _w(name)
            names = run.raw.feature_names
            with st.expander("True weights W and biases b", expanded=False):
                for t in range(c.n_targets):
                    st.markdown(f"**Target y{t + 1}**")
                    for f in range(c.n_features):
                        _number(weight_name(t, f), st, f"W[{t + 1},{f + 1}]: y{t + 1} ← {names[f]}")
                    _number(bias_name(t), st, f"b[{t + 1}]: bias of y{t + 1}")
        else:
            st.caption(
                "The crop data: temperature, rainfall, humidity → apples, oranges."
                if c.source != "csv"
                else "Pick feature and target columns of your file above."
            )
    with bar.expander("Training", expanded=True):
        for name in ("mode", "compare", "standardise", "learning_rate"):
            _w(name)
        st.caption(critical_note(run))
        st.button(
            "Use ½ × critical rate",
            key="features.half_critical",
            on_click=_half_critical,
            args=(run,),
            help="Set the learning rate to half of 2/λmax for the data trained on.",
            width="stretch",
        )
        for name in ("batch_size", "shuffle", "dtype", "init_seed"):
            _w(name)
        _w("schedule")
        # every schedule's settings, the chosen one's first (each label names its schedule)
        with st.expander("Schedule settings", expanded=run.config.schedule != "constant"):
            for name in schedule_order(run.config.schedule):
                _w(name)
    with bar.expander("Run", expanded=False):
        for name in ("steps_per_click", "stop_at_convergence", "max_steps"):
            _w(name)
    with bar.expander("View", expanded=True):
        for name in ("log_loss", "original_units", "slice_through"):
            _w(name, disabled=name == "original_units" and not c.standardise)


def critical_note(run: state.Run) -> str:
    cond = state.features.conditioning(run.data)
    rate, lr = cond.critical_rate, run.config.learning_rate
    verdict = "**above** it: full-batch steps diverge" if lr > rate else "below it"
    return f"Critical rate 2/λmax = **{rate:.3g}** for these features; lr {lr:g} is {verdict}."


def _half_critical(run: state.Run) -> None:
    rate = state.features.conditioning(run.data).critical_rate
    k = widgets.key("learning_rate", state.TABLE)
    spec = state.TABLE.specs["learning_rate"]
    st.session_state[k] = float(f"{min(max(rate / 2, spec.low), spec.high):.2g}")


def upload(run: state.Run) -> None:
    """The file box and the column pickers; switches the run to the file's data."""
    file = st.file_uploader(
        "A CSV file with a header row",
        type=["csv", "txt"],
        key="features.upload.file",
        help="Numbers only in the columns you pick; up to 5 MB.",
    )
    if file is None:
        if run.own is not None:
            run.use_data(None, "The file was removed: the run restarted.")
        return
    own = _read(file.name, file.getvalue())
    if own is None:
        return
    st.caption(f"{len(own.x)} rows: {', '.join(own.x_names)} → {', '.join(own.y_names)}.")
    if run.own is None or run.own.key != own.key:
        run.use_data(own, f"Using your data ({own.name}): the run restarted from step 0.")


def _read(name: str, content: bytes) -> state.OwnTable | None:
    try:
        table = read_csv(content)
    except DataError as err:
        st.error(f"{name}: {err}")
        return None
    if table.skipped:
        st.caption(f"Text columns left out: {', '.join(table.skipped)}.")
    if len(table.columns) < 2:
        st.error(
            f"{name} has only one column of numbers ({table.columns[0]}); this page needs at "
            "least two: features and a target."
        )
        return None
    cols = list(table.columns)
    xs = st.multiselect("Feature columns (x)", cols, default=cols[:-1], key="features.upload.x")
    ys = st.multiselect(
        "Target columns (y)",
        [c for c in cols if c not in xs] or cols,
        default=[c for c in cols[-1:] if c not in xs],
        key="features.upload.y",
    )
    if len(xs) > MAX_CSV_FEATURES or len(ys) > MAX_CSV_TARGETS:
        st.error(
            f"Pick at most {MAX_CSV_FEATURES} feature and {MAX_CSV_TARGETS} target columns: "
            "the weight heatmap has one cell per pair."
        )
        return None
    try:
        x, y = load_columns(table, xs, ys)
    except DataError as err:
        st.error(str(err))
        return None
    if len(x) < 2:
        st.error(f"{name} has {len(x)} row of numbers; at least 2 are needed.")
        return None
    return state.OwnTable(name, x, y, tuple(xs), tuple(ys))
