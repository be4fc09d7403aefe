"""Sessions: one test session per package, ``tests`` (everything), lint, demo, bench, docs.

    pip install nox uv
    nox -s core          # mx-core alone in a fresh venv: an undeclared import fails
    nox -s tests         # every package installed together, every test suite (CI)
    nox -s lint | demo | bench | docs

pytest arguments after ``--`` replace the default ``-n 2`` (``nox -s core -- -x -k plugins``).
"""
import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.download_python = "never"      # use the interpreter that runs nox
nox.options.sessions = ["lint", "tests"]

ROOT = os.path.dirname(os.path.abspath(__file__))

# session name -> (package folder, sibling folders it declares as dependencies).
# Adding a package is one line here.
PACKAGES = {
    "core": ("packages/mx-core", []),
    "symbol": ("packages/mx-symbol", ["packages/mx-core"]),
    "gluon": ("packages/mx-gluon", ["packages/mx-core", "packages/mx-symbol"]),
    "kvstore": ("packages/mx-kvstore", ["packages/mx-core"]),
    "onnx": ("packages/mx-onnx", ["packages/mx-core", "packages/mx-symbol"]),
    "cuda": ("packages/mx-cuda", ["packages/mx-core"]),
}
# extras the test sessions install: OpenCV for the image tests, mpi4py + MPICH for the
# two-process dist kvstore tests, ONNX Runtime to run exported models
EXTRAS = {"packages/mx-core": "[image]", "packages/mx-kvstore": "[mpi]",
          "packages/mx-onnx": "[test]"}
META = "packages/mx"
EXAMPLES = ["examples/mx-plugin-example"]
TEST_TOOLS = ["pytest>=7", "pytest-xdist>=3"]
TORCH = "torch==2.13.0"    # the version of the benchmark anchors; never another


def _pytest_args(session, default=("-n", "2")):
    """pytest's arguments: the session's ``--`` arguments, else 2 xdist workers."""
    return list(session.posargs) if session.posargs else list(default)


def _package_session(name, folder, siblings):
    @nox.session(name=name)
    def run_tests(session):
        # a plain (wheel) install of the package and only what it declares
        session.install(*[os.path.join(ROOT, f) for f in siblings],
                        os.path.join(ROOT, folder) + EXTRAS.get(folder, ""), *TEST_TOOLS)
        session.chdir(os.path.join(ROOT, folder))
        # exit 5: the package has no tests yet (a new package); not a failure here
        session.run("pytest", "tests", *_pytest_args(session), success_codes=[0, 5])
    run_tests.__doc__ = f"Test {folder} alone, with only what it declares installed."
    return run_tests


for _name, (_folder, _siblings) in PACKAGES.items():
    _package_session(_name, _folder, _siblings)


def _all_folders():
    # mx-cuda has its own session only: mx-core's tests register a fake "gpu" backend,
    # which cannot coexist with an installed one
    return [folder for name, (folder, _) in PACKAGES.items() if name != "cuda"] \
        + [META] + EXAMPLES


@nox.session
def tests(session):
    """Every package (and the example plugin) installed together; all their tests."""
    targets = [os.path.join(ROOT, f) + EXTRAS.get(f, "") for f in _all_folders()]
    session.install(*targets, *TEST_TOOLS)
    session.chdir(ROOT)
    dirs = [os.path.join(f, "tests") for f in _all_folders()
            if os.path.isdir(os.path.join(ROOT, f, "tests"))]
    # one pytest run over every package (root pytest.ini), so one summary line
    session.run("pytest", *dirs, *_pytest_args(session))


@nox.session
def lint(session):
    """ruff check over the whole repository (ruff.toml)."""
    session.install("ruff")
    session.run("ruff", "check", ROOT)


@nox.session
def demo(session):
    """Train a LeNet on scikit-learn's digits with Gluon, export, reload, predict."""
    session.install(*[os.path.join(ROOT, f) for f, _ in PACKAGES.values()], "scikit-learn")
    session.run("python", os.path.join(ROOT, "demo", "train_digits.py"))
    session.run("python", os.path.join(ROOT, "demo", "train_digits_nd.py"))


@nox.session(venv_backend="virtualenv")
def bench(session):
    """Benchmarks in bench/, beside NumPy, PyTorch and (REAL_MXNET_PYTHON) the real MXNet.

    ``nox -s bench`` runs dispatch.py and a quick bench/run.py; arguments after ``--``
    go to run.py instead (``nox -s bench -- --groups ops,models,module`` = the full suite).
    """
    # uv would resolve torch to the multi-gigabyte CUDA build; pip honours the CPU index
    session.install(*[os.path.join(ROOT, PACKAGES[name][0])
                      for name in ("core", "symbol", "gluon")])
    try:
        session.install(TORCH, "numpy")
    except nox.command.CommandFailed:
        session.warn(f"{TORCH} could not be installed: benchmarks run without PyTorch")
    python = os.path.join(session.bin, "python")
    env = {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(os.cpu_count())),
           "NEW_MXNET_PYTHON": python, "LIMITS_PYTHON": python, "TORCH_PYTHON": python}
    session.run("python", os.path.join(ROOT, "bench", "dispatch.py"), env=env)
    session.run("python", os.path.join(ROOT, "bench", "run.py"),
                *(session.posargs or ["--quick"]), env=env)


@nox.session(venv_backend="none")
def docs(session):
    """Regenerate the list of `# MXNet 1.9.1 compat:` notes in docs/migrating.md."""
    session.run("python", os.path.join(ROOT, "docs", "compat_notes.py"), "--write")
