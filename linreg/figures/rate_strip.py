"""The loss against the step with, in a strip underneath on the same step axis, the
learning rate each step used: a schedule's drops, decay and warm-up line up with what they
do to the loss."""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import loss_axis, loss_bounds, step_axis, step_line, step_marker
from linreg.figures.style import CLASSIC, Style, figure, trace


def rate_strip_figure(
    steps,
    train_loss,
    test_loss,
    rates,
    current: int,
    log_y: bool = True,
    schedule_label: str = "",
    style: Style = CLASSIC,
    height: int = 440,
) -> dict:
    """Upper panel: train and test loss. Lower panel: `rates[t]`, the rate of the step that
    led to row t (NaN at row 0), drawn as steps. The step on show is marked on both."""
    steps = np.asarray(steps)
    train = np.asarray(train_loss, dtype=np.float64)
    test = np.asarray(test_loss, dtype=np.float64)
    rates = np.asarray(rates, dtype=np.float64)
    i = int(np.clip(current, 0, len(steps) - 1))
    log, low, top = loss_bounds(np.concatenate([train, test]), log_y)
    width = style.line_width
    traces = [
        trace(
            "scatter",
            x=steps,
            y=train,
            mode="lines",
            name="Train loss",
            line=dict(color=style.train, width=width),
        ),
        trace(
            "scatter",
            x=steps,
            y=test,
            mode="lines",
            name="Test loss",
            line=dict(color=style.test, width=width),
        ),
        step_line(steps[i], low, top, style.current),
        step_marker(steps[i], train[i], style),
        trace(
            "scatter",
            x=steps,
            y=rates,
            mode="lines",
            name="Learning rate",
            line=dict(color=style.step, width=width, shape="hv"),
            yaxis="y2",
            hovertemplate="step %{x}<br>rate %{y:.4g}<extra></extra>",
        ),
    ]
    finite = rates[np.isfinite(rates)]
    rate_top = float(finite.max()) * 1.1 if finite.size and finite.max() > 0 else 1.0
    if np.isfinite(rates[i]):
        ring = dict(
            color=style.current,
            size=style.marker_size + 2,
            symbol="circle-open",
            line=dict(width=2),
        )
        traces.append(
            trace(
                "scatter",
                x=[steps[i]],
                y=[rates[i]],
                mode="markers",
                yaxis="y2",
                name=f"Rate at step {steps[i]}: {rates[i]:.3g}",
                marker=ring,
            )
        )
    x_axis = step_axis(steps[-1])
    title = "Loss and learning rate" + (f" ({schedule_label})" if schedule_label else "")
    upper = loss_axis(log, low, top, "loss")
    upper["domain"] = [0.34, 1.0]
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text=title, x=0.5, y=0.98),
            xaxis={**x_axis, "anchor": "y2"},
            yaxis=upper,
            yaxis2=dict(
                domain=[0.0, 0.24],
                anchor="x",
                range=[0, rate_top],
                nticks=3,
                title=dict(text="rate"),
            ),
        ),
    )
