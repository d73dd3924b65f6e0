"""What every page does first: the page config and the links between pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from linreg.ui import style

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    ("app.py", "Home: lessons", "🏠"),
    ("pages/1_Fit_a_line.py", "Fit a line", "📈"),
    ("pages/2_Many_features.py", "Many features", "🍎"),
    ("pages/3_From_scratch.py", "From scratch", "🧮"),
    ("pages/4_Optimizers.py", "Optimizers", "🏁"),
    ("pages/5_Capacity.py", "Capacity and regularisation", "🪢"),
]


def exists(path: str) -> bool:
    """Whether a page's file is there (a page still being written is left out)."""
    return (ROOT / path).exists()


def available() -> list[tuple[str, str, str]]:
    """The pages that exist: (path, label, icon)."""
    return [p for p in PAGES if exists(p[0])]


def setup(title: str, icon: str) -> None:
    """Wide layout and a title; the sidebar lists the pages by their plain names."""
    st.set_page_config(page_title=f"{title} · linreg", page_icon=icon, layout="wide")
    style.inject()
    for path, label, page_icon in available():
        st.sidebar.page_link(path, label=label, icon=page_icon)
    st.sidebar.divider()
