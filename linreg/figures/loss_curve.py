"""Loss curve: train and test loss per step, with the step on show marked."""

from __future__ import annotations

import numpy as np

from linreg.figures.style import CLASSIC, Style, figure, trace


def loss_figure(
    steps,
    train_loss,
    test_loss,
    current: int,
    log_y: bool = False,
    stopped_at: int | None = None,
    style: Style = CLASSIC,
    height: int = 340,
) -> dict:
    """Both losses against the step; log_y for a log axis (positive losses only)."""
    steps = np.asarray(steps)
    train = np.asarray(train_loss, dtype=np.float64)
    test = np.asarray(test_loss, dtype=np.float64)
    traces = [
        trace(
            "scatter",
            x=steps,
            y=train,
            mode="lines",
            name="Train loss",
            line=dict(color=style.train, width=style.line_width),
        )
    ]
    if np.isfinite(test).any():
        traces.append(
            trace(
                "scatter",
                x=steps,
                y=test,
                mode="lines",
                name="Test loss",
                line=dict(color=style.test, width=style.line_width),
            )
        )
    i = int(np.clip(current, 0, len(steps) - 1))
    traces.append(
        trace(
            "scatter",
            x=[steps[i]],
            y=[train[i]],
            mode="markers",
            name=f"Step {steps[i]}",
            marker=dict(
                color=style.current,
                size=style.marker_size + 4,
                symbol="circle-open",
                line=dict(width=3),
            ),
        )
    )
    shapes = [vline(float(steps[i]), style.current, 1, "dot")]
    if stopped_at is not None:
        shapes.append(vline(float(stopped_at), style.minimum, 2, "dash"))
    values = np.concatenate([train, test])
    values = values[np.isfinite(values)]
    if log_y and (values > 0).any():
        yaxis = dict(type="log", title=dict(text="loss (log scale)"))
    else:
        top = float(values.max()) if values.size else 1.0
        yaxis = dict(title=dict(text="loss"), range=[0, top * 1.05 or 1.0])
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Loss", x=0.5, y=0.98),
            shapes=shapes,
            yaxis=yaxis,
            xaxis=dict(title=dict(text="step"), range=[0, max(float(steps[-1]), 1.0)]),
        ),
    )


def vline(x: float, color: str, width: float, dash: str) -> dict:
    """A vertical line across the whole plot at x."""
    return dict(
        type="line",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        yref="paper",
        line=dict(color=color, width=width, dash=dash),
    )
