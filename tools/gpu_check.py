"""The GPU check: verified CUDA behaviour and measured figures, planned to fit a lent GPU's minutes.

A GPU machine is lent now and then, for 15 minutes of device time in all (its
start costs one or two of them), each command at most 10 minutes. So the
check is a plan of two prepared commands, ``--plan 1`` and ``--plan 2``
(:data:`PLANS`), each of which ends within its deadline (``--deadline``,
seconds from its start; 270 and 420 by default) and writes its reports as it
goes, so that a command stopped early still leaves what it finished:

- plan 1: ``tests``, ``speed``, ``fast``, ``select`` with ``--selection fast``;
- plan 2: ``records`` of ``record_recipe()`` at 3 seeds (``--members 3``) with
  their soft vote, then, in the time left, ``select --selection fashion``.

``.ci/gpu-check`` (which first installs what a bare CUDA machine lacks) runs
this module. The steps:

1. ``tests``: ``tests/estimators/test_devices.py``: its CUDA cases on a GPU
   (``-m cuda``; CI runs the CPU ones), its CPU cases with ``--device cpu``.
   The ``torch.compile`` case (:data:`COMPILE_CASE`) runs in a pytest
   process of its own, started first, in the background, with its own
   budget (``--compile-budget``, 150 s: pytest's limit for the case; the
   process is killed :data:`COMPILE_GRACE` seconds later), while the other
   cases run beside it (``-k "not ..."``), each stopped after
   ``--test-timeout`` seconds, all of them after ``--tests-timeout`` (or at
   the deadline). The compile case is collected before the step ends, so it
   never runs during the timings that follow; a slow compile fails alone.
2. ``speed``: :mod:`skmnist.benchmarks.speed` on the device, every loop and
   ratio it measures;
3. ``fast``: the ``fast`` suite, :func:`~skmnist.benchmarks.suites.fast_recipe`
   over 5 seeds;
4. ``select``: the ``--selection`` (default ``fast``) of :mod:`tools.selection`:
   its candidates fitted on all but the last 10,000 training images and
   scored on those, the one its rule takes, then that one fitted on the whole
   training set and scored on the test set (``select-<selection>-<device>.md``,
   ``.json``, rewritten after every fit); ``fashion`` trains on
   Fashion-MNIST;
5. ``records``: ``--members`` fits (default 1) of the ``--recipe`` (default
   ``record``, :func:`~skmnist.benchmarks.suites.record_recipe`; ``best``,
   :func:`~skmnist.benchmarks.suites.best_recipe`; ``fashion``,
   :func:`~skmnist.benchmarks.suites.fashion_recipe` on Fashion-MNIST, read
   with ``verify=False``) at random_state 0, 1, ..., each scored alone, and
   their soft vote (the mean of their ``predict_proba``, what
   ``VotingClassifier(voting="soft")`` of them predicts), written to
   ``records-<recipe>-<device>.json`` and ``.md`` after every member.

The deadline (:mod:`tools.deadline`): a step starts only with at least
:data:`STEP_FLOORS` seconds left, else it is recorded as skipped with the
reason; the tests are stopped at the deadline; every fit of ``select`` and
``records`` stops (and is recorded as stopped) as soon as, projected from its
epochs so far, it could no longer end in time, and a member or candidate that
cannot start in the time left is recorded as not started. A selection cut
short chooses among the candidates that ran, keeping time free for the final
fit of the one it would choose. Without ``--plan`` there is no deadline
unless ``--deadline`` sets one.

Reports go to ``--out`` (default ``gpu-check-out/plan<N>``, or
``gpu-check-out`` without a plan): ``gpu-check.json`` and ``gpu-check.md``
when each step starts and ends (a step that was running when a command was
stopped reads "did not end"), the tests' logs as they run
(``devices-tests.log``, ``devices-compile.log``), the speed tables
(``speed-<device>.json``, ``.md``), the fast suite's (``fast-<device>.md``,
``.csv``), the selection's and the records' files; a short table is printed
last. The run tool brings back at most 8 files from ``$OUT``, so where
``$OUT`` is set the whole of ``--out`` is also kept as one tar,
``--archive`` (default ``$OUT/plan<N>.tar``, or ``$OUT/gpu-check.tar``),
rewritten after every report. The exit status is 1 when a test failed or a
step raised; steps skipped and fits cut by the deadline are reported, not
failures. With ``--device cpu --quick`` the same steps run on the shipped
sample (one round; one epoch of each fit on its first 600 images, a hold-out
of 100, no warm-up fits) in a minute or so on a CPU; CI rehearses both plans
so.

Run it from the repository's root, sending the output to a file in ``$OUT``
so that a call stopped at its time limit still brings back what it printed::

    .ci/gpu-check --data .ci/gpu-data --plan 1 > $OUT/plan1.log 2>&1   # on the GPU machine
    .ci/gpu-check --data .ci/gpu-data --plan 2 > $OUT/plan2.log 2>&1
    .ci/gpu-check --data .ci/gpu-data --steps records --recipe fashion > $OUT/fashion.log 2>&1
    .ci/gpu-check --device cpu --quick --plan 1 --out /tmp/check

``python -m tools.gpu_check`` runs the same, without the installing step.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tarfile
import threading
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from sklearn.utils import Bunch

from skmnist._files import save_frame_csv, write_json, write_text
from skmnist.benchmarks import suites

from . import deadline as _deadline
from . import selection
from .deadline import Deadline, OutOfTime
from .gpu_report import RECIPES, records_markdown, to_markdown

__all__ = ["PLANS", "main", "to_markdown"]

STEPS = ("tests", "speed", "fast", "select", "records")
# what a call without --plan or --steps runs
DEFAULT_STEPS = ("tests", "speed", "fast", "records")
TESTS = Path("tests") / "estimators" / "test_devices.py"
#: The device test that compiles (``torch.compile``): it runs in a process of its own.
COMPILE_CASE = "test_mixed_precision_and_compile"
#: Seconds the compile case's process gets beyond its budget (pytest's own limit) before it
#: is killed.
COMPILE_GRACE = 15
#: The least time (seconds) a step needs: with less left before the deadline, it is skipped.
STEP_FLOORS = {"tests": 60, "speed": 30, "fast": 20, "select": 30, "records": 60}


#: With ``--quick``: the training images of the shipped sample that ``fast``, ``select`` and
#: ``records`` use (the first ones), and the selections' hold-out among them.
QUICK_TRAIN = 600
QUICK_HOLDOUT = 100


class Plan(NamedTuple):
    """A prepared command: its steps, deadline and options (each may be overridden)."""

    steps: tuple[str, ...]
    deadline: int
    options: dict
    about: str


#: The GPU plan: two commands, each within its deadline (see the module's docstring).
PLANS = {
    "1": Plan(
        steps=("tests", "speed", "fast", "select"),
        deadline=270,
        options={"selection": "fast", "tests_timeout": 150},
        about="the device tests (the torch.compile case in its own process), the speed "
        "benchmark, the fast suite, the fast selection",
    ),
    "2": Plan(
        steps=("records", "select"),
        deadline=420,
        options={"recipe": "record", "members": 3, "selection": "fashion"},
        about="record_recipe() at 3 seeds and their soft vote, then the Fashion-MNIST "
        "selection in the time left",
    ),
}
#: The options' values without a plan (and where a plan sets none).
OPTION_DEFAULTS = {
    "selection": "fast",
    "recipe": "record",
    "members": 1,
    "test_timeout": 90,
    "tests_timeout": 240,
    "compile_budget": 150,
}


class Reports:
    """The folder the reports go to, and the tar of it rewritten after every report.

    Parameters
    ----------
    folder : Path
        Where the reports are written (made if missing).
    archive : Path or None, default=None
        A tar file kept holding everything in ``folder``.
    """

    def __init__(self, folder: Path, archive: Path | None = None):
        self.folder = Path(folder)
        self.archive = None if archive is None else Path(archive)
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.folder / name

    def json(self, name: str, value) -> None:
        write_json(self.path(name), value)
        self.refresh()

    def text(self, name: str, text: str) -> None:
        write_text(self.path(name), text)
        self.refresh()

    def csv(self, name: str, frame) -> None:
        save_frame_csv(frame, self.path(name), index=False)
        self.refresh()

    def refresh(self) -> None:
        """Rewrite the archive (atomically) from what the folder holds now."""
        if self.archive is None:
            return
        self.archive.parent.mkdir(parents=True, exist_ok=True)
        partial = self.archive.with_name(self.archive.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            for path in sorted(self.folder.iterdir()):
                if path.is_file() and path.resolve() not in (
                    self.archive.resolve(),
                    partial.resolve(),
                ):
                    tar.add(path, arcname=path.name)
        os.replace(partial, self.archive)


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


def _pytest(device, junit, timeout, select, quick=False):
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
        f"--timeout={timeout}",
        "-k",
        select,
    ]
    if device.type == "cuda":
        command += ["-m", "cuda"]  # the CPU cases run in CI
    if quick:
        command += ["-x"]
    return command


def _junit(junit, log):
    """Counts and failed cases from pytest's JUnit XML."""
    if not junit.is_file():
        raise ValueError(f"pytest wrote no {junit.name}; {log} has what it printed")
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
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    return {**counts, "passed": passed, "failed": failed}


def _last_line(log):
    lines = log.read_text(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def _note_end(process):
    """Wait for ``process`` and note when it ended (``process.ended``), in a thread."""
    process.wait()
    process.ended = _deadline.clock()


def _collect_compile(process, watcher, command, log, junit, started, until, budget):
    """Wait for the compile case's process until ``until``, kill it then; its outcome."""
    try:
        process.wait(timeout=max(until - _deadline.clock(), 0))
        stopped = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # with inductor's compile workers
        process.wait()
        stopped = True
    watcher.join(timeout=5)
    seconds = getattr(process, "ended", _deadline.clock()) - started
    result = {
        "case": COMPILE_CASE,
        "budget": budget,
        "seconds": seconds,
        "exit_status": process.returncode,
        "command": " ".join(command[1:]),
        "summary": _last_line(log),
    }
    if stopped:
        return {**result, "outcome": f"stopped after {seconds:.0f} s", "failed": [COMPILE_CASE]}
    try:
        counts = _junit(junit, log)
    except ValueError as exc:
        return {**result, "outcome": f"error: {exc}", "failed": [COMPILE_CASE]}
    outcome = (
        "failed"
        if counts["failed"]
        else "skipped"
        if counts["skipped"]
        else "passed"
        if counts["passed"]
        else "not collected"
    )
    return {**result, "outcome": outcome, "failed": counts["failed"]}


def _run_tests(device, quick, reports, test_timeout, step_timeout, compile_budget, deadline):
    if not TESTS.is_file():
        raise FileNotFoundError(f"{TESTS} not found: run the check from the repository's root")
    # the compile case first, in its own process, beside the others
    compile_log, compile_junit = (
        reports.path("devices-compile.log"),
        reports.path("devices-compile-junit.xml"),
    )
    compile_command = _pytest(device, compile_junit, compile_budget, COMPILE_CASE)
    compile_until = _deadline.clock() + min(compile_budget + COMPILE_GRACE, deadline.left())
    log, junit = reports.path("devices-tests.log"), reports.path("devices-junit.xml")
    command = _pytest(device, junit, test_timeout, f"not {COMPILE_CASE}", quick)
    timeout = max(min(step_timeout, deadline.left()), 1)
    timed_out = False
    with open(compile_log, "w") as compile_stream, open(log, "w") as stream:
        started = _deadline.clock()
        compiling = subprocess.Popen(
            compile_command, stdout=compile_stream, stderr=subprocess.STDOUT, start_new_session=True
        )
        watcher = threading.Thread(target=_note_end, args=(compiling,), daemon=True)
        watcher.start()
        try:  # the logs are written as the tests run, read back even if they hang
            completed = subprocess.run(
                command, stdout=stream, stderr=subprocess.STDOUT, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            compiled = _collect_compile(
                compiling,
                watcher,
                compile_command,
                compile_log,
                compile_junit,
                started,
                compile_until,
                compile_budget,
            )
    reports.refresh()
    if timed_out:
        raise TimeoutError(
            f"the device tests took over {timeout:.0f} s; {log} has what they printed "
            f"(the compile case: {compiled['outcome']})"
        )
    result = _junit(junit, log)
    return {
        **result,
        "failed": result["failed"] + compiled["failed"],
        "exit_status": completed.returncode,
        "command": " ".join(command[1:]),
        "summary": _last_line(log),
        "compile": compiled,
    }


def _run_speed(device, dataset, quick, reports):
    from skmnist.benchmarks import speed

    result = speed.run(dataset, str(device), rounds=1 if quick else 3, memory=False)
    result["command"] = (
        f"python -m skmnist.benchmarks.speed --dataset {dataset} "
        f"--device {device.type} --rounds {result['rounds']} --no-memory"
    )
    stem = f"speed-{device.type}"
    reports.json(f"{stem}.json", result)
    reports.text(f"{stem}.md", speed.to_markdown(result))
    return {
        "epoch_seconds": result["epoch_seconds"],
        "ratios": result["ratios"],
        "predict_images_per_s": result["predict_images_per_s"],
    }


def _run_fast(device, data, quick, env, reports):
    X, y, X_test, y_test = data
    results = suites.run_suite(
        "fast", X, y, X_test, y_test, random_state=0, device=str(device), warm_up=not quick
    )
    summary = suites.summarize(results).iloc[0]
    title = (
        f"Suite `fast` on {len(y):,} training and {len(y_test):,} test images, device "
        f"{device} ({env['device_name']}), random_state 0 to "
        f"{suites.SUITES['fast'].seeds - 1}; skmnist {env['skmnist']}, torch {env['torch']}, "
        f"{env['cpu_cores']} CPU cores. Made by the GPU check (`.ci/gpu-check`)."
    )
    reports.text(f"fast-{device.type}.md", suites.to_markdown(results, title=title))
    reports.csv(f"fast-{device.type}.csv", results)
    return {
        "accuracy_mean": float(summary.accuracy),
        "accuracy_min": float(summary.accuracy_min),
        "fit_seconds_median": float(summary.fit_seconds),
        "fit_seconds": results["fit_seconds"].tolist(),
        "accuracy": results["accuracy"].tolist(),
        "params": results["params"].iloc[0],
    }


def _fit_line(row):
    if np.isfinite(row["accuracy"]):
        return f"accuracy {row['accuracy']:.4f} in {row['fit_seconds']:.2f} s"
    reason = row.get("stopped") or row.get("skipped") or row.get("error", "")
    return reason[:300]


def _run_select(device, data, quick, name, env, reports, command, deadline=None):
    X, y, X_test, y_test = data
    stem = f"select-{name}-{device.type}"
    rows = []

    def on_result(row):  # every fit's row is in the folder as soon as it ends
        rows.append(row)
        print(f"  {row['stage']}: {row['config']} (seed {row['seed']}): {_fit_line(row)}")
        sys.stdout.flush()
        reports.json(f"{stem}.json", {"selection": name, "finished": False, "rows": rows})

    result = selection.run_selection(
        name,
        X,
        y,
        X_test,
        y_test,
        holdout=QUICK_HOLDOUT if quick else 10_000,
        device=str(device),
        max_epochs=1 if quick else None,
        on_result=on_result,
        deadline=deadline,
        warm_up=not quick,
    )
    title = (
        f"Selection `{name}` on {len(y):,} training and {len(y_test):,} test images, device "
        f"{device} ({env['device_name']}); skmnist {env['skmnist']}, torch {env['torch']}, "
        f"{env['cpu_cores']} CPU cores. Made by the GPU check (`{command}`)."
    )
    reports.text(f"{stem}.md", selection.selection_markdown(result, title))
    result = {**result, "finished": True, "holdout": result["holdout"].to_dict(orient="records")}
    reports.json(f"{stem}.json", result)
    return result


def _run_records(device, data, quick, members, recipe_name, env, reports, deadline=None):
    from sklearn.base import clone
    from sklearn.metrics import accuracy_score

    deadline = deadline if deadline is not None else Deadline(None)
    X, y, X_test, y_test = data
    make = getattr(suites, RECIPES[recipe_name][0])
    recipe = make(max_epochs=1) if quick else make()
    recipe.set_params(device=str(device))
    if not quick:  # a quick run's times mean nothing
        suites._warm_up(recipe, X, y)
    fit_and_score = suites.fit_and_score
    rows: list[dict] = []
    not_finished: list[dict] = []
    proba_sum = 0
    classes: np.ndarray | None = None
    stem = f"records-{recipe_name}-{device.type}"
    result: dict = {}

    def write():
        nonlocal result
        accuracies = [row["accuracy"] for row in rows]
        vote = (
            float(accuracy_score(y_test, classes[np.argmax(proba_sum, axis=1)]))
            if classes is not None
            else None
        )
        result = {
            "members": rows,
            "not_finished": not_finished,
            "accuracy_mean": float(np.mean(accuracies)) if rows else None,
            "accuracy_min": float(np.min(accuracies)) if rows else None,
            "soft_vote_accuracy": vote,
            "fit_seconds_total": float(sum(row["fit_seconds"] for row in rows)),
            "recipe_name": recipe_name,
            "recipe": " ".join(repr(clone(recipe).set_params(device="auto")).split()),
        }
        reports.json(f"{stem}.json", result)
        command = f".ci/gpu-check --steps records --recipe {recipe_name} --members {members}"
        reports.text(
            f"{stem}.md", records_markdown(result, device, env, len(y), len(y_test), command)
        )

    for seed in range(members):
        needs = max((row["fit_seconds"] for row in rows), default=0.0)
        left = deadline.left()
        if rows and left < needs:
            reason = (
                f"not started: {max(left, 0):.0f} s left before the deadline, a member "
                f"takes about {needs:.0f} s"
            )
            not_finished += [{"random_state": s, "reason": reason} for s in range(seed, members)]
            print(f"  members {seed} to {members - 1}: {reason}", flush=True)
            break
        clf = deadline.bound(clone(recipe).set_params(random_state=seed))
        try:
            scores, _ = fit_and_score(clf, X, y, X_test, y_test)
        except OutOfTime as exc:
            reason = f"{exc}; not finished"
            not_finished += [{"random_state": seed, "reason": reason}]
            not_finished += [
                {"random_state": s, "reason": "not started: no time left"}
                for s in range(seed + 1, members)
            ]
            print(f"  member {seed}: {reason}", flush=True)
            break
        proba_sum = proba_sum + clf.predict_proba(X_test)
        classes = clf.classes_
        rows.append({"random_state": seed, **scores})
        write()
        print(
            f"  member {seed}: accuracy {scores['accuracy']:.4f} in "
            f"{scores['fit_seconds']:.1f} s ({scores['epochs']} epochs); soft vote of "
            f"{len(rows)}: {result['soft_vote_accuracy']:.4f}",
            flush=True,
        )
    write()
    return result


def _parser():
    parser = argparse.ArgumentParser(
        prog=".ci/gpu-check",
        description=__doc__.split("\n")[0],
        epilog="See the module docstring of tools.gpu_check.",
    )
    parser.add_argument("--device", default="cuda", help='"cuda" (default), "cpu", "cuda:1", ...')
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"the shipped sample (its first {QUICK_TRAIN} training images for the fits), "
        f"one round, one epoch of each fit, a hold-out of {QUICK_HOLDOUT}, no warm-up fits, "
        "stop at the first failed test",
    )
    parser.add_argument(
        "--plan",
        choices=list(PLANS),
        help="; ".join(
            f"{name}: {', '.join(plan.steps)} within {plan.deadline} s ({plan.about})"
            for name, plan in PLANS.items()
        ),
    )
    parser.add_argument(
        "--deadline",
        type=float,
        help="seconds from the start within which the command ends (default: the plan's; "
        "none without a plan; 0: none)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="data home holding mnist/ and fashion-mnist/ (default: $SKMNIST_DATA)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for the reports (default: gpu-check-out/plan<N>, or gpu-check-out)",
    )
    parser.add_argument(
        "--archive",
        type=Path,
        help="a tar of --out, rewritten after every report (default where $OUT is set: "
        "$OUT/plan<N>.tar, or $OUT/gpu-check.tar; else none)",
    )
    parser.add_argument(
        "--steps",
        help=f"comma-separated steps to run, of {','.join(STEPS)} "
        f"(default: the plan's, else {','.join(DEFAULT_STEPS)})",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated steps to leave out, recorded as skipped (CI skips those its "
        "test command has run)",
    )
    parser.add_argument(
        "--members",
        type=int,
        help="models the records step fits, at random_state 0, 1, ... (default: the plan's, "
        "else 1)",
    )
    parser.add_argument(
        "--recipe",
        choices=list(RECIPES),
        help="what the records step fits: record_recipe (default), best_recipe, or "
        "fashion_recipe on Fashion-MNIST",
    )
    parser.add_argument(
        "--selection",
        choices=list(selection.SELECTIONS),
        help="what the select step chooses: the fast recipe (default) or a Fashion-MNIST one",
    )
    parser.add_argument(
        "--test-timeout",
        type=int,
        help="seconds after which one device test fails (default: 90)",
    )
    parser.add_argument(
        "--tests-timeout",
        type=int,
        help="seconds after which the tests step stops (default: 150 in plan 1, else 240)",
    )
    parser.add_argument(
        "--compile-budget",
        type=int,
        help=f"seconds the torch.compile case ({COMPILE_CASE}) may take, in its own process "
        f"beside the other tests (default: 150)",
    )
    return parser


def _options(args, parser):
    """Fill the options left out from the plan, then from the defaults."""
    plan = PLANS[args.plan] if args.plan else None
    for name, default in OPTION_DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, plan.options.get(name, default) if plan else default)
    steps = args.steps.split(",") if args.steps else list(plan.steps if plan else DEFAULT_STEPS)
    args.steps = [s for s in steps if s]
    args.skip = [s for s in args.skip.split(",") if s]
    unknown = sorted(set(args.steps + args.skip) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {list(STEPS)}")
    if args.deadline is None and plan:
        args.deadline = plan.deadline
    args.deadline = args.deadline or None  # 0: none
    name = f"plan{args.plan}" if plan else "gpu-check"
    if args.out is None:
        args.out = Path("gpu-check-out") / name if plan else Path("gpu-check-out")
    if args.archive is None and os.environ.get("OUT"):
        args.archive = Path(os.environ["OUT"]) / f"{name}.tar"
    return args


def _data_name(step, args, dataset):
    if args.quick:
        return dataset
    if step == "records":
        return RECIPES[args.recipe][1]
    if step == "select":
        return selection.SELECTIONS[args.selection].dataset
    return dataset


def main(argv: list[str] | None = None) -> int:
    """Run the check; returns 0 when every test and step passed, else 1.

    Parameters
    ----------
    argv : list of str, default=None
        The options (``--plan``, ``--device``, ``--quick``, ``--data``,
        ``--out``, ``--steps``, ...; ``--help`` lists them); None reads
        ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0, or 1 when a test failed or a step raised (steps skipped and fits
        stopped by the deadline are reported, and are no failure).
    """
    parser = _parser()
    args = _options(parser.parse_args(argv), parser)
    deadline = Deadline(args.deadline)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but torch sees no CUDA device here; use --device cpu")
    if args.data is not None:
        os.environ["SKMNIST_DATA"] = str(args.data.resolve())
    dataset = "sample" if args.quick else "mnist"
    reports = Reports(args.out, args.archive)

    started = _deadline.clock()
    env = _environment(device)
    command = ".ci/gpu-check " + " ".join(sys.argv[1:] if argv is None else argv)
    report = {
        "command": command.strip(),
        "plan": args.plan,
        "deadline": args.deadline,
        "environment": env,
        "dataset": dataset,
        "steps": {},
    }
    print(
        f"GPU check on {device} ({env['device_name']}), data: {dataset}"
        + (f", plan {args.plan}" if args.plan else "")
        + f", steps: {','.join(args.steps)}"
        + (f", deadline {args.deadline:.0f} s" if args.deadline else "")
        + f"; reports in {args.out}"
        + (f", kept in {args.archive}" if args.archive else ""),
        flush=True,
    )

    def write_report():
        report["seconds"] = _deadline.clock() - started
        write_json(reports.path("gpu-check.json"), report)
        reports.text("gpu-check.md", to_markdown(report))

    data: dict = {}  # the data sets loaded, by name
    for step in args.steps:
        left = deadline.left()
        if step in args.skip:
            report["steps"][step] = {"skipped": "left out by --skip", "seconds": 0.0}
        elif left < STEP_FLOORS[step]:
            report["steps"][step] = {
                "skipped": f"{max(left, 0):.0f} s left before the {args.deadline:.0f} s "
                f"deadline, and the step needs at least {STEP_FLOORS[step]} s",
                "seconds": 0.0,
            }
        if step in report["steps"]:
            print(f"[{step}] skipped: {report['steps'][step]['skipped']}", flush=True)
            write_report()
            continue
        began = _deadline.clock()
        print(f"[{step}] ...", flush=True)
        report["steps"][step] = {"started": began - started}
        write_report()  # a command stopped now still says which step was running
        try:
            name = _data_name(step, args, dataset)
            if step in ("fast", "select", "records") and name not in data:
                data[name] = _load(name)
                if args.quick:  # a few hundred images: a rehearsal, not a measurement
                    X, y, X_test, y_test = data[name]
                    data[name] = X[:QUICK_TRAIN], y[:QUICK_TRAIN], X_test, y_test
            if step == "tests":
                result = _run_tests(
                    device,
                    args.quick,
                    reports,
                    args.test_timeout,
                    args.tests_timeout,
                    args.compile_budget,
                    deadline,
                )
            elif step == "speed":
                result = _run_speed(device, dataset, args.quick, reports)
            elif step == "fast":
                result = _run_fast(device, data[name], args.quick, env, reports)
            elif step == "select":
                result = _run_select(
                    device, data[name], args.quick, args.selection, env, reports, command, deadline
                )
            else:
                result = _run_records(
                    device,
                    data[name],
                    args.quick,
                    args.members,
                    args.recipe,
                    env,
                    reports,
                    deadline,
                )
            report["steps"][step]["result"] = result
        except Exception:  # a failed step must not lose the others' figures
            report["steps"][step]["error"] = traceback.format_exc()
            print(traceback.format_exc(), file=sys.stderr, flush=True)
        report["steps"][step]["seconds"] = _deadline.clock() - began
        print(f"[{step}] {report['steps'][step]['seconds']:.1f} s", flush=True)
        write_report()
    write_report()
    tests = report["steps"].get("tests", {}).get("result", {})
    failed = any("error" in s for s in report["steps"].values()) or tests.get("exit_status", 0)
    if tests.get("failed"):
        failed = True
        print("failed tests:\n  " + "\n  ".join(tests["failed"]))
    print("\n" + to_markdown(report))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
