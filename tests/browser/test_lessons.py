"""The landing page in a real browser: it lists the lessons, and a lesson's link opens the
live page with that lesson's settings and what to notice."""

from __future__ import annotations

import pytest
from harness import assert_clean, wait_charts, wait_idle
from playwright.sync_api import expect

from linreg.presets import BY_KEY, PRESETS

pytestmark = pytest.mark.browser


def test_the_landing_page_lists_every_lesson(page, base_url, shot):
    page.goto(base_url)
    wait_idle(page)
    for preset in PRESETS:
        expect(page.get_by_text(preset.title, exact=True)).to_be_visible()
    shot()
    assert_clean(page)


def test_a_lesson_link_opens_the_live_page_with_its_settings(page, base_url, shot):
    lesson = BY_KEY["too-large"]
    page.goto(base_url)
    wait_idle(page)
    page.locator(f'a[href*="lesson={lesson.key}"]').click()
    page.wait_for_url("**/Fit_a_line?*")
    wait_idle(page)
    wait_charts(page)
    assert "lesson=too-large" in page.url and "lr=0.7" in page.url
    expect(page.get_by_text(lesson.title + ".", exact=False).first).to_be_visible()
    # the critical-rate note reads the lesson's learning rate: this run is above it
    expect(page.get_by_text("This run is above it.", exact=False)).to_be_visible()
    shot()
    assert_clean(page)
