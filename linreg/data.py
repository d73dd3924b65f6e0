"""Datasets: synthetic lines, the three seeds' built-in data, and the train/test split.

A `Dataset` holds float64 NumPy arrays: inputs X of shape (n, d) and targets Y of shape
(n, k), already split. The engine casts them to the chosen torch dtype.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from linreg.errors import DataError

CROP_CSV = Path(__file__).parent / "datasets" / "crop_yields.csv"


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays, with column names; the test set may be empty."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...] = ("x",)
    target_names: tuple[str, ...] = ("y",)

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_targets(self) -> int:
        return self.y_train.shape[1]

    @property
    def x(self) -> np.ndarray:
        """All inputs, train then test."""
        return np.concatenate([self.x_train, self.x_test])

    @property
    def y(self) -> np.ndarray:
        """All targets, train then test."""
        return np.concatenate([self.y_train, self.y_test])


def _as_2d(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a.reshape(-1, 1) if a.ndim == 1 else a


def split(
    x,
    y,
    train_fraction: float = 0.8,
    mode: str = "ordered",
    seed: int = 0,
    feature_names=None,
    target_names=None,
) -> Dataset:
    """Split rows into train and test: 'ordered' keeps the last rows for testing (seed 000)."""
    x, y = _as_2d(x), _as_2d(y)
    n = len(x)
    if len(y) != n:
        raise DataError(f"x has {n} rows but y has {len(y)}.")
    if n < 2:
        raise DataError("At least 2 rows are needed.")
    n_train = min(max(int(train_fraction * n), 1), n) if train_fraction < 1 else n
    order = np.arange(n) if mode == "ordered" else np.random.default_rng(seed).permutation(n)
    train, test = order[:n_train], order[n_train:]
    return Dataset(
        x[train],
        y[train],
        x[test],
        y[test],
        tuple(feature_names or [f"x{i + 1}" if x.shape[1] > 1 else "x" for i in range(x.shape[1])]),
        tuple(target_names or [f"y{i + 1}" if y.shape[1] > 1 else "y" for i in range(y.shape[1])]),
    )


def line_x(n_points: int, x_min: float, x_max: float) -> np.ndarray:
    """n evenly spaced x from x_min, step (x_max - x_min)/n: seed 000's arange(0, 2, 0.02)."""
    return x_min + (x_max - x_min) * np.arange(n_points) / n_points


def synthetic_line(
    weight: float,
    bias: float,
    noise: float = 0.0,
    n_points: int = 100,
    x_min: float = 0.0,
    x_max: float = 2.0,
    outlier_fraction: float = 0.0,
    outlier_size: float = 3.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """1-D points y = weight·x + bias + noise, with a share of them pushed off by outlier_size."""
    rng = np.random.default_rng(seed)
    x = line_x(n_points, x_min, x_max)
    y = weight * x + bias + noise * rng.standard_normal(n_points)
    n_out = int(round(outlier_fraction * n_points))
    if n_out:
        y[rng.choice(n_points, n_out, replace=False)] += outlier_size
    return x, y


def synthetic_linear(
    weight: np.ndarray, bias: np.ndarray, noise: float = 0.0, n_points: int = 50, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Multivariate data Y = X Wᵀ + b + noise, with X standard normal of shape (n, d)."""
    weight = np.atleast_2d(np.asarray(weight, dtype=np.float64))
    bias = np.asarray(bias, dtype=np.float64).reshape(-1)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_points, weight.shape[1]))
    y = x @ weight.T + bias + noise * rng.standard_normal((n_points, weight.shape[0]))
    return x, y


def seed000(train_fraction: float = 0.8) -> Dataset:
    """Seed 000: X = torch.arange(0, 2, 0.02), y = X * 0.8 + 0.2 in float32, ordered split."""
    x = torch.arange(start=0, end=2, step=0.02)
    y = x * 0.8 + 0.2
    return split(x.double().numpy(), y.double().numpy(), train_fraction, "ordered")


def crop_yields(rows: int = 5) -> Dataset:
    """Seed 001: temperature, rainfall, humidity -> apples, oranges; 5 rows or the 15 (5 × 3)."""
    if rows not in (5, 15):
        raise DataError("The crop data comes as 5 rows or as the tutorial's 15 (the 5 repeated).")
    table = np.loadtxt(CROP_CSV, delimiter=",", skiprows=1)
    table = np.tile(table, (rows // 5, 1))
    header = CROP_CSV.read_text().splitlines()[0].split(",")
    return split(
        table[:, :3],
        table[:, 3:],
        1.0,
        "ordered",
        feature_names=header[:3],
        target_names=header[3:],
    )


def seed002() -> Dataset:
    """Seed 002: X = [[1,2],[3,4],[5,6]], y = X·[10, 20], no bias, no test set."""
    x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return split(
        x,
        x @ np.array([10.0, 20.0]),
        1.0,
        "ordered",
        feature_names=("x1", "x2"),
        target_names=("y",),
    )
