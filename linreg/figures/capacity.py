"""Capacity and regularisation: the fitted curve over the data and the coefficients as bars
(the validation curve is `figures.validation`, the path `figures.reg_path`, the penalised
slice `figures.penalty_slice`, the learning rate under the loss `figures.rate_strip`).

Each view frames what it must show and no more: the curve view frames the data (an
overfitting degree-12 curve may leave the chart between points, which is the point), and
the bars keep one range for a whole run so that a bar's length means the same at each step.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.style import CLASSIC, Style, figure, trace

# Twelve distinct colours for the powers x … x¹² (Okabe-Ito first, then darker companions).
POWER_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#7F3C8D",
    "#3B6E3B",
    "#A0522D",
    "#1F3A93",
    "#B22222",
    "#6B6B6B",
)


def power_colour(j: int) -> str:
    """The colour of coefficient j (0-based: x is 0)."""
    return POWER_COLOURS[j % len(POWER_COLOURS)]


def curve_figure(
    x_train,
    y_train,
    x_test,
    y_test,
    grid,
    fitted,
    truth=None,
    truth_label: str = "True curve",
    fitted_label: str = "Fitted curve",
    style: Style = CLASSIC,
    height: int = 380,
) -> dict:
    """Train and test points, the fitted curve over `grid`, and the true curve if given."""
    x_train, y_train = np.ravel(x_train), np.ravel(y_train)
    x_test, y_test = np.ravel(x_test), np.ravel(y_test)
    grid, fitted = np.ravel(grid), np.ravel(fitted)
    s, width = style.marker_size, style.line_width
    traces = [
        trace(
            "scatter",
            x=x_train,
            y=y_train,
            mode="markers",
            name="Training data",
            marker=dict(color=style.train, size=s),
        ),
        trace(
            "scatter",
            x=x_test,
            y=y_test,
            mode="markers",
            name="Testing data",
            marker=dict(color=style.test, size=s, symbol="diamond"),
        ),
    ]
    if truth is not None:
        traces.append(
            trace(
                "scatter",
                x=grid,
                y=np.ravel(truth),
                mode="lines",
                name=truth_label,
                line=dict(color=style.truth, width=width * 0.7, dash="dash"),
            )
        )
    traces.append(
        trace(
            "scatter",
            x=grid,
            y=fitted,
            mode="lines",
            name=fitted_label,
            line=dict(color=style.fit, width=width),
        )
    )
    y_all = np.concatenate([y_train, y_test, [] if truth is None else np.ravel(truth)])
    lo, hi = float(y_all.min()), float(y_all.max())
    pad = 0.25 * (hi - lo or 1.0)
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Data and fitted curve", x=0.5, y=0.98),
            xaxis=dict(title=dict(text="x"), range=[float(grid[0]), float(grid[-1])]),
            yaxis=dict(title=dict(text="y"), range=[lo - pad, hi + pad]),
        ),
    )


def bar_range(values, floor: float = 1e-3) -> list[float]:
    """A symmetric range ±m holding every finite value (m ≥ floor), padded 10 %: fix it once
    per run (from all its steps) so that bars keep their scale."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    m = float(np.abs(values).max()) if values.size else 1.0
    m = max(m, floor) * 1.1
    return [-m, m]


def coefficients_figure(
    names,
    weights,
    reference=None,
    reference_label: str = "Minimum",
    y_range=None,
    style: Style = CLASSIC,
    height: int = 340,
) -> dict:
    """One bar per weight (the bias is not penalised and not drawn); a weight that is
    exactly 0 gets a black ring and a "0" on the axis; `reference` (the exact minimum,
    say) shows as hollow diamonds."""
    names = [str(n) for n in names]
    weights = np.asarray(weights, dtype=np.float64)
    zero = weights == 0.0
    colours = [power_colour(j) for j in range(len(names))]
    traces = [
        trace(
            "bar",
            x=names,
            y=weights,
            name="Coefficient",
            marker=dict(color=colours),
            customdata=np.where(zero, "exactly 0", "").tolist(),
            hovertemplate="%{x}: %{y:.4g} %{customdata}<extra></extra>",
            showlegend=False,
        ),
        trace(
            "scatter",
            x=[n for n, z in zip(names, zero, strict=True) if z],
            y=np.zeros(int(zero.sum())),
            mode="markers+text",
            name=f"Exactly 0 ({int(zero.sum())} of {len(names)})",
            text=["0"] * int(zero.sum()),
            textposition="top center",
            textfont=dict(color=style.current, size=style.font_size),
            marker=dict(
                symbol="circle-open",
                size=style.marker_size + 7,
                color=style.current,
                line=dict(width=2.5),
            ),
            hoverinfo="skip",
        ),
    ]
    if reference is not None:
        diamond = dict(
            symbol="diamond-open",
            size=style.marker_size + 5,
            color=style.minimum,
            line=dict(width=2),
        )
        traces.append(
            trace(
                "scatter",
                x=names,
                y=np.asarray(reference, dtype=np.float64),
                mode="markers",
                name=reference_label,
                marker=diamond,
                hovertemplate="%{x}: %{y:.4g}<extra>" + reference_label + "</extra>",
            )
        )
    both = weights if reference is None else np.concatenate([weights, np.ravel(reference)])
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text="Coefficients (standardised features)", x=0.5, y=0.98),
            xaxis=dict(title=dict(text="feature"), type="category"),
            yaxis=dict(
                title=dict(text="weight"),
                range=y_range or bar_range(both),
                zeroline=True,
                zerolinewidth=2,
            ),
            bargap=0.25,
        ),
    )
