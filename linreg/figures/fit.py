"""Data and fit: train and test points, predictions on the test set, the line being fitted."""

from __future__ import annotations

import numpy as np

from linreg.figures.style import CLASSIC, Style, figure, trace


def fit_figure(
    x_train,
    y_train,
    x_test,
    y_test,
    weight: float,
    bias: float,
    truth: tuple[float, float] | None = None,
    residuals: bool = False,
    style: Style = CLASSIC,
    height: int = 380,
    x_title: str = "x",
    y_title: str = "y",
) -> dict:
    """Seed 000's scatter plot, with the current line y = weight·x + bias.

    The y axis frames the data and the line, in steps of a quarter of the data's span (so
    it moves rarely); a line more than three spans away leaves the frame, and an arrow at
    the edge says where it went."""
    x_train, y_train = np.ravel(x_train), np.ravel(y_train)
    x_test, y_test = np.ravel(x_test), np.ravel(y_test)
    x_all = np.concatenate([x_train, x_test])
    y_all = np.concatenate([y_train, y_test])
    lo, hi = float(x_all.min()), float(x_all.max())
    pad = 0.04 * (hi - lo or 1.0)
    xs = np.array([lo - pad, hi + pad])
    s = style.marker_size
    traces = [
        trace(
            "scatter",
            x=x_train,
            y=y_train,
            mode="markers",
            name="Training data",
            marker=dict(color=style.train, size=s),
        ),
        trace(
            "scatter",
            x=x_test,
            y=y_test,
            mode="markers",
            name="Testing data",
            marker=dict(color=style.test, size=s),
        ),
        trace(
            "scatter",
            x=x_test,
            y=weight * x_test + bias,
            mode="markers",
            name="Predictions",
            marker=dict(color=style.prediction, size=s, symbol="diamond"),
        ),
        trace(
            "scatter",
            x=xs,
            y=weight * xs + bias,
            mode="lines",
            name="Fitted line",
            line=dict(color=style.fit, width=style.line_width),
        ),
    ]
    if truth is not None:
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=truth[0] * xs + truth[1],
                mode="lines",
                name="True line",
                line=dict(color=style.truth, width=style.line_width * 0.7, dash="dash"),
            )
        )
    if residuals:
        pred = weight * x_all + bias
        seg_x = np.column_stack([x_all, x_all, np.full_like(x_all, np.nan)]).ravel()
        seg_y = np.column_stack([y_all, pred, np.full_like(x_all, np.nan)]).ravel()
        traces.append(
            trace(
                "scatter",
                x=seg_x,
                y=seg_y,
                mode="lines",
                name="Residuals",
                line=dict(color="rgba(120,120,120,0.6)", width=1),
            )
        )
    (y_lo, y_hi), notes = frame_line(y_all, weight * xs + bias, style)
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Data and fit", x=0.5, y=0.98),
            xaxis=dict(title=dict(text=x_title), range=[lo - pad, hi + pad]),
            yaxis=dict(title=dict(text=y_title), range=[y_lo, y_hi]),
            annotations=notes,
        ),
    )


def frame_line(y_data, y_line, style: Style = CLASSIC) -> tuple[tuple[float, float], list]:
    """The y range that holds the data and the line's ends (within three data spans of the
    data), on a grid of quarter spans; and an edge arrow if the line is off it."""
    lo, hi = float(np.min(y_data)), float(np.max(y_data))
    span = hi - lo or 1.0
    unit = span / 4
    ends = np.asarray(y_line, dtype=np.float64)
    finite = ends[np.isfinite(ends)]
    want_lo = min(lo - 0.12 * span, *(finite.tolist() or [lo]))
    want_hi = max(hi + 0.12 * span, *(finite.tolist() or [hi]))
    want_lo, want_hi = max(want_lo, lo - 3 * span), min(want_hi, hi + 3 * span)
    y_lo, y_hi = np.floor(want_lo / unit) * unit, np.ceil(want_hi / unit) * unit
    notes = []
    if not finite.size or finite.min() > y_hi or finite.max() < y_lo:
        above = bool(finite.size) and finite.min() > y_hi
        notes.append(
            dict(
                x=0.5,
                y=1.0 if above else 0.0,
                xref="paper",
                yref="paper",
                text=(
                    "▲ the fitted line is above the chart"
                    if above
                    else "▼ the fitted line is below the chart"
                ),
                showarrow=False,
                yanchor="top" if above else "bottom",
                font=dict(color=style.fit, size=style.font_size),
                bgcolor="rgba(255,255,255,0.85)",
            )
        )
    return (float(y_lo), float(y_hi)), notes
