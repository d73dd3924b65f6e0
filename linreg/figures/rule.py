"""The update rule of each optimizer in LaTeX, with the numbers of one step filled in."""

from __future__ import annotations

RULES = {
    "sgd": r"\theta_{t+1} = \theta_t - \eta\, g_t",
    "momentum": r"v_{t+1} = \mu v_t + g_t,\quad \theta_{t+1} = \theta_t - \eta\, v_{t+1}",
    "nesterov": r"v_{t+1} = \mu v_t + g_t,\quad "
    r"\theta_{t+1} = \theta_t - \eta\,(g_t + \mu v_{t+1})",
    "adam": r"m_{t+1} = \beta_1 m_t + (1-\beta_1) g_t,\ "
    r"v_{t+1} = \beta_2 v_t + (1-\beta_2) g_t^2,\ "
    r"\theta_{t+1} = \theta_t - \eta\,\frac{\hat m_{t+1}}{\sqrt{\hat v_{t+1}} + \epsilon}",
    "rmsprop": r"v_{t+1} = \alpha v_t + (1-\alpha) g_t^2,\quad "
    r"\theta_{t+1} = \theta_t - \eta\,\frac{g_t}{\sqrt{v_{t+1}} + \epsilon}",
    "adagrad": r"s_{t+1} = s_t + g_t^2,\quad "
    r"\theta_{t+1} = \theta_t - \eta\,\frac{g_t}{\sqrt{s_{t+1}} + \epsilon}",
}


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
