"""Where a training batch's time goes: skmnist's step against a hand-written one.

A tiny network (784-8-10) on the shipped sample makes the arithmetic nearly
free, so what is left per batch is the overhead that a GPU pays as kernel
launches and Python: the torch operators each batch runs (on a GPU, about one
kernel launch each), the Python function calls, and the wall time. It runs,
one epoch each, a hand-written loop (Adam as torch makes it, the fused Adam)
and :class:`skmnist.MLPNetClassifier` with each ``step_mode`` the CPU has,
then prints a table and, with ``--top N``, the functions that take the most
time in the skmnist fit (cProfile). Run it from a checkout::

    python -m tools.step_profile --top 15
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

import numpy as np
import torch

from skmnist import MLPNetClassifier
from skmnist.benchmarks._tables import markdown_table
from skmnist.datasets import load_mnist_sample
from skmnist.estimators._options import AUTO_STEP_MODE, STEP_MODES, resolve_step_mode

BATCH_SIZE = 32
HIDDEN = 8


def _data(repeat):
    X, y = load_mnist_sample(return_X_y=True)
    return np.concatenate([X] * repeat), np.concatenate([y] * repeat)


def _raw_epoch(X, y, fused, seed=0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10)
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, fused=fused or None)
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.as_tensor(X / np.float32(255))
    y = torch.as_tensor(y, dtype=torch.long)

    def run():
        order = torch.randperm(len(X))
        for start in range(0, len(X), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            loss = loss_fn(model(X[rows]), y[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return run


def _skmnist_epoch(X, y, step_mode):
    def run():
        MLPNetClassifier(
            hidden_layer_sizes=(HIDDEN,),
            batch_size=BATCH_SIZE,
            max_epochs=1,
            random_state=0,
            step_mode=step_mode,
        ).fit(X, y)

    return run


def _measure(run, n_batches, rounds):
    run()  # warm-up
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        run()
    operators = sum(e.count for e in prof.key_averages() if e.key.startswith("aten::"))
    return {
        "us_per_batch": 1e6 * float(np.median(seconds)) / n_batches,
        "python_calls_per_batch": calls / n_batches,
        "torch_operators_per_batch": operators / n_batches,
    }, profile


def run(repeat=2, rounds=3):
    """The table's rows: name -> per-batch wall time, Python calls and torch operators.

    Measured on one CPU thread; torch's thread count is put back afterwards.
    """
    X, y = _data(repeat)
    n_batches = -(-len(X) // BATCH_SIZE)
    methods = {
        "hand-written loop, torch's Adam": _raw_epoch(X, y, fused=False),
        "hand-written loop, fused Adam": _raw_epoch(X, y, fused=True),
    }
    device = torch.device("cpu")
    for mode in STEP_MODES:
        if resolve_step_mode(mode, device) == mode:
            methods[f'MLPNetClassifier, step_mode="{mode}"'] = _skmnist_epoch(X, y, mode)
    rows, profiles = {}, {}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the overhead, not the arithmetic's threading
    try:
        for name, method in methods.items():
            rows[name], profiles[name] = _measure(method, n_batches, rounds)
    finally:
        torch.set_num_threads(threads)  # as the caller had it
    return rows, profiles


def to_markdown(rows):
    """The table of :func:`run`'s rows, in Markdown."""
    title = (
        f"Per training batch of a 784-{HIDDEN}-10 MLP, batches of {BATCH_SIZE}, "
        f"one CPU thread, torch {torch.__version__}."
    )
    header = ["step", "us per batch", "Python calls per batch", "torch operators per batch"]
    cells = [
        [
            name,
            f"{row['us_per_batch']:.0f}",
            f"{row['python_calls_per_batch']:.0f}",
            f"{row['torch_operators_per_batch']:.1f}",
        ]
        for name, row in rows.items()
    ]
    return markdown_table(header, cells, align="lrrr", title=title)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.step_profile", description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="copies of the sample (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="timed epochs (default 3)")
    parser.add_argument("--top", type=int, default=0, help="print the N slowest functions")
    args = parser.parse_args(argv)
    rows, profiles = run(args.repeat, args.rounds)
    print(to_markdown(rows))
    if args.top:
        name = f'MLPNetClassifier, step_mode="{AUTO_STEP_MODE}"'
        print(f"cProfile of one epoch of {name}, by own time:")
        pstats.Stats(profiles[name], stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
