"""A replay of a recorded run as Plotly frames: it plays in the browser, no server calls.

Three panels (data and fit, contour with the path, loss) share one Play button and one
slider. The loss is a still picture under the middle panel (a contour trace would vanish
in a redraw-free animation); frames only move scatter traces, which Plotly
tweens cheaply.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.contour import backdrop, plane_axes
from linreg.figures.frames import frame_steps, play_buttons, step_slider
from linreg.figures.style import CLASSIC, Style, trace

FRAMES = 150


def replay_figure(
    x_train,
    y_train,
    x_test,
    y_test,
    steps,
    params,
    train_loss,
    weights,
    biases,
    loss_grid,
    style: Style = CLASSIC,
    fps: int = 30,
    height: int = 420,
) -> dict:
    """The run's history as an animation of up to FRAMES frames."""
    x_train, y_train = np.ravel(x_train), np.ravel(y_train)
    x_all = np.concatenate([x_train, np.ravel(x_test)])
    y_all = np.concatenate([y_train, np.ravel(y_test)])
    xs = np.array([x_all.min(), x_all.max()])
    params, steps = np.asarray(params), np.asarray(steps)
    train_loss = np.asarray(train_loss, dtype=np.float64)
    pick = frame_steps(len(steps), FRAMES)
    back = backdrop(weights, biases, loss_grid, style=style)
    w0, b0 = params[0]

    def moving(i: int) -> list[dict]:
        w, b = params[i]
        return [
            trace("scatter", x=xs, y=w * xs + b),
            trace("scatter", x=params[: i + 1, 0], y=params[: i + 1, 1]),
            trace("scatter", x=[w], y=[b]),
            trace("scatter", x=[steps[i]], y=[train_loss[i]]),
        ]

    data = [
        trace(
            "scatter",
            x=x_train,
            y=y_train,
            mode="markers",
            name="Training data",
            marker=dict(color=style.train, size=5),
            xaxis="x",
            yaxis="y",
        ),
        trace(
            "scatter",
            x=np.ravel(x_test),
            y=np.ravel(y_test),
            mode="markers",
            name="Testing data",
            marker=dict(color=style.test, size=5),
            xaxis="x",
            yaxis="y",
        ),
        {**back["traces"][0], "xaxis": "x2", "yaxis": "y2"},  # the contour lines
        trace(
            "scatter",
            x=steps,
            y=train_loss,
            mode="lines",
            name="Train loss",
            line=dict(color=style.train, width=2),
            xaxis="x3",
            yaxis="y3",
        ),
        trace(
            "scatter",
            x=xs,
            y=w0 * xs + b0,
            mode="lines",
            name="Fitted line",
            line=dict(color=style.fit, width=style.line_width),
            xaxis="x",
            yaxis="y",
        ),
        trace(
            "scatter",
            x=[w0],
            y=[b0],
            mode="lines",
            name="Path",
            line=dict(color=style.path, width=style.line_width),
            xaxis="x2",
            yaxis="y2",
        ),
        trace(
            "scatter",
            x=[w0],
            y=[b0],
            mode="markers",
            name="Now",
            marker=dict(color=style.current, size=11),
            xaxis="x2",
            yaxis="y2",
        ),
        trace(
            "scatter",
            x=[steps[0]],
            y=[train_loss[0]],
            mode="markers",
            name="Step",
            marker=dict(color=style.current, size=11),
            xaxis="x3",
            yaxis="y3",
        ),
    ]
    moving_traces = [4, 5, 6, 7]
    frames = [dict(name=str(int(steps[i])), data=moving(i), traces=moving_traces) for i in pick]
    y_pad = 0.1 * (np.ptp(y_all) or 1.0)
    finite = train_loss[np.isfinite(train_loss)]
    weight_axis, bias_axis = plane_axes(weights, biases)
    layout = style.layout(
        height=height,
        showlegend=False,
        title=dict(text="Replay", x=0.5, y=0.98),
        margin=dict(l=50, r=20, t=40, b=90),
        xaxis=dict(domain=[0, 0.3], title=dict(text="x")),
        yaxis=dict(range=[y_all.min() - y_pad, y_all.max() + y_pad], title=dict(text="y")),
        xaxis2={**weight_axis, "domain": [0.36, 0.64]},
        yaxis2={**bias_axis, "anchor": "x2"},
        xaxis3=dict(
            domain=[0.72, 1.0], range=[0, max(float(steps[-1]), 1.0)], title=dict(text="step")
        ),
        yaxis3=dict(
            anchor="x3",
            range=[0, float(finite.max()) * 1.05 if finite.size else 1],
            title=dict(text="train loss"),
        ),
        images=[{**back["image"], "xref": "x2", "yref": "y2"}],
        updatemenus=[play_buttons(1000 / fps, y=-0.08)],
        sliders=[step_slider(frames, x=0.08, y=-0.08)],
    )
    return {"data": data, "layout": layout, "frames": frames}
