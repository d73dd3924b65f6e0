"""linreg: linear regression trained by gradient descent, recorded step by step.

The engine (torch and NumPy only; importing it never imports streamlit):

    from linreg import Stepper, TrainSpec, seed000
    stepper = Stepper(seed000(), TrainSpec(loss="mae", optimizer="sgd", learning_rate=0.01))
    stepper.step(500)
    stepper.params, stepper.history.train_loss[-1]
"""

from linreg.csvdata import Table, load_columns, read_csv
from linreg.data import (
    Dataset,
    crop_yields,
    seed000,
    seed002,
    split,
    synthetic_line,
    synthetic_linear,
)
from linreg.errors import DataError, LinregError, SettingsError
from linreg.fastpath import params_at
from linreg.landscape import (
    critical_learning_rate,
    gradient_at,
    hessian_eigenvalues,
    loss_at,
    optimum,
    param_names,
)
from linreg.settings import DEFAULTS, Config
from linreg.surface import loss_grid, surface
from linreg.sweep import lr_sweep
from linreg.trainer import Stepper, TrainSpec, initial_params

__all__ = [
    "Config", "DEFAULTS", "Dataset", "DataError", "LinregError", "SettingsError", "Stepper",
    "Table", "TrainSpec", "critical_learning_rate", "crop_yields", "gradient_at",
    "hessian_eigenvalues", "initial_params", "load_columns", "loss_at", "loss_grid", "lr_sweep",
    "optimum", "param_names", "params_at", "read_csv", "seed000", "seed002", "split", "surface",
    "synthetic_line", "synthetic_linear",
]
