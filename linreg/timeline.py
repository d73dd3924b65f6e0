"""A run's settings over time, and how a link writes it down.

A page's run starts with its settings and may change some of them mid-run (the learning
rate, the loss, the optimizer, ...): `Changes` is the list of (step, settings) pairs, the
first at step 0. A link carries the first settings as its ordinary parameters and each later
change as one item of `then`, by URL key and relative to the settings before it:

    ?lr=0.05&then=20:lr=0.07;45:opt=adam,lr=0.01&step=60

reads "lr 0.05 from step 0, 0.07 from step 20, Adam at 0.01 from step 45; show step 60".
Only the page's timeline fields (those a change continues the run with) may appear in
`then`; anything else there is named in a note and ignored.
"""

from __future__ import annotations

from typing import Any

from linreg.settings import Table

SEP, AT, PAIRS, EQ = ";", ":", ",", "="
MAX_CHANGES = 200


def encode(t: Table, changes: list[tuple[int, Any]], fields: tuple[str, ...]) -> str:
    """The `then` text for changes[1:] (each against the settings before it)."""
    items = []
    for (_, old), (step, new) in zip(changes, changes[1:], strict=False):
        pairs = [
            f"{t.specs[n].url}{EQ}{_text(getattr(new, n))}"
            for n in fields
            if getattr(new, n) != getattr(old, n)
        ]
        if pairs:
            items.append(f"{step}{AT}{PAIRS.join(pairs)}")
    return SEP.join(items)


def decode(
    t: Table, text: str, first: Any, fields: tuple[str, ...], limit: int
) -> tuple[list[tuple[int, Any]], list[str]]:
    """The changes a `then` text describes, on top of `first` (the settings at step 0);
    one note for each item or pair that could not be read (which is then skipped)."""
    changes: list[tuple[int, Any]] = [(0, first)]
    notes: list[str] = []
    allowed = {t.specs[n].url: n for n in fields}
    items = [i for i in str(text).split(SEP) if i.strip()]
    if len(items) > MAX_CHANGES:
        notes.append(f"Link parameter then: only the first {MAX_CHANGES} changes were kept.")
        items = items[:MAX_CHANGES]
    for item in items:
        head, _, body = item.partition(AT)
        step = _step(head, limit)
        if step is None or step <= changes[-1][0]:
            notes.append(
                f"Link parameter then: {_show(item)} does not start with a step number after "
                f"{changes[-1][0]:,} (and at most {limit:,}); it was ignored."
            )
            continue
        values: dict[str, str] = {}
        for pair in body.split(PAIRS):
            key, eq, value = pair.partition(EQ)
            if not eq or key.strip() not in allowed:
                notes.append(
                    f"Link parameter then: {_show(pair)} at step {step:,} is not a setting "
                    "that can change mid-run; it was ignored."
                )
                continue
            values[allowed[key.strip()]] = value
        new, bad = t.from_mapping(values, changes[-1][1])
        notes += [f"Link parameter then, step {step:,}: {b}" for b in bad]
        if new != changes[-1][1]:
            changes.append((step, new))
    return changes, notes


def upto(changes: list[tuple[int, Any]], step: int) -> list[tuple[int, Any]]:
    """The changes made at or before `step` (what a view of that step depends on)."""
    return [c for c in changes if c[0] <= step] or changes[:1]


def at(changes: list[tuple[int, Any]], step: int) -> Any:
    """The settings in force at `step`."""
    return upto(changes, step)[-1][1]


def _step(text: str, limit: int) -> int | None:
    text = text.strip()
    if not text or len(text) > 12 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= limit else None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _show(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return repr(text if len(text) <= 30 else text[:27] + "...")
