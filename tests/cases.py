"""Small datasets that several test files train on."""

import numpy as np

from linreg import Dataset, split, synthetic_line, synthetic_linear

CROP = np.array(
    [
        [73, 67, 43, 56, 70],
        [91, 88, 64, 81, 101],
        [87, 134, 58, 119, 133],
        [102, 43, 37, 22, 37],
        [69, 96, 70, 103, 119],
    ],
    dtype=np.float64,
)  # seed 001's table (temperature, rainfall, humidity -> apples, oranges), typed in


def noisy_line() -> Dataset:
    """60 noisy points on y = 1.5x - 0.5 with 10 % outliers, ordered 80/20 split."""
    x, y = synthetic_line(
        1.5,
        -0.5,
        noise=0.3,
        n_points=60,
        x_min=-1.0,
        x_max=2.0,
        outlier_fraction=0.1,
        outlier_size=4.0,
        seed=3,
    )
    return split(x, y, 0.8, "ordered")


def three_by_two(outliers: bool = False) -> Dataset:
    """3 features -> 2 targets, noisy (a few outlying rows if asked), shuffled split."""
    w = np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.2]])
    x, y = synthetic_linear(w, [0.5, -1.0], noise=0.2, n_points=40, seed=5)
    if outliers:
        y[[3, 17, 29]] += np.array([3.0, -2.5])
    return split(x, y, 0.8, "shuffled", seed=1)
