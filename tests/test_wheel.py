"""`pip install .` and `pip install -e .` give a working package: the wheel holds every
module and the bundled data, declares its dependencies, and the README's notebook example
runs from it in a fresh venv, away from this folder.

No network: the wheel is built without build isolation, and the venv borrows torch, NumPy,
plotly, streamlit (and setuptools, for the editable build) from this interpreter through a
.pth file; linreg itself must come from the install.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from test_readme import first_python_block

ROOT = Path(__file__).resolve().parents[1]
# Building in place would leave build/ and linreg.egg-info here: build from a copy.
LEFT_OUT = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    ".benchmarks",
    "shots",
)
BORROWED = ("torch", "numpy", "plotly", "streamlit", "setuptools")
PIP_ENV = {
    **os.environ,
    "PIP_NO_INDEX": "1",
    "PIP_RETRIES": "0",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_ROOT_USER_ACTION": "ignore",
}


def run(args: list, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def package_files(root: Path) -> list[str]:
    """Every file of the linreg package under root, as a wheel names it."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in (root / "linreg").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def module_names(root: Path) -> list[str]:
    names = []
    for path in sorted((root / "linreg").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def requirement_names(lines) -> set[str]:
    """Package names of requirement lines (comments and options skipped)."""
    names = set()
    for line in lines:
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\s<>=!~;\[(]", line, maxsplit=1)[0].lower())
    return names


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("source") / "linreg-source"
    shutil.copytree(ROOT, copy, ignore=LEFT_OUT)
    return copy


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation"]
    run([*pip, "-w", out], cwd=source, env=PIP_ENV)
    [built] = out.glob("linreg-*.whl")
    return built


def fresh_venv(where: Path) -> Path:
    """A venv without linreg that borrows BORROWED through a .pth file; returns its python."""
    venv.create(where, with_pip=False, symlinks=os.name != "nt")
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([python, "-I", "-c", code], cwd=where).strip())
    homes = {Path(importlib.util.find_spec(name).origin).parents[1] for name in BORROWED}
    (site / "borrowed.pth").write_text("".join(f"{home}\n" for home in sorted(homes)))
    return python


def install(python: Path, *what) -> None:
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps"]
    run([*pip, "--no-build-isolation", *what], cwd=python.parent, env=PIP_ENV)


# Runs in the venv: the README's example, then every module of the package, then the data.
CHECK = """
import importlib, sys
from pathlib import Path
exec(compile(Path("readme_example.py").read_text(encoding="utf-8"), "README.md", "exec"), {})
import linreg
for name in sys.argv[1:]:
    importlib.import_module(name)
print("crop rows:", len(linreg.crop_yields(15).x_train))
print("linreg from:", Path(linreg.__file__).resolve().parent)
"""


def run_readme(python: Path, source: Path, where: Path) -> tuple[str, Path]:
    """The README's example and CHECK, in an empty folder, isolated from this checkout (-I:
    no PYTHONPATH, no user site, no script folder on sys.path)."""
    where.mkdir()
    (where / "readme_example.py").write_text(first_python_block(), encoding="utf-8")
    (where / "check.py").write_text(CHECK, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = run([python, "-I", "check.py", *module_names(source)], cwd=where, env=env)
    home = Path(out.split("linreg from:")[-1].strip())
    return out, home


def assert_the_example_ran(out: str) -> None:
    assert "converged" in out
    assert "[[10.00000008 19.99999994]]" in out
    assert "Diverged at step" in out
    assert "crop rows: 15" in out  # the bundled CSV, read from the installed package


def test_the_wheel_holds_every_module_and_the_bundled_data(source, wheel):
    files = package_files(source)
    assert "linreg/datasets/crop_yields.csv" in files and "linreg/settings/__init__.py" in files
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [f for f in files if f not in names] == []


def test_the_wheel_declares_requirements_txts_packages(wheel):
    with zipfile.ZipFile(wheel) as z:
        [metadata] = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        lines = z.read(metadata).decode().splitlines()
    declared = [line.split(":", 1)[1] for line in lines if line.startswith("Requires-Dist:")]
    wanted = requirement_names((ROOT / "requirements.txt").read_text().splitlines())
    assert {"torch", "numpy", "plotly", "streamlit"} <= wanted  # the parse found them
    assert requirement_names(declared) == wanted
    assert not any("+" in d for d in declared)  # no local version such as +cpu


def test_the_readme_example_runs_from_the_installed_wheel(source, wheel, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    install(python, wheel)
    out, home = run_readme(python, source, tmp_path / "notebook")
    assert_the_example_ran(out)
    assert home.is_relative_to(tmp_path / "venv"), home


def test_the_readme_example_runs_from_an_editable_install(source, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    install(python, "-e", source)
    out, home = run_readme(python, source, tmp_path / "notebook")
    assert_the_example_ran(out)
    assert home == source / "linreg", home
