"""skmnist._files: a file skmnist writes is complete or absent; the old one survives a failure."""

import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from skmnist._files import (
    atomic_write,
    save_figure,
    save_frame_csv,
    write_bytes,
    write_json,
    write_text,
)


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file(failure, tmp_path):
    path = tmp_path / "metrics.json"
    write_json(path, {"accuracy": 0.99})
    with pytest.raises(type(failure)):
        with atomic_write(path) as file:
            file.write(b'{"accur')
            raise failure
    assert json.loads(path.read_text()) == {"accuracy": 0.99}
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


def test_a_write_that_does_not_read_back_is_not_kept(tmp_path):
    path = tmp_path / "model.bin"
    write_bytes(path, b"good")

    def verify(written):
        assert written != path and written.read_bytes() == b"bad"
        raise OSError("did not read back")

    with pytest.raises(OSError, match="read back"):
        write_bytes(path, b"bad", verify=verify)
    assert path.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["model.bin"]


def test_text_table_and_figure(tmp_path):
    write_text(tmp_path / "report.txt", "précision\n")
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == "précision\n"
    frame = pd.DataFrame({"epoch": [1, 2], "train_loss": [0.5, 0.25]})
    save_frame_csv(frame, tmp_path / "history.csv", index=False)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "history.csv"), frame)
    figure, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    save_figure(figure, tmp_path / "curve.png", dpi=50)
    plt.close(figure)
    assert plt.imread(tmp_path / "curve.png").shape[2] in (3, 4)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curve.png", "history.csv", "report.txt"]
