"""Learning-rate schedules: `rates` (the formulas) against torch's own schedulers stepped
through a real optimizer, and against values that torch's documentation states."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from linreg.errors import SettingsError
from linreg.schedules import KINDS, Schedule, Scheduler, code, make_scheduler, rates

SCHEDULES = [
    Schedule("constant"),
    Schedule("step", step_size=25, gamma=0.3),
    Schedule("exponential", decay=0.97),
    Schedule("cosine", eta_min=0.002),
    Schedule("onecycle", pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
]


def torch_rates(schedule: Schedule, base_lr: float, steps: int, total: int, optimizer="sgd"):
    """The lr each of `steps` real optimizer steps used, with one Scheduler step after each."""
    p = torch.zeros(3, requires_grad=True)
    opt = (
        torch.optim.SGD([p], lr=base_lr)
        if optimizer == "sgd"
        else torch.optim.Adam([p], lr=base_lr)
    )
    scheduler = Scheduler(schedule, opt, total)
    used = []
    for _ in range(steps):
        used.append(opt.param_groups[0]["lr"])
        p.grad = torch.ones(3)
        opt.step()
        scheduler.step()
    return np.array(used)


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: s.kind)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_rates_are_what_torch_uses(schedule, optimizer):
    """Past the horizon (300 steps of a 200-step schedule) both hold the last rate."""
    want = torch_rates(schedule, 0.4, 300, 200, optimizer)
    np.testing.assert_allclose(rates(schedule, 0.4, 300, 200), want, rtol=1e-12, atol=1e-15)


def test_the_documented_values():
    """Numbers torch's documentation gives for each scheduler, at chosen steps."""
    lr = 0.5
    r = rates(Schedule("step", step_size=30, gamma=0.1), lr, 100)
    assert r[29] == lr and r[30] == pytest.approx(0.05) and r[90] == pytest.approx(5e-4)
    r = rates(Schedule("exponential", decay=0.9), lr, 10)
    np.testing.assert_allclose(r, lr * 0.9 ** np.arange(10), rtol=1e-15)
    r = rates(Schedule("cosine", eta_min=0.1), lr, 250, 200)
    assert r[0] == lr and r[100] == pytest.approx(0.3) and r[200] == pytest.approx(0.1)
    assert np.all(r[200:] == r[200])  # held at η_min past T_max
    r = rates(Schedule("onecycle", pct_start=0.3), lr, 100)  # div 25, final_div 1e4
    assert r[0] == pytest.approx(lr / 25)
    assert r[29] == pytest.approx(lr) and r.max() == pytest.approx(lr)  # end of warm-up
    assert r[99] == pytest.approx(lr / 25 / 1e4)
    assert np.all(np.diff(r[:30]) > 0) and np.all(np.diff(r[29:]) < 0)
    assert np.all(rates(Schedule(), lr, 7) == lr)


def test_onecycle_leaves_momentum_alone():
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.0)
    scheduler = Scheduler(Schedule("onecycle"), opt, 50)
    for _ in range(50):
        p.grad = torch.ones(2)
        opt.step()
        scheduler.step()
        assert opt.param_groups[0]["momentum"] == 0.0


def test_holding_at_the_horizon_never_asks_torch_for_a_step_too_many():
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    scheduler = Scheduler(Schedule("onecycle"), opt, 20)
    for _ in range(60):  # OneCycleLR itself raises past total_steps
        p.grad = torch.ones(1)
        opt.step()
        scheduler.step()
    assert scheduler.torch.last_epoch == 19


def test_bad_settings_are_refused():
    with pytest.raises(SettingsError):
        Schedule("warp")
    with pytest.raises(SettingsError):
        Schedule("step", step_size=0)
    with pytest.raises(SettingsError):
        Schedule("onecycle", pct_start=1.0)
    with pytest.raises(SettingsError):  # 0.3 × 5 steps: no room to warm up
        rates(Schedule("onecycle"), 0.1, 5)


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: s.kind)
def test_code_builds_the_same_scheduler(schedule):
    """The line the code view prints, run, gives the scheduler make_scheduler gives."""
    made = []
    for build in ("code", "engine"):
        p = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([p], lr=0.3)
        if build == "code":
            namespace = {"torch": torch, "optimizer": optimizer, "lr": 0.3}
            exec(code(schedule, 120), namespace)
            scheduler = namespace["scheduler"]
        else:
            scheduler = make_scheduler(schedule, optimizer, 120)
        used = []
        for _ in range(119):
            used.append(optimizer.param_groups[0]["lr"])
            p.grad = torch.ones(1)
            optimizer.step()
            scheduler.step()
        made.append(used)
    assert made[0] == made[1]


def test_every_kind_is_covered():
    assert {s.kind for s in SCHEDULES} == set(KINDS)
    assert math.isclose(rates(SCHEDULES[1], 1.0, 26)[-1], 0.3)
