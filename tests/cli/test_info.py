"""``skmnist info``, ``python -m skmnist`` and the entry point."""

import os
import subprocess
import sys
from pathlib import Path

import torch

import skmnist
from skmnist.estimators import resolve_device

REPO = Path(__file__).resolve().parents[2]


def test_python_dash_m_skmnist_info(tmp_path):
    env = {**os.environ, "SKMNIST_DATA": str(tmp_path), "OMP_NUM_THREADS": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-m", "skmnist", "info"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert f"skmnist {skmnist.__version__}" in lines
    assert f"torch {torch.__version__}" in lines
    assert any(line.startswith("scikit-learn ") for line in lines)
    assert any(line.startswith("skorch ") for line in lines)
    assert any(line.startswith(f"device 'auto' picks: {resolve_device('auto')}") for line in lines)
    assert f"data home: {tmp_path} (SKMNIST_DATA)" in lines
    assert f"  mnist: {tmp_path / 'mnist'} (not found; downloaded when first used)" in lines


def test_info_reports_the_data_sets_found(skmnist_cli, tmp_path, fashion_like):
    (tmp_path / "fashion-mnist").symlink_to(fashion_like, target_is_directory=True)
    result = skmnist_cli("info", "--data-home", tmp_path)
    assert result.code == 0
    assert f"data home: {tmp_path} (--data-home)" in result.out
    assert f"fashion-mnist: {tmp_path / 'fashion-mnist'} (4 IDX files)" in result.out


def test_no_verb_is_a_usage_error(skmnist_cli):
    result = skmnist_cli()
    assert result.code == 2
    assert "usage: skmnist" in result.err and "Traceback" not in result.err


def test_help_exits_0(skmnist_cli):
    for argv in (["--help"], ["train", "--help"], ["benchmark", "--help"]):
        result = skmnist_cli(*argv)
        assert result.code == 0 and "usage: skmnist" in result.out


def test_entry_point_is_the_commands_process():
    """pyproject's ``skmnist = "skmnist.__main__:run"``, which ``python -m skmnist`` runs too."""
    text = (REPO / "pyproject.toml").read_text()
    assert 'skmnist = "skmnist.__main__:run"' in text
    main_module = (REPO / "skmnist" / "__main__.py").read_text()
    assert 'if __name__ == "__main__":\n    run()' in main_module
