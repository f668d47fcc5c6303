"""
Tuning with Optuna: the seed search space, pruning and a shared study
=====================================================================

``optuna_integration.OptunaSearchCV`` is a scikit-learn search whose
candidates Optuna's sampler proposes, each scored by cross-validation.
:func:`~skmnist.model_selection.seed_search_space` gives the seed project's
search space as Optuna distributions; with ``enable_pruning=True`` the search
trains by ``partial_fit`` and stops unpromising trials after an epoch or two.
Optuna is an optional dependency: ``pip install "skmnist[tune]"``.
"""

# %%
# The seed search space
# ---------------------
# Learning rate, batch size, dropout, epochs, early stopping and a plateau
# schedule, named as the estimator's parameters (prefixed with the pipeline
# step). It is a plain dict: here we cap the epochs so that the example runs
# in seconds.
import tempfile
import warnings
from pathlib import Path

import optuna
from optuna.distributions import IntDistribution
from optuna_integration import OptunaSearchCV
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from skmnist import MLPNetClassifier, PixelNormalizer, load_mnist_sample
from skmnist.model_selection import seed_search_space

optuna.logging.set_verbosity(optuna.logging.WARNING)
# OptunaSearchCV and Optuna's matplotlib plots are marked experimental, and
# OptunaSearchCV calls a part of Optuna (the terminator) that Optuna 4.9 deprecated
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
warnings.filterwarnings("ignore", message="`optuna.terminator` module has been deprecated")
X_train, y_train = load_mnist_sample(subset="train", return_X_y=True)
X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)

space = seed_search_space(prefix="clf__")
space["clf__max_epochs"] = IntDistribution(2, 6)
for name, distribution in space.items():
    print(f"{name:22} {distribution}")

# %%
# A search over a pipeline
# ------------------------
# Each trial fits the pipeline on 3 stratified folds; early stopping holds out
# 10% of each fold's training images.
pipe = Pipeline([("norm", PixelNormalizer()), ("clf", MLPNetClassifier(random_state=0))])
search = OptunaSearchCV(pipe, space, cv=StratifiedKFold(3), n_trials=6, random_state=0).fit(
    X_train, y_train
)
print(f"best cross-validated accuracy {search.best_score_:.3f}:")
print(search.best_params_)
print(f"test accuracy of the refitted best {search.score(X_test, y_test):.3f}")

# %%
# The trials
# ----------
# ``trials_dataframe`` is Optuna's table of the trials: their parameters and
# mean scores.
columns = ["number", "value", "params_clf__lr", "params_clf__batch_size", "params_clf__max_epochs"]
print(search.trials_dataframe()[columns].round(4).to_string(index=False))

# %%
# Pruning
# -------
# With ``enable_pruning=True`` each trial trains by ``partial_fit``, one epoch
# per call for ``max_iter`` calls, and reports the folds' mean accuracy after
# every epoch; the study's pruner stops the trials that fall behind. A
# :class:`~sklearn.pipeline.Pipeline` has no ``partial_fit``, so the search
# tunes the estimator itself (it scales the integer pixels on its own), over
# the part of the space that acts per epoch (``for_partial_fit=True``). The
# estimator's ``max_epochs`` equals ``max_iter``: refitting the best uses
# ``fit``.
#
# The study is stored in a SQLite file. Other processes (or, with a
# PostgreSQL URL, other machines) join it by running the same search with
# ``optuna.create_study(..., storage=storage, load_if_exists=True)``.
tmp = tempfile.TemporaryDirectory()
workdir = Path(tmp.name)
storage = f"sqlite:///{workdir / 'study.db'}"
study = optuna.create_study(
    study_name="mlp",
    storage=storage,
    direction="maximize",
    load_if_exists=True,
    sampler=optuna.samplers.TPESampler(seed=0),
    pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
)
pruned_search = OptunaSearchCV(
    MLPNetClassifier(max_epochs=5, random_state=0),
    seed_search_space(for_partial_fit=True),
    enable_pruning=True,
    max_iter=5,
    study=study,
    n_trials=12,
    cv=StratifiedKFold(3),
    random_state=0,
).fit(X_train, y_train)
shared = optuna.load_study(study_name="mlp", storage=storage)
states = [trial.state.name for trial in shared.trials]
print({state: states.count(state) for state in sorted(set(states))})

# %%
# Optimisation history and parameter importances
# ----------------------------------------------
# ``optuna.visualization.matplotlib`` draws a study: the best value so far
# after each trial, and how much each parameter explains of the objective
# (fANOVA on the completed trials; with a dozen trials, a rough guide).
from optuna.visualization.matplotlib import plot_optimization_history, plot_param_importances

ax = plot_optimization_history(shared, target_name="accuracy")
ax.figure.savefig(workdir / "history.png")
ax = plot_param_importances(shared)
ax.figure.savefig(workdir / "importances.png")
print(sorted(path.name for path in workdir.iterdir()))
tmp.cleanup()
