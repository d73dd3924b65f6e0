"""The learning-rate sweep: final loss and steps to converge against the learning rate.

Both axes are logarithmic. A rate whose run diverged has no final loss: it is drawn as a
red cross along the top of the upper panel. The critical rate 2/λmax, above which plain
gradient descent on MSE diverges, is a vertical line across both panels.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import vline
from linreg.figures.style import CLASSIC, Style, figure, trace


def sweep_figure(
    rates,
    final_loss,
    diverged_at,
    converged_at,
    critical: float | None,
    label: str,
    steps: int,
    style: Style = CLASSIC,
    height: int = 560,
) -> dict:
    """Upper panel: final train loss per rate (crosses at the top for diverged rates).
    Lower panel: the step at which each rate's run converged (hollow at the step budget
    when it did not converge)."""
    rates = np.asarray(rates, dtype=np.float64)
    final = np.asarray(final_loss, dtype=np.float64)
    diverged = np.asarray(diverged_at) >= 0
    converged = np.asarray(converged_at)
    ok = ~diverged & np.isfinite(final)
    positive = final[ok & (final > 0)]
    lo = float(positive.min()) if positive.size else 1e-3
    hi = float(positive.max()) if positive.size else 1.0
    top = hi * 10 ** max(0.15 * np.log10(max(hi / lo, 10)), 0.3)
    traces = [
        trace(
            "scatter",
            x=rates[ok],
            y=final[ok],
            mode="lines+markers",
            name=f"Final loss ({label})",
            line=dict(color=style.train, width=2),
            marker=dict(size=6),
            hovertemplate="rate %{x:.3g}<br>final loss %{y:.4g}<extra></extra>",
        ),
        trace(
            "scatter",
            x=rates[diverged],
            y=np.full(int(diverged.sum()), top),
            mode="markers",
            name="Diverged",
            marker=dict(symbol="x", size=11, color="#d62728", line=dict(width=1)),
            customdata=np.asarray(diverged_at)[diverged],
            hovertemplate="rate %{x:.3g}<br>diverged at step %{customdata}<extra></extra>",
        ),
    ]
    done = ~diverged & (converged >= 0)
    stuck = ~diverged & (converged < 0)
    traces += [
        trace(
            "scatter",
            x=rates[done],
            y=converged[done],
            mode="markers",
            name="Converged at step",
            marker=dict(color=style.test, size=7),
            yaxis="y2",
            hovertemplate="rate %{x:.3g}<br>converged at step %{y}<extra></extra>",
        ),
        trace(
            "scatter",
            x=rates[stuck],
            y=np.full(int(stuck.sum()), steps),
            mode="markers",
            name=f"Not converged in {steps} steps",
            marker=dict(color=style.test, size=7, symbol="circle-open", line=dict(width=1.5)),
            yaxis="y2",
            hovertemplate="rate %{x:.3g}<br>not converged<extra></extra>",
        ),
    ]
    shapes, notes = [], []
    if critical is not None and np.isfinite(critical) and critical > 0:
        shapes += [
            vline(critical, style.minimum, 2, "dash", xref="x", yref=f"{axis} domain")
            for axis in ("y", "y2")
        ]
        notes.append(
            dict(
                x=np.log10(critical),
                xref="x",
                y=1.0,
                yref="y domain",
                text=f"2/λmax = {critical:.3g}",
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                font=dict(color=style.minimum),
            )
        )
    x_range = [np.log10(rates.min()) - 0.1, np.log10(rates.max()) + 0.1]
    layout = style.layout(
        height=height,
        title=dict(text=f"Learning-rate sweep: {label}, {steps} steps per rate", x=0.5, y=0.99),
        shapes=shapes,
        annotations=notes,
        margin=dict(l=70, r=20, t=50, b=60),
        xaxis=dict(
            type="log",
            range=x_range,
            anchor="y2",
            dtick=1 if x_range[1] - x_range[0] > 2 else "D2",
            title=dict(text="learning rate"),
        ),
        yaxis=dict(
            type="log",
            domain=[0.45, 1.0],
            range=[np.log10(lo) - 0.2, np.log10(top) + 0.1],
            dtick=1 if np.log10(top / lo) > 2 else "D2",
            title=dict(text="final train loss"),
        ),
        yaxis2=dict(
            domain=[0.0, 0.35],
            anchor="x",
            range=[0, steps * 1.08],
            title=dict(text="steps to converge"),
        ),
    )
    return figure(traces, layout)
