"""The validation curve: final train and test loss against the degree or against λ.

Where the test loss turns up while the train loss keeps falling, the model has started to
fit the noise. Both axes are logarithmic for λ; the degree axis is whole numbers.
"""

from __future__ import annotations

import numpy as np

from linreg.figures.loss_curve import vline
from linreg.figures.style import CLASSIC, Style, figure, point, trace


def validation_figure(
    values,
    train_loss,
    test_loss,
    current: float,
    axis: str = "degree",
    exact_train=None,
    exact_test=None,
    style: Style = CLASSIC,
    height: int = 340,
) -> dict:
    """Final train and test loss against the degree (axis "degree") or λ (axis "strength",
    a log axis), the setting on show marked, the lowest test loss ringed; `exact_*` (the
    losses at the exact minima) as thin dotted lines."""
    values = np.asarray(values, dtype=np.float64)
    train = np.asarray(train_loss, dtype=np.float64)
    test = np.asarray(test_loss, dtype=np.float64)
    label = "degree" if axis == "degree" else "λ (penalty strength)"
    w = style.line_width
    traces = [
        trace(
            "scatter",
            x=values,
            y=train,
            mode="lines+markers",
            name="Train loss",
            line=dict(color=style.train, width=w),
            marker=dict(size=style.marker_size),
        ),
        trace(
            "scatter",
            x=values,
            y=test,
            mode="lines+markers",
            name="Test loss",
            line=dict(color=style.test, width=w),
            marker=dict(size=style.marker_size),
        ),
    ]
    for exact, colour, name in (
        (exact_train, style.train, "train"),
        (exact_test, style.test, "test"),
    ):
        if exact is not None:
            traces.append(
                trace(
                    "scatter",
                    x=values,
                    y=np.asarray(exact, dtype=np.float64),
                    mode="lines",
                    name=f"At the minimum ({name})",
                    line=dict(color=colour, width=max(w - 1, 1), dash="dot"),
                )
            )
    finite = np.isfinite(test)
    if finite.any():
        best = int(np.nanargmin(np.where(finite, test, np.nan)))
        ring = dict(
            symbol="circle-open", size=style.marker_size + 9, color=style.test, line=dict(width=2.5)
        )
        traces.append(point((values[best], test[best]), "Lowest test loss", ring))
    shown = np.concatenate(
        [train, test, *(np.ravel(e) for e in (exact_train, exact_test) if e is not None)]
    )
    shown = shown[np.isfinite(shown) & (shown > 0)]
    low, high = (float(shown.min()), float(shown.max())) if shown.size else (1e-3, 1.0)
    x_axis = dict(title=dict(text=label))
    if axis == "degree":
        x_axis.update(dtick=1, range=[values.min() - 0.5, values.max() + 0.5])
    else:
        x_axis.update(
            type="log",
            range=[np.log10(values.min()) - 0.1, np.log10(values.max()) + 0.1],
            dtick=1,
            exponentformat="power",
        )
    return figure(
        traces,
        style.layout(
            height=height,
            title=dict(
                text="Validation curve: final loss against "
                + ("the degree" if axis == "degree" else "λ"),
                x=0.5,
                y=0.98,
            ),
            shapes=[vline(float(current), style.current, 2, "dash")],
            xaxis=x_axis,
            yaxis=dict(
                type="log",
                title=dict(text="final loss (log scale)"),
                range=[np.log10(low) - 0.15, np.log10(high) + 0.15],
            ),
        ),
    )
