"""The page styling every page shares, so that nothing is clipped on a 1280×720 projector
with the sidebar open (issue 11): labels wrap instead of ending in "…", rows of metrics wrap
instead of squeezing their numbers, and a button's shortcut hint drops below its label.

Streamlit cuts a one-line label with an ellipsis (`.stMarkdownEllipsis`) and gives every
metric of a row an equal share of the width, however many there are; both are undone here.
The colours are the few that fall short of WCAG AA contrast (4.5:1) on white.
"""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
/* Labels (buttons, toggles, metrics, page links) wrap rather than end in an ellipsis. */
.stMarkdownEllipsis, .stMarkdownEllipsis p,
[data-testid="stMetricLabel"] *, [data-testid="stPageLink-NavLink"] * {
  white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; word-break: keep-all; overflow-wrap: normal;
}
/* A button's label and its shortcut hint share a line when they fit, else stack. */
[data-testid="stMain"] button > div { flex-wrap: wrap; justify-content: center; row-gap: 0; }
[data-testid="stMain"] button { padding-left: 0.5rem; padding-right: 0.5rem; }
/* A segmented control's options wrap onto a second line rather than run out of the column. */
[data-testid="stButtonGroup"] > div { flex-wrap: wrap; max-width: 100%; }
/* A row of metrics wraps: each metric keeps room for a number like -0.4936. */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
  flex-wrap: wrap; row-gap: 0.5rem;
}
[data-testid="stColumn"]:has([data-testid="stMetric"]) { min-width: 6rem; }
[data-testid="stMetricValue"] { font-size: 1.6rem; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; }
/* Code wraps inside its box rather than running out of it. */
[data-testid="stCode"] pre, [data-testid="stCode"] code { white-space: pre-wrap !important; }
/* Contrast: captions, help icons and shortcut hints darker than Streamlit's light grey. */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #5c606b !important;
}
[data-testid="stMain"] button kbd { color: inherit; opacity: 1; }
/* A visible focus ring on every button, link and input reached by Tab. */
button:focus-visible, a:focus-visible, [role="slider"]:focus-visible, input:focus-visible {
  outline: 3px solid #1c4fd6 !important; outline-offset: 2px;
}
/* Text for screen readers only (the charts' text alternatives). */
.sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
</style>
"""


def inject() -> None:
    """Add the shared styling to the page (once per run, from `page.setup`)."""
    st.html(CSS)
