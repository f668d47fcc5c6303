"""The GPU check's reports: the records table and the summary of every step, as Markdown."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

#: The records step's recipes: (the function's name in suites, the data set it trains on)
RECIPES = {
    "record": ("record_recipe", "mnist"),
    "best": ("best_recipe", "mnist"),
    "fashion": ("fashion_recipe", "fashion-mnist"),
}


def _seeds(n):
    return "0" if n == 1 else f"0 to {n - 1}"


def records_markdown(result, device, env, n_train, n_test):
    function, dataset = RECIPES[result["recipe_name"]]
    dataset = {
        "mnist": "MNIST",
        "fashion-mnist": "Fashion-MNIST (class-stratified split of a redistributed copy)",
    }[dataset]
    lines = [
        f"`{function}()` fitted at random_state {_seeds(len(result['members']))} on "
        f"{n_train:,} {dataset} training images and "
        f"scored on {n_test:,} test images, device {device} ({env['device_name']}); "
        f"skmnist {env['skmnist']}, torch {env['torch']}. Made by the GPU check "
        f"(`.ci/gpu-check --steps records`).",
        "",
        "| model | test accuracy | fit seconds | epochs |",
        "|---|---|---|---|",
    ]
    for row in result["members"]:
        lines.append(
            f"| random_state {row['random_state']} | {row['accuracy']:.2%} | "
            f"{row['fit_seconds']:.1f} | {row['epochs']} |"
        )
    lines += [
        f"| mean (min) of the {len(result['members'])} | {result['accuracy_mean']:.2%} "
        f"({result['accuracy_min']:.2%}) | | |",
        f"| soft vote of the {len(result['members'])} | "
        f"**{result['soft_vote_accuracy']:.2%}** | {result['fit_seconds_total']:.1f} | |",
    ]
    return "\n".join(lines) + "\n"


def _summary_rows(report):
    steps = report["steps"]
    rows = []
    tests = steps.get("tests", {})
    if "result" in tests:
        r = tests["result"]
        rows.append(
            (
                "device tests",
                f"{r['passed']} passed, {r['failures'] + r['errors']} "
                f"failed, {r['skipped']} skipped",
            )
        )
    speed = steps.get("speed", {}).get("result")
    if speed:
        for name in ("skmnist / raw", "augmented / unaugmented"):
            rows.append((f"speed: {name} (epoch time)", f"{speed['ratios'][name]:.3f}"))
        raw = speed["epoch_seconds"]["raw PyTorch loop"]
        rows.append(("speed: raw loop s/epoch", f"{raw:.3f}"))
    fast = steps.get("fast", {}).get("result")
    if fast:
        rows.append(
            (
                "fast: test accuracy mean / min (5 seeds)",
                f"{fast['accuracy_mean']:.2%} / {fast['accuracy_min']:.2%}",
            )
        )
        rows.append(("fast: fit seconds (median)", f"{fast['fit_seconds_median']:.2f}"))
    select = steps.get("select", {}).get("result")
    if select:
        rows.append(
            (
                f"select {select['selection']}: chosen on the hold-out",
                f"{select['chosen']}",
            )
        )
        rows.append(
            (
                f"select {select['selection']}: test accuracy mean / min; fit seconds (median)",
                f"{select['accuracy_mean']:.2%} / {select['accuracy_min']:.2%}; "
                f"{select['fit_seconds_median']:.2f}",
            )
        )
    records = steps.get("records", {}).get("result")
    if records:
        n = len(records["members"])
        first = records["members"][0]
        rows.append(
            (
                f"{records['recipe_name']} recipe (random_state 0): accuracy, fit seconds, epochs",
                f"{first['accuracy']:.2%}, {first['fit_seconds']:.1f}, {first['epochs']}",
            )
        )
        if n > 1:
            rows.append(
                (
                    f"{records['recipe_name']} recipe: accuracy mean / min ({n} seeds); soft vote",
                    f"{records['accuracy_mean']:.2%} / {records['accuracy_min']:.2%}; "
                    f"{records['soft_vote_accuracy']:.2%}",
                )
            )
    for name, step in steps.items():
        if "error" in step:
            rows.append((f"{name}: ERROR", step["error"].splitlines()[-1][:100]))
    rows.append(("total seconds", f"{report['seconds']:.0f}"))
    return rows


def to_markdown(report: dict) -> str:
    """The check's report as Markdown: the setup, then one row per figure.

    Parameters
    ----------
    report : dict
        What the check writes to ``gpu-check.json``.

    Returns
    -------
    text : str
        A line on the machine and versions, the command, and a table.
    """
    env = report["environment"]
    lines = [
        f"GPU check on {env['device']} ({env['device_name']}), {env['cpu_cores']} CPU cores; "
        f"torch {env['torch']}, skmnist {env['skmnist']}, Python {env['python']}.",
        "",
        f"Made by `{report['command']}`.",
        "",
        "| check | result |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in _summary_rows(report)]
    return "\n".join(lines) + "\n"
