"""Colours, line widths and fonts, in two looks: the seed's and a projector's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import plotly.io as pio


@cache
def template(name: str) -> dict:
    """A named Plotly template's layout part, spelled out (plotly.js knows no names)."""
    return {"layout": pio.templates[name].layout.to_plotly_json()}


def trace(kind: str, **attrs) -> dict:
    """A Plotly trace as a plain dict (building dicts skips plotly's slow validation)."""
    return dict(type=kind, **attrs)


def point(at, name: str, marker: dict, mode: str = "markers", **attrs) -> dict:
    """A single marker at `at` = (x, y)."""
    return trace("scatter", x=[at[0]], y=[at[1]], mode=mode, name=name, marker=marker, **attrs)


def figure(traces: list[dict], layout: dict) -> dict:
    """A Plotly figure spec: {"data": [...], "layout": {...}}."""
    return {"data": traces, "layout": layout}


@dataclass(frozen=True)
class Style:
    """One look for every view."""

    train: str = "#1f4fd6"  # seed 000 plots training data in blue ('b'),
    test: str = "#2a9d3a"  # testing data in green ('g')
    prediction: str = "#e0201b"  # and predictions in red ('r')
    fit: str = "#e0201b"
    truth: str = "#555555"
    path: str = "#ff8c00"
    current: str = "#111111"
    gradient: str = "#7b2cbf"
    step: str = "#ff8c00"
    minimum: str = "#d62728"
    change: str = "#6a3d9a"  # a mid-run settings change on the loss curve
    colorscale: str = "Viridis"
    font_size: int = 13
    line_width: float = 2.5
    marker_size: int = 7
    template: str = "plotly_white"

    def layout(self, **extra) -> dict:
        """Layout settings shared by every 2-D view."""
        base = dict(
            template=template(self.template),
            font=dict(size=self.font_size),
            margin=dict(l=60, r=20, t=36, b=40),
            legend=dict(
                orientation="h",
                yanchor="top",
                y=-0.15 - 0.006 * self.font_size,  # below the x title, however large the type
                x=0,
                font=dict(size=self.font_size - 1),
            ),
            uirevision="keep",
        )
        base.update(extra)
        return base


# Okabe-Ito colours stay distinct for the common colour-vision deficiencies, and thick
# lines and large type read from the back of a lecture hall.
PROJECTOR = Style(
    train="#0072B2",
    test="#009E73",
    prediction="#D55E00",
    fit="#D55E00",
    truth="#444444",
    path="#E69F00",
    current="#000000",
    gradient="#CC79A7",
    step="#E69F00",
    minimum="#D55E00",
    colorscale="Cividis",
    font_size=20,
    line_width=5,
    marker_size=11,
)

CLASSIC = Style()
STYLES = {"classic": CLASSIC, "projector": PROJECTOR}
