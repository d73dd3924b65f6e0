"""Polynomial features of 1-D data: x ↦ (x, x², …, x^D), built with torch, standardised.

The model is still linear in its parameters: ŷ = b + Σⱼ wⱼ zⱼ with zⱼ = (xʲ - μⱼ)/σⱼ, the
mean and standard deviation of xʲ over the train rows (`features.standardise`). The
parameters are laid out as everywhere else: θ = [w₁, …, w_D, b].

Why standardise. The MSE Hessian is H = 2AᵀA/n with A = [features, 1]. Raw powers differ in
scale by orders of magnitude (x¹² reaches 4096 on [0, 2]), so λmax(H) is huge, the
critical learning rate 2/λmax tiny, and the slow directions never move. Each standardised
column has mean square 1, so trace H = 2(D + 1) and λmax ≤ 2(D + 1): a learning rate of
order 1/D is safe at any degree.

What standardising cannot fix. x, x³, x⁵, … are nearly parallel on [-1, 1] (so are all powers
on [0, 2]), so λmin(H) stays tiny and the condition number κ = λmax/λmin still grows about
tenfold per degree: gradient descent crawls along the directions that separate them. A
ridge penalty λ/2‖w‖² adds λ to H on the weights, so κ ≤ (λmax + λ)/min(λ, λ_bias): that
is the numerical side of "ridge tames degree 12". `conditioning` gives all three numbers.

Coefficients of the raw powers (what the fitted curve is as a polynomial in x) come from
`Scaler.to_original`: wⱼ/σⱼ, and b - Σ wⱼ μⱼ/σⱼ. The fitted curve itself is drawn from the
standardised features at the drawing grid: the same function, better rounded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

from linreg.data import Dataset
from linreg.errors import DataError
from linreg.features import Conditioning, Scaler, standardise
from linreg.landscape import hessian

MAX_DEGREE = 12
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_name(j: int) -> str:
    """'x', 'x²', …, 'x¹²'."""
    return "x" if j == 1 else "x" + str(j).translate(SUPERSCRIPTS)


def powers(x, degree: int) -> torch.Tensor:
    """The (n, degree) float64 tensor [x, x², …, x^degree], by repeated multiplication."""
    x = torch.as_tensor(np.asarray(x, dtype=np.float64)).reshape(-1, 1)
    return torch.cumprod(x.expand(-1, degree), dim=1)


@dataclass(frozen=True)
class PolyFeatures:
    """1-D data lifted to polynomial features of one degree, raw and standardised."""

    degree: int
    raw: Dataset  # columns x, x², …, x^degree
    data: Dataset  # the same columns standardised on the train rows: what the model sees
    scaler: Scaler

    @property
    def names(self) -> list[str]:
        """Names of θ's entries: 'x', 'x²', …, 'bias'."""
        return [*self.data.feature_names, "bias"]

    def features(self, x) -> np.ndarray:
        """The standardised features at new x (for drawing), shape (m, degree)."""
        raw = powers(x, self.degree).numpy()
        return (raw - self.scaler.mean) / self.scaler.std

    def predict(self, theta, x) -> np.ndarray:
        """The fitted curve at x for θ (one row, or many: (..., P) -> (..., m))."""
        theta = np.asarray(theta, dtype=np.float64)
        z = self.features(x)
        return theta[..., : self.degree] @ z.T + theta[..., self.degree :]

    def raw_coefficients(self, theta) -> np.ndarray:
        """θ on standardised features -> [w₁, …, w_D, b] on raw powers: the fitted curve is
        b + Σ wⱼ xʲ."""
        return self.scaler.to_original(theta, 1)


def polynomial(data: Dataset, degree: int) -> PolyFeatures:
    """Lift 1-D data to powers 1..degree and standardise them (train rows' μ and σ)."""
    if data.n_features != 1:
        raise DataError("Polynomial features need one input column.")
    if not 1 <= degree <= MAX_DEGREE:
        raise DataError(f"The degree must be between 1 and {MAX_DEGREE}.")
    names = tuple(power_name(j) for j in range(1, degree + 1))
    raw = replace(
        data,
        x_train=powers(data.x_train, degree).numpy(),
        x_test=powers(data.x_test, degree).numpy(),
        feature_names=names,
    )
    scaled, scaler = standardise(raw)
    return PolyFeatures(degree, raw, scaled, scaler)


def conditioning(data: Dataset, ridge: float = 0.0, penalise_bias: bool = False) -> Conditioning:
    """The Hessian's spectrum of MSE + ridge/2·‖w‖² on these features: 2AᵀA/n + ridge·I′
    (I′ the identity without the bias entry, unless the bias is penalised too)."""
    h = hessian(data)
    penalised = np.ones(len(h))
    penalised[-1] = 1.0 if penalise_bias else 0.0
    return Conditioning(np.linalg.eigvalsh(h + ridge * np.diag(penalised)))


def conditioning_table(poly: PolyFeatures, ridge: float = 0.0) -> dict[str, Conditioning]:
    """Raw powers, standardised, and standardised with the ridge penalty: what the page
    quotes to say why standardising is needed and what it cannot do."""
    table = {"raw": conditioning(poly.raw), "standardised": conditioning(poly.data)}
    if ridge > 0:
        table["standardised + ridge"] = conditioning(poly.data, ridge)
    return table
