"""The recorded race as Plotly frames that play in the browser (no server calls).

Left, the contour with every racer's path growing; right, every loss curve (faint) with a
marker per racer. Only scatter traces move, so Plotly tweens them without a redraw. A
frame's path holds the frames' own steps plus the last RECENT steps in full, so a long
race stays light while the head of each path is exact.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.race import COLOURS, RACE_STYLE, path_trace, point_trace, race_backdrop
from linreg.figures.style import trace

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
    pick = np.unique(np.linspace(0, longest - 1, min(FRAMES, longest)).round().astype(int))
    data = [back["traces"][0]]
    for name in names:
        loss = np.asarray(losses[name], dtype=np.float64)
        data.append(
            trace(
                "scatter",
                x=np.arange(len(loss)),
                y=loss,
                mode="lines",
                name=labels[name],
                legendgroup=name,
                showlegend=False,
                line=dict(color=COLOURS[name], width=1.5),
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
    layout = s.layout(
        height=height,
        margin=dict(l=60, r=20, t=50, b=110),
        images=[{**back["image"], "xref": "x", "yref": "y"}],
        xaxis=dict(
            domain=[0, 0.48],
            range=[weights[0], weights[-1]],
            title=dict(text="weight"),
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            range=[biases[0], biases[-1]], title=dict(text="bias"), showgrid=False, zeroline=False
        ),
        xaxis2=dict(domain=[0.58, 1.0], range=[0, longest - 1], title=dict(text="step")),
        yaxis2=yaxis2,
        updatemenus=[_play_buttons(1000 / fps)],
        sliders=[_slider(frames)],
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return {"data": data, "layout": layout, "frames": frames}


def _play_buttons(duration: float) -> dict:
    animate = dict(transition=dict(duration=0), mode="immediate")
    play = dict(
        label="▶ Play",
        method="animate",
        args=[None, dict(frame=dict(duration=duration, redraw=False), fromcurrent=True, **animate)],
    )
    pause = dict(
        label="❚❚ Pause",
        method="animate",
        args=[[None], dict(frame=dict(duration=0, redraw=False), **animate)],
    )
    return dict(
        type="buttons",
        direction="left",
        x=0.0,
        y=-0.12,
        xanchor="right",
        yanchor="top",
        buttons=[play, pause],
        showactive=False,
    )


def _slider(frames: list[dict]) -> dict:
    go = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    return dict(
        active=0,
        y=-0.12,
        x=0.08,
        len=0.9,
        currentvalue=dict(prefix="step "),
        steps=[dict(label=f["name"], method="animate", args=[[f["name"]], go]) for f in frames],
    )
