"""Presenter mode's page styling: the sidebar folds away and the type grows."""

from __future__ import annotations

import streamlit as st

from linreg.settings import FIT, Table
from linreg.ui import widgets

CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.6rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; }
[data-testid="stColumn"]:has([data-testid="stMetric"]) { min-width: 8.2rem; }
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] button p { font-size: 1.35rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
</style>
"""


def switch(table: Table = FIT) -> bool:
    """The presenter-mode toggle (on the page itself, since the sidebar hides); its value."""
    on = widgets.widget("presenter", table=table, label="Presenter")  # fits a narrow column
    if on:
        st.html(CSS)
    return bool(on)
