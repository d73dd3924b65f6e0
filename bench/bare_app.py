"""The baseline of bench/load.py: Streamlit's own floor for the live page's loop.

The same protocol shape as Fit a line: Step and Run buttons in a fragment, a hidden button
that the ticker presses for the next live update, and a ticker component whose data says
whether the run is live. It draws one metric and computes nothing.
"""

import streamlit as st

TICKER = st.components.v2.component("bare_ticker", js="export default function() {}")
state = st.session_state.setdefault("bare", {"running": False, "steps": 0})


def step() -> None:
    state["steps"] += 1


def toggle() -> None:
    state["running"] = not state["running"]


@st.fragment
def panel() -> None:
    if state["running"]:
        step()
    left, right = st.columns(2)
    left.button("Step", key="btn.step", on_click=step, disabled=state["running"])
    right.button("Pause" if state["running"] else "Run", key="btn.run", on_click=toggle)
    st.metric("Step", state["steps"])
    st.button("next update", key="live_tick")
    data = {"running": state["running"], "count": state["steps"], "delay": 30}
    TICKER(data={**data, "button": "live_tick"}, key="ticker", height=0)


panel()
