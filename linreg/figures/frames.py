"""Plotly frames that the browser plays by itself: which recorded steps become frames, and
the Play/Pause buttons and the step slider that drive them.

Every call animates with `redraw=False`, so a frame may only move scatter traces (Plotly
tweens those cheaply); whatever else a replay shows is drawn once, under them.
"""

from __future__ import annotations

import numpy as np

# A jump to a frame: shown at once, no tween, without waiting for the frame before.
STILL = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))


def frame_steps(n_steps: int, most: int) -> np.ndarray:
    """Up to `most` of the indices 0..n_steps-1, evenly spread, the first and last included."""
    return np.unique(np.linspace(0, n_steps - 1, min(most, n_steps)).round().astype(int))


def play_buttons(duration: float, y: float) -> dict:
    """▶ Play (one frame every `duration` ms, from the frame on show) and ❚❚ Pause, placed
    left of a slider whose top is at `y` (paper units).

    Plotly's own player waits `duration` after drawing each frame, so it plays slower than
    asked (33 ms frames at about 20 fps). Where the app shows a figure (the live chart and the
    exported page), linreg/ui/web/player.js takes the Play button over and keeps time: one
    frame every `duration` ms. Elsewhere the button still plays, at Plotly's pace."""
    play = dict(
        label="▶ Play",
        method="animate",
        args=[None, {**STILL, "frame": dict(duration=duration, redraw=False), "fromcurrent": True}],
    )
    pause = dict(label="❚❚ Pause", method="animate", args=[[None], STILL])
    return dict(
        type="buttons",
        direction="left",
        x=0.0,
        y=y,
        xanchor="right",
        yanchor="top",
        buttons=[play, pause],
        showactive=False,
    )


def step_slider(frames: list[dict], x: float, y: float) -> dict:
    """A slider with one stop per frame, labelled "step <frame name>"."""
    return dict(
        active=0,
        y=y,
        x=x,
        len=0.9,
        currentvalue=dict(prefix="step "),
        steps=[dict(label=f["name"], method="animate", args=[[f["name"]], STILL]) for f in frames],
    )
