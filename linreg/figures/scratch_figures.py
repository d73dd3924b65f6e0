"""The From scratch page's charts: a run on seed 002's loss contour, and the long run.

Seed 002's MSE(w) = 1/3 · ‖y - Xw‖² is a long narrow valley (the Hessian 2XᵀX/3 has
eigenvalues ≈ 60.5 and 0.18): gradient descent drops into the valley in a few dozen epochs,
then crawls along it towards [10, 20]. The contour shows log₁₀ MSE so both parts are visible.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import vline
from linreg.figures.style import CLASSIC, Style, figure, point, trace

X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
Y = X @ np.array([10.0, 20.0])
COLOURS = {"float64": "#1f4fd6", "float32": "#e0201b"}


def mse_grid(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """MSE on a grid: rows follow w2, columns w1."""
    a, b = np.meshgrid(w1, w2)
    pred = a[..., None] * X[:, 0] + b[..., None] * X[:, 1]
    return np.mean((Y - pred) ** 2, axis=-1)


def _frame(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = np.minimum(points.min(0), [10.0, 20.0])
    hi = np.maximum(points.max(0), [10.0, 20.0])
    pad = 0.12 * np.maximum(hi - lo, 2.0)
    return (
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], 90),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], 90),
    )


def path_figure(
    paths: dict[str, np.ndarray],
    current: np.ndarray | None = None,
    style: Style = CLASSIC,
    max_points: int = 400,
) -> dict:
    """Paths (name -> (steps, 2) array of w) on the log-MSE contour, thinned to
    `max_points` each; the current point and the truth [10, 20] marked."""
    every = np.concatenate([p for p in paths.values()] + [np.array([[10.0, 20.0]])])
    w1, w2 = _frame(every)
    z = np.log10(mse_grid(w1, w2) + 1e-12)
    traces = [
        trace(
            "contour",
            x=w1,
            y=w2,
            z=z,
            colorscale=style.colorscale,
            ncontours=24,
            showscale=True,
            colorbar=dict(title=dict(text="log₁₀ MSE"), thickness=12),
            hovertemplate="w₁ %{x:.3f}<br>w₂ %{y:.3f}<br>log₁₀ MSE %{z:.2f}<extra></extra>",
            uid="scratch-contour",
        )
    ]
    for name, path in paths.items():
        idx = np.unique(np.linspace(0, len(path) - 1, min(max_points, len(path))).astype(int))
        traces.append(
            trace(
                "scatter",
                x=path[idx, 0],
                y=path[idx, 1],
                mode="lines+markers",
                name=name,
                marker=dict(size=4),
                line=dict(color=COLOURS.get(name.split()[0], style.path), width=style.line_width),
            )
        )
    star = dict(
        symbol="star",
        size=style.marker_size + 8,
        color="#ffffff",
        line=dict(color="#111111", width=1.5),
    )
    traces.append(point((10.0, 20.0), "true w = [10, 20]", star))
    if current is not None:
        now = dict(size=style.marker_size + 5, color=style.current)
        traces.append(point(current, "step on show", now))
    layout = style.layout(
        xaxis=dict(title=dict(text="w₁"), range=[w1[0], w1[-1]]),
        yaxis=dict(title=dict(text="w₂"), range=[w2[0], w2[-1]]),
        height=420,
    )
    return figure(traces, layout)


def long_run_figure(
    steps: np.ndarray,
    runs: dict[str, np.ndarray],
    frozen_from: int | None = None,
    style: Style = CLASSIC,
) -> dict:
    """Left: w₁ and w₂ over the epochs (log x). Right: the distance ‖w - [10, 20]‖ on
    log-log axes, where float32's stall shows as a floor and float64 keeps falling."""
    x = np.maximum(np.asarray(steps, dtype=np.float64), 1.0)  # epoch 0 drawn at 1 (log axis)
    traces = []
    for name, w in runs.items():  # the last is drawn on top
        colour = COLOURS.get(name, style.path)
        for k, dash in ((0, "solid"), (1, "dot")):
            traces.append(
                trace(
                    "scatter",
                    x=x,
                    y=w[:, k],
                    mode="lines",
                    name=f"{name} w{'₁₂'[k]}",
                    line=dict(color=colour, width=style.line_width, dash=dash),
                    xaxis="x",
                    yaxis="y",
                )
            )
        gap = np.linalg.norm(w - np.array([10.0, 20.0]), axis=1)
        traces.append(
            trace(
                "scatter",
                x=x,
                # A list, not an array: the live chart rounds big arrays to ~6 significant
                # digits of their largest value, which would flatten 1e-7 to 0 on a log axis.
                y=np.maximum(gap, 1e-16).tolist(),
                mode="lines",
                name=f"{name} ‖w − w_true‖",
                line=dict(color=colour, width=style.line_width),
                xaxis="x2",
                yaxis="y2",
                showlegend=False,
            )
        )
    shapes = []
    if frozen_from is not None:
        shapes = [
            vline(frozen_from, COLOURS["float32"], 1.5, "dash", xref=x, yref=f"{y} domain")
            for x, y in (("x", "y"), ("x2", "y2"))
        ]
    layout = style.layout(
        height=400,
        xaxis=dict(domain=[0, 0.46], type="log", title=dict(text="epoch (log)")),
        yaxis=dict(title=dict(text="weights")),
        xaxis2=dict(domain=[0.56, 1], type="log", title=dict(text="epoch (log)"), anchor="y2"),
        yaxis2=dict(
            type="log", anchor="x2", title=dict(text="‖w − [10, 20]‖ (log)"), exponentformat="power"
        ),
        shapes=shapes,
    )
    return figure(traces, layout)
