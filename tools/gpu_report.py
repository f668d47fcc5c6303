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


def records_markdown(result, device, env, n_train, n_test, command=".ci/gpu-check --steps records"):
    function, dataset = RECIPES[result["recipe_name"]]
    dataset = {
        "mnist": "MNIST",
        "fashion-mnist": "Fashion-MNIST (class-stratified split of a redistributed copy)",
    }[dataset]
    members = result["members"]
    lines = [
        f"`{function}()` fitted at random_state {_seeds(len(members))} on "
        f"{n_train:,} {dataset} training images and "
        f"scored on {n_test:,} test images, device {device} ({env['device_name']}); "
        f"skmnist {env['skmnist']}, torch {env['torch']}. Made by the GPU check "
        f"(`{command}`).",
        "",
        "| model | test accuracy | fit seconds | epochs |",
        "|---|---|---|---|",
    ]
    for row in members:
        lines.append(
            f"| random_state {row['random_state']} | {row['accuracy']:.2%} | "
            f"{row['fit_seconds']:.1f} | {row['epochs']} |"
        )
    for row in result.get("not_finished", []):
        lines.append(f"| random_state {row['random_state']} | {row['reason']} | | |")
    if members:
        lines += [
            f"| mean (min) of the {len(members)} | {result['accuracy_mean']:.2%} "
            f"({result['accuracy_min']:.2%}) | | |",
            f"| soft vote of the {len(members)} | "
            f"**{result['soft_vote_accuracy']:.2%}** | {result['fit_seconds_total']:.1f} | |",
        ]
    return "\n".join(lines) + "\n"


def _tests_rows(r):
    rows = [
        (
            "device tests",
            f"{r['passed']} passed, {r['failures'] + r['errors']} failed, {r['skipped']} skipped",
        )
    ]
    compiled = r.get("compile")
    if compiled:
        rows.append(
            (
                f"torch.compile case (own process, budget {compiled['budget']} s)",
                f"{compiled['outcome']} in {compiled['seconds']:.0f} s",
            )
        )
    return rows


def _speed_rows(speed):
    rows = [
        (f"speed: {name} (epoch time)", f"{ratio:.3f}") for name, ratio in speed["ratios"].items()
    ]
    rows += [
        (f"speed: {name}, s/epoch", f"{seconds:.3f}")
        for name, seconds in speed["epoch_seconds"].items()
    ]
    for batch, rates in speed.get("predict_images_per_s", {}).items():
        if isinstance(rates, dict) and rates.get("raw"):
            rows += [
                (
                    f"speed: predict_proba at batch {batch}, {name} / raw",
                    f"{rate / rates['raw']:.3f}",
                )
                for name, rate in rates.items()
                if name != "raw"
            ]
    return rows


def _select_rows(select):
    name = select["selection"]
    rows = [(f"select {name}: chosen on the hold-out", f"{select['chosen']}")]
    if select.get("accuracy_mean") is not None:
        final = select.get("final_fits")
        rows.append(
            (
                f"select {name}: test accuracy mean / min"
                + (f" ({final} fits)" if final is not None else "")
                + "; fit seconds (median)",
                f"{select['accuracy_mean']:.2%} / {select['accuracy_min']:.2%}; "
                f"{select['fit_seconds_median']:.2f}",
            )
        )
    if select.get("stopped"):
        rows.append((f"select {name}: cut by the deadline", select["stopped"][:200]))
    return rows


def _records_rows(records):
    name, members = records["recipe_name"], records["members"]
    n = len(members)
    rows = []
    if members:
        first = members[0]
        rows.append(
            (
                f"{name} recipe (random_state {first['random_state']}): accuracy, fit seconds, "
                "epochs",
                f"{first['accuracy']:.2%}, {first['fit_seconds']:.1f}, {first['epochs']}",
            )
        )
    if n > 1:
        rows.append(
            (
                f"{name} recipe: accuracy mean / min ({n} seeds); soft vote",
                f"{records['accuracy_mean']:.2%} / {records['accuracy_min']:.2%}; "
                f"{records['soft_vote_accuracy']:.2%}",
            )
        )
    for row in records.get("not_finished", []):
        rows.append((f"{name} recipe (random_state {row['random_state']})", row["reason"][:200]))
    return rows


def _summary_rows(report):
    steps = report["steps"]
    rows = []
    for name, rows_of in (
        ("tests", _tests_rows),
        ("speed", _speed_rows),
        ("fast", _fast_rows),
        ("select", _select_rows),
        ("records", _records_rows),
    ):
        result = steps.get(name, {}).get("result")
        if result:
            rows += rows_of(result)
    for name, step in steps.items():
        if "error" in step:
            rows.append((f"{name}: ERROR", step["error"].splitlines()[-1][:100]))
        elif "skipped" in step:
            rows.append((f"{name}: skipped", step["skipped"]))
        elif "result" not in step:
            rows.append((f"{name}: did not end", "it was running when this report was written"))
    rows.append(("total seconds", f"{report['seconds']:.0f}"))
    return rows


def _fast_rows(fast):
    return [
        (
            f"fast: test accuracy mean / min ({len(fast['accuracy'])} seeds)",
            f"{fast['accuracy_mean']:.2%} / {fast['accuracy_min']:.2%}",
        ),
        ("fast: fit seconds (median)", f"{fast['fit_seconds_median']:.2f}"),
    ]


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
        f"Made by `{report['command']}`."
        + (f" Plan {report['plan']}." if report.get("plan") else "")
        + (f" Deadline: {report['deadline']:.0f} s." if report.get("deadline") else ""),
        "",
        "| check | result |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in _summary_rows(report)]
    return "\n".join(lines) + "\n"
