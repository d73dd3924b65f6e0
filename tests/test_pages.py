"""Every page opens cleanly, and the landing page links every page and every lesson."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from linreg.presets import PRESETS
from linreg.settings import table
from linreg.ui.page import PAGES

ROOT = Path(__file__).resolve().parents[1]


def landing() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_every_listed_page_exists():
    for path, _, _ in PAGES:
        assert (ROOT / path).exists(), path


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES[1:]])
def test_every_page_opens_without_an_error(path):
    at = landing()
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    assert at.title, f"{path} has no title"


def test_the_landing_page_links_every_page_and_lesson():
    at = landing()
    links = [link.proto for link in at.get("page_link")]
    pages = {link.page for link in links}
    # Streamlit names a page by its file, without the number in front
    assert {Path(p).stem.split("_", 1)[1] for p, _, _ in PAGES[1:]} <= pages
    for preset in PRESETS:
        assert any(preset.key in link.query_string for link in links), preset.key


@pytest.mark.parametrize("preset", PRESETS, ids=[p.key for p in PRESETS])
def test_a_lessons_settings_are_valid_and_round_trip(preset):
    t = table(preset.settings)
    config, notes = t.from_query(preset.query)
    assert notes == [] and config == preset.config
    for name, value in preset.changes.items():
        assert getattr(config, name) == value
    assert (ROOT / preset.page).exists()


# ---- every page's address ----------------------------------------------------------------------
# page -> (its settings class, its state key, one setting to change and a value for it)
ADDRESSED = {
    "pages/1_Fit_a_line.py": ("linreg.settings:Config", "fit", "learning_rate", 0.1),
    "pages/5_Capacity.py": (
        "linreg.settings.capacity:CapacityConfig",
        "capacity",
        "learning_rate",
        0.05,
    ),
    "pages/2_Many_features.py": (
        "linreg.settings.features:FeaturesConfig",
        "features",
        "learning_rate",
        0.0001,
    ),
    "pages/3_From_scratch.py": (
        "linreg.settings.scratch:ScratchConfig",
        "scratch",
        "learning_rate",
        0.001,
    ),
    "pages/4_Optimizers.py": ("linreg.settings.race:RaceConfig", "race", "adam_lr", 0.2),
}


def _settings_class(text: str):
    module, name = text.split(":")
    return getattr(importlib.import_module(module), name)


def _open(path: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


def _address(at: AppTest) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


@pytest.mark.parametrize("path", list(ADDRESSED))
def test_the_address_bar_carries_the_settings_and_drops_bad_ones(path):
    """A link with one good setting, a bad value and an unknown key: the page takes the good
    one, names the two bad ones, and the address it writes back holds only the good one;
    that address, opened in a fresh session, rebuilds the same settings."""
    cls_text, state, name, value = ADDRESSED[path]
    t = table(_settings_class(cls_text))
    key = t.specs[name].url
    good = t.to_query(t.defaults.replace(**{name: value}))
    assert good == {key: repr(value)}
    at = _open(path, **good, bogus_key="1", seed="not-a-number" if "seed" in t.by_url else "x")
    notes = " ".join(w.value for w in at.warning)
    assert "bogus_key" in notes
    assert _address(at) == good
    again = _open(path, **_address(at))
    assert again.session_state[state].config == at.session_state[state].config
    assert getattr(at.session_state[state].config, name) == value


@pytest.mark.parametrize("preset", PRESETS, ids=[p.key for p in PRESETS])
def test_a_lesson_opens_its_page_with_its_settings_banner_and_step(preset):
    cls_text, state, _, _ = ADDRESSED[preset.page]
    at = _open(preset.page, **preset.link)
    run = at.session_state[state]
    assert run.lesson is preset and run.config == preset.config
    assert any(preset.title in i.value for i in at.info)
    assert not at.warning
    assert _address(at) == {k: v for k, v in preset.link.items() if k != "step"}
