"""``skmnist benchmark``: run a named study and write its table and plot."""

import os
import shlex
from pathlib import Path

import pandas as pd
import torch

from .._files import save_frame_csv, write_json, write_text
from ..benchmarks import suites
from ..estimators._devices import describe_devices
from . import _data
from ._common import positive_int, save_png
from ._errors import UsageError

#: Suites that are no list of estimators: the speed benchmark of the training loop.
SPECIAL = {"speed": "LeNet-5's training loop against a raw PyTorch loop and plain skorch"}
#: The data set each suite runs on when --dataset is not given.
DEFAULT_DATASETS = {"fashion": "fashion-mnist", "fashion-minutes": "fashion-mnist"}
#: With --soft-vote, the folder of --out that keeps each fit's test-set probabilities.
PROBABILITIES = "probabilities"


def _speed(args, out):
    """``--suite speed``: :mod:`skmnist.benchmarks.speed`, on MNIST or the sample only."""
    from ..benchmarks import speed

    dataset = "mnist" if args.dataset in (None, "auto") else args.dataset
    if dataset not in ("mnist", "sample"):
        raise UsageError(
            f"--suite speed runs on --dataset mnist or sample only, not {args.dataset!r}"
        )
    if args.data_home is not None:
        raise UsageError("--suite speed reads MNIST from $SKMNIST_DATA or ~/skmnist_data only")
    result = speed.run(dataset, args.device, epochs=args.max_epochs or 1)
    table = speed.to_markdown(result)
    print(table)
    if out is not None:
        stem = f"speed-{result['device'].split(':')[0]}"
        write_json(out / f"{stem}.json", result)
        write_text(out / f"{stem}.md", table)
        print(f"Wrote {stem}.json and {stem}.md to {out}")
    return 0


def _seeds(results, args):
    """The seeds of ``results``' rows, which --resume may have made in several runs."""
    seeds = sorted({int(seed) for seed in results["seed"].dropna()})
    if not seeds:
        return str(args.random_state)
    if len(seeds) > 1 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]} to {seeds[-1]}"
    return ", ".join(map(str, seeds))


def _command(args, dataset):
    """The command line that reproduces this run (the options that matter for results)."""
    parts = ["skmnist benchmark", f"--suite {args.suite}", f"--dataset {shlex.quote(str(dataset))}"]
    if args.max_epochs:
        parts.append(f"--max-epochs {args.max_epochs}")
    parts += [f"--config {shlex.quote(config)}" for config in args.config or ()]
    if args.device != "auto":
        parts.append(f"--device {args.device}")
    if not args.verify:
        parts.append("--no-verify")
    parts.append(f"--random-state {args.random_state}")
    if args.seeds:
        parts.append(f"--seeds {args.seeds}")
    if args.out is not None:
        parts.append(f"--out {shlex.quote(str(args.out))}")
    if args.resume:
        parts.append("--resume")
    if args.soft_vote:
        parts.append("--soft-vote")
    return " ".join(parts)


def _earlier_rows(args):
    """With ``--resume``, the rows an earlier run wrote to ``--out``'s results.csv."""
    path = args.out / "results.csv"
    if not args.resume or not path.is_file():
        return pd.DataFrame(columns=list(suites.COLUMNS))
    rows = pd.read_csv(path)
    names = [config for config, _ in suites.get_suite(args.suite)]
    if list(rows.columns) != list(suites.COLUMNS) or not rows["config"].isin(names).all():
        raise UsageError(
            f"--resume: {path} holds no rows of suite {args.suite!r}; give another --out, or "
            "leave --resume out to start afresh"
        )
    return rows


def _done(rows):
    """The (config, seed) pairs of ``rows``: the runs not to make again."""
    return set() if rows is None else set(zip(rows["config"], rows["seed"], strict=True))


def _in_suite_order(rows, suite):
    order = {config: i for i, (config, _) in enumerate(suites.get_suite(suite))}
    key = rows["config"].map(order) * 1_000_000 + rows["seed"]
    return rows.iloc[key.argsort(kind="stable")].reset_index(drop=True)


def benchmark(args):
    """Run ``skmnist benchmark``; returns the exit status."""
    from . import _params
    from ._common import check_out, versions

    _params.checked_device(args.device, "--device")
    out = args.out
    if args.suite in SPECIAL:
        check_out(out)
        return _speed(args, out)
    if args.resume and out is None:
        raise UsageError("--resume continues the results in --out; give --out DIR")
    if args.soft_vote and out is None:
        raise UsageError("--soft-vote keeps the models' probabilities in --out; give --out DIR")
    dataset = args.dataset or DEFAULT_DATASETS.get(args.suite, "auto")
    _data.check_dataset(dataset)
    _data.check_data_home(args.data_home)
    check_out(out)
    names = [config for config, _ in suites.get_suite(args.suite)]
    unknown = [config for config in args.config or () if config not in names]
    if unknown:
        raise UsageError(
            f"--config: suite {args.suite!r} has no configuration "
            f"{', '.join(map(repr, unknown))}; its configurations are "
            f"{', '.join(map(repr, names))}"
        )
    earlier = _earlier_rows(args) if out is not None else None
    data = _data.load(dataset, args.data_home, args.verify)
    n_configs = len(args.config) if args.config else len(suites.get_suite(args.suite))
    epochs = (
        f"{args.max_epochs} epochs each"
        if args.max_epochs
        else f"at most {suites.SMALL_DATA_MAX_EPOCHS} epochs each (small training set)"
        if len(data.y_train) < suites.SMALL_TRAINING_SET
        else "each its own epochs"
    )
    if not args.quiet:
        print(
            f"Suite {args.suite!r}: {suites.SUITES[args.suite].description}; "
            f"{n_configs} configurations on {len(data.y_train):,} training and "
            f"{len(data.y_test):,} test images from {data.description}, {epochs}.",
            flush=True,
        )

    new_rows = []

    def progress(i, n, row):
        if not args.quiet:
            print(
                f"[{i}/{n}] {row['config']}: accuracy {row['accuracy']:.4f}, macro F1 "
                f"{row['macro_f1']:.4f}, {row['epochs']} epochs in {row['fit_seconds']:.1f} s",
                flush=True,
            )
        new_rows.append(row)
        if out is not None:  # each row as it comes: a long run stopped keeps what it made
            rows = pd.DataFrame(new_rows)
            if earlier is not None and len(earlier):
                rows = pd.concat([earlier, rows], ignore_index=True)
            save_frame_csv(_in_suite_order(rows, args.suite), out / "results.csv", index=False)

    if earlier is not None and len(earlier) and not args.quiet:
        print(f"Resuming: {len(earlier)} row(s) of {out / 'results.csv'} are kept.", flush=True)
    results = suites.run_suite(
        args.suite,
        data.X_train,
        data.y_train,
        data.X_test,
        data.y_test,
        max_epochs=args.max_epochs,
        random_state=args.random_state,
        device=args.device,
        verbose=args.verbose,
        on_result=progress,
        configs=args.config,
        done=_done(earlier),
        seeds=args.seeds,
        probabilities=out / PROBABILITIES if args.soft_vote else None,
    )
    if earlier is not None and len(earlier):
        results = _in_suite_order(pd.concat([earlier, results], ignore_index=True), args.suite)
    from ..estimators import resolve_device

    title = (
        f"Suite `{args.suite}` on {data.description}: {len(data.y_train):,} training and "
        f"{len(data.y_test):,} test images, device {resolve_device(args.device)}, "
        f"random_state {_seeds(results, args)}; skmnist {versions()['skmnist']}, "
        f"torch {versions()['torch']}, {os.cpu_count()} CPU cores, "
        f"{torch.get_num_threads()} torch threads.\n\n"
        f"Made by `{_command(args, dataset)}`."
    )
    votes = suites.soft_votes(results, out / PROBABILITIES, data.y_test) if args.soft_vote else None
    table = suites.to_markdown(results, title=title, votes=votes)
    print("\n" + table)
    if out is None:
        if not args.quiet:
            print("(no --out given: nothing was written)")
        return 0
    save_frame_csv(results, out / "results.csv", index=False)
    write_text(out / "results.md", table)
    several_seeds = len(set(results["seed"])) > 1
    figure = suites.plot_results(
        suites.summarize(results) if several_seeds else results,
        title=f"{args.suite} on {data.description}"
        + (" (mean accuracy, median fit time over the seeds)" if several_seeds else ""),
    )
    save_png(figure, out / "results.png")
    written = "results.csv, results.md and results.png"
    if suites.SUITES[args.suite].frontier:
        frontier = suites.plot_frontier(
            results,
            references=suites.PUBLISHED.get(str(dataset)),
            title=f"{args.suite} on {data.description}",
        )
        save_png(frontier, out / "frontier.png")
        written = "results.csv, results.md, results.png and frontier.png"
    if not args.quiet:
        print(f"Wrote {written} to {out}")
    return 0


def add_parser(verbs):
    import argparse

    from ._common import add_data_arguments

    names = [*suites.SUITES, *SPECIAL]
    listed = "\n".join(f"  {name:<11} {suite.description}" for name, suite in suites.SUITES.items())
    parser = verbs.add_parser(
        "benchmark",
        help="run a named study (a suite of models) and write its table and plot",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Train each configuration of a suite on the training set, score it once on\n"
            "the test set, and print a Markdown table; with --out, write results.csv,\n"
            f"results.md and results.png into that folder. Suites:\n\n{listed}\n"
            f"  {'speed':<11} {SPECIAL['speed']}\n\n"
            "Each configuration trains for the epochs meant for the full data sets, or for\n"
            f"at most {suites.SMALL_DATA_MAX_EPOCHS} on a training set of fewer than "
            f"{suites.SMALL_TRAINING_SET:,} images (such as the sample);\n"
            "--max-epochs N overrides both. Early stopping and schedules validate on part\n"
            "of the training set, never on the test set."
        ),
    )
    parser.add_argument("--suite", required=True, choices=names, help="the study to run")
    add_data_arguments(
        parser,
        default=None,
        default_text=", ".join(f"{d} for {name}" for name, d in DEFAULT_DATASETS.items())
        + ", auto for the others",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for results.csv, .md and .png"
    )
    parser.add_argument(
        "--max-epochs",
        type=positive_int,
        metavar="N",
        help="epochs for every configuration, overriding their own",
    )
    parser.add_argument("--device", default="auto", help=describe_devices())
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of every configuration (default: 0)",
    )
    parser.add_argument(
        "--seeds",
        type=positive_int,
        metavar="N",
        help="seeds per configuration, from --random-state on (default: the suite's own: "
        + ", ".join(f"{s.seeds} for {name}" for name, s in suites.SUITES.items() if s.seeds > 1)
        + ", 1 for the others)",
    )
    parser.add_argument(
        "--config",
        action="append",
        metavar="NAME",
        help="run only this configuration of the suite (repeat for several)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the rows of --out's results.csv and run only the configurations and "
        "seeds it lacks (results.csv is rewritten after each one, so a long suite can "
        "be run in parts)",
    )
    parser.add_argument(
        "--soft-vote",
        action="store_true",
        help=f"keep each fit's test-set probabilities in --out's {PROBABILITIES}/ folder and "
        "report the soft vote of each configuration's seeds (with --resume, those of the "
        "earlier runs that kept theirs vote too)",
    )
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    parser.add_argument(
        "--verbose",
        "-v",
        action="count",
        default=0,
        help="show each configuration's epochs as it trains",
    )
    parser.set_defaults(run=benchmark)
    return parser
