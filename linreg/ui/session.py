"""One browser session's run on one page: the machinery every page shares.

`PageSession` owns what a page does with a run: opening it from a link (settings, lesson,
the timeline of changes, the step), reading the widgets and deciding in one place whether a
change restarts the run or continues it, Step / Run / tick with its pacing, Reset, the
address bar and the share link, and the one-thread pin for torch. A page subclasses it and
fills in only its settings table (`TABLE`), the fields that continue a run (`TIMELINE`),
how to build its run (`build`), how a continuing change reaches it (`continue_with`), and
its views.

A change to a `TIMELINE` field at step s records (s, settings) in `changes`: share links
carry them as `then` (see linreg.timeline) and opening one replays them, so the run
reopened equals the one shared, bit for bit. Changes to the data or the start (and any
field a page lists in `RESTARTS`) begin a fresh run; run and view settings change nothing
recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import streamlit as st
import torch

from linreg import timeline
from linreg.presets import Preset
from linreg.settings import DATA, START, Settings, Table
from linreg.ui import links, widgets


def one_thread() -> None:
    """Tiny tensors: one thread is faster and fair to the other users. OpenMP keeps the
    thread count per calling thread, and Streamlit runs every script run (and fragment run)
    in a thread of its own, so this is called at the start of each, not once at import."""
    torch.set_num_threads(1)


@dataclass(eq=False)
class PageSession:
    """The state and the shared actions of one page's run in one browser session."""

    KEY: ClassVar[str] = ""  # where the session lives in st.session_state
    TABLE: ClassVar[Table]
    TIMELINE: ClassVar[tuple[str, ...]] = ()  # fields a change continues the run with
    RESTARTS: ClassVar[tuple[str, ...]] = ()  # other fields whose change restarts it
    EXTRA: ClassVar[tuple[str, ...]] = ()  # link parameters the page reads itself

    config: Settings
    own: Any = None  # the user's uploaded data, if in use
    running: bool = False
    notice: str = ""
    stop_reason: str = ""
    follow: bool = True  # the timeline follows the newest step
    drawn: int = 0  # the step the charts showed last
    last_tick: float = 0.0  # when the last live update ran (perf_counter)
    tick_gap: float = 0.25  # seconds between live updates, smoothed
    query: dict = field(default_factory=dict)  # the address last applied or written
    lesson: Preset | None = None
    notes: list[str] = field(default_factory=list)
    changes: list[tuple[int, Settings]] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)  # the link's page-read parameters

    def __post_init__(self) -> None:
        self.changes = [(0, self.config)]
        self.build()

    # ---- what a page fills in ---------------------------------------------------------
    def build(self) -> None:
        """Make a fresh run for `self.config` (and `self.own`)."""
        raise NotImplementedError

    def continue_with(self, config: Settings, names: list[str]) -> None:
        """Go on from the current step with new values of these TIMELINE fields."""
        raise NotImplementedError

    def adjust(self, config: Settings, changed: dict[str, str]) -> None:
        """React to changes that neither restart nor continue the run (views, run pace)."""

    # `build` sets (or a property gives) `self.stepper`: what Step and Run advance. It has
    # steps, step(k, stop_at_convergence, tolerance), diverged_at, converged_at and message.

    def advance(self, k: int, stop_at_convergence: bool = False) -> None:
        self.stepper.step(k, stop_at_convergence, getattr(self.config, "tolerance", 1e-6))

    @property
    def steps(self) -> int:
        return self.stepper.steps

    @property
    def limit(self) -> int:
        """The most steps the page takes."""
        return self.config.max_steps

    def limit_note(self) -> str:
        return f"Reached the maximum of {self.limit} steps."

    def halted(self) -> str:
        """Why the run cannot go on as it is (it diverged), or ''."""
        return self.stepper.message if self.stepper.diverged_at is not None else ""

    def finished(self) -> str:
        """Why a live run should stop now (diverged, converged, the limit), or ''."""
        s = self.stepper
        if self.halted():
            return self.halted()
        if getattr(self.config, "stop_at_convergence", False) and s.converged_at is not None:
            return s.message
        return self.limit_note() if self.steps >= self.limit else ""

    # ---- opening ----------------------------------------------------------------------
    @classmethod
    def current(cls) -> PageSession:
        """This session's run. A link with query parameters (a lesson, a shared view) sets
        every setting from them, replays its changes to its step; a plain link keeps the run."""
        one_thread()
        run = st.session_state.get(cls.KEY)
        link = links.opened(cls.TABLE, None if run is None else run.query, (*cls.EXTRA, "then"))
        if link is None:
            return run
        run = cls.from_link(link)
        widgets.load(run.config, force=True)
        run.opened()
        run.query = dict(st.query_params.items())
        st.session_state[cls.KEY] = run
        return run

    def opened(self) -> None:
        """What a page does in the session when a link has just opened it (its own widgets)."""

    @classmethod
    def from_link(cls, link: links.Link) -> PageSession:
        """A run rebuilt from a link read by `links.read`: its settings, its changes (`then`)
        replayed to its step, its lesson and a note for everything it could not use."""
        extra = dict(link.extra)
        then = extra.pop("then", "")
        changes, notes = [(0, link.config)], []
        if then:
            limit = int(getattr(link.config, "max_steps", 10**6))
            changes, notes = timeline.decode(cls.TABLE, then, link.config, cls.TIMELINE, limit)
        run = cls(link.config)
        run.extra, run.lesson = extra, link.lesson
        run.notes = link.notes + notes + run.opening_notes()
        run.replay(changes, link.steps)
        return run

    def opening_notes(self) -> list[str]:
        """Notes a page adds when a link opens it (e.g. data a link cannot carry)."""
        return []

    def replay(self, changes: list[tuple[int, Settings]], steps: int) -> None:
        """Take the run through `changes` to `steps`, as it was taken when shared."""
        steps = min(steps, self.limit)
        for at, config in changes[1:]:
            if at > steps or self.halted():
                break
            self.advance(at - self.steps)
            if self.steps < at:
                break
            self.apply(config)
        if self.steps < steps and not self.halted():
            self.advance(steps - self.steps)
        if self.halted():
            self.stop_reason = self.halted()
        elif self.steps < steps:
            self.notes.append(
                f"The link asked for step {steps:,}, but the run stopped at step "
                f"{self.steps:,}: {self.finished() or 'see above.'}"
            )
        self.notice = ""

    # ---- settings ---------------------------------------------------------------------
    def take_widgets(self) -> None:
        """Read what the widgets now say, apply it, and keep the address bar in step."""
        config, notes = widgets.take(self.config)
        self.notes.extend(notes)
        self.apply(config)
        self.query = links.sync_address(self.config, self.lesson, self.address_extra())

    def address_extra(self) -> dict[str, str]:
        """Page-read parameters the address bar carries (e.g. typed matrices)."""
        return {}

    def restarts(self, changed: dict[str, str]) -> list[str]:
        """The changed fields that need a fresh run: data, start and the page's RESTARTS."""
        return [n for n, g in changed.items() if g in (DATA, START) or n in self.RESTARTS]

    def apply(self, config: Settings) -> None:
        """Bring the run in line with new settings, and say what happened: restart, continue
        (recorded in `changes`), or nothing to the run."""
        old = self.config
        if config == old:
            return
        changed = config.changed(old)
        restarting = self.restarts(changed)
        if restarting:
            self.config = config
            self.restart(self.restart_note(restarting))
            return
        moved = [n for n in changed if n in self.TIMELINE]
        if moved:
            step = self.stepper.steps
            self.continue_with(config, moved)
            self.record(step, config)
            self.stop_reason = ""
            names = ", ".join(self.TABLE.specs[n].label.lower() for n in moved)
            self.notice = (
                f"Changed {names}: training continues from step {step} with the current "
                "parameters (the loss curve marks the change)."
                if step
                else ""
            )
        self.config = config
        self.adjust(config, changed)

    def restart_note(self, names: list[str]) -> str:
        return "The data or the start changed, so the run restarted from step 0."

    def record(self, step: int, config: Settings) -> None:
        """Note a continuing change at `step` (one entry per step; none if nothing moved)."""
        changes = [c for c in self.changes if c[0] < step] or []
        if not changes or any(
            getattr(config, n) != getattr(changes[-1][1], n) for n in self.TIMELINE
        ):
            changes.append((step, config))
        self.changes = changes

    def settings_at(self, step: int) -> Settings:
        """The settings in force at `step` (its row was scored, its step taken with them)."""
        return timeline.at(self.changes, step)

    # ---- actions ----------------------------------------------------------------------
    def restart(self, notice: str = "Reset to step 0.") -> None:
        """A fresh run in place, with the current settings."""
        self.changes = [(0, self.config)]
        self.build()
        self.running, self.follow, self.stop_reason, self.notice = False, True, "", notice

    def reset(self) -> None:
        self.restart("Reset to step 0.")

    def use_data(self, own: Any, notice: str) -> None:
        """Switch to a user's uploaded data (or back, with None): a fresh run."""
        self.own = own
        self.restart(notice)

    def toggle(self) -> None:
        """Run or pause."""
        self.running, self.stop_reason, self.notice = not self.running, "", ""

    def step(self, k: int) -> None:
        """Take k steps by hand (they stop early only at divergence or the step limit)."""
        room = self.limit - self.steps
        if room <= 0:
            self.stop_reason, self.running = self.limit_note(), False
            return
        self.advance(min(k, room))
        self.follow = True
        if self.halted():
            self.stop_reason = self.halted()

    def tick(self) -> None:
        """One live update: `speed` steps; stops at divergence, convergence or the limit."""
        one_thread()
        now = time.perf_counter()
        if self.last_tick and now - self.last_tick < 2.0:  # how far apart updates come
            self.tick_gap = 0.7 * self.tick_gap + 0.3 * (now - self.last_tick)
        self.last_tick = now
        stop = bool(getattr(self.config, "stop_at_convergence", False))
        room = self.limit - self.steps
        if room > 0:
            self.advance(min(self.config.speed, room), stop)
        self.follow = True
        reason = self.finished()
        if reason:
            self.running, self.stop_reason = False, reason

    # ---- links ------------------------------------------------------------------------
    def share_link(self, step: int) -> str:
        """A link that rebuilds this run anywhere: its first settings, every change up to
        `step` (as `then`), and `step` itself."""
        first, extra = self._shared(step)
        return links.share(first, step, self.lesson, extra)

    def share_query(self, step: int) -> dict[str, str]:
        """The share link's query parameters (what `share_link` puts after the '?')."""
        first, extra = self._shared(step)
        return {**links.address(first, self.lesson, extra), **({"step": str(step)} if step else {})}

    def _shared(self, step: int) -> tuple[Settings, dict[str, str]]:
        changes = timeline.upto(self.changes, step)
        first = self.config.replace(**{n: getattr(changes[0][1], n) for n in self.TIMELINE})
        then = timeline.encode(self.TABLE, changes, self.TIMELINE)
        return first, {**self.address_extra(), **({"then": then} if then else {})}

    def change_marks(self) -> list[tuple[int, str]]:
        """(step, "lr 0.05 → 0.07") for each change, for the loss curve."""
        marks = []
        for (_, old), (step, new) in zip(self.changes, self.changes[1:], strict=False):
            parts = [
                f"{_short(self.TABLE.specs[n].label)} {_value(getattr(old, n))} → "
                f"{_value(getattr(new, n))}"
                for n in self.TIMELINE
                if getattr(new, n) != getattr(old, n)
            ]
            marks.append((step, ", ".join(parts)))
        return marks


SHORT = {"Learning rate": "lr", "Optimizer": "optimizer", "Loss": "loss"}


def _short(label: str) -> str:
    return SHORT.get(label, label.lower())


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return widgets.LABELS.get(value, str(value)) if isinstance(value, str) else str(value)
