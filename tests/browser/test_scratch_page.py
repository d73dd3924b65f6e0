"""Journeys on /From_scratch in a real browser: open, step, run and pause, the float32 /
float64 switch, the million-epoch run, and stepping through A @ B cell by cell.

Waits are on the app (harness.wait_idle) or on a condition in the page, never fixed sleeps,
except where a test checks that something does *not* happen.
"""

from __future__ import annotations

import re

import pytest
from harness import assert_clean, button, runs, wait_charts, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BADGE = re.compile(r"epoch ([\d,]+) · (float\d\d)")


def open_page(page, base_url: str, query: str = "", charts: int = 1) -> None:
    page.goto(f"{base_url}/From_scratch{query}")
    wait_idle(page)
    wait_charts(page, count=charts)


def click(page, name: str) -> None:
    before = runs(page)
    button(page, name).click()
    wait_idle(page, after=before)


def epoch(page) -> int:
    text = page.locator("[data-testid=stMain]").inner_text()
    return int(BADGE.search(text).group(1).replace(",", ""))


def scroll_to(page, text: str) -> None:
    """Scroll so that the first element with `text` sits at the top of the view."""
    page.get_by_text(text).first.evaluate("(e) => e.scrollIntoView({block: 'start'})")


def table_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def test_open_step_run_and_pause(page, base_url, shot):
    open_page(page, base_url)
    expect(page.get_by_text("Linear regression from scratch")).to_be_visible()
    assert epoch(page) == 0
    click(page, "Step")
    assert epoch(page) == 1
    click(page, "Step ×10")
    assert epoch(page) == 11
    # The loss contour is still drawn after in-place updates (it once went blank).
    drawn = page.evaluate(
        "() => document.querySelectorAll('[data-key=\"scratch.chart.path\"] .contourlayer path')"
        ".length"
    )
    assert drawn > 10, f"the contour has {drawn} paths"
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible()
    shot()
    scroll_to(page, "Step through the code")
    shot("-code")
    click(page, "▶ Run")
    page.wait_for_function(
        "() => /epoch ([1-9][\\d,]*) ·/.test(document.querySelector('[data-testid=stMain]')"
        ".innerText) && Number(/epoch ([\\d,]+) ·/.exec(document.querySelector("
        "'[data-testid=stMain]').innerText)[1].replace(/,/g, '')) >= 30",
        timeout=30_000,
    )
    before = runs(page)
    button(page, "⏸ Pause").click()
    wait_idle(page, after=before)
    expect(button(page, "▶ Run")).to_be_visible()
    paused = epoch(page)
    page.wait_for_timeout(1200)  # a negative check needs a window
    wait_idle(page)
    assert epoch(page) == paused, "the epoch count went on rising after Pause"
    shot("-paused")
    assert_clean(page)


def test_float32_switch_and_the_million_epoch_run(page, base_url, shot):
    open_page(page, base_url)
    before = runs(page)
    page.locator("[data-testid=stMain] button", has_text=re.compile("^float32$")).first.click()
    wait_idle(page, after=before)
    assert BADGE.search(table_text(page)).group(2) == "float32"
    before = runs(page)
    page.get_by_text("Run all the epochs").click()
    wait_idle(page, after=before)
    wait_charts(page, count=3)
    main = table_text(page)
    assert "[10.00000008, 19.99999994]" in main  # float64, the tutorial's printed digits
    assert "[10.0429, 19.9661]" in main  # float32 torch's printed digits
    scroll_to(page, "float32 against float64")
    shot("-chart")
    expect(page.get_by_text("Why float32 stalls")).to_be_visible()
    scroll_to(page, "Why float32 stalls")
    shot()
    assert_clean(page)


def test_lesson_link_opens_float32_long_run(page, base_url, shot):
    open_page(page, base_url, "?dtype=float32&long=true&step=50", charts=3)
    assert epoch(page) == 50
    assert "[10.0429, 19.9661]" in table_text(page)
    scroll_to(page, "float32 against float64")
    shot()
    assert_clean(page)


def test_matmul_stepping_and_bad_input(page, base_url, shot):
    open_page(page, base_url)
    scroll_to(page, "Matrix multiplication")
    expect(page.get_by_text("1·2 + 2·6 + 1·1 = 15")).to_be_visible()
    click(page, "Next cell ▶")
    expect(page.get_by_text("1·5 + 2·7 + 1·8 = 27")).to_be_visible()
    shot("-cell1")
    box = page.get_by_label("B", exact=True)
    before = runs(page)
    box.fill("1 2; 3 4")
    box.press("Enter")
    wait_idle(page, after=before)
    expect(
        page.get_by_text("A @ B needs as many columns in A (3) as rows in B (2)")
    ).to_be_visible()
    shot("-mismatch")
    assert_clean(page)
