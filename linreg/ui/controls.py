"""The run controls every page shares: Step, Step ×k, Run/Pause, Reset and the speed of a
live run (steps per update), with their keys."""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from linreg.settings import Table
from linreg.ui import widgets


def buttons(
    prefix: str,
    step: Callable[[int], None],
    toggle: Callable[[], None],
    reset: Callable[[], None],
    *,
    running: bool,
    stopped: bool,
    k: int,
    badge: str = "",
    presenting: bool = False,
    speed: tuple[Table, int] | None = None,
    describe: str = "",
) -> None:
    """The four buttons (keys f"{prefix}.step", ".stepk", ".run", ".reset"), the speed
    control and a status badge. They act in callbacks, before the page redraws, so a Pause
    takes effect before another step is taken. Keys: → step, Shift+→ step ×k, Space
    run/pause, Home reset.

    `speed` is the page's table and the speed its run now uses: the "Steps per update"
    slider stands beside Run, and moving it reruns the whole page so the run takes it up
    (the buttons sit in a fragment, which alone would not re-read the settings).
    `describe` is the charts' text alternative, for screen readers only."""
    cols = st.columns([1, 1.1, 1.2, 1, 1.9, 1.4], vertical_alignment="center")
    busy = stopped or running
    cols[0].button(
        "Step",
        key=f"{prefix}.step",
        on_click=step,
        args=(1,),
        disabled=busy,
        help="One optimizer step (key: →).",
        shortcut="Right",
        width="stretch",
    )
    if not presenting:  # presenter mode keeps only Step, Run/Pause and Reset
        cols[1].button(
            f"Step ×{k}",
            key=f"{prefix}.stepk",
            on_click=step,
            args=(k,),
            disabled=busy,
            help=f"{k} optimizer steps at once (key: Shift+→).",
            shortcut="Shift+Right",
            width="stretch",
        )
    cols[2].button(
        "⏸ Pause" if running else "▶ Run",
        key=f"{prefix}.run",
        type="primary",
        on_click=toggle,
        disabled=stopped and not running,
        help="Run or pause (key: Space).",
        shortcut="Space",
        width="stretch",
    )
    cols[3].button(
        "Reset",
        key=f"{prefix}.reset",
        on_click=reset,
        help="Back to step 0 (key: Home).",
        shortcut="Home",
        width="stretch",
    )
    if speed is not None:
        table, now = speed
        if widgets.widget("speed", where=cols[4], table=table) != now:
            st.rerun(scope="app")
    if badge:
        cols[5].markdown(badge)
    if describe:
        cols[5].html(f'<p class="sr-only">{html.escape(describe)}</p>')


def badge(steps: int, running: bool, diverged_at: int | None, converged_at: int | None) -> str:
    """A coloured word for a run's state."""
    if diverged_at is not None:
        return f":red-badge[Diverged at step {diverged_at}]"
    if converged_at is not None:
        return f":green-badge[Converged at step {converged_at}]"
    if running:
        return ":blue-badge[Running]"
    return ":gray-badge[Paused]" if steps else ":gray-badge[Ready]"


def shown_step(
    run,
    last: int,
    key: str,
    empty: str = "Step 0 of 0: press Step or Run.",
    label: str = "Step shown",
) -> int:
    """The step on show: the newest while running (or just after a step), else wherever the
    user scrubs. `run` has `follow` and `running`; `last` is its newest step."""
    if run.follow or st.session_state.get(key, 0) > last:
        st.session_state[key] = last
        run.follow = run.running
    if last == 0:
        st.caption(empty)
        return 0
    return int(
        st.slider(label, 0, last, key=key, help="Scrub back and forth through the recorded steps.")
    )
