"""Speed benchmark: LeNet5Classifier against a hand-written PyTorch loop and plain skorch.

In one process and interleaved, round by round, it times an epoch of

- (a) a hand-written PyTorch loop over pre-loaded device tensors (float32),
- (b) plain :class:`skorch.NeuralNetClassifier` (``train_split=None``, shuffled),
- (c) :class:`skmnist.LeNet5Classifier`, given the uint8 images, with its
  default settings,
- (c+aug) the same with ``augment="affine"``,
- (c, step) the same with each other step of ``step_mode`` that the device
  runs: torch's default optimizer kernels, as (a) and (b) use them, and on a
  CUDA device the step replayed from a CUDA graph,

all with the same network, batch size, optimizer (Adam, lr 1e-3), device and
data. It also measures prediction throughput at batch 128 and 1024 against
the raw model, and the peak resident memory of one epoch of (a), (b) and (c),
each in a fresh process. With ``--checkpoint-rounds N`` it also times
fits of :func:`~skmnist.benchmarks.suites.fast_recipe` and of
``CNNClassifier()`` with and without ``checkpoint_dir``: what keeping the
training state after each epoch costs. Run it with::

    python -m skmnist.benchmarks.speed --dataset mnist --device cpu --out docs/benchmarks
"""

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from skorch import NeuralNetClassifier

from .. import CNNClassifier, LeNet5Classifier, __version__
from .._files import write_json, write_text
from ..estimators import resolve_device
from ..estimators._options import STEP_MODES, resolve_step_mode
from ..nets import LeNet5
from ._tables import markdown_table

__all__ = ["run", "to_markdown"]

BATCH_SIZE = 128
LR = 1e-3


def _load(dataset, subset):
    from ..datasets import fetch_mnist, load_mnist_sample

    if dataset == "sample":
        return load_mnist_sample(subset=subset, return_X_y=True)
    return fetch_mnist(subset=subset, return_X_y=True, download_if_missing=False)


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class _RawLoop:
    """(a) The hand-written loop every MNIST tutorial has, over device tensors."""

    name = "raw PyTorch loop"

    def __init__(self, X, y, device):
        self.device = device
        self.X = torch.as_tensor(X.reshape(-1, 1, 28, 28) / np.float32(255)).to(device)
        self.y = torch.as_tensor(y, dtype=torch.long).to(device)
        self.model = LeNet5().to(device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=LR)
        self.loss = torch.nn.CrossEntropyLoss()

    def train(self, epochs):
        self.model.train()
        for _ in range(epochs):
            order = torch.randperm(len(self.X), device=self.device)
            for start in range(0, len(order), BATCH_SIZE):
                rows = order[start : start + BATCH_SIZE]
                loss = self.loss(self.model(self.X[rows]), self.y[rows])
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()

    def predict_proba(self, X, batch_size):
        X = torch.as_tensor(X.reshape(-1, 1, 28, 28) / np.float32(255)).to(self.device)
        self.model.eval()
        with torch.inference_mode():
            logits = torch.cat(
                [self.model(X[i : i + batch_size]) for i in range(0, len(X), batch_size)]
            )
        return torch.softmax(logits, 1).cpu().numpy()


class _PlainSkorch:
    """(b) skorch's NeuralNetClassifier as its documentation sets it up."""

    name = "plain skorch"

    def __init__(self, X, y, device):
        self.X = (X.reshape(-1, 1, 28, 28) / np.float32(255)).astype(np.float32)
        self.y = y.astype(np.int64)
        self.net = NeuralNetClassifier(
            LeNet5,
            criterion=torch.nn.CrossEntropyLoss,
            optimizer=torch.optim.Adam,
            lr=LR,
            batch_size=BATCH_SIZE,
            train_split=None,
            iterator_train__shuffle=True,
            warm_start=True,
            device=str(device),
            verbose=0,
        )

    def train(self, epochs):
        self.net.set_params(max_epochs=epochs).fit(self.X, self.y)


class _SkMNIST:
    """(c) LeNet5Classifier on the uint8 images as they come."""

    name = "skmnist LeNet5Classifier"

    def __init__(self, X, y, device, augment=None, step_mode="auto"):
        self.X, self.y = X, y
        if augment:
            self.name = f'{self.name}, augment="{augment}"'
        self.step_mode = step_mode
        if step_mode != "auto":
            self.name = f'{self.name}, step_mode="{step_mode}"'
        self.clf = LeNet5Classifier(
            # the raw loop's network (LeNet5's defaults) and training, at a constant rate
            activation="tanh",
            pooling="avg",
            optimizer="adam",
            lr=LR,
            lr_schedule=None,
            batch_size=BATCH_SIZE,
            warm_start=True,
            device=str(device),
            augment=augment,
            step_mode=step_mode,
            verbose=0,
        )

    def train(self, epochs):
        self.clf.set_params(max_epochs=epochs).fit(self.X, self.y)

    def predict_proba(self, X, batch_size):
        return self.clf.set_params(batch_size=batch_size).predict_proba(X)


def _timed(fn, device):
    _sync(device)
    start = time.perf_counter()
    fn()
    _sync(device)
    return time.perf_counter() - start


def time_epochs(X, y, *, device, rounds=3, epochs=1, seed=0):
    """Median seconds per epoch of each method, timed interleaved round by round."""
    torch.manual_seed(seed)
    methods: list[_RawLoop | _PlainSkorch | _SkMNIST] = [
        _RawLoop(X, y, device),
        _PlainSkorch(X, y, device),
        _SkMNIST(X, y, device),
        _SkMNIST(X, y, device, augment="affine"),
    ]
    default = resolve_step_mode("auto", device)
    for mode in STEP_MODES:
        if mode != default and resolve_step_mode(mode, device) == mode:
            methods.append(_SkMNIST(X, y, device, step_mode=mode))
    for method in methods:  # warm-up: allocations, kernels, caches
        method.train(1)
    times: dict[str, list[float]] = {method.name: [] for method in methods}
    for _ in range(rounds):
        for method in methods:
            seconds = _timed(lambda m=method: m.train(epochs), device)
            times[method.name].append(seconds / epochs)
    return times, methods


def time_prediction(raw, ours, X, *, device, batch_sizes=(128, 1024), repeats=3):
    """Images per second of ``predict_proba``, raw model against LeNet5Classifier."""
    result = {}
    for batch_size in batch_sizes:
        raw_t, ours_t = [], []
        for _ in range(repeats):
            raw_t.append(_timed(lambda b=batch_size: raw.predict_proba(X, b), device))
            ours_t.append(_timed(lambda b=batch_size: ours.predict_proba(X, b), device))
        result[batch_size] = {
            "raw": len(X) / statistics.median(raw_t),
            "skmnist": len(X) / statistics.median(ours_t),
        }
    return result


def time_checkpoints(X, y, *, device, rounds=3, epochs=3):
    """Seconds per epoch of fits without and with ``checkpoint_dir``, interleaved.

    :func:`~skmnist.benchmarks.suites.fast_recipe` and ``CNNClassifier()``
    train ``epochs`` epochs (a state is written when each epoch after the
    first begins) with ``random_state=0``, into a new temporary folder each
    time; each round fits every estimator both ways, in alternating order.
    Returns, per estimator, the median seconds per epoch of each way and
    their ratio.
    """
    from ._recipes import fast_recipe

    estimators = {
        "fast_recipe()": fast_recipe(max_epochs=epochs),
        "CNNClassifier()": CNNClassifier(max_epochs=epochs),
    }
    times: dict[str, dict[str, list[float]]] = {
        name: {"without": [], "with": []} for name in estimators
    }
    for i in range(rounds):
        for name, estimator in estimators.items():
            ways = ("without", "with") if i % 2 == 0 else ("with", "without")
            for way in ways:
                with tempfile.TemporaryDirectory() as folder:
                    clf = estimator.set_params(
                        random_state=0,
                        device=str(device),
                        checkpoint_dir=folder if way == "with" else None,
                    )
                    seconds = _timed(lambda c=clf: c.fit(X, y), device)
                times[name][way].append(seconds / epochs)
    result = {}
    for name, measured in times.items():
        without, with_ = (statistics.median(measured[way]) for way in ("without", "with"))
        result[name] = {"without": without, "with": with_, "ratio": with_ / without}
    return result


def _peak_rss_mib():
    """This process's peak resident memory in MiB.

    ``VmHWM`` where Linux has it: ``getrusage``'s ``ru_maxrss`` carries over
    through fork and exec, so a child would report at least its parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_probe(method, dataset, device):
    """One epoch of ``method`` in this (fresh) process; print the peak RSS in MiB."""
    X, y = _load(dataset, "train")
    methods: dict[str, type[_RawLoop | _PlainSkorch | _SkMNIST]] = {
        "raw": _RawLoop,
        "skorch": _PlainSkorch,
        "skmnist": _SkMNIST,
    }
    methods[method](X, y, device).train(1)
    print(json.dumps({"peak_rss_mib": _peak_rss_mib()}))


def measure_memory(dataset, device):
    """Peak resident memory (MiB) of one epoch of each method, each in a fresh process."""
    peaks = {}
    for method in ("raw", "skorch", "skmnist"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "skmnist.benchmarks.speed",
                "--memory-probe",
                method,
                "--dataset",
                dataset,
                "--device",
                str(device),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        peaks[method] = json.loads(out.strip().splitlines()[-1])["peak_rss_mib"]
    return peaks


def run(dataset="mnist", device="cpu", rounds=3, epochs=1, memory=True, checkpoint_rounds=0):
    """Run the whole benchmark and return its results as a dict.

    Parameters
    ----------
    dataset : {"mnist", "sample"}, default="mnist"
        The full MNIST (read from the data home, never downloaded) or the
        shipped sample.
    device : str, default="cpu"
        Where all four loops train: "cpu", "cuda", "auto", ...
    rounds : int, default=3
        Interleaved rounds: in each, every loop trains ``epochs`` epochs.
    epochs : int, default=1
        Epochs per round and loop.
    memory : bool, default=True
        Also measure the peak memory of one epoch of each loop, each in a
        fresh process.
    checkpoint_rounds : int, default=0
        Rounds of ``time_checkpoints`` (none by default: its CNN fits
        take minutes on a CPU).

    Returns
    -------
    result : dict
        The setup (data, device, threads, versions), ``epoch_seconds``
        (median per loop), ``epoch_seconds_fastest``,
        ``epoch_seconds_each_round``, ``ratios``,
        ``predict_images_per_s``, with ``memory``, ``peak_rss_mib``, and
        with ``checkpoint_rounds``, ``checkpoint_epoch_seconds``.

    Examples
    --------
    >>> from skmnist.benchmarks.speed import run
    >>> result = run("sample", "cpu", rounds=1, memory=False)
    >>> list(result["epoch_seconds"])  # doctest: +NORMALIZE_WHITESPACE
    ['raw PyTorch loop', 'plain skorch', 'skmnist LeNet5Classifier',
     'skmnist LeNet5Classifier, augment="affine"',
     'skmnist LeNet5Classifier, step_mode="eager"']
    >>> sorted(result["ratios"])  # doctest: +NORMALIZE_WHITESPACE
    ['augmented / unaugmented', 'eager step / raw', 'plain skorch / raw',
     'skmnist / plain skorch', 'skmnist / raw']
    """
    device = resolve_device(device)
    X, y = _load(dataset, "train")
    X_test, _ = _load(dataset, "test")
    rounds_s, methods = time_epochs(X, y, device=device, rounds=rounds, epochs=epochs)
    epoch_s = {name: statistics.median(values) for name, values in rounds_s.items()}
    fastest_s = {name: min(values) for name, values in rounds_s.items()}
    raw, ours = methods[0], methods[2]
    predict = time_prediction(raw, ours, X_test, device=device)
    names = [m.name for m in methods]
    result = {
        "dataset": dataset,
        "n_train": len(X),
        "n_test": len(X_test),
        "device": str(device),
        "device_name": torch.cuda.get_device_name(device)
        if device.type == "cuda"
        else platform.processor() or platform.machine(),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "skmnist": __version__,
        "rounds": rounds,
        "epochs_per_round": epochs,
        "epoch_seconds": epoch_s,
        "epoch_seconds_fastest": fastest_s,
        "epoch_seconds_each_round": rounds_s,
        "ratios": {
            "skmnist / raw": epoch_s[names[2]] / epoch_s[names[0]],
            "plain skorch / raw": epoch_s[names[1]] / epoch_s[names[0]],
            "skmnist / plain skorch": epoch_s[names[2]] / epoch_s[names[1]],
            "augmented / unaugmented": epoch_s[names[3]] / epoch_s[names[2]],
            **{
                f"{method.step_mode} step / raw": epoch_s[method.name] / epoch_s[names[0]]
                for method in methods[4:]
                if isinstance(method, _SkMNIST)
            },
        },
        "predict_images_per_s": {str(b): v for b, v in predict.items()},
    }
    if memory:
        result["peak_rss_mib"] = measure_memory(dataset, device)
    if checkpoint_rounds:
        result["checkpoint_rounds"] = checkpoint_rounds
        result["checkpoint_epoch_seconds"] = time_checkpoints(
            X, y, device=device, rounds=checkpoint_rounds
        )
    return result


def to_markdown(result):
    """The results as Markdown tables with the ratios.

    Parameters
    ----------
    result : dict
        What :func:`run` returns (with ``command`` added by ``main``).

    Returns
    -------
    text : str
        A line on the setup, then tables of training time per epoch,
        prediction throughput and, when measured, peak memory.

    Examples
    --------
    >>> from skmnist.benchmarks.speed import run, to_markdown
    >>> result = run("sample", "cpu", rounds=1, memory=False)
    >>> print(to_markdown(result))  # doctest: +ELLIPSIS
    LeNet-5, batch 128, Adam, 3,000 sample images, device cpu (...; median of 1 interleaved rounds.
    <BLANKLINE>
    | training loop | s/epoch (median) | vs raw loop | s/epoch (fastest round) | vs raw loop |
    ...
    """
    raw = result["epoch_seconds"]["raw PyTorch loop"]
    fastest = result["epoch_seconds_fastest"]
    raw_fastest = fastest["raw PyTorch loop"]
    setup = (
        f"LeNet-5, batch {BATCH_SIZE}, Adam, {result['n_train']:,} {result['dataset']} images, "
        f"device {result['device']} ({result['device_name']}, {result['threads']} threads), "
        f"torch {result['torch']}, skmnist {result['skmnist']}; median of {result['rounds']} "
        "interleaved rounds."
    )
    if "command" in result:
        setup += f"\n\nMade by `{result['command']}`."
    tables = [
        markdown_table(
            [
                "training loop",
                "s/epoch (median)",
                "vs raw loop",
                "s/epoch (fastest round)",
                "vs raw loop",
            ],
            [
                [
                    name,
                    f"{sec:.3f}",
                    f"{sec / raw:.3f}",
                    f"{fastest[name]:.3f}",
                    f"{fastest[name] / raw_fastest:.3f}",
                ]
                for name, sec in result["epoch_seconds"].items()
            ],
            align="lrrrr",
            title=setup,
        ),
        markdown_table(
            ["predict_proba batch", "raw model (img/s)", "LeNet5Classifier (img/s)", "ratio"],
            [
                [
                    batch,
                    f"{v['raw']:,.0f}",
                    f"{v['skmnist']:,.0f}",
                    f"{v['skmnist'] / v['raw']:.3f}",
                ]
                for batch, v in result["predict_images_per_s"].items()
            ],
            align="rrrr",
        ),
    ]
    if "peak_rss_mib" in result:
        peaks = result["peak_rss_mib"]
        tables.append(
            markdown_table(
                ["one epoch in a fresh process", "peak RSS (MiB)", "vs raw loop"],
                [[name, f"{mib:.0f}", f"{mib / peaks['raw']:.3f}"] for name, mib in peaks.items()],
                align="lrr",
            )
        )
    if "checkpoint_epoch_seconds" in result:
        tables.append(
            markdown_table(
                ["estimator", "s/epoch", "s/epoch with checkpoint_dir", "ratio"],
                [
                    [name, f"{t['without']:.3f}", f"{t['with']:.3f}", f"{t['ratio']:.3f}"]
                    for name, t in result["checkpoint_epoch_seconds"].items()
                ],
                align="lrrr",
                title=f"Fits of 3 epochs with `random_state=0`, median of "
                f"{result['checkpoint_rounds']} rounds:",
            )
        )
    return "\n".join(tables)


def main(argv=None):
    """Run the benchmark from the command line, print its tables and optionally save them.

    ``python -m skmnist.benchmarks.speed`` (and ``skmnist benchmark --suite
    speed``) call this.

    Parameters
    ----------
    argv : list of str, default=None
        The options (``--dataset``, ``--device``, ``--rounds``, ``--epochs``,
        ``--no-memory``, ``--checkpoint-rounds N``, ``--out DIR``); None
        reads ``sys.argv[1:]``. With ``--out``, ``speed-<device>.json`` and
        ``speed-<device>.md`` are written there.

    Returns
    -------
    status : int
        0.

    """
    parser = argparse.ArgumentParser(
        prog="python -m skmnist.benchmarks.speed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--dataset", choices=["mnist", "sample"], default="mnist")
    parser.add_argument("--device", default="cpu", help='"cpu", "cuda" or "auto"')
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1, help="epochs per round and method")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory probes")
    parser.add_argument(
        "--checkpoint-rounds",
        type=int,
        default=0,
        metavar="N",
        help="also time fits with and without checkpoint_dir, N rounds (default: none)",
    )
    parser.add_argument("--out", type=Path, help="folder for speed-<device>.json and .md")
    parser.add_argument(
        "--memory-probe", choices=["raw", "skorch", "skmnist"], help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.memory_probe:
        _memory_probe(args.memory_probe, args.dataset, resolve_device(args.device))
        return 0
    result = run(
        args.dataset,
        args.device,
        args.rounds,
        args.epochs,
        memory=not args.no_memory,
        checkpoint_rounds=args.checkpoint_rounds,
    )
    result["command"] = "python -m skmnist.benchmarks.speed " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    table = to_markdown(result)
    print(table)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        stem = f"speed-{torch.device(result['device']).type}"
        write_json(args.out / f"{stem}.json", result)
        write_text(args.out / f"{stem}.md", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
