"""Seed 002's three programs as real, runnable source text, for the page to show.

The page shows these snippets with `st.code`; `source(way, ...)` fills in the settings, and
`run_source` executes one and returns its final weights, so the tests can check that what
the page shows is what the engine (`scratch_steps`) computes, bit for bit.

Each loop body does, in this order, what the per-step walk-through (`LINES`) points at:

    y_pred = X w                      predictions
    error  = y - X w                  residuals (NumPy) / the loss (torch)
    g      = -2/n · Xᵀ(y - X w)       the gradient, by hand or by autograd
    w      = w - lr · g               the update
"""

from __future__ import annotations

import numpy as np

WAYS = ("numpy", "autograd", "builtin")
WAY_LABELS = {
    "numpy": "NumPy, gradient by hand",
    "autograd": "torch autograd, manual update",
    "builtin": "nn.Linear + MSELoss + SGD",
}

NUMPY = """\
import numpy as np

X = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.{dtype})
y_true = X @ np.array([10, 20], dtype=np.{dtype})
w = np.array([{w1!r}, {w2!r}], dtype=np.{dtype})
learning_rate = {lr!r}
n = len(X)

for epoch in range({epochs}):
    y_pred = X @ w
    error = y_true - y_pred
    gradient = -2 * (X.T @ error) / n
    w = w - learning_rate * gradient

print(w)
"""

AUTOGRAD = """\
import torch

X = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], dtype=torch.{dtype})
y_true = X @ torch.tensor([10., 20.], dtype=torch.{dtype})
w = torch.tensor([{w1!r}, {w2!r}], dtype=torch.{dtype}, requires_grad=True)
learning_rate = {lr!r}

for epoch in range({epochs}):
    y_pred = X @ w
    loss = torch.sum((y_true - y_pred) ** 2) / len(y_true)
    loss.backward()
    with torch.no_grad():
        w -= w.grad * learning_rate
        w.grad.zero_()

print(w)
"""

BUILTIN = """\
import torch

X = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], dtype=torch.{dtype})
y_true = (X @ torch.tensor([10., 20.], dtype=torch.{dtype})).reshape(-1, 1)
model = torch.nn.Linear(2, 1, bias=False, dtype=torch.{dtype})
with torch.no_grad():
    model.weight.copy_(torch.tensor([[{w1!r}, {w2!r}]], dtype=torch.{dtype}))
mse = torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr={lr!r})

for epoch in range({epochs}):
    y_pred = model(X)
    loss = mse(y_pred, y_true)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()

print(model.weight)
"""

TEMPLATES = {"numpy": NUMPY, "autograd": AUTOGRAD, "builtin": BUILTIN}

# The walk-through's stages: (what the stage computes, the start of its line in the code).
LINES = {
    "numpy": (
        ("y_pred", "    y_pred = X @ w"),
        ("error", "    error = y_true - y_pred"),
        ("gradient", "    gradient = -2"),
        ("update", "    w = w - learning_rate"),
    ),
    "autograd": (
        ("y_pred", "    y_pred = X @ w"),
        ("loss", "    loss = torch.sum"),
        ("gradient", "    loss.backward()"),
        ("update", "        w -= w.grad"),
    ),
    "builtin": (
        ("y_pred", "    y_pred = model(X)"),
        ("loss", "    loss = mse("),
        ("gradient", "    loss.backward()"),
        ("update", "    optimizer.step()"),
    ),
}


def source(way: str, start, learning_rate: float, dtype: str, epochs: int) -> str:
    """The runnable program for one way, with these settings filled in."""
    w1, w2 = (float(v) for v in start)
    return TEMPLATES[way].format(
        dtype=dtype, w1=w1, w2=w2, lr=float(learning_rate), epochs=int(epochs)
    )


def marked(code: str, way: str, stage: str) -> str:
    """The code with a pointer comment on the line that computes `stage`."""
    prefix = dict(LINES[way])[stage]
    lines = code.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            lines[i] = f"{line}  # ◀ {stage}"
            break
    return "\n".join(lines)


def run_source(code: str) -> np.ndarray:
    """Execute a snippet (without its final print) and return its weights as float64."""
    scope: dict = {}
    exec(code.replace("\nprint(", "\n_ = ("), scope)  # noqa: S102 - our own snippet
    w = scope["model"].weight if "model" in scope else scope["w"]
    if hasattr(w, "detach"):
        w = w.detach().numpy()
    return np.asarray(w, dtype=np.float64).ravel()
