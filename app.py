"""linreg: the landing page. The other pages live in pages/ (Streamlit lists them itself)."""

import streamlit as st

from linreg.ui import page

page.setup("Gradient descent, live", "📉")

st.title("linreg")
st.markdown(
    "Watch gradient descent fit a line, one step at a time: the data, the fitted line, "
    "the loss curve and the loss surface, all moving together."
)
st.page_link(
    "pages/1_Fit_a_line.py",
    label="Fit a line: set the truth, then step or run gradient descent",
    icon="📈",
)
