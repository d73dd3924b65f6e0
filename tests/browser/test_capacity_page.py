"""A journey on /Capacity in a real browser: open it, take Step ×10, check the views drawn
for the step on show, then open the lasso lesson and see its exact zeros. Waits are on the
app (harness.wait_idle) or on a condition in the page, never on a fixed sleep."""

from __future__ import annotations

import pytest
from harness import assert_clean, button, chart, metric_values, runs, wait_charts, wait_idle

pytestmark = pytest.mark.browser

VIEWS = (  # views 1-6 as drawn at the defaults (the lasso's two ways only with the lasso)
    "capacity.chart.curve",
    "capacity.chart.loss",
    "capacity.chart.coef",
    "capacity.chart.slice",
    "capacity.chart.path",
    "capacity.chart.val_lambda",
    "capacity.chart.val_degree",
)


def open_page(page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/Capacity{query}")
    wait_idle(page)
    wait_charts(page, count=len(VIEWS))


def trace(page, key: str, name: str) -> dict:
    """One trace of a drawn chart, by its name (x and y as plain lists)."""
    return page.evaluate(
        """([sel, name]) => { const t = document.querySelector(sel).data
             .find((d) => d.name === name); return t && {x: [...t.x], y: [...t.y]}; }""",
        [chart(key), name],
    )


def test_capacity_opens_steps_and_shows_a_lessons_exact_zeros(page, base_url, shot):
    open_page(page, base_url)
    for key in VIEWS:
        assert page.locator(chart(key)).count() == 1, key
    assert metric_values(page)[0] == "0"
    path = trace(page, "capacity.chart.loss", "Train loss")
    assert len(path["x"]) == 1
    before = runs(page)
    button(page, "Step ×10").click()
    wait_idle(page, after=before)
    page.wait_for_function(
        """(sel) => { const t = document.querySelector(sel).data
             .find((d) => d.name === "Train loss"); return t && t.x.length === 11; }""",
        arg=chart("capacity.chart.loss"),
    )
    assert metric_values(page)[0] == "10"
    loss = trace(page, "capacity.chart.loss", "Train loss")["y"]
    assert loss[-1] < loss[0]  # ten steps of gradient descent brought the loss down
    shot("-step10")
    page.goto(
        f"{base_url}/Capacity?lesson=lasso-degree&curve=quadratic&noise=0.1&n=200"
        "&deg=8&pen=lasso&lam=0.04&max=3000&step=3000"
    )
    wait_idle(page)
    wait_charts(page, count=len(VIEWS) + 2)  # and the lasso two ways, side by side
    zeros = trace(page, "capacity.chart.coef", "Exactly 0 (6 of 8)")
    assert zeros["x"] == ["x³", "x⁴", "x⁵", "x⁶", "x⁷", "x⁸"]
    assert "The lasso picks the true degree" in page.inner_text("body")
    shot("-lasso")
    assert_clean(page)
