"""The regularisation path: each coefficient where its run ended, against λ (log axis).

One line per power of x, in the colours of the coefficient bars. Large λ squeezes them all
towards 0: ridge smoothly, the lasso one by one onto exactly 0. The λ on show is a dashed
line; `exact` (the exact minima, `regpath.exact_path`) draws thin dotted companions, so a
run that had not settled in its step budget shows as a gap between the two. The runs set
the vertical range; an exact minimum beyond it is one the runs did not reach.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.capacity import bar_range, power_colour
from linreg.figures.loss_curve import vline
from linreg.figures.style import CLASSIC, Style, figure, trace


def path_figure(
    strengths,
    weights,
    names,
    current: float,
    exact=None,
    steps: int | None = None,
    style: Style = CLASSIC,
    height: int = 400,
) -> dict:
    """`weights` (R, D): the weights (no bias) at the end of each λ's run; `exact` the same
    shape at the exact minima."""
    strengths = np.asarray(strengths, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    traces = []
    for j, name in enumerate(names):
        colour = power_colour(j)
        traces.append(
            trace(
                "scatter",
                x=strengths,
                y=weights[:, j],
                mode="lines",
                name=str(name),
                legendgroup=str(name),
                line=dict(color=colour, width=style.line_width * 0.8),
                hovertemplate=f"{name}: %{{y:.4g}}<br>λ %{{x:.3g}}<extra></extra>",
            )
        )
        if exact is not None:
            traces.append(
                trace(
                    "scatter",
                    x=strengths,
                    y=np.asarray(exact, dtype=np.float64)[:, j],
                    mode="lines",
                    name=f"{name} (exact)",
                    legendgroup=str(name),
                    showlegend=False,
                    line=dict(color=colour, width=1.2, dash="dot"),
                    hovertemplate=f"{name} exact: %{{y:.4g}}<extra></extra>",
                )
            )
    budget = f" after {steps} steps" if steps else ""
    notes = [
        dict(
            x=np.log10(current),
            xref="x",
            y=1.0,
            yref="paper",
            text=f"λ = {current:.3g}",
            showarrow=False,
            xanchor="left",
            yanchor="top",  # inside the plot, clear of the title
            xshift=4,
            bgcolor="rgba(255,255,255,0.8)",
        )
    ]
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(text=f"Regularisation path: coefficients{budget} against λ", x=0.5, y=0.98),
            shapes=[vline(float(current), style.current, 2, "dash")],
            annotations=notes,
            xaxis=dict(
                type="log",
                title=dict(text="λ (penalty strength)"),
                range=[np.log10(strengths.min()), np.log10(strengths.max())],
                dtick=1,
                exponentformat="power",
            ),
            # The runs set the range: an exact minimum far off the chart is one the run
            # had not reached.
            yaxis=dict(title=dict(text="weight"), range=bar_range(weights), zeroline=True),
            margin=dict(l=60, r=20, t=44, b=40),
        ),
    )
