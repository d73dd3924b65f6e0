"""Capacity and regularisation: polynomial features of a noisy curve, a penalty, and when a
model starts to fit the noise."""

import streamlit as st

from linreg.ui import capacity_panels as panels
from linreg.ui import capacity_view as view
from linreg.ui import links, page, presenter
from linreg.ui.capacity_state import TABLE, CapacityRun
from linreg.ui.plot import ticker

page.setup("Capacity and regularisation", "🪢")
run = CapacityRun.current()
panels.settings(run)

title, switch = st.columns([5, 1], vertical_alignment="bottom")
title.title("Capacity and regularisation")
with switch:
    presenter.switch(TABLE)
st.caption(
    f"{len(run.data.y_train)} training and {len(run.data.y_test)} test points from a true "
    f"curve plus noise. The model is linear in its parameters on the features x, x², …, "
    f"x^{run.poly.degree} (standardised), trained by gradient descent on MSE + penalty; the "
    "bias is never penalised."
)
links.banner(run.lesson, run.notes)
with st.expander("Why the features are standardised: conditioning", expanded=False):
    panels.conditioning(run)


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
    view.metrics(run, shown)
    view.charts(run, shown)
    with st.expander(
        "The lasso two ways: subgradient and proximal, side by side",
        expanded=run.config.penalty in ("lasso", "elastic"),
    ):
        panels.lasso_two_ways(run, shown)
    with st.expander("The code of this run, at the step on show"):
        panels.code(run, shown)
    links.share_box(run.share_link(shown))
    ticker(run.running, run.stepper.steps)  # while running, the browser asks for more


panel()

with st.expander("Ridge two ways: weight_decay or the loss; Adam vs AdamW"):
    panels.ridge_two_ways(run)
st.header("Many runs at once: the regularisation path and validation curves")
panels.many_runs(run)
