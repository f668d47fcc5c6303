"""Optuna and Dask are optional: skmnist imports without them and says how to get them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import skmnist
from skmnist.model_selection import seed_search_space


def test_importing_skmnist_imports_no_optional_dependency():
    code = (
        "import sys, skmnist, skmnist.model_selection, skmnist.plotting, skmnist.cli\n"
        "optional = {'optuna', 'optuna_integration', 'dask', 'distributed', 'skl2onnx',\n"
        "            'onnx', 'onnxruntime', 'onnxscript'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & optional))"
    )
    root = str(Path(skmnist.__file__).parents[1])
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_seed_search_space_without_optuna(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r'pip install "skmnist\[tune\]"'):
        seed_search_space()
