"""1-D data from a true curve: a line, a quadratic, a cubic or a sine, plus seeded noise.

Points sit evenly on [x_min, x_max) (x_min + (x_max - x_min)·i/n, as seed 000's
`arange(0, 2, 0.02)`), and y = f(x) + σ·ε with ε standard normal from
`numpy.random.default_rng(seed)`. The rows are then split into train and test by
`linreg.data.split`: "shuffled" draws the test rows at random (the same seed), "ordered" keeps
the last rows for testing (seed 000 does), which asks a model to extrapolate.

The polynomial curves keep their coefficients, lowest power first, so a test or a lesson can
say which powers are truly there: the cubic 3x³ - 2.5x + 0.5 has no x² term, which is what
a lasso should find out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.data import Dataset, line_x, split
from linreg.errors import DataError

SPLITS = ("shuffled", "ordered")


@dataclass(frozen=True)
class Curve:
    """A true curve y = f(x): a polynomial (its coefficients) or a sine."""

    name: str
    label: str  # the formula, as the page prints it
    coefficients: tuple[float, ...] = ()  # c₀ + c₁x + c₂x² + …; empty for the sine
    frequency: float = 0.0  # the sine's angular frequency: y = sin(frequency·x)

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if not self.coefficients:
            return np.sin(self.frequency * x)
        return np.polynomial.polynomial.polyval(x, self.coefficients)

    @property
    def degree(self) -> int | None:
        """The highest power present; None for the sine (no finite degree)."""
        return len(self.coefficients) - 1 if self.coefficients else None


CURVES = {
    "line": Curve("line", "y = 0.8x + 0.2", (0.2, 0.8)),  # seed 000's line
    "quadratic": Curve("quadratic", "y = 1.5x² - 0.5x - 0.3", (-0.3, -0.5, 1.5)),
    "cubic": Curve("cubic", "y = 3x³ - 2.5x + 0.5", (0.5, -2.5, 0.0, 3.0)),
    "sine": Curve("sine", "y = sin(πx)", frequency=np.pi),
}


def sample_curve(
    curve: str = "cubic",
    noise: float = 0.3,
    n_points: int = 40,
    x_min: float = -1.0,
    x_max: float = 1.0,
    train_fraction: float = 0.5,
    split_mode: str = "shuffled",
    seed: int = 0,
) -> Dataset:
    """n points of `curve` with noise σ = `noise`, split into train and test."""
    if curve not in CURVES:
        raise DataError(f"Unknown curve {curve!r}: choose one of {', '.join(CURVES)}.")
    if split_mode not in SPLITS:
        raise DataError(f"Unknown split {split_mode!r}: choose 'shuffled' or 'ordered'.")
    if not x_max > x_min:
        raise DataError("The x range is empty: x max must be larger than x min.")
    if noise < 0:
        raise DataError("The noise cannot be negative.")
    x = line_x(int(n_points), x_min, x_max)
    rng = np.random.default_rng(seed)
    y = CURVES[curve](x) + noise * rng.standard_normal(len(x))
    return split(x, y, train_fraction, split_mode, seed)


def seed000_line() -> Dataset:
    """Seed 000's data as a curve choice: the line 0.8x + 0.2 on [0, 2), 100 points, no
    noise, the last 20 % kept for testing (in float64; seed 000 rounds to float32)."""
    return sample_curve("line", 0.0, 100, 0.0, 2.0, 0.8, "ordered", 0)


def curve_grid(data: Dataset, points: int = 400, pad: float = 0.0) -> np.ndarray:
    """Evenly spaced x across the data's range (widened by `pad` of it each side), for
    drawing a curve."""
    x = data.x[:, 0]
    lo, hi = float(x.min()), float(x.max())
    extra = pad * (hi - lo)
    return np.linspace(lo - extra, hi + extra, points)
