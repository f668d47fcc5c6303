"""Model files never lose work and never load wrong: atomic saves, checked headers, a fuzz test.

Every damaged, foreign or future-version file must give one ``ValueError``
naming the file, or load into a model that predicts; nothing else may come
out of :func:`skmnist.load_model`.
"""

import json
import os
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import safetensors
import safetensors.torch
import torch

from skmnist import LeNet5Classifier, load_model, save_model
from skmnist.estimators._persistence import _HEADER, FORMAT


@pytest.fixture(scope="module")
def sample(mnist_sample):
    return mnist_sample(300)


@pytest.fixture(scope="module")
def model_file(sample, tmp_path_factory):
    clf = LeNet5Classifier(max_epochs=1, random_state=0, optimizer__betas=(0.8, 0.99))
    clf.fit(*sample)
    path = tmp_path_factory.mktemp("model") / "lenet5.safetensors"
    save_model(clf, path)
    return path


def _parts(path):
    with safetensors.safe_open(str(path), framework="pt") as f:
        return json.loads(f.metadata()[FORMAT]), {k: f.get_tensor(k) for k in f.keys()}


def _write(path, header, state):
    metadata = {FORMAT: header if isinstance(header, str) else json.dumps(header)}
    path.write_bytes(safetensors.torch.save(state, metadata=metadata))
    return path


def _loads_or_says_why(path, X):
    """Load ``path``: a model that predicts, or a ValueError naming the file."""
    try:
        model = load_model(path)
    except ValueError as exc:
        assert str(path) in str(exc), str(exc)
        return "refused"
    proba = model.predict_proba(X[:5])
    assert proba.shape[0] == 5 and np.isfinite(proba).all()
    return "loaded"


def test_the_model_file_round_trips(model_file, sample):
    assert _loads_or_says_why(model_file, sample[0]) == "loaded"
    assert load_model(model_file).get_params()["optimizer__betas"] == (0.8, 0.99)


def test_flipped_bytes_in_the_header_are_refused_or_harmless(model_file, sample, tmp_path):
    data = bytearray(model_file.read_bytes())
    (header_length,) = struct.unpack("<Q", data[:8])
    rng = np.random.default_rng(0)
    outcomes = []
    for case in range(150):
        mutated = bytearray(data)
        for position in rng.integers(0, 8 + header_length, size=rng.integers(1, 4)):
            mutated[position] = int(rng.integers(0, 256))
        path = tmp_path / f"flipped-{case}.safetensors"
        path.write_bytes(bytes(mutated))
        outcomes.append(_loads_or_says_why(path, sample[0]))
    assert outcomes.count("refused") > 50  # most flips break the header


def test_truncated_files_are_refused(model_file, sample, tmp_path):
    data = model_file.read_bytes()
    for cut in [0, 4, 8, 9, 100, len(data) // 2, len(data) - 1]:
        path = tmp_path / f"cut-{cut}.safetensors"
        path.write_bytes(data[:cut])
        assert _loads_or_says_why(path, sample[0]) == "refused"


BAD_VALUES = [None, 0, -1, 1.5, "x", [], {}, [1], True, {"tuple": [1]}]


def test_every_header_field_mutated(model_file, sample, tmp_path):
    header, state = _parts(model_file)
    for field in header:
        variants = [{k: v for k, v in header.items() if k != field}]
        variants += [{**header, field: value} for value in BAD_VALUES]
        for i, variant in enumerate(variants):
            path = _write(tmp_path / f"{field}-{i}.safetensors", variant, state)
            _loads_or_says_why(path, sample[0])
        # dropping the field is an error, but for those older files lack (read as unknown)
        expected = "loaded" if _HEADER[field].optional else "refused"
        assert _loads_or_says_why(tmp_path / f"{field}-0.safetensors", sample[0]) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"bogus": 1},
        {"optimizer": {"class": "torch.optim.Optimizer.step"}},
        {"optimizer": {"class": "os.system"}},
        {"optimizer": {"class": "torch.optim.__builtins__"}},
        {"optimizer": {"class": "torch.optim.lr_scheduler.math"}},
        {"optimizer": 42},
        {"lr": "fast"},
        {"lr": {"class": "torch.optim.SGD"}},
        {"max_epochs": {"tuple": "x"}},
        {"lr_schedule_params": {"dict": []}},
        {"activation": {"a": 1, "b": 2}},
        {"device": "tpu"},
        {"batch_size": [1, 2]},
    ],
)
def test_bad_parameters_are_refused(params, model_file, sample, tmp_path):
    header, state = _parts(model_file)
    header["params"] = {**header["params"], **params}
    path = _write(tmp_path / "bad-params.safetensors", header, state)
    assert _loads_or_says_why(path, sample[0]) == "refused"


def test_unknown_parameter_is_named(model_file, tmp_path):
    header, state = _parts(model_file)
    header["params"]["bogus"] = 1
    with pytest.raises(ValueError, match="has no parameter 'bogus'"):
        load_model(_write(tmp_path / "m.safetensors", header, state))


@pytest.mark.parametrize("metadata", ["{not json", "[1, 2]", '"text"', "null"])
def test_a_header_that_is_no_json_object(metadata, model_file, tmp_path):
    _, state = _parts(model_file)
    path = _write(tmp_path / "m.safetensors", metadata, state)
    with pytest.raises(ValueError, match="model header"):
        load_model(path)


def test_a_future_file_says_which_version_made_it(model_file, tmp_path):
    header, state = _parts(model_file)
    header.update(format_version=2, skmnist_version="9.0")
    with pytest.raises(ValueError, match=r"version 2 \(made by skmnist 9.0\).*reads version 1"):
        load_model(_write(tmp_path / "m.safetensors", header, state))


def test_another_estimator_class_is_refused(model_file, tmp_path):
    header, state = _parts(model_file)
    header["class"] = "Pipeline"
    with pytest.raises(ValueError, match="no skmnist estimator"):
        load_model(_write(tmp_path / "m.safetensors", header, state))


def _tensor_mutations(state):
    key = next(iter(state))
    yield {k: v for k, v in state.items() if k != key}  # a tensor missing
    yield {**state, "extra.weight": torch.zeros(3)}  # one too many
    yield {**state, key: torch.zeros(*state[key].shape, 2)}  # another shape
    yield {**{k: v for k, v in state.items() if k != key}, key + "x": state[key]}  # renamed
    yield {**state, key: state[key].double()}  # another dtype: cast on load
    yield {**state, key: torch.full_like(state[key], float("nan"))}  # loads; NaN predictions


def test_tensor_mutations(model_file, sample, tmp_path):
    header, state = _parts(model_file)
    outcomes = []
    for i, mutated in enumerate(_tensor_mutations(state)):
        path = _write(tmp_path / f"tensors-{i}.safetensors", header, mutated)
        try:
            outcomes.append(_loads_or_says_why(path, sample[0]))
        except AssertionError:
            outcomes.append("nan")  # NaN weights are a model, not a damaged file
    assert outcomes[:4] == ["refused"] * 4
    assert outcomes[4] == "loaded"


_SAVE_WITH_A_SMALL_FILE_LIMIT = textwrap.dedent("""
    import resource, sys
    from skmnist import load_model, save_model
    path, limit = sys.argv[1], int(sys.argv[2])
    model = load_model(path)
    model.set_params(max_epochs=7)  # another header: a file that differs
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        save_model(model, path)
    except OSError as exc:
        print(type(exc).__name__, exc)
        sys.exit(3)
""")


def test_a_failed_save_leaves_the_previous_file_as_it_was(model_file, sample, tmp_path):
    path = tmp_path / "model.safetensors"
    path.write_bytes(model_file.read_bytes())
    before = path.read_bytes()
    # the disk fills up half-way through the write (RLIMIT_FSIZE, in a child process)
    result = subprocess.run(
        [sys.executable, "-c", _SAVE_WITH_A_SMALL_FILE_LIMIT, str(path), str(len(before) // 2)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert str(path) in result.stdout and ".part" not in result.stdout  # the user's file
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.safetensors"]  # no temporary file left
    assert load_model(path).max_epochs == 1
