"""A replay of a recorded many-feature run as Plotly frames, played by the browser: the
predicted-vs-actual points move towards the diagonal while a marker runs down the loss
curve. Frames move scatter traces only, so Plotly animates them without a redraw."""

from __future__ import annotations

import numpy as np

from linreg.figures.frames import frame_steps, play_buttons, step_slider
from linreg.figures.loss_curve import decades
from linreg.figures.parity import diagonal, target_points
from linreg.figures.style import CLASSIC, Style, figure, trace

FRAMES = 120  # at most this many recorded steps become frames


def replay_steps(n_steps: int, frames: int = FRAMES) -> np.ndarray:
    """The recorded steps that become frames: evenly spread, first and last included."""
    return frame_steps(n_steps, frames)


def features_replay_figure(
    steps: np.ndarray,
    actual: np.ndarray,
    predicted: np.ndarray,
    loss: np.ndarray,
    target_names,
    axis_range: list[float],
    style: Style = CLASSIC,
    fps: int = 20,
    height: int = 440,
) -> dict:
    """`predicted` (m, n, k) and `loss` (m,) at each of the m `steps` being replayed."""

    def points(i: int) -> list[dict]:
        return target_points(actual, predicted[i], target_names, axis_range, style) + [
            trace(
                "scatter",
                x=[steps[i]],
                y=[loss[i]],
                mode="markers",
                name="step",
                xaxis="x2",
                yaxis="y2",
                showlegend=False,
                marker=dict(color=style.current, size=style.marker_size + 4),
            )
        ]

    still = [
        diagonal(axis_range, style),
        trace(
            "scatter",
            x=steps,
            y=loss,
            mode="lines",
            name="train MSE",
            xaxis="x2",
            yaxis="y2",
            line=dict(color=style.train, width=style.line_width),
        ),
    ]
    k = len(target_names)
    moving = list(range(2, 2 + k + 1))
    frames = [
        dict(name=str(int(steps[i])), data=points(i), traces=moving) for i in range(len(steps))
    ]
    positive = loss[np.isfinite(loss) & (loss > 0)]
    log_range = decades(positive.min(), positive.max()) if positive.size else [0.0, 1.0]
    layout = style.layout(
        height=height,
        title=dict(text=""),  # the toggle above names it; the modebar sits up there
        margin=dict(l=60, r=20, t=40, b=110),
        xaxis=dict(domain=[0, 0.5], range=axis_range, title=dict(text="actual")),
        yaxis=dict(range=axis_range, title=dict(text="predicted")),
        xaxis2=dict(
            domain=[0.6, 1], range=[0, max(float(steps[-1]), 1.0)], title=dict(text="step")
        ),
        yaxis2=dict(anchor="x2", type="log", range=log_range, title=dict(text="train MSE (log)")),
        legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom"),
        updatemenus=[play_buttons(1000 / fps, y=-0.1)],
        sliders=[step_slider(frames, x=0.1, y=-0.1)],
    )
    return {**figure(still + points(0), layout), "frames": frames}
