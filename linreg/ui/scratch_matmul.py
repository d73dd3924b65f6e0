"""The A @ B panel: edit A and B, step through the output cells, compare three ways."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg import matmul
from linreg.figures.matmul import matmul_html
from linreg.ui import scratch_state as state

CELL = "scratch.cell"


def _move(delta: int, cells: int) -> None:
    st.session_state[CELL] = (st.session_state.get(CELL, 0) + delta) % cells


def _seed() -> None:
    st.session_state[state.KEY_A], st.session_state[state.KEY_B] = matmul.SEED_A, matmul.SEED_B
    st.session_state[CELL] = 0


def panel() -> None:
    st.markdown(
        "A linear layer is a matrix product: `nn.Linear` computes y = x·Wᵀ + b. "
        "Type A and B (rows split by `;`, up to 6×6):"
    )
    left, right, reset = st.columns([2, 2, 1], vertical_alignment="bottom")
    left.text_input("A", key=state.KEY_A)
    right.text_input("B", key=state.KEY_B)
    reset.button("Seed's example", key="scratch.matmul_seed", on_click=_seed, width="stretch")
    a, b, errors = state.matrices()
    for error in errors:
        st.error(error)
    if errors:
        return
    prod = matmul.product(a, b)
    cells = prod.cells
    if st.session_state.get(CELL, 0) >= cells:
        st.session_state[CELL] = 0
    cols = st.columns([1, 1, 4], vertical_alignment="center")
    cols[0].button(
        "◀ Previous cell",
        key="scratch.cell_prev",
        on_click=_move,
        args=(-1, cells),
        width="stretch",
    )
    cols[1].button(
        "Next cell ▶", key="scratch.cell_next", on_click=_move, args=(1, cells), width="stretch"
    )
    with cols[2]:
        if cells > 1:
            st.slider("Output cell (row by row)", 0, cells - 1, key=CELL)
        else:
            st.session_state[CELL] = 0
    index = int(st.session_state.get(CELL, 0))
    i, j = prod.cell(index)
    st.html(matmul_html(a, b, prod.c, i, j))
    st.markdown(
        f"C[{i}, {j}] = row {i} of A · column {j} of B = "
        f"`{matmul.sum_of_products(prod.terms(index))}`"
    )
    three = st.columns(3)
    for col, (expr, c) in zip(three, prod.results.items(), strict=True):
        col.markdown(f"`{expr}`")
        col.code(np.array2string(c, separator=", "), language=None)
    verdict = "all three agree exactly" if prod.agree else "they DIFFER"
    st.caption(
        f"Notice: `@`, `torch.matmul` and `torch.mm` are one operation ({verdict}); "
        "each output cell is one row of A times one column of B."
    )
