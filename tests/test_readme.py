"""The README's notebook example runs exactly as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def first_python_block() -> str:
    match = re.search(
        r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE
    )
    assert match, "README.md has no ```python block"
    return match.group(1)


# What a notebook user with their own data needs: the example must show (and so run) each.
OWN_DATA = (
    "linreg.split(x, y, train_fraction=1.0)",
    "linreg.read_csv(",
    "linreg.load_columns(",
    "linreg.standardise(",
    ".to_original(",
    'dtype="float64"',
    "[W.ravel(), b]",
    ".diverged_at",
    ".message",
)


def test_readme_example_runs(capsys):
    code = first_python_block()
    assert "import linreg" in code
    for line in OWN_DATA:
        assert line in code, line
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out
    assert "converged" in printed
    assert "[[10.00000008 19.99999994]]" in printed
    assert "diverged" in printed and "Diverged at step" in printed
