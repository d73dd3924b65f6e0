"""Lesson presets: named settings for a page, each with what to notice.

A preset is only the settings that differ from its page's defaults; opening its link
applies exactly those on top of the defaults. Most lessons open the live page ("Fit a
line", whose defaults are seed 000); a preset names another page and its settings class
when it needs that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from linreg.settings import Config, Settings, table
from linreg.settings.capacity import CapacityConfig
from linreg.settings.features import FeaturesConfig
from linreg.settings.race import RaceConfig
from linreg.settings.scratch import ScratchConfig

FIT_PAGE = "pages/1_Fit_a_line.py"
FEATURES_PAGE = "pages/2_Many_features.py"
SCRATCH_PAGE = "pages/3_From_scratch.py"
RACE_PAGE = "pages/4_Optimizers.py"
CAPACITY_PAGE = "pages/5_Capacity.py"


@dataclass(frozen=True)
class Preset:
    """One lesson: a title, what to notice, and the settings it changes."""

    key: str
    title: str
    notice: str
    changes: dict
    page: str = FIT_PAGE
    settings: type[Settings] = Config
    step: int = 0  # the step the lesson opens at (the run is replayed to it)

    @property
    def config(self) -> Settings:
        return table(self.settings).defaults.replace(**self.changes)

    @property
    def query(self) -> dict[str, str]:
        """The link's query parameters (settings that differ from the defaults)."""
        return table(self.settings).to_query(self.config)

    @property
    def link(self) -> dict[str, str]:
        """The query parameters that open the lesson: its key, its settings, its step."""
        step = {"step": str(self.step)} if self.step else {}
        return {"lesson": self.key, **self.query, **step}


# The race's narrow valley: x far from 0, and only the racers a lesson compares.
_VALLEY = dict(x_min=5.0, x_max=10.0, momentum=False, nesterov=False, rmsprop=False)

PRESETS = [
    Preset(
        "seed000",
        "Seed 000 as written",
        "L1 loss and SGD at 0.01 fit y = 0.8x + 0.2; the loss stops falling near step 400 "
        "and the test loss follows the train loss down.",
        {},
    ),
    Preset(
        "too-large",
        "Learning rate too large",
        "Above 2/λmax each step overshoots the valley further than the last: the path "
        "zig-zags outwards and the run diverges within a few steps.",
        {"loss": "mse", "learning_rate": 0.7, "noise": 0.1},
    ),
    Preset(
        "too-small",
        "Learning rate too small",
        "Every step goes the right way, but so little that after 2,000 steps the line has "
        "barely moved.",
        {"loss": "mse", "learning_rate": 0.0003, "noise": 0.1},
    ),
    Preset(
        "outliers",
        "Outliers: MSE vs MAE vs Huber",
        "Ten percent of the points sit 4 above the line. MSE's minimum (the red ×) is pulled "
        "up towards them; switch the loss to MAE or Huber and the minimum returns to the "
        "truth (the star).",
        {
            "loss": "mse",
            "learning_rate": 0.1,
            "noise": 0.1,
            "outlier_fraction": 0.1,
            "outlier_size": 4.0,
        },
    ),
    Preset(
        "unscaled",
        "Unscaled x: a zig-zag, cured by momentum",
        "x runs from 5 to 10, far from 0, so the loss is a long, narrow, tilted valley "
        "(λmax/λmin ≈ 2,000). SGD just under 2/λmax zig-zags across it and crawls along it. "
        "Switch the optimizer to SGD + momentum with a learning rate of 0.005: it crosses "
        "smoothly and reaches the minimum in far fewer steps.",
        {
            "loss": "mse",
            "learning_rate": 0.018,
            "noise": 0.2,
            "x_min": 5.0,
            "x_max": 10.0,
            "max_steps": 5000,
        },
    ),
    Preset(
        "unscaled-features",
        "Unscaled features, cured by standardising",
        "Raw crop features sit near 70-100, so the loss curves about 2 million times more "
        "steeply one way than another (λmax/λmin): at the tutorial's lr 1e-5 the loss is "
        "still near 100 after 200 full-batch steps and needs thousands more. Turn on "
        "Standardise features, press Use ½ × critical rate (lr 0.5) and take 30 steps: the "
        "loss is then 0.485, next to the least-squares 0.483.",
        {"batch_size": 0},
        FEATURES_PAGE,
        FeaturesConfig,
        step=200,
    ),
    Preset(
        "mini-batch",
        "Mini-batch noise",
        "With batches of 4 points each step sees a different slice of the data: the path "
        "jitters around the full-batch direction and never quite settles.",
        {"loss": "mse", "learning_rate": 0.1, "noise": 0.3, "batch_size": 4},
    ),
    Preset(
        "decay-rescues",
        "A rate too large, rescued by decay",
        "Learning rate 0.7 is above 2/λmax ≈ 0.58: at a constant 0.7 (the 'too large' "
        "lesson) the run diverges within 13 steps. ExponentialLR multiplies the rate by 0.97 "
        "after every step (the strip under the loss): the loss climbs for a few steps while "
        "the rate is still too large, then falls once the rate drops under 2/λmax, and the "
        "line settles on the least-squares fit. Set the schedule to Constant to watch the "
        "same rate diverge.",
        {
            "loss": "mse",
            "learning_rate": 0.7,
            "noise": 0.1,
            "schedule": "exponential",
            "decay": 0.97,
        },
    ),
    Preset(
        "warm-up-fit",
        "Warm-up and annealing (OneCycleLR)",
        "Batches of 4 noisy points at a rate of 0.2. OneCycleLR warms the rate up from "
        "0.2/25 = 0.008 to 0.2 over the first 300 steps (gentle first steps), then anneals it "
        "to almost 0 by step 1,000. At the peak the path jitters with the batches; as the "
        "rate anneals the jitter dies away, and over the last 200 steps the line sits about "
        "ten times nearer the least-squares fit than at a constant 0.2 (set the schedule to "
        "Constant to compare).",
        {
            "loss": "mse",
            "learning_rate": 0.2,
            "noise": 0.3,
            "batch_size": 4,
            "schedule": "onecycle",
            "schedule_steps": 1000,
            "max_steps": 1000,
            "stop_at_convergence": False,
        },
    ),
    Preset(
        "momentum",
        "Momentum",
        "Momentum keeps part of the last step: the path swings past the minimum and spirals "
        "in, faster along the valley than plain SGD.",
        {"loss": "mse", "optimizer": "momentum", "learning_rate": 0.05, "noise": 0.1},
    ),
    Preset(
        "float32-stalls",
        "float32 stalls (seed 002)",
        "Seed 002 in float32 freezes at w = [10.0429, 19.9661] after 250,972 epochs: the "
        "gradient is not zero, but lr·gradient is at most half the gap between neighbouring "
        "float32 numbers, so every update rounds away. float64 goes on to "
        "[10.00000008, 19.99999994].",
        {"dtype": "float32", "long_run": True, "way": "autograd"},
        SCRATCH_PAGE,
        ScratchConfig,
    ),
    Preset(
        "adam-vs-sgd",
        "Adam vs SGD",
        "With x from 5 to 10 the loss is a long, narrow valley. SGD's rate is capped by the "
        "steep side (2/λmax ≈ 0.017; it runs at 0.015), so it crawls along the flat floor "
        "and is still far from the minimum after 2,000 steps; Adam scales each coordinate by "
        "its own gradient history and settles by step ≈ 500.",
        {**_VALLEY, "adagrad": False, "sgd_lr": 0.015, "adam_lr": 1.0, "sweep_optimizer": "adam"},
        RACE_PAGE,
        RaceConfig,
    ),
    Preset(
        "heavy-ball",
        "Momentum rolls along the valley floor",
        "Same narrow valley: SGD at its fastest stable rate against momentum (μ = 0.9) at a "
        "fifth of it. Momentum's velocity builds up along the flat floor, so it ends up about "
        "nine times nearer the minimum after 2,000 steps.",
        {
            **_VALLEY,
            "adam": False,
            "adagrad": False,
            "momentum": True,
            "sgd_lr": 0.015,
            "momentum_lr": 0.003,
        },
        RACE_PAGE,
        RaceConfig,
    ),
]
# Capacity: the noisy cubic of the underfit / fit / overfit lessons (Adam at 0.05, 1,000 steps).
_CUBIC = dict(n_points=30, penalty="none", optimizer="adam", learning_rate=0.05, max_steps=1000)
# The lasso finds the quadratic's true degree (on the cubic, x³ is nearly a mix of x⁵ and x⁷).
_QUADRATIC = dict(
    curve="quadratic",
    noise=0.1,
    n_points=200,
    degree=8,
    penalty="lasso",
    strength=0.04,
    max_steps=3000,
)


def _capacity(key: str, title: str, notice: str, changes: dict, step: int) -> Preset:
    return Preset(key, title, notice, changes, CAPACITY_PAGE, CapacityConfig, step)


CAPACITY_LESSONS = [
    _capacity(
        "underfit",
        "Underfit: degree 1 on a noisy cubic",
        "A straight line cannot bend: the train and test losses both stay high (test MSE "
        "about 0.31). Compare degree 3 and degree 12 in the next two lessons.",
        {**_CUBIC, "degree": 1},
        1000,
    ),
    _capacity(
        "good-fit",
        "A good fit: degree 3 on a noisy cubic",
        "The true curve's own degree: the fitted curve follows the dashed truth and the test "
        "loss is lowest here (about 0.084). The validation curve below rings degree 3.",
        {**_CUBIC, "degree": 3},
        1000,
    ),
    _capacity(
        "overfit",
        "Overfit: degree 12 on 15 training points",
        "Twelve powers for fifteen points: the curve wiggles through the training points, "
        "the train loss is the lowest of the three and the test loss the highest (about "
        "1.5). Watch the test loss turn up while the train loss keeps falling.",
        {**_CUBIC, "degree": 12},
        1000,
    ),
    _capacity(
        "ridge-tames",
        "Ridge tames degree 12",
        "The same twelve powers with a ridge penalty λ = 0.03 (weight decay on the weight's "
        "param group): the wiggles flatten and the test loss drops from about 1.5 to 0.08, "
        "as good as degree 3. Slide λ and watch the path and the validation curve below.",
        {**_CUBIC, "degree": 12, "penalty": "ridge", "strength": 0.03},
        1000,
    ),
    _capacity(
        "lasso-degree",
        "The lasso picks the true degree",
        "Degree 8 on the quadratic 1.5x² - 0.5x - 0.3 with the lasso (λ = 0.04) by the "
        "proximal step: x³ … x⁸ are ringed as exactly 0 and only x and x² are left, the "
        "powers the truth has. The path below shows them leave 0 one by one as λ falls.",
        _QUADRATIC,
        3000,
    ),
    _capacity(
        "lasso-chatter",
        "Subgradient lasso chatters, proximal lands on 0",
        "The same lasso by subgradient: λ·sign(w) in the gradient makes the weights whose "
        "best value is 0 jump across it every step; none is ever exactly 0. The panel "
        "under the views shows the proximal run beside it.",
        {**_QUADRATIC, "l1_method": "subgradient"},
        3000,
    ),
    _capacity(
        "penalised-bias",
        "Never penalise the bias",
        "The line 0.8x + 0.2 on x from 1 to 3 (mean y ≈ 1.74), degree 3, ridge λ = 1 with "
        "the bias penalised too: the penalty pulls the whole curve towards y = 0, the bias "
        "stops near 1.16 and the train MSE is about 0.35. Switch Penalise the bias off: "
        "the bias goes back to the mean of y and the MSE to the noise's 0.01.",
        {
            "curve": "line",
            "noise": 0.1,
            "x_min": 1.0,
            "x_max": 3.0,
            "degree": 3,
            "penalty": "ridge",
            "strength": 1.0,
            "penalise_bias": True,
            "max_steps": 500,
        },
        500,
    ),
    _capacity(
        "rate-decay",
        "A rate too large for degree 3, rescued by decay",
        "Degree 3, plain SGD at 0.6, above the critical 2/λmax ≈ 0.50 (see Conditioning): "
        "with a constant rate the run diverges within 30 steps. ExponentialLR(γ = 0.97) "
        "brings the rate under the critical one in a few steps, and the run converges. "
        "Switch the schedule to Constant to see it blow up.",
        {
            **_CUBIC,
            "degree": 3,
            "optimizer": "sgd",
            "learning_rate": 0.6,
            "schedule": "exponential",
            "decay": 0.97,
        },
        300,
    ),
    _capacity(
        "warm-up",
        "Warm-up: OneCycleLR",
        "Degree 12 with Adam at 0.5: a constant rate throws the curve about at the start "
        "(train MSE about 1.2 at step 10). OneCycleLR starts at 0.5/25 and warms up over "
        "the first fifth of the steps (the strip under the loss): about 0.5 at step 10, "
        "and the same end.",
        {**_CUBIC, "degree": 12, "learning_rate": 0.5, "schedule": "onecycle", "pct_start": 0.2},
        1000,
    ),
    _capacity(
        "seed000-line",
        "Seed 000's line, as polynomial features",
        "y = 0.8x + 0.2 on [0, 2) without noise, the last 20 % held out as seed 000 does; "
        "degree 1 and no penalty recover 0.8 and 0.2 (the code view prints them). Raise "
        "the degree: on [0, 2] the powers are nearly parallel and gradient descent crawls.",
        {
            "curve": "line",
            "noise": 0.0,
            "n_points": 100,
            "x_min": 0.0,
            "x_max": 2.0,
            "train_fraction": 0.8,
            "split_mode": "ordered",
            "degree": 1,
            "penalty": "none",
        },
        500,
    ),
]
PRESETS += CAPACITY_LESSONS
BY_KEY = {p.key: p for p in PRESETS}
