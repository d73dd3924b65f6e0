"""Figure builders: pure functions from arrays to Plotly figures (no Streamlit, no torch)."""

from linreg.figures.contour import contour_figure
from linreg.figures.fit import fit_figure
from linreg.figures.loss_curve import loss_figure
from linreg.figures.style import CLASSIC, STYLES, Style
from linreg.figures.surface3d import surface_figure

__all__ = [
    "CLASSIC",
    "STYLES",
    "Style",
    "contour_figure",
    "fit_figure",
    "loss_figure",
    "surface_figure",
]
