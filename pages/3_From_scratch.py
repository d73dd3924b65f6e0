"""From scratch: seed 002's linear regression written three ways, stepped side by side."""

import streamlit as st

from linreg.ui import links, page, widgets
from linreg.ui import scratch_matmul as matmul_panel
from linreg.ui import scratch_state as state
from linreg.ui import scratch_view as view
from linreg.ui.plot import ticker

page.setup("From scratch", "🧮")
run = state.Session.current()
run.take_widgets()

with st.sidebar:
    st.markdown("**Training**")
    for name in ("learning_rate", "start_w1", "start_w2"):
        view.widget(name)
    st.markdown("**Run**")
    for name in ("steps_per_click", "epochs"):
        view.widget(name)

st.title("Linear regression from scratch")
st.caption(
    "Seed 002: X = [[1, 2], [3, 4], [5, 6]], y = X·[10, 20], no bias, MSE, learning rate "
    "1e-4, start [0.1, 0.1]. The same gradient descent, written three ways: NumPy with the "
    "gradient derived by hand, torch with autograd, and torch's built-in layer, loss and "
    "optimizer."
)
view.widget("dtype")
links.banner(run.lesson, run.notes)

with st.expander("The derivation: ∂MSE/∂w = −2/n · Xᵀ(y − Xw)", expanded=True):
    view.derivation()


@st.fragment
def panel() -> None:
    view.sync_view(run)
    if run.running:
        run.tick()
    view.controls(run)
    if run.notice:
        st.info(run.notice)
    if run.stop_reason:
        st.info(run.stop_reason)
    shown = view.timeline(run)
    st.subheader("Three programs, one set of numbers")
    view.agreement(run, shown)
    st.subheader("Step through the code")
    view.code_walk(run, shown)
    view.path_chart(run, shown)
    links.share_box(
        run.share_link(shown),
        "the matrices below, and replays the three programs to this epoch",
    )
    ticker(run.running, run.ways.steps)


panel()

st.subheader(f"All {run.config.epochs:,} epochs: float32 against float64")
widgets.widget("long_run", table=state.TABLE)
if run.config.long_run:
    view.long_run(run)
else:
    st.caption(
        "Turn this on to train for all the epochs: float64 at once through the fast "
        "path, float32 epoch by epoch until it freezes (a second or two, once)."
    )

st.subheader("Matrix multiplication: A @ B, one cell at a time")
matmul_panel.panel()
