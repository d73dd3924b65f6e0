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
    values = np.concatenate([train, test])
    values = values[np.isfinite(values)]
    log = log_y and bool((values > 0).any())
    low = float(values[values > 0].min()) if log else 0.0
    top = nice_ceiling(float(values.max()) if values.size else 1.0)
    # The step marker is a trace and the axes move in nice jumps, so that most updates
    # change only trace data: the browser can then move the traces without a redraw.
    traces.append(
        trace(
            "scatter",
            x=[steps[i], steps[i]],
            y=[low, top],
            mode="lines",
            name="Step shown",
            showlegend=False,
            hoverinfo="skip",
            line=dict(color=style.current, width=1, dash="dot"),
        )
    )
    traces.append(
        trace(
            "scatter",
            x=[steps[i]],
            y=[train[i]],
            mode="markers",
            name="Step shown",
            marker=dict(
                color=style.current,
                size=style.marker_size + 4,
                symbol="circle-open",
                line=dict(width=3),
            ),
        )
    )
    shapes = [] if stopped_at is None else [vline(float(stopped_at), style.minimum, 2, "dash")]
    if log:
        # Whole decades: the range changes rarely, and it is explicit, because a redraw-free
        # update in the browser never recomputes an autorange.
        decades = [float(np.floor(np.log10(low))), float(np.ceil(np.log10(top)))]
        decades[1] = max(decades[1], decades[0] + 1)
        yaxis = dict(type="log", title=dict(text="loss (log scale)"), range=decades)
    else:
        yaxis = dict(title=dict(text="loss"), range=[0, top])
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Loss", x=0.5, y=0.98),
            shapes=shapes,
            yaxis=yaxis,
            xaxis=dict(title=dict(text="step"), range=[0, nice_ceiling(max(float(steps[-1]), 10))]),
        ),
    )


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least value (and positive)."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= value * (1 - 1e-12):
            return float(m * power)
    return float(10 * power)


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
