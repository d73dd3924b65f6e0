"""The penalised fit written out as the torch a student would type: what the page's code view
prints for the settings on show.

It is the stepper's run in plain words (autograd instead of the stepper's closed-form
gradient): `nn.Linear` on the standardised features, one param group for the weight and one
for the bias (weight decay 0: the bias is never penalised), the penalty either in the
optimizer's weight_decay or in the loss, the soft-threshold after the step, and the
scheduler. The tests run the printed code and check it lands where the stepper does.
"""

from __future__ import annotations

from linreg.regularised import RegSpec
from linreg.schedules import code as scheduler_code
from linreg.schedules import horizon

OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW"}


def training_code(spec: RegSpec, degree: int, steps: int) -> str:
    """Python that trains `model` on tensors z (n × degree, standardised) and y (n × 1)."""
    rule, decay = spec.rule, spec.decay_in_optimizer
    bias_decay = decay if spec.penalise_bias else 0.0
    bias_note = (
        "the bias is penalised too (the lesson)"
        if spec.penalise_bias
        else "the bias is never penalised"
    )
    lines = [
        f"torch.manual_seed({spec.seed})",
        f"model = torch.nn.Linear({degree}, 1).double()  # on z = standardised x … x^{degree}",
        f"optimizer = torch.optim.{OPTIMIZER_NAMES[spec.optimizer]}(",
        "    [",
        f'        {{"params": [model.weight], "weight_decay": {decay:g}}},',
        f'        {{"params": [model.bias], "weight_decay": {bias_decay:g}}},  # {bias_note}',
        "    ],",
        f"    lr={spec.learning_rate:g},",
        ")",
        f"lr = {spec.learning_rate:g}",
        scheduler_code(spec.schedule, spec.total_steps),
        f"for step in range({steps}):",
        "    optimizer.zero_grad()",
        "    loss = torch.nn.functional.mse_loss(model(z), y)",
    ]
    penalised = "model.parameters()" if spec.penalise_bias else "[model.weight]"
    by_hand = rule.decay - decay
    if by_hand:
        lines.append(
            f"    loss = loss + {by_hand:g} / 2 * sum(p.pow(2).sum() for p in {penalised})"
            "  # ridge in the loss"
        )
    proximal = spec.l1_method == "proximal" and rule.threshold > 0
    if rule.threshold and not proximal:
        lines.append(
            f"    loss = loss + {rule.threshold:g} * sum(p.abs().sum() for p in {penalised})"
            "  # lasso by subgradient"
        )
    lines += ["    loss.backward()", "    optimizer.step()"]
    if proximal:
        lines += [
            "    with torch.no_grad():  # the proximal step: soft-threshold by lr·λα",
            '        used = optimizer.param_groups[0]["lr"]',
            f"        for p in {penalised}:",
            f"            p.copy_(torch.nn.functional.softshrink(p, used * {rule.threshold:g}))",
        ]
    end = horizon(spec.schedule, spec.total_steps)
    if end is None:
        lines.append("    scheduler.step()")
    else:
        lines.append(f"    if step < {end}:  # past the schedule's end, hold its last rate")
        lines.append("        scheduler.step()")
    return "\n".join(lines)
