"""Ctrl-C during ``skmnist train``: exit 130, the kept weights evaluated, the outputs written."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from skmnist import load_model


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_while_training(tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MPLBACKEND": "Agg"}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skmnist",
            "train",
            "--model",
            "mlp",
            "--dataset",
            "sample",
            "-p",
            "max_epochs=500",
            "-p",
            "random_state=0",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    try:
        for line in child.stdout:  # skorch's table: a row per epoch
            if re.match(r"\s+2\s", line) or time.monotonic() > deadline:
                break
        child.send_signal(signal.SIGINT)  # a real Ctrl-C, during epoch 3 or so
        _stdout, stderr = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert re.search(r"interrupted in epoch \d+; the weights kept were evaluated", stderr)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["interrupted"] is True
    assert 2 <= metrics["epoch_reached"] < 500 and metrics["epochs"] == metrics["epoch_reached"]
    assert metrics["accuracy"] > 0.5  # the weights kept were trained
    for name in metrics["files"]:
        assert (out / name).is_file()
    assert load_model(out / "model.safetensors").history_frame().shape[0] >= 2
    assert not [p.name for p in out.iterdir() if p.name.endswith(".part")]
