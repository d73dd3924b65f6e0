"""Driving a page in AppTest the way a browser does: open it through app.py (so the sidebar
and the page switch are the real ones), click its buttons, set its settings, rerun.

Each page's test module makes one `Page` and takes its helpers from it:

    driver = Page("pages/2_Many_features.py", prefix="features", state="features")
    open_page, set_setting, run_of = driver.open, driver.set_setting, driver.run_of

(not `page`: the browser tests' fixture and some modules' own fixtures are called that).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def rerun(at: AppTest) -> None:
    at.run()
    assert not at.exception, at.exception


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click()
    rerun(at)


def shown(at: AppTest) -> dict[str, str]:
    """The page's metrics, label -> value as shown."""
    return {m.label: m.value for m in at.metric}


@dataclass(frozen=True)
class Page:
    path: str  # the page file, as app.py's navigation names it
    prefix: str  # its settings' widget keys are f"{prefix}.{name}"
    state: str  # its Run's key in session_state
    timeout: float = 60

    def landing(self) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=self.timeout)
        at.run()
        return at

    def open(self, **query: str) -> AppTest:
        """The page as a browser first opens it, with link parameters (URL keys) if given."""
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=self.timeout)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(self.path)
        rerun(at)
        return at

    def follow(self, query: dict[str, str]) -> AppTest:
        """A fresh session that lands on app.py, goes to the page, then gets `query` (a link)."""
        at = self.landing()
        at.switch_page(self.path)
        at.query_params.update(query)
        at.run()
        return at

    def set_setting(self, at: AppTest, name: str, value) -> None:
        at.get_by_key(f"{self.prefix}.{name}").set_value(value)
        rerun(at)

    def run_of(self, at: AppTest):
        return at.session_state[self.state]
