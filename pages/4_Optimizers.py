"""Optimizers: six optimizers race on the same data from the same start; then a sweep of
one optimizer's learning rate."""

import streamlit as st

from linreg.ui import links, page
from linreg.ui import race_state as state
from linreg.ui import race_view as view
from linreg.ui.plot import ticker

page.setup("Optimizers", "🏁")
run = state.RaceRun.current()
state.settings(run)

st.title("Optimizers race")
st.caption(
    "SGD, momentum, Nesterov, Adam, RMSprop and Adagrad start from the same weight and bias "
    "on the same points y = weight·x + bias + noise. Every press of Step moves each of them "
    "one step; each keeps its colour and marker in every view."
)
links.banner(run.lesson, run.notes)
with st.expander("Racers: who takes part, with which learning rate and settings"):
    view.racers(run)


@st.fragment
def panel() -> None:
    if run.running:
        run.tick()
    view.controls(run)
    if run.notice:
        st.info(run.notice)
    if run.stop_reason:
        st.success(run.stop_reason)
    view.diverged_note(run)
    shown = view.timeline(run)
    view.charts(run, shown)
    view.leaderboard(run, shown)
    links.share_box(run.share_link(shown), "replays the race to this step")
    ticker(run.running, run.race.steps)  # while running, the browser asks for more


panel()

if st.toggle(
    "Replay the recorded race in the browser (Plotly frames, no server calls)",
    key="race.show_replay",
):
    view.replay(run)

st.header("Learning-rate sweep")
st.caption(
    "One optimizer, many learning rates, all trained at once from the race's start on the "
    "race's data: the final loss and the steps to converge, against the rate."
)
view.sweep(run)
