"""Fit a line: set the truth, then step or run gradient descent and watch every view move."""

import streamlit as st

from linreg import scene
from linreg.ui import exports, links, live, page, presenter, upload
from linreg.ui import fit_view as view
from linreg.ui.plot import ticker

page.setup("Fit a line", "📈")
run = live.Run.current()
upload.panel(run)
live.settings(run)

title, switch = st.columns([5, 1], vertical_alignment="bottom")
title.title("Fit a line by gradient descent")
with switch:
    presenter.switch()
source = (
    f"Points come from your file {run.own.name}."
    if run.own is not None
    else "Points come from y = weight·x + bias (+ noise)."
)
st.caption(
    f"{source} A linear model starts somewhere else and gradient descent moves its weight and "
    "bias downhill on the loss, one step at a time."
)
links.banner(run.lesson, run.notes)


@st.fragment
def panel() -> None:
    if run.running:
        run.tick()
    view.controls(run)
    if run.notice:
        st.info(run.notice)
    if run.stop_reason:
        (st.error if run.stepper.diverged_at is not None else st.success)(run.stop_reason)
    shown = view.timeline(run)
    frame = scene.frame(run.stepper.history, shown)
    view.metrics(run, frame)
    view.charts(run, frame)
    with st.container(border=True):
        st.markdown("**The update rule**, at the step on show")
        view.rule(run, frame)
    links.share_box(
        run.share_link(shown),
        note=" It cannot carry your uploaded file." if run.own is not None else "",
    )
    ticker(run.running, run.stepper.steps)  # while running, the browser asks for more


panel()

if st.toggle(
    "Replay the recorded run in the browser (Plotly frames, no server calls)", key="show_replay"
):
    view.replay(run)
with st.expander("Export this run"):
    exports.panel(run)
