"""What every page does first: the page config and the links between pages."""

from __future__ import annotations

import streamlit as st

PAGES = [
    ("app.py", "Home: lessons", "🏠"),
    ("pages/1_Fit_a_line.py", "Fit a line", "📈"),
]


def setup(title: str, icon: str) -> None:
    """Wide layout and a title; the sidebar lists the pages by their plain names."""
    st.set_page_config(page_title=f"{title} · linreg", page_icon=icon, layout="wide")
    for path, label, page_icon in PAGES:
        st.sidebar.page_link(path, label=label, icon=page_icon)
    st.sidebar.divider()
