"""Seed 002's three programs, stepped side by side, one epoch at a time.

Each way runs exactly the operations of its snippet in `scratch_code` (same order, same
dtype), so the page's numbers are those the shown code prints:

1. NumPy, with the hand-derived gradient of MSE(w) = 1/n · Σ (yᵢ - xᵢ·w)²:

       ∂MSE/∂w = -2/n · Xᵀ(y - Xw)

2. torch tensors: `loss.backward()` fills w.grad, then `w -= w.grad * lr` under no_grad;
3. `nn.Linear(2, 1, bias=False)`, `nn.MSELoss()` and `optim.SGD`.

Every way keeps the gradient at its current point (computed right after each update, as the
next loop iteration would), so the page can show w and ∇MSE(w) for every recorded step.
"""

from __future__ import annotations

import numpy as np
import torch

from linreg.scratch_code import WAYS

X_ROWS = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
TRUE_WEIGHTS = [10.0, 20.0]
TORCH_DTYPES = {"float32": torch.float32, "float64": torch.float64}


class _NumpyWay:
    def __init__(self, start, learning_rate: float, dtype: str) -> None:
        self.x = np.array(X_ROWS, dtype=dtype)
        self.y = self.x @ np.array(TRUE_WEIGHTS, dtype=dtype)
        self.w = np.array(start, dtype=dtype)
        self.lr = learning_rate
        self._gradient()

    def _gradient(self) -> None:
        y_pred = self.x @ self.w
        error = self.y - y_pred
        self.loss = float(np.mean(error.astype(np.float64) ** 2))
        self.grad = -2 * (self.x.T @ error) / len(self.x)

    def step(self) -> None:
        self.w = self.w - self.lr * self.grad
        self._gradient()

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        return self.w.astype(np.float64), self.grad.astype(np.float64)


class _AutogradWay:
    def __init__(self, start, learning_rate: float, dtype: str) -> None:
        kind = TORCH_DTYPES[dtype]
        self.x = torch.tensor(X_ROWS, dtype=kind)
        self.y = self.x @ torch.tensor(TRUE_WEIGHTS, dtype=kind)
        self.w = torch.tensor([float(v) for v in start], dtype=kind, requires_grad=True)
        self.lr = learning_rate
        self._gradient()

    def _gradient(self) -> None:
        y_pred = self.x @ self.w
        loss = torch.sum((self.y - y_pred) ** 2) / len(self.y)
        loss.backward()
        self.loss = float(loss.detach())

    def step(self) -> None:
        with torch.no_grad():
            self.w -= self.w.grad * self.lr
            self.w.grad.zero_()
        self._gradient()

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        return self.w.detach().double().numpy(), self.w.grad.double().numpy()


class _BuiltinWay:
    def __init__(self, start, learning_rate: float, dtype: str) -> None:
        kind = TORCH_DTYPES[dtype]
        self.x = torch.tensor(X_ROWS, dtype=kind)
        self.y = (self.x @ torch.tensor(TRUE_WEIGHTS, dtype=kind)).reshape(-1, 1)
        # skip_init: nn.Linear's random init would draw from torch's global generator,
        # which every user of a server shares; the weight is set just below anyway.
        self.model = torch.nn.utils.skip_init(torch.nn.Linear, 2, 1, bias=False, dtype=kind)
        with torch.no_grad():
            self.model.weight.copy_(torch.tensor([[float(v) for v in start]], dtype=kind))
        self.mse = torch.nn.MSELoss()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=learning_rate)
        self._gradient()

    def _gradient(self) -> None:
        loss = self.mse(self.model(self.x), self.y)
        loss.backward()
        self.loss = float(loss.detach())

    def step(self) -> None:
        self.optimizer.step()
        self.optimizer.zero_grad()
        self._gradient()

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        weight = self.model.weight
        return weight.detach().double().numpy().ravel(), weight.grad.double().numpy().ravel()


MAKERS = {"numpy": _NumpyWay, "autograd": _AutogradWay, "builtin": _BuiltinWay}


class ThreeWays:
    """The three programs, stepped together; every step of each is recorded."""

    def __init__(self, start, learning_rate: float, dtype: str = "float64") -> None:
        self.start = np.asarray(start, dtype=np.float64)
        self.learning_rate, self.dtype = float(learning_rate), dtype
        self.ways = {w: MAKERS[w](self.start, self.learning_rate, dtype) for w in WAYS}
        self._params = {w: [] for w in WAYS}
        self._grads = {w: [] for w in WAYS}
        self._loss = {w: [] for w in WAYS}
        self._record()

    def _record(self) -> None:
        for name, way in self.ways.items():
            w, g = way.values()
            self._params[name].append(w.copy())
            self._grads[name].append(g.copy())
            self._loss[name].append(way.loss)

    @property
    def steps(self) -> int:
        return len(self._params["numpy"]) - 1

    def step(self, k: int = 1) -> None:
        """k more epochs of every way."""
        for _ in range(int(k)):
            for way in self.ways.values():
                way.step()
            self._record()

    def params(self, way: str) -> np.ndarray:
        """w after each recorded step, shape (steps + 1, 2), float64."""
        return np.array(self._params[way])

    def grads(self, way: str) -> np.ndarray:
        """∇MSE at each recorded w, shape (steps + 1, 2)."""
        return np.array(self._grads[way])

    def loss(self, way: str) -> np.ndarray:
        return np.array(self._loss[way])

    def at(self, t: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """(w, gradient) of each way at step t."""
        return {w: (self._params[w][t], self._grads[w][t]) for w in WAYS}


def disagreement(ways: ThreeWays, t: int) -> tuple[float, float]:
    """The largest |Δ| between any two ways at step t: in w, and in the gradient."""
    at = ways.at(t)
    ws = np.array([v[0] for v in at.values()])
    gs = np.array([v[1] for v in at.values()])
    return float(np.ptp(ws, axis=0).max()), float(np.ptp(gs, axis=0).max())


def walk(way: str, w, learning_rate: float, dtype: str) -> list[tuple[str, str, np.ndarray]]:
    """One epoch of `way` from w, stage by stage: (stage, expression, value) with the
    intermediate arrays of that very program (X, y_pred, error or loss, gradient, update)."""
    if way == "numpy":
        return _walk_numpy(w, learning_rate, dtype)
    maker = MAKERS[way](w, learning_rate, dtype)
    x, loss = maker.x, torch.tensor(maker.loss)
    if way == "autograd":
        y_pred = x @ maker.w.detach()
        grad = maker.w.grad.clone()
        update = grad * maker.lr
        maker.step()
        new = maker.w.detach()
        names = ("X @ w", "torch.sum((y_true - y_pred)**2) / n", "w.grad", "w.grad * lr")
    else:
        y_pred = maker.model(x).detach()
        grad = maker.model.weight.grad.clone()
        update = grad * learning_rate
        maker.step()
        new = maker.model.weight.detach()
        names = ("model(X)", "mse(y_pred, y_true)", "weight.grad", "lr · weight.grad")
    stages = ("y_pred", "loss", "gradient", "update")
    values = (y_pred, loss, grad, update)
    out = [("X", "X", x.double().numpy())]
    out += [(s, n, v.double().numpy()) for s, n, v in zip(stages, names, values, strict=True)]
    out.append(("new w", "w after the step", new.double().numpy()))
    return out


def _walk_numpy(w, learning_rate: float, dtype: str) -> list[tuple[str, str, np.ndarray]]:
    way = _NumpyWay(w, learning_rate, dtype)
    y_pred = way.x @ way.w
    error = way.y - y_pred
    gradient = -2 * (way.x.T @ error) / len(way.x)
    update = way.lr * gradient
    new = way.w - update
    return [
        ("X", "X", way.x),
        ("y_pred", "X @ w", y_pred),
        ("error", "y_true - y_pred", error),
        ("gradient", "-2 * (X.T @ error) / n", gradient),
        ("update", "learning_rate * gradient", update),
        ("new w", "w - learning_rate * gradient", new),
    ]
