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
) -> dict:
    """Seed 000's scatter plot, with the current line y = weight·x + bias."""
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
    y_lo, y_hi = float(y_all.min()), float(y_all.max())
    y_pad = 0.12 * (y_hi - y_lo or 1.0)
    # The y axis frames the data, not the line: a diverging line leaves the chart.
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Data and fit", x=0.5, y=0.98),
            xaxis=dict(title=dict(text="x"), range=[lo - pad, hi + pad]),
            yaxis=dict(title=dict(text="y"), range=[y_lo - y_pad, y_hi + y_pad]),
        ),
    )
