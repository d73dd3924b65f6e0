"""linreg: the landing page, a lesson index. The other pages live in pages/."""

import streamlit as st

from linreg.presets import PRESETS
from linreg.ui import page

page.setup("Gradient descent, live", "📉")

ABOUT = {
    "pages/1_Fit_a_line.py": "One feature, one target: set the truth, step or run gradient "
    "descent, and watch the line, the loss curve, the surface and the contour move together.",
    "pages/2_Many_features.py": "Seed 001's crop yields (3 inputs → 2 targets), your own CSV "
    "or a synthetic d → k problem; from scratch vs built-ins, and why standardising helps.",
    "pages/3_From_scratch.py": "Seed 002 three ways (NumPy, autograd, nn.Linear), step by "
    "step; float32 vs float64; a million epochs at once; matrix products cell by cell.",
    "pages/4_Optimizers.py": "SGD, momentum, Nesterov, Adam, RMSprop and Adagrad race on one "
    "contour; a learning-rate sweep shows where each one diverges.",
    "pages/5_Capacity.py": "Polynomial features of a noisy curve: underfit, fit, overfit; "
    "ridge, lasso and elastic net, the regularisation path, validation curves and "
    "learning-rate schedules.",
}

st.title("Gradient descent, live")
st.markdown(
    "Watch gradient descent fit a line, one step at a time: the data and the fitted line, "
    "the loss curve, the loss surface and its contour all move together. Set the true weight "
    "and bias, the noise, the loss and the learning rate, then **Step** or **Run**."
)

pages = [p for p in page.available() if p[0] in ABOUT]
for column, (path, label, icon) in zip(st.columns(len(pages)), pages, strict=True):
    with column.container(border=True, height="stretch"):
        st.page_link(path, label=f"**{label}**", icon=icon)
        st.caption(ABOUT[path])

st.subheader("Lessons")
st.caption("Each opens its page with the lesson's settings; the page says what to look for.")
lessons = [p for p in PRESETS if page.exists(p.page)]
names = {path: (label, icon) for path, label, icon in page.PAGES}
for row in range(0, len(lessons), 3):  # rows of three, so the cards of a row line up
    for column, preset in zip(st.columns(3), lessons[row : row + 3], strict=False):
        label, icon = names[preset.page]
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{preset.title}**")
            st.caption(preset.notice)
            st.page_link(
                preset.page,
                label=f"Open this lesson ({label})",
                icon="▶️",
                query_params=preset.link,
            )
