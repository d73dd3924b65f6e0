"""Your own data on the live page: a CSV upload, two columns picked as x and y.

The upload lives in this browser session only, so it never touches other users. A bad file
is refused with the loader's own message, and the page keeps the data it had.
"""

from __future__ import annotations

import streamlit as st

from linreg.csvdata import load_columns, read_csv
from linreg.errors import DataError
from linreg.experiment import OwnData
from linreg.ui import live


def panel(run: live.Run) -> None:
    """The sidebar's upload box; switches the run to the file's data and back."""
    with st.sidebar.expander("Your own data (CSV)", expanded=run.own is not None):
        file = st.file_uploader(
            "A CSV file with a header row",
            type=["csv", "txt"],
            key="upload.file",
            help="Numbers only in the columns you pick; up to 5 MB.",
        )
        if file is None:
            if run.own is not None:
                run.use_data(None, "Back to the generated data: the run restarted from step 0.")
            st.caption("Without a file, the points come from the Data settings below.")
            return
        own = _read(file.name, file.getvalue())
        if own is None:
            return
        st.caption(
            f"{len(own.x)} rows of {own.x_label} → {own.y_label}. Links do not carry "
            "an uploaded file."
        )
        if run.own is None or run.own.key != own.key:
            run.use_data(
                own,
                f"Using your data ({own.name}: x = "
                f"{own.x_label}, y = {own.y_label}): the run restarted from step 0.",
            )


def _read(name: str, content: bytes) -> OwnData | None:
    """The chosen columns of an uploaded file, or None after showing why not."""
    try:
        table = read_csv(content)
    except DataError as err:
        st.error(f"{name}: {err}")
        return None
    if len(table.columns) < 2:
        st.error(
            f"{name} has only one column of numbers ({table.columns[0]}); the live page "
            "needs two, one for x and one for y."
        )
        return None
    x_name = st.selectbox("x column", table.columns, index=0, key="upload.x")
    rest = [c for c in table.columns if c != x_name]
    y_name = st.selectbox("y column", rest, index=len(rest) - 1, key="upload.y")
    try:
        x, y = load_columns(table, [x_name], [y_name])
    except DataError as err:
        st.error(str(err))
        return None
    return OwnData(name, x[:, 0], y[:, 0], x_name, y_name)
