"""``skmnist export``: a saved model as an ONNX file, to run where skmnist is not installed."""

import argparse
import logging
from pathlib import Path

from ._common import add_model_argument
from ._errors import UsageError


def export(args):
    """Run ``skmnist export``; returns the exit status."""
    from ..onnx import export_onnx  # an ImportError says which extra to install
    from ._predict import load

    if args.out.suffix != ".onnx":
        raise UsageError(f"OUT {str(args.out)!r} must end in .onnx")
    if not args.out.parent.is_dir():
        raise UsageError(
            f"OUT {str(args.out)!r}: the folder {str(args.out.parent)!r} does not exist"
        )
    model, path = load(args.model)
    # torch's exporter logs that it skips torchvision's operators, which no model here uses
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        export_onnx(model, args.out, zipmap=not args.no_zipmap)
    except NotImplementedError as exc:  # a step without an ONNX equivalent
        raise UsageError(str(exc)) from None
    finally:
        logger.setLevel(level)
    size = args.out.stat().st_size
    print(
        f"{path} -> {args.out} ({size / 1024:,.0f} KiB): inputs X (uint8 pixels, flat rows), "
        "outputs label and probabilities"
    )
    return 0


def add_parser(verbs):
    parser = verbs.add_parser(
        "export",
        help="write a saved model as an ONNX file (onnxruntime, the browser, other languages)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write MODEL as an ONNX file: input X, uint8 pixels as flat rows of the\n"
        "model's image size; outputs label (the model's own classes) and probabilities.\n"
        'Needs the onnx extra: pip install "skmnist[onnx]".',
    )
    add_model_argument(parser)
    parser.add_argument("out", type=Path, metavar="OUT", help="the .onnx file to write")
    parser.add_argument(
        "--no-zipmap",
        action="store_true",
        help="probabilities as a float tensor (n_samples, n_classes) instead of a list of "
        "{class: probability} maps",
    )
    parser.set_defaults(run=export)
    return parser
