"""Journeys on /Optimizers in a real browser: open, step, run and pause, change one racer's
learning rate, and run the learning-rate sweep. Waits are on the app (harness.wait_idle) or
on a condition in the page, never on a fixed sleep, except to see that a paused race stays."""

from __future__ import annotations

import pytest
from harness import assert_clean, button, chart, runs, wait_charts, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RANK = "[data-testid=stDataFrame]"


def open_page(page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/Optimizers{query}")
    wait_idle(page)
    wait_charts(page, count=2)


def click(page, name: str) -> None:
    before = runs(page)
    button(page, name).click()
    wait_idle(page, after=before)


def path_lengths(page) -> dict[str, int]:
    """Points in each racer's path on the drawn contour (line traces named "… (η=…)")."""
    return page.evaluate(
        """(sel) => Object.fromEntries(document.querySelector(sel).data
             .filter((t) => t.mode === "lines" && /η=/.test(t.name || ""))
             .map((t) => [t.name, t.x.length]))""",
        chart("race.chart.contour"),
    )


def wait_paths(page, length: int, at_least: bool = False) -> None:
    """Wait until every racer's drawn path has `length` points (or more, `at_least`)."""
    page.wait_for_function(
        """([sel, n, more]) => { const gd = document.querySelector(sel);
             const paths = (gd && gd.data || []).filter((t) => t.mode === "lines"
               && /η=/.test(t.name || ""));
             return paths.length > 0
               && paths.every((t) => more ? t.x.length >= n : t.x.length === n); }""",
        arg=[chart("race.chart.contour"), length, at_least],
    )


def test_race_opens_then_steps_every_racer(page, base_url, shot):
    open_page(page, base_url)
    assert page.locator(chart("race.chart.contour")).count() == 1
    assert page.locator(chart("race.chart.loss")).count() == 1
    lengths = path_lengths(page)
    assert len(lengths) == 6 and set(lengths.values()) == {1}
    expect(page.locator(RANK)).to_be_visible()
    shot("-opened")
    click(page, "Step")
    wait_paths(page, 2)
    click(page, "Step ×10")
    wait_paths(page, 12)
    shot()
    assert_clean(page)


def test_race_run_then_pause(page, base_url, shot):
    open_page(page, base_url, "?speed=15")
    click(page, "▶ Run")
    wait_paths(page, 46, at_least=True)  # three updates of 15 steps were taken and drawn
    button(page, "⏸ Pause").click()
    expect(button(page, "▶ Run")).to_be_visible()
    wait_idle(page)
    held = path_lengths(page)
    page.wait_for_timeout(1500)  # a paused race stays where it is
    assert path_lengths(page) == held
    shot()
    assert_clean(page)


def test_race_change_one_racers_learning_rate(page, base_url, shot):
    open_page(page, base_url)
    click(page, "Step ×10")
    wait_paths(page, 11)
    page.get_by_text("Racers: who takes part").click()  # the panel starts folded
    thumb = page.locator(".st-key-race-adam_lr input")
    before = runs(page)
    thumb.focus()
    page.keyboard.press("ArrowRight")  # 0.1 → 0.15 on the 1-1.5-2-3-5-7 scale
    wait_idle(page, after=before)
    expect(page.get_by_text("restarted from step 0")).to_be_visible()
    page.wait_for_function(
        """(sel) => document.querySelector(sel).data.some((t) => t.name === "Adam (η=0.15)")""",
        arg=chart("race.chart.contour"),
    )
    wait_paths(page, 1)
    shot()
    assert_clean(page)


def test_race_run_the_sweep(page, base_url, shot):
    open_page(page, base_url, "?sw_n=20&sw_steps=300")
    button(page, "Run the sweep").scroll_into_view_if_needed()
    click(page, "Run the sweep")
    wait_charts(page, count=3)
    sweep = page.locator(chart("race.chart.sweep"))
    sweep.scroll_into_view_if_needed()
    counts = page.evaluate(
        """(sel) => Object.fromEntries(document.querySelector(sel).data
             .map((t) => [t.name, t.x.length]))""",
        chart("race.chart.sweep"),
    )
    assert counts["Diverged"] > 0 and counts["Final loss (SGD)"] > 0
    assert counts["Diverged"] + counts["Final loss (SGD)"] == 20
    expect(page.get_by_text("2/λmax", exact=False).first).to_be_visible()
    shot()
    assert_clean(page)


def test_race_replay_plays_in_the_browser(page, base_url, shot):
    open_page(page, base_url, "?step=60")
    before = runs(page)
    page.get_by_text("Replay the recorded race").click()
    wait_idle(page, after=before)
    wait_charts(page, count=3)
    replay = chart("race.chart.replay")
    page.locator(replay).scroll_into_view_if_needed()
    frames = page.evaluate(
        "(sel) => document.querySelector(sel)._transitionData._frames.length", replay
    )
    assert frames == 61  # every step of a short race is a frame
    page.locator(replay).get_by_text("▶ Play").click()
    page.wait_for_function(
        "(sel) => document.querySelector(sel)._fullLayout.sliders[0].active > 10", arg=replay
    )
    shot()
    assert_clean(page)
