"""A log colour scale for loss surfaces, labelled in real loss values."""

from __future__ import annotations

import numpy as np


def log_scale(z: np.ndarray) -> tuple[np.ndarray, list[float], list[str]]:
    """log10 of the loss above its minimum (plus a floor), and colour-bar ticks in loss units."""
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    floor = max((hi - lo) * 1e-4, 1e-12)
    shown = np.log10(z - lo + floor)
    top = int(np.floor(np.log10(hi - lo + floor)))
    ticks = [t for t in range(top - 4, top + 1) if np.log10(floor) < t]
    return shown, [float(t) for t in ticks], [f"{lo + 10.0**t:.3g}" for t in ticks]


def clip_top(z: np.ndarray, start_loss: float) -> float:
    """A z-axis ceiling that keeps the bowl's shape: a little above the start's loss."""
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    if not np.isfinite(start_loss):
        return hi
    return float(min(hi, lo + 1.6 * max(start_loss - lo, (hi - lo) * 0.25)))
