"""The update rule of each optimizer in LaTeX, with the numbers of one step filled in."""

from __future__ import annotations

from linreg import optimizers

RULES = optimizers.RULES  # one entry per optimizer, in linreg.optimizers


def _num(x: float) -> str:
    text = f"{x:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text if x >= 0 else rf"({text})"


def filled(
    optimizer: str, names: list[str], params, grad, taken, learning_rate: float, full_batch: bool
) -> list[str]:
    """One LaTeX line per parameter: the step from θ_t to θ_{t+1} with its numbers.

    For full-batch SGD the step is -η·g with g the gradient shown. Otherwise the line shows
    the step the optimizer actually took (Δ), beside -η·g for comparison.
    """
    lines = []
    for name, p, g, d in zip(names, params, grad, taken, strict=True):
        sym = {"weight": "w", "bias": "b"}.get(name, name)
        if optimizer == "sgd" and full_batch:
            lines.append(
                rf"{sym}_{{t+1}} = {_num(p)} - {_num(learning_rate)} \times {_num(g)}"
                rf" = {_num(p + d)}"
            )
        else:
            lines.append(
                rf"{sym}_{{t+1}} = {_num(p)} + \underbrace{{{_num(d)}}}_{{\Delta {sym}}}"
                rf" = {_num(p + d)} \qquad (-\eta\,g = {_num(-learning_rate * g)})"
            )
    return lines
