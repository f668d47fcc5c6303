"""``skmnist benchmark`` and :mod:`skmnist.benchmarks.suites`."""

import numpy as np
import pandas as pd
import pytest
from clihelpers import assert_png

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from skmnist.benchmarks import suites

CSV_COLUMNS = [
    "config",
    "estimator",
    "seed",
    "accuracy",
    "macro_f1",
    "fit_seconds",
    "predict_images_per_s",
    "n_params",
    "epochs",
    "params",
]


def check_outputs(out, n_rows, epochs):
    """results.csv, .md and .png are there and agree; returns the table."""
    results = pd.read_csv(out / "results.csv")
    assert list(results.columns) == CSV_COLUMNS
    assert len(results) == n_rows
    assert (results["fit_seconds"] > 0).all() and (results["predict_images_per_s"] > 0).all()
    assert (results["epochs"] == epochs).all()
    markdown = (out / "results.md").read_text().splitlines()
    header = next(i for i, line in enumerate(markdown) if line.startswith("| model / config"))
    assert markdown[header] == (
        "| model / config | accuracy | macro F1 | fit (s) | predict (images/s) | parameters "
        "| epochs |"
    )
    rows = markdown[header + 2 :]
    assert len(rows) == n_rows
    cells = [row.strip("| ").split(" | ") for row in rows]
    assert [cell[0] for cell in cells] == list(results["config"])
    # the table shows the scores of the csv, accuracy as a percentage
    assert [cell[1] for cell in cells] == [f"{a:.2%}" for a in results["accuracy"]]
    assert_png(out / "results.png")
    return results


def test_lenet_suite_on_the_sample_without_flags(skmnist_cli, tmp_path):
    """The default epochs are capped on the sample."""
    result = skmnist_cli("benchmark", "--suite", "lenet", "--dataset", "sample", "--out", tmp_path)
    assert result.code == 0, result.err
    assert "at most 3 epochs each (small training set)" in result.out
    assert "[3/3] LeNet-5 + dropout + Adam: accuracy" in result.out
    results = check_outputs(tmp_path, 3, epochs=suites.SMALL_DATA_MAX_EPOCHS)
    assert list(results["config"]) == [
        "LeNet-5 (tanh, avg pool, SGD, cosine)",
        "MLP 784-82-56-28-10 tanh",
        "LeNet-5 + dropout + Adam",
    ]
    assert list(results["n_params"]) == [61706, 70904, 61706]
    assert results["accuracy"].min() > 0.5


@pytest.mark.parametrize(
    "name, configs, n_params",
    [
        ("optimizers", 6, [101770] * 6),
        ("cnn", 3, [241770, 61706, 241770]),
    ],
)
def test_a_suites_networks(name, configs, n_params):
    # the suites share their machinery (run end to end by the lenet, fashion and fast
    # suites' tests); what differs is what each builds
    built = suites.get_suite(name, random_state=0, device="cpu")
    assert len(built) == configs
    counted = [sum(p.numel() for p in est.initialize().module_.parameters()) for _, est in built]
    assert counted == n_params
    if name == "optimizers":
        assert any("sigmoid + SGD" in config for config, _ in built)
        assert any(est.optimizer == "adamw" for _, est in built)
    else:
        assert [config for config, _ in built] == ["CNN", "LeNet-5", "CNN best recipe"]


def test_fashion_suite_on_an_idx_folder(skmnist_cli, fashion_like, tmp_path):
    result = skmnist_cli(
        "benchmark",
        "--suite",
        "fashion",
        "--dataset",
        fashion_like,
        "--max-epochs",
        "1",
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    results = check_outputs(tmp_path, 5, epochs=1)
    assert list(results["n_params"]) == [101770] + [235146] * 2 + [241770] * 2
    assert list(results["config"]) == [
        "MLP 784-128-10 (Adam, lr 0.01)",
        "MLP 784-256-128-10 (Adam, lr 0.01)",
        "MLP 784-256-128-10 (Adam, lr 0.001)",
        "CNN",
        "Fashion recipe",
    ]


def test_without_out_only_prints(skmnist_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = skmnist_cli(
        "benchmark", "--suite", "lenet", "--dataset", "sample", "--max-epochs", "1", "--quiet"
    )
    assert result.code == 0, result.err
    assert "| LeNet-5 + dropout + Adam |" in result.out  # --quiet still prints the table
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------
# The suites as data


@pytest.mark.parametrize("name", sorted(suites.SUITES))
def test_every_suite_is_a_list_of_named_estimators(name):
    configs = suites.get_suite(name, random_state=3, device="cpu")
    names = [config for config, _ in configs]
    assert names and len(names) == len(set(names))
    for _, estimator in configs:
        assert isinstance(estimator, (MLPNetClassifier, LeNet5Classifier, CNNClassifier))
        assert (estimator.random_state, estimator.device) == (3, "cpu")
    # new estimators on every call
    assert suites.get_suite(name)[0][1] is not suites.get_suite(name)[0][1]


def test_epochs_policy():
    full = suites.get_suite("fashion")
    assert [clf.max_epochs for _, clf in full] == [5, 5, 15, 15, 30]
    small = suites.get_suite("fashion", n_train=3000)
    assert [clf.max_epochs for _, clf in small] == [suites.SMALL_DATA_MAX_EPOCHS] * 5
    assert suites.get_suite("cnn", n_train=60000)[-1][1].max_epochs == 45
    forced = suites.get_suite("cnn", n_train=60000, max_epochs=2)
    assert [clf.max_epochs for _, clf in forced] == [2, 2, 2]


def test_optimizers_suite_configurations():
    configs = dict(suites.get_suite("optimizers"))
    settings = {
        name: (clf.activation, clf.optimizer, clf.lr, clf.momentum, clf.hidden_layer_sizes)
        for name, clf in configs.items()
    }
    assert settings["sigmoid + SGD (lr 0.1)"] == ("sigmoid", "sgd", 0.1, 0.0, (128,))
    assert settings["ReLU + SGD momentum 0.9 (lr 0.01)"] == ("relu", "sgd", 0.01, 0.9, (128,))
    assert configs["ReLU + AdamW (lr 1e-3, wd 1e-2)"].weight_decay == 1e-2


def test_best_recipe_validates_on_the_training_set_only():
    clf = suites.best_recipe()
    assert isinstance(clf, CNNClassifier)
    assert clf.early_stopping and 0 < clf.validation_fraction < 1
    assert (clf.augment, clf.lr_schedule, clf.max_epochs) == ("affine", "onecycle", 45)


def test_run_suite_returns_a_table_and_reports_progress():
    from skmnist.datasets import load_mnist_sample

    X, y = load_mnist_sample(return_X_y=True)
    seen = []
    results = suites.run_suite(
        "lenet",
        X[:300],
        y[:300],
        X[300:400],
        y[300:400],
        max_epochs=1,
        on_result=lambda i, n, row: seen.append((i, n, row["config"])),
        warm_up=False,
    )
    assert list(results.columns) == list(suites.COLUMNS)
    assert [i for i, _, _ in seen] == [1, 2, 3] and {n for _, n, _ in seen} == {3}
    assert list(results["config"]) == [config for _, _, config in seen]
    markdown = suites.to_markdown(results, title="title")
    assert markdown.startswith("title\n\n| model / config |")


def test_unknown_suite_in_the_api():
    with pytest.raises(ValueError, match="unknown suite 'nope'"):
        suites.get_suite("nope")


def test_speed_suite_calls_the_speed_benchmark(skmnist_cli, tmp_path, monkeypatch):
    """--suite speed runs skmnist.benchmarks.speed (faked here: it takes half a minute)."""
    from skmnist.benchmarks import speed

    calls = []

    def fake_run(dataset, device, epochs=1, **kwargs):
        calls.append((dataset, device, epochs))
        return {"device": "cpu", "dataset": dataset}

    monkeypatch.setattr(speed, "run", fake_run)
    monkeypatch.setattr(speed, "to_markdown", lambda result: "| speed table |\n")
    result = skmnist_cli(
        "benchmark",
        "--suite",
        "speed",
        "--dataset",
        "sample",
        "--max-epochs",
        "2",
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    assert calls == [("sample", "auto", 2)]
    assert (tmp_path / "speed-cpu.md").read_text() == "| speed table |\n"
    assert '"dataset": "sample"' in (tmp_path / "speed-cpu.json").read_text()


def test_fast_suite_trains_each_seed_and_summarizes(skmnist_cli, tmp_path):
    result = skmnist_cli(
        "benchmark",
        "--suite",
        "fast",
        "--dataset",
        "sample",
        "--max-epochs",
        "1",
        "--random-state",
        "7",
        "--out",
        tmp_path,
        "--quiet",
    )
    assert result.code == 0, result.err
    results = pd.read_csv(tmp_path / "results.csv")
    assert list(results.columns) == CSV_COLUMNS
    assert list(results["seed"]) == [7, 8, 9, 10, 11]
    assert results["config"].eq("fast recipe").all()
    assert all(
        "random_state=" + str(seed) in params
        for seed, params in zip(results["seed"], results["params"], strict=True)
    )
    markdown = (tmp_path / "results.md").read_text()
    assert "random_state 7 to 11" in markdown
    summary = suites.summarize(results).iloc[0]
    assert summary.seeds == 5
    assert summary.accuracy == pytest.approx(results["accuracy"].mean())
    assert summary.accuracy_min == results["accuracy"].min()
    assert f"| fast recipe | 5 | {summary.accuracy:.2%} | {summary.accuracy_min:.2%} |" in markdown
    for seed in range(7, 12):
        assert f"| fast recipe (seed {seed}) |" in markdown
    assert_png(tmp_path / "results.png")


def test_a_suite_runs_in_parts_with_config_and_resume(skmnist_cli, tmp_path):
    mlp, dropout = "MLP 784-82-56-28-10 tanh", "LeNet-5 + dropout + Adam"
    common = ["benchmark", "--suite", "lenet", "--dataset", "sample", "--max-epochs", "1"]
    first = skmnist_cli(*common, "--config", mlp, "--out", tmp_path)
    assert first.code == 0, first.err
    written = pd.read_csv(tmp_path / "results.csv")
    assert list(written["config"]) == [mlp]

    second = skmnist_cli(*common, "--config", dropout, "--out", tmp_path, "--resume")
    assert second.code == 0, second.err
    assert "Resuming: 1 row(s)" in second.out and "[1/1] LeNet-5 + dropout + Adam" in second.out
    results = check_outputs(tmp_path, 2, epochs=1)
    assert list(results["config"]) == [mlp, dropout]  # in the suite's order
    pd.testing.assert_series_equal(results.iloc[0], written.iloc[0], check_names=False)

    again = skmnist_cli(*common, "--out", tmp_path, "--resume")  # only the one left
    assert again.code == 0, again.err
    assert "[1/1] LeNet-5 (tanh, avg pool, SGD, cosine)" in again.out
    assert len(pd.read_csv(tmp_path / "results.csv")) == 3


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--config", "CNN"], "--config: suite 'lenet' has no configuration 'CNN'; its config"),
        (["--resume"], "--resume continues the results in --out; give --out DIR"),
        (["--soft-vote"], "--soft-vote keeps the models' probabilities in --out; give --out"),
    ],
)
def test_config_resume_and_soft_vote_mistakes_are_usage_errors(skmnist_cli, extra, message):
    result = skmnist_cli("benchmark", "--suite", "lenet", "--dataset", "sample", *extra)
    assert result.code == 2
    assert message in result.err


def test_resume_refuses_the_results_of_another_suite(skmnist_cli, tmp_path):
    rows = pd.DataFrame([dict.fromkeys(CSV_COLUMNS, 1) | {"config": "fast recipe"}])
    rows.to_csv(tmp_path / "results.csv", index=False)
    result = skmnist_cli(
        "benchmark", "--suite", "lenet", "--dataset", "sample", "--out", tmp_path, "--resume"
    )
    assert result.code == 2
    assert "holds no rows of suite 'lenet'" in result.err


def test_the_minutes_suite_plots_accuracy_against_fit_time(skmnist_cli, tmp_path):
    fast, mlp = "10 s: fast_recipe()", "MLPNetClassifier() defaults"
    result = skmnist_cli(
        "benchmark", "--suite", "minutes", "--dataset", "sample", "--max-epochs", "1",
        "--config", fast, "--config", mlp, "--out", tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.err
    results = pd.read_csv(tmp_path / "results.csv")
    assert list(results["config"]) == [fast] * 3 + [mlp] * 3
    assert list(results["seed"]) == [0, 1, 2] * 2
    assert_png(tmp_path / "frontier.png")
    assert "results.png and frontier.png" in result.out


def test_seeds_runs_fewer_seeds_and_resume_adds_the_others(skmnist_cli, tmp_path):
    fast = "10 s: fast_recipe()"
    common = (
        "benchmark", "--suite", "minutes", "--dataset", "sample", "--max-epochs", "1",
        "--config", fast, "--out", tmp_path,
    )  # fmt: skip
    result = skmnist_cli(*common, "--seeds", "1")
    assert result.code == 0, result.err
    assert list(pd.read_csv(tmp_path / "results.csv")["seed"]) == [0]
    assert "random_state 0;" in (tmp_path / "results.md").read_text()
    assert "--seeds 1" in (tmp_path / "results.md").read_text()
    result = skmnist_cli(*common, "--resume")  # the suite's own 3 seeds: 1 and 2 added
    assert result.code == 0, result.err
    assert list(pd.read_csv(tmp_path / "results.csv")["seed"]) == [0, 1, 2]
    assert "random_state 0 to 2;" in (tmp_path / "results.md").read_text()


@pytest.mark.parametrize("dataset", ["mnist", "fashion-mnist"])
def test_the_minutes_recipes_keep_their_documented_settings_and_train(dataset):
    from skmnist.datasets import load_mnist_sample

    minute = suites.minute_recipe(dataset)
    assert repr(minute) == repr(
        suites.fast_recipe(max_epochs={"mnist": 10, "fashion-mnist": 8}[dataset])
    )
    five, half = suites.five_minute_recipe(dataset), suites.half_hour_recipe(dataset)
    if dataset == "fashion-mnist":  # no five-minute candidate beat the minute's on Fashion
        assert repr(five) == repr(minute)
    cnns = [five, half] if dataset == "mnist" else [half]
    for clf in cnns:
        assert isinstance(clf, CNNClassifier)
        assert (clf.channels, clf.dropout, clf.convs_per_block) == ((32, 64, 128), 0.25, 1)
        assert (clf.optimizer, clf.lr, clf.lr_schedule, clf.batch_size) == (
            "adamw",
            3e-3,
            "onecycle",
            128,
        )
        assert not clf.early_stopping  # the whole training set trains, for all the epochs
        assert clf.weight_decay == {"mnist": 1e-4, "fashion-mnist": 5e-4}[dataset]
    assert half.max_epochs == 30 and (dataset != "mnist" or five.max_epochs == 5)
    assert half.augment == {"mnist": "affine", "fashion-mnist": {"hflip": 0.5}}[dataset]
    # each builds its network and trains a few batches of the sample
    X, y = load_mnist_sample(return_X_y=True)
    for clf in (minute, five, half):
        clf.set_params(max_epochs=1, batch_size=64, random_state=0).fit(X[:256], y[:256])
        assert len(clf.history_) == 1 and clf.predict(X[:5]).shape == (5,)


def test_a_minutes_recipe_names_the_data_sets_it_is_made_for():
    for recipe in (suites.minute_recipe, suites.five_minute_recipe, suites.half_hour_recipe):
        with pytest.raises(ValueError, match=r"dataset must be one of \('mnist', 'fashion-m"):
            recipe("cifar10")


def test_the_fashion_minutes_suite_runs_on_fashion_mnist_by_default():
    from skmnist.cli._benchmark import DEFAULT_DATASETS

    assert DEFAULT_DATASETS["fashion-minutes"] == "fashion-mnist"
    names = [name for name, _ in suites.get_suite("fashion-minutes")]
    assert [name.split(":")[0] for name in names] == ["10 s", "1 min", "5 min", "30 min"]
    assert suites.SUITES["fashion-minutes"].frontier
    assert set(suites.PUBLISHED) == {"mnist", "fashion-mnist"}


def test_the_frontier_joins_what_no_faster_configuration_beats():
    results = pd.DataFrame(
        {
            "config": ["a", "a", "b", "c", "d"],
            "accuracy": [0.990, 0.992, 0.989, 0.995, 0.994],
            "fit_seconds": [9.0, 11.0, 30.0, 60.0, 300.0],
        }
    )
    figure = suites.plot_frontier(results, references={"published": 0.993})
    frontier = figure.axes[0].lines[0]
    assert list(frontier.get_xdata()) == [10.0, 60.0]  # a (median of its seeds), then c
    assert list(frontier.get_ydata()) == pytest.approx([0.991, 0.995])
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert labels == ["a\n99.10%", "b\n98.90%", "c\n99.50%", "d\n99.40%"]
    legend = figure.axes[0].get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["published: 99.30%"]


def test_a_frontier_point_that_only_ties_the_one_before_is_labelled_below_it():
    results = pd.DataFrame(
        {"config": ["a", "b", "c"], "accuracy": [0.99, 0.99, 0.995], "fit_seconds": [10, 12, 99]}
    )
    texts = suites.plot_frontier(results).axes[0].texts
    assert {text.get_text().split("\n")[0]: text.get_va() for text in texts} == {
        "a": "bottom",
        "b": "top",
        "c": "bottom",
    }


def test_soft_vote_scores_the_seeds_of_runs_made_at_different_times(skmnist_cli, tmp_path):
    mlp = "MLPNetClassifier() defaults"
    common = (
        "benchmark", "--suite", "minutes", "--dataset", "sample", "--max-epochs", "2",
        "--config", mlp, "--out", tmp_path, "--soft-vote",
    )  # fmt: skip
    result = skmnist_cli(*common, "--seeds", "1")
    assert result.code == 0, result.err
    assert "soft vote" not in (tmp_path / "results.md").read_text()  # one model does not vote
    result = skmnist_cli(*common, "--random-state", "1", "--seeds", "2", "--resume")
    assert result.code == 0, result.err
    kept = sorted(path.name for path in (tmp_path / "probabilities").iterdir())
    assert kept == [f"MLPNetClassifier-defaults-seed{seed}.npz" for seed in (0, 1, 2)]
    markdown = (tmp_path / "results.md").read_text()
    assert "--soft-vote" in markdown
    vote = next(line for line in markdown.splitlines() if line.startswith(f"| {mlp} | 0, 1, 2 |"))
    assert float(vote.split("**")[1].rstrip("%")) > 85  # three models that learned, voting


def test_a_soft_vote_is_scikit_learns_soft_voting(tmp_path):
    from sklearn.ensemble import VotingClassifier
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression

    from skmnist.datasets import load_mnist_sample

    X, y = load_mnist_sample(return_X_y=True)
    X, X_test, y, y_test = X[:400] / 255, X[2000:] / 255, y[:400] + 10, y[2000:] + 10
    models = [
        LogisticRegression(C=c, max_iter=200).fit(X[i::3], y[i::3])
        for i, c in enumerate([0.01, 1, 100])
    ]
    for seed, model in enumerate(models):
        np.savez(
            suites.probabilities_file(tmp_path, "a: b", seed),
            probabilities=model.predict_proba(X_test),
            classes=model.classes_,
        )
    results = pd.DataFrame({"config": ["a: b"] * 4, "seed": [0, 1, 2, 3]})  # seed 3 kept none
    votes = suites.soft_votes(results, tmp_path, y_test)
    voting = VotingClassifier(
        [(str(i), FrozenEstimator(m)) for i, m in enumerate(models)], voting="soft"
    )
    expected = voting.fit(X, y).score(X_test, y_test)
    assert votes.to_numpy().tolist() == [["a: b", "0, 1, 2", expected]]


def test_a_soft_vote_refuses_probabilities_of_another_test_set(tmp_path):
    for seed, n in enumerate([4, 5]):
        np.savez(
            suites.probabilities_file(tmp_path, "a", seed),
            probabilities=np.full((n, 2), 0.5),
            classes=[0, 1],
        )
    results = pd.DataFrame({"config": ["a", "a"], "seed": [0, 1]})
    with pytest.raises(ValueError, match="another test set"):
        suites.soft_votes(results, tmp_path, y_test=[0, 1, 0, 1])
