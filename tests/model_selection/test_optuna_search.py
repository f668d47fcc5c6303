"""Optuna: the seed search space, OptunaSearchCV with pruning, a study shared by processes."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import joblib
import pytest

import skmnist
from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier, load_mnist_sample
from skmnist.model_selection import seed_search_space

optuna = pytest.importorskip("optuna")
optuna_integration = pytest.importorskip("optuna_integration")
distributions = optuna.distributions
TrialState = optuna.trial.TrialState


@pytest.fixture(autouse=True)
def quiet_optuna():
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    yield
    optuna.logging.set_verbosity(verbosity)


@pytest.mark.parametrize(
    "estimator, dropout",
    [
        (MLPNetClassifier(), ("dropout",)),
        (CNNClassifier(), ("dropout",)),
        (LeNet5Classifier(), ("conv_dropout", "fc_dropout")),
    ],
    ids=["mlp", "cnn", "lenet5"],
)
def test_seed_search_space_names_the_estimators_parameters(estimator, dropout):
    space = seed_search_space(prefix="clf__", dropout=dropout)
    params = {f"clf__{name}" for name in estimator.get_params()}
    assert set(space) <= params
    assert set(space) - {f"clf__{name}" for name in dropout} == {
        "clf__lr",
        "clf__batch_size",
        "clf__max_epochs",
        "clf__early_stopping",
        "clf__n_iter_no_change",
        "clf__lr_schedule",
        "clf__lr_patience",
        "clf__lr_factor",
    }


def test_seed_search_space_ranges():
    space = seed_search_space()
    assert space["lr"] == distributions.FloatDistribution(1e-5, 1e-2, log=True)
    assert space["batch_size"] == distributions.CategoricalDistribution([64, 128, 256])
    assert space["dropout"] == distributions.FloatDistribution(0.2, 0.5)
    assert space["max_epochs"] == distributions.IntDistribution(5, 20)
    assert space["n_iter_no_change"] == distributions.IntDistribution(3, 10)
    assert space["lr_patience"] == distributions.IntDistribution(2, 5)
    assert space["lr_factor"] == distributions.FloatDistribution(0.1, 0.5)
    assert space["early_stopping"].choices == (True,)
    assert space["lr_schedule"].choices == ("plateau",)
    assert set(seed_search_space(dropout=(), for_partial_fit=True)) == {"lr", "batch_size"}


def test_a_sampled_configuration_trains():
    X, y = load_mnist_sample(return_X_y=True)
    space = seed_search_space()
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    params = study.ask(space).params
    clf = MLPNetClassifier(random_state=0, **{**params, "max_epochs": 2}).fit(X[:300], y[:300])
    assert clf.early_stopping and clf.lr_schedule == "plateau"
    assert "valid_acc" in clf.history_frame()


def test_pruned_optuna_search_prunes_the_bad_trial():
    X, y = load_mnist_sample(return_X_y=True)
    study = optuna.create_study(
        direction="maximize", pruner=optuna.pruners.ThresholdPruner(lower=0.3)
    )
    good = {"lr": 1e-2, "batch_size": 64, "dropout": 0.2}
    bad = {"lr": 1e-5, "batch_size": 256, "dropout": 0.5}
    study.enqueue_trial(good)
    study.enqueue_trial(bad)
    search = optuna_integration.OptunaSearchCV(
        MLPNetClassifier(max_epochs=3, random_state=0),
        seed_search_space(for_partial_fit=True),
        enable_pruning=True,
        max_iter=3,  # partial_fit calls: epochs
        study=study,
        n_trials=2,
        cv=2,
        error_score="raise",  # partial_fit must take the classes it is given
    ).fit(X[:600], y[:600])
    states = [trial.state for trial in study.trials]
    assert states == [TrialState.COMPLETE, TrialState.PRUNED]
    # pruned after the first epoch; the good trial reported every epoch
    assert list(study.trials[1].intermediate_values) == [0]
    assert list(study.trials[0].intermediate_values) == [0, 1, 2]
    assert search.best_params_ == good and search.best_score_ > 0.7
    assert len(search.best_estimator_.history_) == 3


WORKER = textwrap.dedent("""
    import sys
    import optuna
    from optuna_integration import OptunaSearchCV
    from skmnist import MLPNetClassifier, load_mnist_sample
    from skmnist.model_selection import seed_search_space

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage, n_trials = sys.argv[1], int(sys.argv[2])
    study = optuna.create_study(study_name="shared", storage=storage,
                                direction="maximize", load_if_exists=True)
    X, y = load_mnist_sample(return_X_y=True)
    OptunaSearchCV(MLPNetClassifier(max_epochs=1, random_state=0),
                   seed_search_space(for_partial_fit=True), study=study,
                   n_trials=n_trials, cv=2, refit=False).fit(X[:200], y[:200])
""")


def test_two_processes_share_a_study_in_a_sqlite_file(tmp_path):
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    # created once here, so that the workers do not race to create its tables
    optuna.create_study(study_name="shared", storage=storage, direction="maximize")
    share = str(max(1, joblib.cpu_count() // 2))  # each process's share of the cores
    env = {
        **os.environ,
        "OMP_NUM_THREADS": share,
        "MKL_NUM_THREADS": share,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(skmnist.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]
        ),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, storage, "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    trials = optuna.load_study(study_name="shared", storage=storage).trials
    assert len(trials) == 4
    assert sorted(trial.number for trial in trials) == list(range(4))
    assert all(trial.state == TrialState.COMPLETE for trial in trials)
