"""The engine never imports the UI: checked in a fresh interpreter, module by module."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "linreg"


def modules() -> list[str]:
    """Every module of the linreg package found on disk, except the Streamlit glue (ui)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) > 1 and parts[1] == "ui":
            continue
        names.append(".".join(parts))
    return names


def is_figures(name: str) -> bool:
    return name.split(".")[1:2] == ["figures"]


# Imports the package (and every lazily exported name), then each engine module, then the
# figure modules, recording which UI libraries are loaded after each.
SCRIPT = """
import importlib, json, sys
def loaded():
    return sorted(m for m in ("streamlit", "plotly") if m in sys.modules)
out = []
import linreg
for name in linreg.__all__:
    getattr(linreg, name)
out.append(["linreg (all names)", loaded()])
for name in sys.argv[1:]:
    importlib.import_module(name)
    out.append([name, loaded()])
print(json.dumps(out))
"""


def run_imports() -> list[tuple[str, list[str]]]:
    names = modules()
    order = [n for n in names if not is_figures(n)] + [n for n in names if is_figures(n)]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *order],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_imports():
    report = run_imports()
    names = [name for name, _ in report]
    assert "linreg.trainer" in names and "linreg.settings" in names  # the walk found them
    for name, libraries in report:
        if name == "linreg (all names)" or not is_figures(name):
            assert libraries == [], f"importing {name} loaded {libraries}"
        else:
            assert "streamlit" not in libraries, f"importing {name} loaded streamlit"


def test_lazy_names_do_not_depend_on_import_order():
    """`linreg.surface` is exported as the surface function; it must stay that function
    after something (say linreg.scene, as the live page does) imports its module."""
    script = (
        "import linreg.scene, linreg\n"
        "print(type(linreg.surface).__name__, callable(linreg.surface))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout.split() == ["function", "True"]
