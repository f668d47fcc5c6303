"""get_data_home: argument, else SKMNIST_DATA, else ~/skmnist_data."""

from pathlib import Path

from skmnist.datasets import get_data_home


def test_argument_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path / "from_env"))
    home = get_data_home(tmp_path / "given" / "nested")
    assert home == tmp_path / "given" / "nested"
    assert home.is_dir()
    assert not (tmp_path / "from_env").exists()


def test_argument_as_str_with_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path / "from_env"))
    home = get_data_home("~/data")
    assert isinstance(home, Path)
    assert home == tmp_path / "data"
    assert home.is_dir()


def test_environment_wins_over_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path / "from_env"))
    assert get_data_home() == tmp_path / "from_env"
    assert (tmp_path / "from_env").is_dir()
    assert not (tmp_path / "user" / "skmnist_data").exists()


def test_environment_with_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SKMNIST_DATA", "~/env_data")
    assert get_data_home() == tmp_path / "env_data"


def test_default_in_user_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SKMNIST_DATA", raising=False)
    assert get_data_home() == tmp_path / "skmnist_data"
    assert (tmp_path / "skmnist_data").is_dir()


def test_empty_environment_variable_means_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SKMNIST_DATA", "")
    assert get_data_home() == tmp_path / "skmnist_data"


def test_existing_folder_is_kept(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    assert get_data_home(tmp_path) == tmp_path
    assert (tmp_path / "keep.txt").read_text() == "x"
