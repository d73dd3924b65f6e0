"""A replay of a recorded many-feature run as Plotly frames, played by the browser: the
predicted-vs-actual points move towards the diagonal while a marker runs down the loss
curve. Frames move scatter traces only, so Plotly animates them without a redraw."""

from __future__ import annotations

import numpy as np

from linreg.figures.parity import COLORS, PROJECTOR_COLORS
from linreg.figures.style import CLASSIC, Style, figure, trace

FRAMES = 120  # at most this many recorded steps become frames


def replay_steps(n_steps: int, frames: int = FRAMES) -> np.ndarray:
    """The recorded steps that become frames: evenly spread, first and last included."""
    return np.unique(np.linspace(0, n_steps - 1, min(n_steps, frames)).astype(int))


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
    colors = PROJECTOR_COLORS if style.font_size > 16 else COLORS
    lo, hi = axis_range

    def points(i: int) -> list[dict]:
        return [
            trace(
                "scatter",
                x=actual[:, j],
                y=np.clip(predicted[i][:, j], lo - (hi - lo), hi + (hi - lo)),
                mode="markers",
                name=str(name),
                marker=dict(color=colors[j % len(colors)], size=style.marker_size + 3),
            )
            for j, name in enumerate(target_names)
        ] + [
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
        trace(
            "scatter",
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            name="perfect",
            hoverinfo="skip",
            line=dict(color=style.truth, width=1, dash="dash"),
        ),
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
    still_frame = dict(
        frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0)
    )
    play = dict(
        label="▶ Play",
        method="animate",
        args=[
            None,
            dict(
                frame=dict(duration=1000 / fps, redraw=False),
                fromcurrent=True,
                transition=dict(duration=0),
                mode="immediate",
            ),
        ],
    )
    pause = dict(label="❚❚ Pause", method="animate", args=[[None], still_frame])
    slider = dict(
        active=0,
        y=-0.1,
        x=0.1,
        len=0.9,
        currentvalue=dict(prefix="step "),
        steps=[
            dict(label=f["name"], method="animate", args=[[f["name"]], still_frame]) for f in frames
        ],
    )
    positive = loss[np.isfinite(loss) & (loss > 0)]
    low = np.floor(np.log10(positive.min())) if positive.size else 0.0
    high = max(np.ceil(np.log10(positive.max())), low + 1) if positive.size else 1.0
    layout = style.layout(
        height=height,
        title=dict(text=""),  # the toggle above names it; the modebar sits up there
        margin=dict(l=60, r=20, t=40, b=110),
        xaxis=dict(domain=[0, 0.5], range=axis_range, title=dict(text="actual")),
        yaxis=dict(range=axis_range, title=dict(text="predicted")),
        xaxis2=dict(
            domain=[0.6, 1], range=[0, max(float(steps[-1]), 1.0)], title=dict(text="step")
        ),
        yaxis2=dict(anchor="x2", type="log", range=[low, high], title=dict(text="train MSE (log)")),
        legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom"),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0.0,
                y=-0.1,
                xanchor="right",
                yanchor="top",
                buttons=[play, pause],
                showactive=False,
            )
        ],
        sliders=[slider],
    )
    return {**figure(still + points(0), layout), "frames": frames}
