"""The GPU check: verified CUDA behaviour and measured figures from one command.

GPU time is rare and short, so everything a GPU machine should tell us runs
in one call of ``.ci/gpu-check`` (which first installs what a bare CUDA
machine lacks, then runs this module), in about five minutes on an H200:

1. ``tests``: ``tests/estimators/test_devices.py``: its CUDA cases on a GPU
   (``-m cuda``; CI runs the CPU ones), its CPU cases with ``--device cpu``;
   each test stops after ``--test-timeout`` seconds and the step after
   ``--tests-timeout`` (a test that hangs, such as a cold ``torch.compile``,
   fails alone instead of taking the call's time with it);
2. ``speed``: :mod:`skmnist.benchmarks.speed` on the device (a hand-written
   loop, plain skorch, ``LeNet5Classifier`` with and without augmentation);
3. ``fast``: the ``fast`` suite, :func:`~skmnist.benchmarks.suites.fast_recipe`
   over 5 seeds;
4. ``select`` (run only when named in ``--steps``): the ``--selection``
   (default ``fast``) of
   :mod:`tools.selection`: its candidates fitted on all but the
   last 10,000 training images and scored on those, the one its rule takes,
   then that one fitted on the whole training set and scored on the test set
   (``select-<selection>-<device>.md``, ``.json``); ``fashion`` trains on
   Fashion-MNIST;
5. ``records``: ``--members`` fits (default 1) of the ``--recipe`` (default
   ``record``, :func:`~skmnist.benchmarks.suites.record_recipe`; ``best``,
   :func:`~skmnist.benchmarks.suites.best_recipe`; ``fashion``,
   :func:`~skmnist.benchmarks.suites.fashion_recipe` on Fashion-MNIST, read
   with ``verify=False``) at random_state 0, 1, ..., each scored alone, and
   their soft vote (the mean of their ``predict_proba``, what
   ``VotingClassifier(voting="soft")`` of them predicts), written to
   ``records-<recipe>-<device>.json`` and ``.md`` after every member.

Each step's outcome, or its error, goes into ``gpu-check.json`` and
``gpu-check.md`` in ``--out`` (default ``$OUT`` when set) as soon as the step
ends, with the tests' log (``devices-tests.log``, written as they run), the
speed tables (``speed-<device>.json``, ``.md``) and the fast suite's
(``fast-<device>.md``, ``.csv``); a short table is printed last. The exit
status is 1 when a test or a step failed. With ``--device cpu --quick`` the
same steps run on the shipped sample in under two minutes on a CPU (CI runs
that, with ``select`` too, so the check cannot rot unnoticed).

Run it from the repository's root, sending the output to a file in ``$OUT``
so that a call stopped at its time limit still brings back what it printed::

    .ci/gpu-check --data .ci/gpu-data > $OUT/check.log 2>&1   # on the GPU machine
    .ci/gpu-check --data .ci/gpu-data --steps select > $OUT/select.log 2>&1
    .ci/gpu-check --data .ci/gpu-data --steps records --members 3 > $OUT/records.log 2>&1
    .ci/gpu-check --data .ci/gpu-data --steps records --recipe fashion > $OUT/fashion.log 2>&1
    .ci/gpu-check --data .ci/gpu-data --steps select --selection fashion > $OUT/select2.log 2>&1
    .ci/gpu-check --device cpu --quick --out /tmp/check

``python -m tools.gpu_check`` runs the same, without the
installing step.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import torch
from sklearn.utils import Bunch

from skmnist._files import save_frame_csv, write_json, write_text
from skmnist.benchmarks import suites

from . import selection
from .gpu_report import RECIPES, records_markdown, to_markdown

__all__ = ["main", "to_markdown"]

STEPS = ("tests", "speed", "fast", "select", "records")
# what a plain call runs, in about five minutes on an H200: select is asked for by name
DEFAULT_STEPS = ("tests", "speed", "fast", "records")
TESTS = Path("tests") / "estimators" / "test_devices.py"


def _environment(device):
    import sklearn
    import skorch

    from skmnist import __version__

    env = {
        "device": str(device),
        "device_name": (
            torch.cuda.get_device_name(device)
            if device.type == "cuda"
            else platform.processor() or platform.machine()
        ),
        "cpu_cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "skorch": skorch.__version__,
        "scikit-learn": sklearn.__version__,
        "skmnist": __version__,
    }
    if device.type == "cuda":
        _free, total = torch.cuda.mem_get_info(device)
        env["gpu_memory_gib"] = round(total / 2**30, 1)
        env["bf16"] = torch.cuda.is_bf16_supported()
    return env


def _load(dataset):
    from skmnist.datasets import fetch_fashion_mnist, fetch_mnist, load_mnist_sample

    train: Bunch  # what the loaders return without return_X_y
    test: Bunch
    if dataset == "sample":
        train, test = load_mnist_sample(subset="train"), load_mnist_sample(subset="test")
    elif dataset == "fashion-mnist":  # the shared copy is a re-ordered redistribution
        train = fetch_fashion_mnist(subset="train", download_if_missing=False, verify=False)
        test = fetch_fashion_mnist(subset="test", download_if_missing=False, verify=False)
    else:
        train = fetch_mnist(subset="train", download_if_missing=False)
        test = fetch_mnist(subset="test", download_if_missing=False)
    return train.data, train.target, test.data, test.target


def _run_tests(device, quick, out, test_timeout, step_timeout):
    if not TESTS.is_file():
        raise FileNotFoundError(f"{TESTS} not found: run the check from the repository's root")
    junit = out / "devices-junit.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(TESTS),
        "-v",
        "-rs",
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
        f"--timeout={test_timeout}",
    ]
    if device.type == "cuda":
        command += ["-m", "cuda"]  # the CPU cases run in CI
    if quick:
        command += ["-x"]
    log = out / "devices-tests.log"
    with open(log, "w") as stream:  # written as the tests run, read back even if they hang
        try:
            completed = subprocess.run(
                command, stdout=stream, stderr=subprocess.STDOUT, text=True, timeout=step_timeout
            )
        except subprocess.TimeoutExpired:
            raise TimeoutError(
                f"the device tests took over {step_timeout} s; {log} has what they printed"
            ) from None
    lines = log.read_text().strip().splitlines()
    root = ET.parse(junit).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        raise ValueError(f"{junit} holds no test suite; {log} has what pytest printed")
    counts = {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}
    failed = [
        f"{case.get('classname')}::{case.get('name')}"
        for case in suite.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    return {
        **counts,
        "passed": counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"],
        "failed": failed,
        "exit_status": completed.returncode,
        "command": " ".join(command[1:]),
        "summary": lines[-1] if lines else "",
    }


def _run_speed(device, dataset, quick, out):
    from skmnist.benchmarks import speed

    result = speed.run(dataset, str(device), rounds=1 if quick else 3, memory=False)
    result["command"] = (
        f"python -m skmnist.benchmarks.speed --dataset {dataset} "
        f"--device {device.type} --rounds {result['rounds']} --no-memory"
    )
    table = speed.to_markdown(result)
    stem = f"speed-{device.type}"
    write_json(out / f"{stem}.json", result)
    write_text(out / f"{stem}.md", table)
    return {
        "epoch_seconds": result["epoch_seconds"],
        "ratios": result["ratios"],
        "predict_images_per_s": result["predict_images_per_s"],
    }


def _run_fast(device, data, env, out):
    X, y, X_test, y_test = data
    results = suites.run_suite("fast", X, y, X_test, y_test, random_state=0, device=str(device))
    summary = suites.summarize(results).iloc[0]
    title = (
        f"Suite `fast` on {len(y):,} training and {len(y_test):,} test images, device "
        f"{device} ({env['device_name']}), random_state 0 to "
        f"{suites.SUITES['fast'].seeds - 1}; skmnist {env['skmnist']}, torch {env['torch']}, "
        f"{env['cpu_cores']} CPU cores. Made by the GPU check (`.ci/gpu-check`)."
    )
    write_text(out / f"fast-{device.type}.md", suites.to_markdown(results, title=title))
    save_frame_csv(results, out / f"fast-{device.type}.csv", index=False)
    return {
        "accuracy_mean": float(summary.accuracy),
        "accuracy_min": float(summary.accuracy_min),
        "fit_seconds_median": float(summary.fit_seconds),
        "fit_seconds": results["fit_seconds"].tolist(),
        "accuracy": results["accuracy"].tolist(),
        "params": results["params"].iloc[0],
    }


def _run_select(device, data, quick, name, env, out, command):
    X, y, X_test, y_test = data
    result = selection.run_selection(
        name,
        X,
        y,
        X_test,
        y_test,
        holdout=500 if quick else 10_000,
        device=str(device),
        max_epochs=1 if quick else None,
        on_result=lambda row: print(
            f"  {row['stage']}: {row['config']} (seed {row['seed']}): "
            + (
                f"accuracy {row['accuracy']:.4f} in {row['fit_seconds']:.2f} s"
                if "error" not in row
                else row["error"][:200]
            ),
            flush=True,
        ),
    )
    title = (
        f"Selection `{name}` on {len(y):,} training and {len(y_test):,} test images, device "
        f"{device} ({env['device_name']}); skmnist {env['skmnist']}, torch {env['torch']}, "
        f"{env['cpu_cores']} CPU cores. Made by the GPU check (`{command}`)."
    )
    stem = f"select-{name}-{device.type}"
    write_text(out / f"{stem}.md", selection.selection_markdown(result, title))
    result = {**result, "holdout": result["holdout"].to_dict(orient="records")}
    write_json(out / f"{stem}.json", result)
    return result


def _run_records(device, data, quick, members, recipe_name, env, out):
    from sklearn.base import clone
    from sklearn.metrics import accuracy_score

    X, y, X_test, y_test = data
    make = getattr(suites, RECIPES[recipe_name][0])
    recipe = make(max_epochs=1) if quick else make()
    recipe.set_params(device=str(device))
    suites._warm_up(recipe, X, y)
    fit_and_score = suites.fit_and_score
    rows, proba_sum, classes = [], 0, None
    result = {}
    for seed in range(members):
        clf = clone(recipe).set_params(random_state=seed)
        scores, _ = fit_and_score(clf, X, y, X_test, y_test)
        proba_sum = proba_sum + clf.predict_proba(X_test)
        classes = clf.classes_
        rows.append({"random_state": seed, **scores})
        accuracies = [row["accuracy"] for row in rows]
        vote = float(accuracy_score(y_test, classes[np.argmax(proba_sum, axis=1)]))
        result = {
            "members": rows,
            "accuracy_mean": float(np.mean(accuracies)),
            "accuracy_min": float(np.min(accuracies)),
            "soft_vote_accuracy": vote,
            "fit_seconds_total": float(sum(row["fit_seconds"] for row in rows)),
            "recipe_name": recipe_name,
            "recipe": " ".join(repr(clone(recipe).set_params(device="auto")).split()),
        }
        stem = f"records-{recipe_name}-{device.type}"
        write_json(out / f"{stem}.json", result)
        write_text(out / f"{stem}.md", records_markdown(result, device, env, len(y), len(y_test)))
        print(
            f"  member {seed}: accuracy {scores['accuracy']:.4f} in "
            f"{scores['fit_seconds']:.1f} s ({scores['epochs']} epochs); soft vote of "
            f"{len(rows)}: {vote:.4f}",
            flush=True,
        )
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the check; returns 0 when every test and step passed, else 1.

    Parameters
    ----------
    argv : list of str, default=None
        The options (``--device``, ``--quick``, ``--data``, ``--out``,
        ``--steps``); None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0, or 1 when a test failed or a step raised.
    """
    parser = argparse.ArgumentParser(
        prog=".ci/gpu-check",
        description=__doc__.split("\n")[0],
        epilog="See the module docstring of tools.gpu_check.",
    )
    parser.add_argument("--device", default="cuda", help='"cuda" (default), "cpu", "cuda:1", ...')
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the shipped sample, one round, one epoch of the best recipe, "
        "stop at the first failed test",
    )
    parser.add_argument(
        "--data", type=Path, help="data home holding mnist/*.gz (default: $SKMNIST_DATA)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=os.environ.get("OUT") or "gpu-check-out",
        help="folder for the reports (default: $OUT, else ./gpu-check-out)",
    )
    parser.add_argument(
        "--steps",
        default=",".join(DEFAULT_STEPS),
        help=f"comma-separated steps to run, of {','.join(STEPS)} "
        f"(default: {','.join(DEFAULT_STEPS)})",
    )
    parser.add_argument(
        "--members",
        type=int,
        default=1,
        help="models the records step fits, at random_state 0, 1, ... (default: 1)",
    )
    parser.add_argument(
        "--recipe",
        choices=list(RECIPES),
        default="record",
        help="what the records step fits: record_recipe (default), best_recipe, or "
        "fashion_recipe on Fashion-MNIST",
    )
    parser.add_argument(
        "--selection",
        choices=list(selection.SELECTIONS),
        default="fast",
        help="what the select step chooses: the fast recipe (default) or a Fashion-MNIST one",
    )
    parser.add_argument(
        "--test-timeout",
        type=int,
        default=90,
        help="seconds after which one device test fails (default: 90)",
    )
    parser.add_argument(
        "--tests-timeout",
        type=int,
        default=240,
        help="seconds after which the tests step stops (default: 240)",
    )
    args = parser.parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {list(STEPS)}")
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but torch sees no CUDA device here; use --device cpu")
    if args.data is not None:
        os.environ["SKMNIST_DATA"] = str(args.data.resolve())
    dataset = "sample" if args.quick else "mnist"
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    env = _environment(device)
    command = ".ci/gpu-check " + " ".join(sys.argv[1:] if argv is None else argv)
    report = {"command": command.strip(), "environment": env, "dataset": dataset, "steps": {}}
    print(f"GPU check on {device} ({env['device_name']}), data: {dataset}", flush=True)
    data: dict = {}  # the data sets loaded, by name
    for step in steps:
        began = time.perf_counter()
        print(f"[{step}] ...", flush=True)
        try:
            if step in ("fast", "select", "records"):
                name = dataset
                if step == "records" and not args.quick:
                    name = RECIPES[args.recipe][1]
                elif step == "select" and not args.quick:
                    name = selection.SELECTIONS[args.selection].dataset
                if name not in data:
                    data[name] = _load(name)
            if step == "tests":
                result = _run_tests(
                    device, args.quick, args.out, args.test_timeout, args.tests_timeout
                )
            elif step == "speed":
                result = _run_speed(device, dataset, args.quick, args.out)
            elif step == "fast":
                result = _run_fast(device, data[name], env, args.out)
            elif step == "select":
                result = _run_select(
                    device, data[name], args.quick, args.selection, env, args.out, command
                )
            else:
                result = _run_records(
                    device, data[name], args.quick, args.members, args.recipe, env, args.out
                )
            report["steps"][step] = {"result": result}
        except Exception:  # a failed step must not lose the others' figures
            report["steps"][step] = {"error": traceback.format_exc()}
            print(traceback.format_exc(), file=sys.stderr, flush=True)
        report["steps"][step]["seconds"] = time.perf_counter() - began
        print(f"[{step}] {report['steps'][step]['seconds']:.1f} s", flush=True)
        report["seconds"] = time.perf_counter() - started
        text = to_markdown(report)
        write_json(args.out / "gpu-check.json", report)
        write_text(args.out / "gpu-check.md", text)
    tests = report["steps"].get("tests", {}).get("result", {})
    failed = any("error" in s for s in report["steps"].values()) or tests.get("exit_status", 0)
    if tests.get("failed"):
        print("failed tests:\n  " + "\n  ".join(tests["failed"]))
    print("\n" + text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
