"""linreg: the landing page, a lesson index. The other pages live in pages/."""

import streamlit as st

from linreg.presets import PRESETS
from linreg.ui import page

page.setup("Gradient descent, live", "📉")

st.title("Gradient descent, live")
st.markdown(
    "Watch gradient descent fit a line, one step at a time: the data and the fitted line, "
    "the loss curve, the loss surface and its contour all move together. Set the true weight "
    "and bias, the noise, the loss and the learning rate, then **Step** or **Run**."
)
st.page_link(
    "pages/1_Fit_a_line.py", label="Open the live page with seed 000's settings", icon="📈"
)

st.subheader("Lessons")
st.caption("Each opens the live page with its settings; the page says what to look for.")
columns = st.columns(3)
for i, preset in enumerate(PRESETS):
    with columns[i % 3].container(border=True, height="stretch"):
        st.markdown(f"**{preset.title}**")
        st.caption(preset.notice)
        st.page_link(
            "pages/1_Fit_a_line.py",
            label="Open this lesson",
            icon="▶️",
            query_params={"lesson": preset.key, **preset.query},
        )
