"""linreg: linear regression trained by gradient descent, recorded step by step.

The engine (torch and NumPy only; importing it never imports streamlit):

    from linreg import Stepper, TrainSpec, seed000
    stepper = Stepper(seed000(), TrainSpec(loss="mae", optimizer="sgd", learning_rate=0.01))
    stepper.step(500)
    stepper.params, stepper.history.train_loss[-1]

Names are imported on first use, so `import linreg.ui.page` (the landing page) does not
wait for torch to load.
"""

from importlib import import_module

_HOME = {
    "Table": "csvdata",
    "load_columns": "csvdata",
    "read_csv": "csvdata",
    "Dataset": "data",
    "crop_yields": "data",
    "seed000": "data",
    "seed002": "data",
    "split": "data",
    "synthetic_line": "data",
    "synthetic_linear": "data",
    "DataError": "errors",
    "LinregError": "errors",
    "SettingsError": "errors",
    "params_at": "fastpath",
    "Scaler": "features",
    "standardise": "features",
    "critical_learning_rate": "landscape",
    "gradient_at": "landscape",
    "hessian_eigenvalues": "landscape",
    "loss_at": "landscape",
    "optimum": "landscape",
    "param_names": "landscape",
    "DEFAULTS": "settings",
    "Config": "settings",
    "loss_grid": "surfaces",
    "surface": "surfaces",
    "lr_sweep": "sweep",
    "Stepper": "trainer",
    "TrainSpec": "trainer",
    "initial_params": "trainer",
    # capacity and regularisation
    "sample_curve": "curves",
    "polynomial": "polyfeatures",
    "PenalisedStepper": "regularised",
    "RegSpec": "regularised",
    "penalised_optimum": "optima",
    "regularisation_path": "regpath",
    "degree_curve": "regpath",
    "Schedule": "schedules",
}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(import_module(f"linreg.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'linreg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
