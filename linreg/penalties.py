"""Penalties on the weights: none, ridge (L2), lasso (L1) and the elastic net mixing them.

The penalised objective is J(θ) = MSE(θ) + P(w), with w the weights only: the bias is never
handed to a penalty (it only moves the curve up and down; shrinking it to 0 pulls the fit
towards y = 0, which no one asked for). With strength λ and L1 share α:

    ridge        P(w) = λ/2 ‖w‖²                     ∇P = λ w
    lasso        P(w) = λ ‖w‖₁                       ∂P ∋ λ sign(w)  (0 at 0: a subgradient)
    elastic net  P(w) = λ(α‖w‖₁ + (1-α)/2 ‖w‖²)      α·lasso + (1-α)·ridge, termwise

Each penalty also has its proximal step, the exact minimiser of ½‖u - w‖² + s·P(u) for a
step size s, which is what a proximal gradient step applies after the plain step on the MSE:

    ridge        u = w / (1 + sλ)                     (shrink)
    lasso        u = sign(w)·max(|w| - sλ, 0)        (soft-threshold: small weights become 0)
    elastic net  soft-threshold by sλα, then shrink by 1 + sλ(1-α)

Ridge's gradient λw is exactly what `torch.optim`'s `weight_decay=λ` adds to the gradient, so
`decay` is the weight decay that stands for a penalty's L2 part, and `threshold` the L1
strength a soft-threshold uses.

The ops work on torch tensors and on NumPy arrays alike (the last axis holds the weights),
so the engine steps with them and the tests and figures evaluate them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

KINDS = ("none", "ridge", "lasso", "elastic")


def sign(w):
    """sign(w), 0 at 0, for a tensor or an array."""
    return w.sign() if isinstance(w, torch.Tensor) else np.sign(w)


def positive_part(w):
    """max(w, 0), for a tensor or an array."""
    return w.clamp(min=0) if isinstance(w, torch.Tensor) else np.maximum(w, 0.0)


@dataclass(frozen=True)
class Penalty:
    """No penalty: the base every penalty overrides."""

    strength: float = 0.0  # λ
    kind = "none"
    shape = ""  # the outline of its level sets in a plane of two weights

    @property
    def label(self) -> str:
        return "no penalty"

    @property
    def decay(self) -> float:
        """The weight decay of its L2 part (the λ' in ∇ = λ' w)."""
        return 0.0

    @property
    def threshold(self) -> float:
        """The strength of its L1 part (soft-threshold by step · threshold)."""
        return 0.0

    def value(self, w):
        return 0.0 * (w * w).sum(-1)

    def gradient(self, w):
        return 0.0 * w

    def prox(self, w, step: float):
        return w

    def level_set(self, level: float, points: int = 181):
        """(u, v) around {P(u, v) = level} in a plane of two weights; None if no outline."""
        return None


@dataclass(frozen=True)
class Ridge(Penalty):
    kind = "ridge"
    shape = "circle"

    @property
    def label(self) -> str:
        return f"ridge (L2), λ = {self.strength:.3g}"

    @property
    def decay(self) -> float:
        return self.strength

    def value(self, w):
        return self.strength / 2 * (w * w).sum(-1)

    def gradient(self, w):
        return self.strength * w

    def prox(self, w, step: float):
        return w / (1 + step * self.strength)

    def level_set(self, level: float, points: int = 181):
        return _outline(self, level, points)


@dataclass(frozen=True)
class Lasso(Penalty):
    kind = "lasso"
    shape = "diamond"

    @property
    def label(self) -> str:
        return f"lasso (L1), λ = {self.strength:.3g}"

    @property
    def threshold(self) -> float:
        return self.strength

    def value(self, w):
        return self.strength * abs(w).sum(-1)

    def gradient(self, w):
        return self.strength * sign(w)

    def prox(self, w, step: float):
        return sign(w) * positive_part(abs(w) - step * self.strength)

    def level_set(self, level: float, points: int = 181):
        return _outline(self, level, points)


@dataclass(frozen=True)
class ElasticNet(Penalty):
    mix: float = 0.5  # α: the L1 share (1 is the lasso, 0 ridge)
    kind = "elastic"
    shape = "rounded diamond"

    @property
    def label(self) -> str:
        return f"elastic net, λ = {self.strength:.3g}, α = {self.mix:.2g}"

    @property
    def l1(self) -> Lasso:
        return Lasso(self.strength * self.mix)

    @property
    def l2(self) -> Ridge:
        return Ridge(self.strength * (1 - self.mix))

    @property
    def decay(self) -> float:
        return self.l2.decay

    @property
    def threshold(self) -> float:
        return self.l1.threshold

    def value(self, w):
        return self.l1.value(w) + self.l2.value(w)

    def gradient(self, w):
        return self.l1.gradient(w) + self.l2.gradient(w)

    def prox(self, w, step: float):
        return self.l2.prox(self.l1.prox(w, step), step)

    def level_set(self, level: float, points: int = 181):
        return _outline(self, level, points)


def make_penalty(kind: str, strength: float = 0.0, mix: float = 0.5) -> Penalty:
    """The penalty of a kind ("none", "ridge", "lasso", "elastic") and strength λ."""
    if kind not in KINDS:
        raise ValueError(f"unknown penalty {kind!r}")
    if strength < 0 or not 0 <= mix <= 1:
        raise ValueError("λ must be ≥ 0 and the mix α in [0, 1]")
    if kind == "elastic":
        return ElasticNet(float(strength), float(mix))
    return {"none": Penalty, "ridge": Ridge, "lasso": Lasso}[kind](float(strength))


def _outline(penalty: Penalty, level: float, points: int):
    """Points of {P(u, v) = level}: along each direction d = (cos φ, sin φ) the penalty is
    a r(|cos φ| + |sin φ|) + b r²/2 with a = threshold and b = decay, so r solves a
    quadratic."""
    if level <= 0 or (penalty.threshold == 0 and penalty.decay == 0):
        return None
    phi = np.linspace(0, 2 * np.pi, points)
    c, s = np.cos(phi), np.sin(phi)
    a = penalty.threshold * (np.abs(c) + np.abs(s))
    b = penalty.decay
    r = level / a if b == 0 else (-a + np.sqrt(a * a + 2 * b * level)) / b
    return r * c, r * s
