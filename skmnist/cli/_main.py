"""The ``skmnist`` command: its parser, the verbs' modules, and how errors end a run.

Each verb lives in its own module (``_train``, ``_predict``, ``_export``,
``_benchmark``, ``_info``) with an ``add_parser(verbs)`` that registers it and sets ``run``;
what verbs share is in ``_common``. A new verb is a module like those, added in
``_build_parser``.
"""

import argparse
import sys
import traceback

from . import _benchmark, _export, _info, _predict, _train
from ._errors import UsageError

_DEBUG_HELP = "show the traceback of an unexpected error"


def _add_debug(verb_parser):
    # after the verb too; SUPPRESS keeps a --debug given before the verb
    verb_parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP
    )
    # the verb's own usage, printed with a usage error
    verb_parser.set_defaults(verb_parser=verb_parser)


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="skmnist",
        description="Neural networks for MNIST-family images, the scikit-learn way.",
        epilog="Run 'skmnist VERB --help' for the options of each verb.",
    )
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    verbs = parser.add_subparsers(dest="verb", required=True)
    for verb in (
        _train.add_parser(verbs),
        _predict.add_parser(verbs),
        _export.add_parser(verbs),
        _benchmark.add_parser(verbs),
    ):
        _add_debug(verb)
    _add_debug(_info.add_parser(verbs))
    return parser


def main(argv=None):
    """Run the ``skmnist`` command with ``argv``.

    The ``skmnist`` console script and ``python -m skmnist`` call this.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the command's name; None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        The exit status, returned instead of exiting: 0 on success, 1 when
        the work failed (a data set that cannot be read, training that
        diverged, or an unexpected error: one line, and with ``--debug``
        the traceback), 2 for a mistake in the command line (reported on
        stderr with the usage, before any work), 130 when interrupted
        (``skmnist train`` interrupted while training still evaluates the
        weights kept and writes its outputs, marked ``"interrupted": true``
        in ``metrics.json``).

    Examples
    --------
    >>> from skmnist.cli import main
    >>> main(["train", "--model", "resnet"])  # not one of the models: status 2
    2
    >>> main(["train", "--dataset", "sample", "--model", "mlp", "-p", "max_epochs=1",
    ...       "-p", "random_state=0", "--quiet"])  # doctest: +ELLIPSIS
    MLPNetClassifier: test accuracy 0..., macro F1 0... (1 epoch, ... s)
    0
    """
    from ..exceptions import TrainingDivergedError

    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a mistake argparse found and reported
        return exc.code if isinstance(exc.code, int) else 2
    verb = f"skmnist {args.verb}"
    try:
        return args.run(args)
    except UsageError as exc:
        args.verb_parser.print_usage(sys.stderr)
        print(f"{verb}: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError, TrainingDivergedError) as exc:
        if args.debug:
            traceback.print_exc()
        message = str(exc) or type(exc).__name__
        print(f"{verb}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\n{verb}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or a case nobody foresaw: still one line
        if args.debug:
            traceback.print_exc()
        message = " ".join(str(exc).split())[:300] or "(no message)"
        print(
            f"{verb}: error: {type(exc).__name__}: {message}"
            + ("" if args.debug else " (run with --debug for the traceback)"),
            file=sys.stderr,
        )
        return 1
