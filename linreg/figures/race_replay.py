"""The recorded race as Plotly frames that play in the browser (no server calls).

Left, the contour with every racer's path growing; right, every loss curve (faint) with a
marker per racer. Only scatter traces move, so Plotly tweens them without a redraw. A
frame's path holds the frames' own steps plus the last RECENT steps in full, so a long
race stays light while the head of each path is exact.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.contour import plane_axes
from linreg.figures.frames import frame_steps, play_buttons, step_slider
from linreg.figures.race import RACE_STYLE, loss_trace, path_trace, point_trace, race_backdrop

FRAMES = 150
RECENT = 40  # steps before each frame's that its paths draw in full


def race_replay(
    weights,
    biases,
    loss_grid,
    paths: dict[str, np.ndarray],
    losses: dict[str, np.ndarray],
    labels: dict[str, str],
    log_y: bool = True,
    fps: int = 30,
    height: int = 480,
) -> dict:
    """The recorded race as up to FRAMES frames: the contour with every path growing (left)
    and the loss curves with a marker per racer (right), one Play button, one slider."""
    s = RACE_STYLE
    back = race_backdrop(weights, biases, loss_grid, "loss")
    names = list(paths)
    longest = max(len(p) for p in paths.values())
    pick = frame_steps(longest, FRAMES)
    data = [back["traces"][0]]
    for name in names:
        loss = np.asarray(losses[name], dtype=np.float64)
        data.append(
            loss_trace(
                name,
                labels[name],
                loss,
                1.5,
                showlegend=False,
                opacity=0.45,
                xaxis="x2",
                yaxis="y2",
            )
        )
    fixed = len(data)

    def moving(t: int) -> list[dict]:
        out = []
        for name in names:
            p, loss = np.asarray(paths[name]), np.asarray(losses[name])
            i = min(t, len(p) - 1)
            # The frames' steps, then the last RECENT steps in full: light, exact near the head.
            rows = np.union1d(pick[pick <= i], np.arange(max(0, i - RECENT), i + 1))
            out.append(path_trace(name, labels[name], p[rows], s.line_width))
            out.append({**point_trace(name, labels[name], *p[i], s.marker_size + 6)})
            out.append({**point_trace(name, labels[name], i, loss[i], s.marker_size + 4)})
            out[-1].update(xaxis="x2", yaxis="y2")
        return out

    data += moving(0)
    indices = list(range(fixed, len(data)))
    frames = [dict(name=str(int(t)), data=moving(int(t)), traces=indices) for t in pick]
    finite = np.concatenate([np.asarray(v)[np.isfinite(v)] for v in losses.values()])
    log = log_y and bool((finite > 0).any())
    yaxis2 = dict(anchor="x2", title=dict(text="train loss"))
    if log:
        lo, hi = np.log10(finite[finite > 0].min()), np.log10(finite.max())
        yaxis2.update(type="log", range=[lo - 0.1, hi + 0.1], dtick=1 if hi - lo > 2 else "D2")
    else:
        yaxis2.update(range=[0, float(finite.max()) * 1.05 if finite.size else 1])
    weight_axis, bias_axis = plane_axes(weights, biases)
    layout = s.layout(
        height=height,
        margin=dict(l=60, r=20, t=50, b=110),
        images=[{**back["image"], "xref": "x", "yref": "y"}],
        xaxis={**weight_axis, "domain": [0, 0.48]},
        yaxis=bias_axis,
        xaxis2=dict(domain=[0.58, 1.0], range=[0, longest - 1], title=dict(text="step")),
        yaxis2=yaxis2,
        updatemenus=[play_buttons(1000 / fps, y=-0.12)],
        sliders=[step_slider(frames, x=0.08, y=-0.12)],
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return {"data": data, "layout": layout, "frames": frames}
