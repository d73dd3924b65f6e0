"""The weight matrix and bias as a heatmap: one row per target, one column per feature and
one for the bias, above the least-squares optimum on the same colour scale."""

from __future__ import annotations

import numpy as np

from linreg.figures.style import CLASSIC, Style, figure, trace


def _cells(weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return np.hstack([np.atleast_2d(weight), np.asarray(bias).reshape(-1, 1)])


def weights_figure(
    weight: np.ndarray,
    bias: np.ndarray,
    best_weight: np.ndarray,
    best_bias: np.ndarray,
    feature_names,
    target_names,
    scale: float,
    style: Style = CLASSIC,
    height: int = 340,
    units: str = "",
) -> dict:
    """Two heatmaps, "now" above "optimum"; `scale` fixes the colour range ±scale so that
    colours mean the same at every step."""
    columns = [*feature_names, "bias"]
    rows = list(target_names)
    scale = float(scale) if np.isfinite(scale) and scale > 0 else 1.0
    traces = []
    for i, (cells, name) in enumerate(
        [(_cells(weight, bias), "now"), (_cells(best_weight, best_bias), "optimum")]
    ):
        traces.append(
            trace(
                "heatmap",
                z=cells,
                x=columns,
                y=rows,
                xaxis="x",
                yaxis="y" if i == 0 else "y2",
                zmin=-scale,
                zmax=scale,
                colorscale="RdBu",
                reversescale=True,
                text=np.vectorize(lambda v: f"{v:.3g}")(cells),
                texttemplate="%{text}",
                textfont=dict(size=min(style.font_size, 16)),
                hovertemplate="%{y} ← %{x}: %{z:.5g}<extra>" + name + "</extra>",
                showscale=i == 1,
                name=name,
                colorbar=dict(thickness=12, len=0.9),
            )
        )
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Weights and bias" + (f" ({units})" if units else ""), x=0.5, y=0.98),
            xaxis=dict(side="bottom"),
            yaxis=dict(domain=[0.56, 1], autorange="reversed", title=dict(text="now")),
            yaxis2=dict(domain=[0, 0.44], autorange="reversed", title=dict(text="optimum")),
            margin=dict(l=90, r=20, t=40, b=40),
        ),
    )
