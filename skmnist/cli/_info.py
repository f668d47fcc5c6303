"""``skmnist info``: versions, the device "auto" picks, where data is looked for."""

import os
from pathlib import Path

from . import _data
from ._common import versions


def info(args):
    """Run ``skmnist info``: versions, the device "auto" picks, where data is looked for."""
    import torch

    from ..datasets import get_data_home
    from ..estimators import resolve_device

    for name, version in versions().items():
        print(f"{name} {version}")
    device = resolve_device("auto")
    detail = f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""
    print(f"device 'auto' picks: {device}{detail}")
    print(f"torch threads: {torch.get_num_threads()}")
    if args.data_home is not None:
        source = "--data-home"
    elif os.environ.get("SKMNIST_DATA"):
        source = "SKMNIST_DATA"
    else:
        source = "the default; set SKMNIST_DATA or --data-home to change it"
    home = get_data_home(args.data_home)
    print(f"data home: {home} ({source})")
    for name in _data.NAMED:
        folder = home / name
        found = sorted(p.name for p in folder.glob("*idx*-ubyte*")) if folder.is_dir() else []
        state = f"{len(found)} IDX files" if found else "not found; downloaded when first used"
        print(f"  {name}: {folder} ({state})")
    print("sample: shipped with skmnist (--dataset sample)")
    return 0


def add_parser(verbs):
    parser = verbs.add_parser(
        "info", help="versions, the device 'auto' picks, where data is looked for"
    )
    parser.add_argument(
        "--data-home", type=Path, metavar="DIR", help="the data folder to report on"
    )
    parser.set_defaults(run=info)
    return parser
