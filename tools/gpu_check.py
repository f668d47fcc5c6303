"""The GPU check: skmnist's CUDA tests and GPU benchmarks in one command.

From the root of a checkout, in an environment with the test extra
(``pip install -e ".[test]"``), on any machine with a CUDA GPU::

    python -m tools.gpu_check --out gpu-check-out                 # every step, on "cuda"
    python -m tools.gpu_check --budget 900 --out gpu-check-out    # ends within 15 minutes
    python -m tools.gpu_check --steps speed,fast --device cuda:1  # some steps, another GPU
    python -m tools.gpu_check --device cpu --quick --out /tmp/check   # a rehearsal on a CPU

The steps, in the order ``--steps`` gives (by default all five), and their reports:

- ``tests``: ``pytest tests -m cuda``, every CUDA case of the test suite (with
  ``--device cpu``, the CPU cases of ``tests/estimators/test_devices.py``), each
  stopped after ``--test-timeout`` seconds: ``devices-tests.log``;
- ``speed``: :mod:`skmnist.benchmarks.speed` on the device: ``speed-<device>.md``;
- ``fast``: the ``fast`` suite, ``fast_recipe()`` over 5 seeds: ``fast-<device>.md``;
- ``select``: the ``--selection`` of :mod:`tools.selection`, chosen on a hold-out of
  the training set and scored on the test set: ``select-<selection>-<device>.md``;
- ``records``: ``--members`` fits of the ``--recipe`` at random_state 0, 1, ..., and
  their soft vote: ``records-<recipe>-<device>.md``.

With ``--budget SECONDS`` the command ends in time (:mod:`tools.budget`): a step
starts only with at least its :data:`STEP_FLOORS` seconds left, else it is
recorded as skipped with the reason; the tests stop when the budget is spent;
every fit stops as soon as it could no longer end in time, and a fit that cannot
start is recorded as not started. Each step writes its reports (each ``.md``
with a ``.json`` or ``.csv``) into ``--out`` as it ends, and ``gpu-check.md`` and
``gpu-check.json``, one line per step, are rewritten after every step. The exit
status is 1 when a test failed or a step raised. ``--quick`` runs the steps on
the shipped sample (one epoch of each fit, on 600 images; a hold-out of 100).
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pandas as pd
import torch
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch

from skmnist._files import save_frame_csv, write_json, write_text
from skmnist.benchmarks import speed, suites
from skmnist.benchmarks._tables import markdown_table
from skmnist.cli._common import versions

from . import selection
from .budget import Budget, OutOfTime, fit_seeds

#: The repository, whose tests the tests step runs.
ROOT = Path(__file__).resolve().parents[1]
#: The least time (seconds) each step needs: with less left in the budget, it is skipped.
STEP_FLOORS = {"tests": 60, "speed": 30, "fast": 20, "select": 30, "records": 60}
#: What ``--recipe`` takes: the function of the suites, and the data set it trains on.
RECIPES = {
    "record": ("record_recipe", "mnist"),
    "best": ("best_recipe", "mnist"),
    "fashion": ("fashion_recipe", "fashion-mnist"),
}
#: With ``--quick``: the training images of the sample each fit uses, and the hold-out.
QUICK_TRAIN, QUICK_HOLDOUT = 600, 100


def _environment(device):
    cuda = device.type == "cuda"
    return {
        "device": str(device),
        "device_name": torch.cuda.get_device_name(device)
        if cuda
        else platform.processor() or platform.machine(),
        "gpu_memory_gib": round(torch.cuda.mem_get_info(device)[1] / 2**30, 1) if cuda else None,
        "cpu_cores": os.cpu_count(),
        "cuda": torch.version.cuda,
        **versions(),
    }


def _data(args, dataset):
    """Training and test images and labels of "mnist" or "fashion-mnist", or of the sample."""
    from skmnist.datasets import fetch_fashion_mnist, fetch_mnist, load_mnist_sample

    train: Bunch  # what the loaders return without return_X_y
    test: Bunch
    if args.quick:  # a rehearsal, not a measurement
        train, test = load_mnist_sample(subset="train"), load_mnist_sample(subset="test")
        return train.data[:QUICK_TRAIN], train.target[:QUICK_TRAIN], test.data, test.target
    if dataset == "mnist":
        train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
    else:  # unverified: copies of Fashion-MNIST in another order than the published are common
        train = fetch_fashion_mnist(subset="train", verify=False)
        test = fetch_fashion_mnist(subset="test", verify=False)
    return train.data, train.target, test.data, test.target


def _title(what, dataset, data, args, env):
    return (
        f"{what} on {len(data[1]):,} training and {len(data[3]):,} test images of "
        f"{'the sample' if args.quick else dataset}, device {args.device} "
        f"({env['device_name']}); skmnist {env['skmnist']}, torch {env['torch']}, "
        f"{env['cpu_cores']} CPU cores. Made by `{args.command}`."
    )


def _scores(result):
    return (
        f"test accuracy {result['accuracy_mean']:.2%} mean, {result['accuracy_min']:.2%} min; "
        f"fit {result['fit_seconds_median']:.2f} s (median)"
    )


def _seeds(n):
    return ", ".join(str(seed) for seed in range(n))


def _stem(step, args, name=None):
    return "-".join([step, *([name] if name else []), torch.device(args.device).type])


def _run_tests(args, env, budget):
    if torch.device(args.device).type == "cuda":
        targets, marks = ["tests"], "cuda"
    else:
        targets, marks = ["tests/estimators/test_devices.py"], "not cuda"
    command = ["pytest", *targets, "-m", marks, "-v", "-rfEs", "-p", "no:cacheprovider"]
    command += ["--rootdir", ".", f"--timeout={args.test_timeout}", *(["-x"] if args.quick else [])]
    log = args.out / "devices-tests.log"
    with open(log, "w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", *command],
            cwd=ROOT,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            status = process.wait(timeout=None if budget.end is None else max(budget.left(), 0))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # pytest and the processes it started
            process.wait()
            raise OutOfTime(
                f"stopped when the budget was spent; {log.name} has their log"
            ) from None
    lines = log.read_text(errors="replace").strip().splitlines() or [""]
    outcome = lines[-1].strip("= ")
    failed = [line.split()[1] for line in lines if line.startswith(("FAILED ", "ERROR "))]
    headline = f"{outcome} (`pytest {' '.join(targets)} -m {marks!r}`)"
    headline += "".join(f"; failed: {name}" for name in failed)
    return {
        "command": " ".join(command),
        "exit_status": status,
        "failed": failed,
        "headline": headline,
    }


def _run_speed(args, env, budget):
    dataset = "sample" if args.quick else "mnist"
    result = speed.run(dataset, args.device, rounds=1 if args.quick else 3, memory=False)
    result["command"] = (
        f"python -m skmnist.benchmarks.speed --dataset {dataset} --device {args.device} "
        f"--rounds {result['rounds']} --no-memory"
    )
    write_json(args.out / f"{_stem('speed', args)}.json", result)
    write_text(args.out / f"{_stem('speed', args)}.md", speed.to_markdown(result))
    ratios = ", ".join(f"{name} {ratio:.3f}" for name, ratio in result["ratios"].items())
    return {"ratios": result["ratios"], "headline": f"epoch time: {ratios}"}


def _run_fast(args, env, budget):
    data = _data(args, "mnist")
    results = suites.run_suite(
        "fast", *data, random_state=0, device=args.device, warm_up=not args.quick
    )
    seeds = suites.SUITES["fast"].seeds
    what = f"Suite `fast` at random_state {_seeds(seeds)}"
    title = _title(what, "mnist", data, args, env)
    write_text(args.out / f"{_stem('fast', args)}.md", suites.to_markdown(results, title=title))
    save_frame_csv(results, args.out / f"{_stem('fast', args)}.csv", index=False)
    summary = suites.summarize(results).iloc[0]
    result = {
        "accuracy_mean": float(summary.accuracy),
        "accuracy_min": float(summary.accuracy_min),
        "fit_seconds_median": float(summary.fit_seconds),
    }
    return {**result, "headline": f"{seeds} seeds: {_scores(result)}"}


def _run_select(args, env, budget):
    name = args.selection
    dataset = selection.SELECTIONS[name].dataset
    data = _data(args, dataset)
    result = selection.run_selection(
        name,
        *data,
        holdout=QUICK_HOLDOUT if args.quick else 10_000,
        device=args.device,
        max_epochs=1 if args.quick else None,
        budget=budget,
        warm_up=not args.quick,
    )
    title = _title(f"Selection `{name}`", dataset, data, args, env)
    write_json(args.out / f"{_stem('select', args, name)}.json", result)
    write_text(args.out / f"{_stem('select', args, name)}.md", selection.to_markdown(result, title))
    headline = f"`{name}` chose {result['chosen']}"
    if result["accuracy_mean"] is not None:
        headline += f": {_scores(result)}"
    return {**result, "headline": headline}


def _run_records(args, env, budget):
    function, dataset = RECIPES[args.recipe]
    X, y, X_test, y_test = data = _data(args, dataset)
    recipe = getattr(suites, function)(**({"max_epochs": 1} if args.quick else {}))
    recipe.set_params(device=args.device)
    if not args.quick:  # a quick run's times mean nothing
        suites._warm_up(recipe, X, y)
    fits, stopped = fit_seeds(recipe, range(args.members), data, budget)
    members = pd.DataFrame([{"random_state": seed, **scores} for seed, _, scores in fits])
    # the soft vote: the mean of the members' predict_proba
    voting = [(f"random_state {seed}", FrozenEstimator(clf)) for seed, clf, _ in fits]
    vote = VotingClassifier(voting, voting="soft").fit(X, y).score(X_test, y_test) if fits else None
    result = {
        "recipe": " ".join(repr(clone(recipe).set_params(device="auto")).split()),
        "members": members.to_dict(orient="records"),
        "stopped": stopped,
        "accuracy_mean": members["accuracy"].mean() if fits else None,
        "accuracy_min": members["accuracy"].min() if fits else None,
        "soft_vote_accuracy": vote,
    }
    rows = [
        [f"random_state {r.random_state}", f"{r.accuracy:.2%}", f"{r.fit_seconds:.1f}", r.epochs]
        for r in members.itertuples()
    ]
    rows += [[stopped, "", "", ""]] if stopped else []
    headline = f"{len(fits)} of {args.members} fits"
    if fits:
        n, mean, low = len(fits), result["accuracy_mean"], result["accuracy_min"]
        rows.append([f"mean (min) of the {n}", f"{mean:.2%} ({low:.2%})", "", ""])
        rows.append(
            [f"soft vote of the {n}", f"**{vote:.2%}**", f"{members.fit_seconds.sum():.1f}", ""]
        )
        headline += f": test accuracy {mean:.2%} mean, {low:.2%} min; soft vote {vote:.2%}"
    what = f"`{function}()` at random_state {_seeds(args.members)}"
    header = ["model", "test accuracy", "fit seconds", "epochs"]
    table = markdown_table(header, rows, align="lrrr", title=_title(what, dataset, data, args, env))
    write_json(args.out / f"{_stem('records', args, args.recipe)}.json", result)
    write_text(args.out / f"{_stem('records', args, args.recipe)}.md", table)
    return {**result, "headline": headline}


#: The steps by name, each called as ``run(args, env, budget)``.
STEPS = {
    "tests": _run_tests,
    "speed": _run_speed,
    "fast": _run_fast,
    "select": _run_select,
    "records": _run_records,
}


def to_markdown(report: dict) -> str:
    """``gpu-check.json``'s report as Markdown: the machine and versions, a row per step."""
    env = report["environment"]
    rows = []
    for name, step in report["steps"].items():
        if "result" in step:
            outcome = step["result"]["headline"]
        elif "error" in step:
            outcome = "ERROR: " + step["error"].strip().splitlines()[-1][:200]
        else:
            outcome = step.get("skipped", "did not end: it was running when this was written")
        rows.append([name, f"{step.get('seconds', 0):.0f}", outcome])
    title = (
        f"GPU check on {env['device']} ({env['device_name']}), {env['cpu_cores']} CPU cores; "
        f"torch {env['torch']}, skmnist {env['skmnist']}, Python {env['python']}.\n\n"
        f"Made by `{report['command']}`, in {report['seconds']:.0f} s."
    )
    return markdown_table(["step", "seconds", "result"], rows, align="lrl", title=title)


def main(argv: list[str] | None = None) -> int:
    """Run the check with the options ``argv`` (``sys.argv[1:]`` if None); 0 if all passed."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.gpu_check",
        description=__doc__.split("\n")[0],
        epilog="README.md's 'Running on a GPU' and tools/gpu_check.py say what each step does.",
    )
    parser.add_argument("--device", default="cuda", help='"cuda" (default), "cuda:1", "cpu", ...')
    parser.add_argument("--budget", type=float, help="seconds within which to end (no limit)")
    parser.add_argument("--out", type=Path, default=Path("gpu-check-out"), help="report folder")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated, in order")
    parser.add_argument("--quick", action="store_true", help="a rehearsal on the sample")
    parser.add_argument("--selection", choices=list(selection.SELECTIONS), default="fast")
    parser.add_argument("--recipe", choices=list(RECIPES), default="record")
    parser.add_argument("--members", type=int, default=1, help="the records step's fits")
    parser.add_argument("--test-timeout", type=int, default=150, help="seconds for one test")
    args = parser.parse_args(argv)
    steps = [step for step in args.steps.split(",") if step]
    if unknown := sorted(set(steps) - set(STEPS)):
        parser.error(f"unknown steps {unknown}; choose from {list(STEPS)}")
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but torch sees no CUDA device here; use --device cpu")
    args.command = " ".join(
        ["python -m tools.gpu_check", *(sys.argv[1:] if argv is None else argv)]
    )
    args.out.mkdir(parents=True, exist_ok=True)
    budget, started, env = Budget(args.budget), time.perf_counter(), _environment(device)
    report = {"command": args.command, "budget": args.budget, "environment": env, "steps": {}}
    print(f"GPU check on {device} ({env['device_name']}); reports in {args.out}", flush=True)

    def write_report():
        report["seconds"] = time.perf_counter() - started
        write_json(args.out / "gpu-check.json", report)
        write_text(args.out / "gpu-check.md", to_markdown(report))

    for step in steps:
        entry: dict = {}
        report["steps"][step] = entry
        if budget.left() < STEP_FLOORS[step]:
            entry["skipped"] = (
                f"skipped: {max(budget.left(), 0):.0f} s left of the {args.budget:.0f} s "
                f"budget, and the step needs at least {STEP_FLOORS[step]} s"
            )
        else:
            print(f"[{step}] ...", flush=True)
            write_report()  # a command stopped now still says which step was running
            began = time.perf_counter()
            try:
                entry["result"] = STEPS[step](args, env, budget)
            except Exception:  # a failed step must not lose the others' reports
                entry["error"] = traceback.format_exc()
                print(entry["error"], file=sys.stderr, flush=True)
            entry["seconds"] = time.perf_counter() - began
        write_report()
    print(to_markdown(report))
    tests = report["steps"].get("tests", {}).get("result", {})
    failed = any("error" in step for step in report["steps"].values())
    return 1 if failed or tests.get("exit_status", 0) != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
