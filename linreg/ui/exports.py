"""Downloads for a run: its history (CSV), a standalone PyTorch script, an animated page.

Each file is built only when its button is pressed (a callable), so the page pays nothing
for them on every rerun.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from linreg.export import history_csv, pytorch_script
from linreg.landscape import param_names
from linreg.ui import live
from linreg.ui.fit_view import replay_spec
from linreg.ui.plot import WEB


def panel(run: live.Run) -> None:
    """Three download buttons and what each gives."""
    h = run.stepper.history
    st.caption("PNG: use the camera button in any chart's toolbar.")
    cols = st.columns(3)
    cols[0].download_button(
        "History (CSV)",
        data=lambda: history_csv(h, param_names(run.stepper.data)),
        file_name="linreg_history.csv",
        mime="text/csv",
        on_click="ignore",
        width="stretch",
        help="One row per step: weight, bias, their gradients, train and test loss.",
    )
    cols[1].download_button(
        "PyTorch script",
        data=lambda: pytorch_script(
            run.config, h.params[0], run.stepper.steps, run.own, changes=run.changes
        ),
        file_name="linreg_run.py",
        mime="text/x-python",
        on_click="ignore",
        width="stretch",
        help="A standalone script (torch + NumPy) that takes the same steps, with every "
        "mid-run change of settings made at its step.",
    )
    cols[2].download_button(
        "Animated page (HTML)",
        data=lambda: animated_html(run),
        file_name="linreg_replay.html",
        mime="text/html",
        on_click="ignore",
        width="stretch",
        help="The replay with Plotly inside: plays offline, in any browser, on any slide.",
    )


# The page's own player (as in the app): Plotly's would play 30 fps frames at about 20 fps.
PLAYER = (WEB / "player.js").read_text()


def animated_html(run: live.Run) -> str:
    """The replay as one self-contained HTML file (Plotly's library and the player included)."""
    play = PLAYER + "\nlinregPlayer(document.getElementById('{plot_id}'));"
    return pio.to_html(
        go.Figure(replay_spec(run)), include_plotlyjs=True, full_html=True, post_script=play
    )
