"""Many features: seed 001's crop yields, trained from scratch and with the built-ins."""

import streamlit as st

from linreg.ui import features_panels as panels
from linreg.ui import features_sidebar as sidebar
from linreg.ui import features_state as state
from linreg.ui import features_view as view
from linreg.ui import links, page, presenter
from linreg.ui.plot import ticker

page.setup("Many features", "🍎")
run = state.Run.current()
sidebar.settings(run)

title, switch = st.columns([5, 1], vertical_alignment="bottom")
title.title("Many features: several inputs, several outputs")
with switch:
    presenter.switch(state.TABLE)
names = f"{', '.join(run.raw.feature_names)} → {', '.join(run.raw.target_names)}"
st.caption(
    f"{len(run.raw.x_train)} rows of {names}. A linear model Ŷ = X Wᵀ + b learns a weight "
    "per (target, feature) pair and a bias per target, by gradient descent on the MSE."
)
if run.data_note:
    st.info(run.data_note)
links.banner(run.lesson, run.notes)
with st.expander(
    "Conditioning: the loss valley's shape and the largest stable rate", expanded=True
):
    panels.conditioning(run)


@st.fragment
def panel() -> None:
    if run.running:
        run.tick()
    view.controls(run)
    view.pace_hint(run)
    if run.notice:
        st.info(run.notice)
    if run.stop_reason:
        (st.error if run.stepper.diverged_at is not None else st.success)(run.stop_reason)
    shown = view.timeline(run)
    view.metrics(run, shown)
    view.charts(run, shown)
    with st.container(border=True):
        st.markdown("**The batches of this epoch**")
        panels.batches(run, shown)
    links.share_box(
        run.share_link(shown),
        note=" It cannot carry your uploaded file." if run.own is not None else "",
    )
    with st.expander("The code of both ways", expanded=False):
        panels.code(run, shown)
    ticker(run.running, run.stepper.steps)


panel()

if st.toggle(
    "Replay the recorded run in the browser (Plotly frames, no server calls)",
    key="features.show_replay",
):
    panels.replay(run)
