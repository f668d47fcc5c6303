"""Training that survives being killed: the training state kept in ``checkpoint_dir``.

With ``checkpoint_dir``, an estimator's ``fit`` keeps the whole state of its
training in one file of that folder, :data:`STATE_FILE`, replaced after every
completed epoch: written beside it, synced, checked and renamed over it
(``skmnist/_files.py``), so that a kill at any moment leaves the previous
state whole. A later ``fit`` with the same
parameters and data finds it and goes on from that epoch; one with other
parameters, data or versions refuses it, saying what differs. A fit that
completes removes the file (and the folder, if nothing else is left in it); a
fit that is interrupted or fails leaves it, for the next one to resume.

The file is a `safetensors <https://huggingface.co/docs/safetensors>`_ file:
the tensors (weights, optimizer state, the best weights so far, the states
of the random generators) and, in its header's metadata, JSON: what
identifies the fit (:func:`fingerprint`), the epoch, the history and the
states of the schedule and the early-stopping monitor, with a SHA-256 digest
of all of it. Loading it runs no code.

:class:`TrainingCheckpoint` is the skorch callback that writes it; the
estimator's ``fit`` calls its :meth:`~TrainingCheckpoint.resume` once the
callbacks have started, and hands it the generators that shuffle and augment
(:meth:`~TrainingCheckpoint.use_generators`) once they are made.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import safetensors
import safetensors.torch
import sklearn
import skorch
import torch
from sklearn.utils import check_random_state
from skorch.callbacks import Callback
from skorch.history import History

from .._files import atomic_write, read_safetensors
from .._version import __version__
from ._callbacks import MONITOR, SCHEDULE

FORMAT = "skmnist-training-state"
FORMAT_VERSION = 1
#: The file in ``checkpoint_dir`` that holds the training state.
STATE_FILE = "training-state.safetensors"
#: The name of :class:`TrainingCheckpoint` among an estimator's callbacks.
CALLBACK_NAME = "training_state"
#: Parameters that change where or how fast a fit runs, or what it shows, but not what it
#: learns: a fit resumes across a change of these (on another device it goes on with the
#: same state, though not bit for bit). The folder itself may move too.
UNCHECKED_PARAMETERS = (
    "checkpoint_dir",
    "verbose",
    "device",
    "device_data_budget",
    "step_mode",
    "warm_start",  # what it changes, where a fit starts, is checked as ``first_epoch``
    "callbacks",  # objects of the user's: neither kept nor checked
)
# the metadata entries of the file: the small header (format, fingerprint, epoch), the
# state (history, callbacks' states; large) and the digest of both and of the tensors
_HEADER, _STATE, _DIGEST = FORMAT, "state", "sha256"


# ---------------------------------------------------------------------------
# The callback


@dataclass
class _Run:
    """What :class:`TrainingCheckpoint` knows of the fit under way."""

    folder: Path
    data: Any  # the training data, for the fingerprint (computed on first need)
    epochs: int  # the epochs this fit trains: ``max_epochs_``
    first_epoch: int  # len(history) when this fit started (> 0 when it continued one)
    seed: int
    device: torch.device
    written: int  # the epoch of the state in the folder, if this fit's; else first_epoch
    generators: Any = None  # (shuffle, augment), from use_generators
    random: dict | None = None  # a resumed state's generator states, put back once
    fingerprint: dict | None = None
    complete: bool = False  # trained to its end: every epoch, or stopped early
    failing: bool = False  # the last write failed (warned once until one succeeds)


class TrainingCheckpoint(Callback):
    """Keep the training state in ``dirname`` after each epoch, and resume from it.

    Installed by the estimators when ``checkpoint_dir`` is set; it acts in
    :meth:`fit` only (``partial_fit`` leaves the folder alone). Once an epoch
    has ended and every callback has seen it, the state is written when the
    next epoch begins (the last epoch's never is: the fit then completes and
    removes the file). A write that fails (a full disk) warns and training
    goes on, the previous state left whole.

    Parameters
    ----------
    dirname : str or path-like
        The folder; made when the first state is written.
    """

    def __init__(self, dirname):
        self.dirname = dirname

    def initialize(self):
        self.run_ = None
        return self

    def on_train_begin(self, net, **kwargs):
        self.run_ = None  # resume() starts a run; partial_fit never does

    def resume(self, net, data, *, epochs, seed):
        """Start checkpointing a fit; put back the state the folder holds for it, if any.

        Called by the estimator's ``fit`` after ``on_train_begin``, with the
        validated training data, the epochs the fit trains and the seed of
        its random generators (None: one is drawn, and kept with the state).

        Returns
        -------
        seed : int
            The seed the fit's generators and validation split use: the
            saved one when resuming.
        done : int
            Epochs of this fit already done: the fit trains ``epochs - done``.
        """
        folder = Path(self.dirname)
        if folder.exists() and not folder.is_dir():
            raise ValueError(
                f"checkpoint_dir={str(self.dirname)!r} is a file; it must name a folder "
                "(made when the first training state is written)."
            )
        first_epoch = len(net.history)
        if seed is None:  # as scikit-learn draws one for random_state=None
            seed = int(check_random_state(None).randint(np.iinfo(np.int32).max))
        run = _Run(folder, data, epochs, first_epoch, seed, net.device_, written=first_epoch)
        path = folder / STATE_FILE
        if path.exists():
            header, state = read_state(path)
            _check_same_fit(path, header, _fingerprint_of(net, run))
            _check_epochs(path, header, run)
            _put_back(net, state, path)
            run.seed, run.written, run.random = header["seed"], header["epoch"], state["random"]
            if net.verbose:
                print(
                    f"Resuming at epoch {run.written + 1} of {first_epoch + epochs} from the "
                    f"training state in {folder}.",
                    flush=True,
                )
        else:
            _encode(_callback_states(net), "callbacks", {})  # what cannot be kept fails now
        _remove_leftovers(folder)
        self.run_ = run
        return run.seed, run.written - first_epoch

    def use_generators(self, generators):
        """Take the generators of the fit's shuffling and augmentation, just made: a resumed
        fit's states go back into them (and into torch's global generators, seeded while
        the estimator trains), and each state written holds theirs."""
        run = getattr(self, "run_", None)
        if run is None:
            return
        run.generators = generators
        if run.random is not None:
            _set_random_states(run.random, generators, run.device)
            run.random = None

    def on_epoch_begin(self, net, **kwargs):
        run = getattr(self, "run_", None)
        epoch = len(net.history) - 1  # the epochs completed: skorch began a new row
        if run is None or epoch <= run.written:
            return
        try:
            self._write(net, run, epoch)
        except OSError as exc:
            if not run.failing:
                kept = (
                    f"the state of epoch {run.written} is kept there"
                    if run.written > run.first_epoch
                    else "no state of this fit is kept there yet"
                )
                warnings.warn(
                    f"The training state of epoch {epoch} could not be written to "
                    f"{run.folder} ({exc}); training goes on, {kept}, and each epoch tries "
                    "again.",
                    UserWarning,
                    stacklevel=2,
                )
            run.failing = True
        else:
            run.written, run.failing = epoch, False

    def on_epoch_end(self, net, **kwargs):
        run = getattr(self, "run_", None)
        if run is not None:
            monitor = dict(net.callbacks_).get(MONITOR)
            trained = len(net.history) - run.first_epoch
            run.complete = trained >= run.epochs or bool(getattr(monitor, "stop_", False))

    def on_train_end(self, net, **kwargs):
        run, self.run_ = getattr(self, "run_", None), None
        if run is None or not run.complete:
            return  # interrupted: the state stays for the next fit to resume
        try:
            (run.folder / STATE_FILE).unlink(missing_ok=True)
            _remove_leftovers(run.folder)
            if run.folder.is_dir() and not any(run.folder.iterdir()):
                run.folder.rmdir()
        except OSError as exc:
            warnings.warn(
                f"The training completed, but its state in {run.folder} could not be "
                f"removed ({exc}); delete it before another fit uses that folder.",
                UserWarning,
                stacklevel=2,
            )

    def _write(self, net, run, epoch):
        fingerprint = _fingerprint_of(net, run)
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "fingerprint": fingerprint,
            "epoch": epoch,
            "epochs": run.epochs,
            "seed": run.seed,
            "device_type": run.device.type,
        }
        state = {
            "module": net.module_.state_dict(),
            "optimizer": net.optimizer_.state_dict(),
            "callbacks": _callback_states(net),
            "history": list(net.history)[:-1],  # not the epoch just begun
            "random": _random_states(run.generators, run.device),
        }
        run.folder.mkdir(parents=True, exist_ok=True)
        path = run.folder / STATE_FILE
        if path.exists():
            # the state there is this fit's (the one it resumed or wrote); another's means
            # another fit writes into the same folder at the same time
            _check_same_fit(path, _read_header(path), fingerprint, at_write=True)
        write_state(path, header, state)

    def __getstate__(self):
        # what a fit under way holds (its data, its generators) is not the callback's state
        return {**self.__dict__, "run_": None}


# ---------------------------------------------------------------------------
# What identifies a fit


def fingerprint(net, data, *, first_epoch):
    """What a training state must match to be resumed by ``net``'s fit on ``data``.

    The estimator's class; its parameters but those of
    :data:`UNCHECKED_PARAMETERS` (an integer ``random_state`` as it is, a
    ``RandomState`` by its type: the seed it gave is kept with the state); the
    classes, the image shape and a SHA-256 digest of the validated training
    data (every tensor ``data`` holds); the epoch the fit started at; and the
    versions of skmnist, torch, skorch and scikit-learn. As JSON.
    """
    params = net.get_params(deep=False)
    parameters = {
        name: _describe(value)
        for name, value in sorted(params.items())
        if name not in UNCHECKED_PARAMETERS and not name.startswith("callbacks__")
    }
    found = {
        "estimator": type(net).__name__,
        "parameters": parameters,
        "data": {
            "classes": _describe(list(net.classes_)),
            "image_shape": list(net.image_shape_),
            "sha256": _data_digest(data),
        },
        "first_epoch": first_epoch,
        "versions": {
            "skmnist": __version__,
            "torch": torch.__version__,
            "skorch": skorch.__version__,
            "scikit-learn": sklearn.__version__,
        },
    }
    return json.loads(json.dumps(found))  # as it reads back: tuples as lists


def _fingerprint_of(net, run):
    """The fingerprint of the fit ``run`` describes, computed once."""
    if run.fingerprint is None:
        run.fingerprint = fingerprint(net, run.data, first_epoch=run.first_epoch)
    return run.fingerprint


def _describe(value):
    """``value`` as JSON, for comparing: classes by name, other objects by their type."""
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [_describe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _describe(v) for k, v in value.items()}
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def _data_digest(data):
    """SHA-256 of every tensor of ``data`` (a ``DeviceData``), with its name and dtype."""
    digest = hashlib.sha256()
    for name, tensor in sorted(vars(data).items()):
        if torch.is_tensor(tensor):
            _hash_tensor(digest, name, tensor)
    return digest.hexdigest()


def _hash_tensor(digest, name, tensor):
    tensor = tensor.detach().cpu().contiguous()
    digest.update(f"{name}:{tensor.dtype}:{list(tensor.shape)};".encode())
    digest.update(tensor.reshape(-1).view(torch.uint8).numpy().data)


def _check_same_fit(path, header, expected, *, at_write=False):
    """Raise a ValueError that says what differs when ``header`` is not of the fit
    ``expected`` describes."""
    differences = _differences(header.get("fingerprint"), expected)
    if not differences:
        return
    if at_write:
        raise ValueError(
            f"{path} was replaced by the training state of another fit while this one "
            f"trained ({'; '.join(differences)}): fits that run at the same time, such as "
            "the clones of a parallel GridSearchCV or cross_validate, need a "
            "checkpoint_dir each."
        )
    raise ValueError(
        f"{path} holds the training state of another fit ({'; '.join(differences)}). "
        "A fit resumes only with the same parameters, data and versions. To start "
        f"afresh, delete {path} or pass another checkpoint_dir; to resume, fit as before."
    )


def _differences(saved, expected):
    """What differs between two fingerprints, in words (empty when they match)."""
    if not isinstance(saved, dict):
        return ["it names no fit"]
    found = []
    if saved.get("estimator") != expected["estimator"]:
        found.append(f"its estimator is {saved.get('estimator')}, this is {expected['estimator']}")
    theirs, ours = saved.get("parameters") or {}, expected["parameters"]
    for name in sorted({*theirs, *ours}):
        if theirs.get(name, "<unset>") != ours.get(name, "<unset>"):
            found.append(f"{name}={theirs.get(name, '<unset>')!r} there, {ours.get(name)!r} here")
    saved_data = saved.get("data") or {}
    for key, what in (("classes", "classes"), ("image_shape", "image shape")):
        if saved_data.get(key) != expected["data"][key]:
            found.append(f"its {what} {saved_data.get(key)} are not these {expected['data'][key]}")
    if saved_data.get("sha256") != expected["data"]["sha256"]:
        found.append("its training data differ from these")
    if saved.get("first_epoch") != expected["first_epoch"]:
        found.append(
            f"that fit started at epoch {saved.get('first_epoch')}, this one at epoch "
            f"{expected['first_epoch']} (a fit with warm_start continues from the epochs "
            "before it)"
        )
    theirs, ours = saved.get("versions") or {}, expected["versions"]
    for name in ours:
        if theirs.get(name) != ours[name]:
            found.append(f"it was made with {name} {theirs.get(name)}, this is {ours[name]}")
    return found


def _check_epochs(path, header, run):
    done = header["epoch"] - run.first_epoch
    if header["epochs"] != run.epochs or not 0 < done < run.epochs:
        raise ValueError(
            f"{path} holds epoch {header['epoch']} of a fit of {header['epochs']} epochs, "
            f"which this fit of {run.epochs} epochs from epoch {run.first_epoch} cannot "
            f"resume. To start afresh, delete {path}."
        )


# ---------------------------------------------------------------------------
# The state: what it holds beyond the module and optimizer, and how it goes back


def _learned(*, but=()):
    """How a callback's learned attributes (ending in ``_``), but ``but``, are read and
    put back: only those it has, so that a file sets nothing else."""

    def read(callback):
        return {
            name: value
            for name, value in vars(callback).items()
            if name.endswith("_") and not name.startswith("_") and name not in but
        }

    def put(callback, state):
        known = read(callback)
        for name, value in state.items():
            if name not in known:
                raise ValueError(f"{type(callback).__name__} has no {name!r}")
            setattr(callback, name, value)

    return read, put


def _schedule_state(schedule):
    return {"scheduler": schedule.lr_scheduler_.state_dict(), "batch_idx": schedule.batch_idx_}


def _put_schedule(schedule, state):
    schedule.lr_scheduler_.load_state_dict(state["scheduler"])
    schedule.batch_idx_ = state["batch_idx"]


#: The default callbacks whose state outlives an epoch, and how it is read and put back:
#: skorch's scorings of the losses (the best so far, for ``*_best``), the monitor (but the
#: weights of the start of the epoch under way, which it takes again when the next one
#: begins) and the schedule's scheduler. The others start each epoch afresh (accuracy,
#: timer, progress bar), keep nothing, or only show (the table's header is shown again).
_CALLBACK_STATES = {
    "train_loss": _learned(),
    "valid_loss": _learned(),
    MONITOR: _learned(but=("safe_state_",)),
    SCHEDULE: (_schedule_state, _put_schedule),
}


def _callback_states(net):
    callbacks = dict(net.callbacks_)
    return {
        name: read(callbacks[name])
        for name, (read, _) in _CALLBACK_STATES.items()
        if name in callbacks
    }


def _put_back(net, state, path):
    """Load the decoded ``state`` into ``net``'s module, optimizer, callbacks and history;
    a ValueError if it does not fit them (the estimator then puts everything back)."""
    callbacks = dict(net.callbacks_)
    try:
        if set(state["callbacks"]) != {name for name in _CALLBACK_STATES if name in callbacks}:
            raise ValueError(f"it has the states of {sorted(state['callbacks'])}")
        net.module_.load_state_dict(state["module"])
        net.optimizer_.load_state_dict(state["optimizer"])
        for name, saved in state["callbacks"].items():
            _CALLBACK_STATES[name][1](callbacks[name], saved)
        net.history = History(state["history"])
    except (RuntimeError, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        lines = str(exc).strip().splitlines()
        raise ValueError(
            f"{path} does not fit this {type(net).__name__} ({lines[0] if lines else exc!r}). "
            f"To start afresh, delete {path}."
        ) from None


def _random_states(generators, device):
    """The states of torch's global generators on the CPU and ``device``, and of the fit's
    shuffling and augmentation ``generators``."""
    shuffle, augment = generators
    states = {"cpu": torch.get_rng_state(), "shuffle": shuffle.get_state()}
    states[f"augment:{device.type}"] = augment.get_state()
    if device.type == "cuda":
        states["cuda"] = torch.cuda.get_rng_state(device)
    elif device.type == "mps":
        states["mps"] = torch.mps.get_rng_state()
    return states


def _set_random_states(states, generators, device):
    """Put the saved generator states back; those of another kind of device (a fit resumed
    elsewhere) are left as seeded: it goes on, but not bit for bit."""
    shuffle, augment = generators
    torch.set_rng_state(states["cpu"])
    shuffle.set_state(states["shuffle"])
    if f"augment:{device.type}" in states:
        augment.set_state(states[f"augment:{device.type}"])
    if device.type == "cuda" and "cuda" in states:
        torch.cuda.set_rng_state(states["cuda"], device)
    elif device.type == "mps" and "mps" in states:
        torch.mps.set_rng_state(states["mps"])


# ---------------------------------------------------------------------------
# The file


def write_state(path, header, state):
    """Write ``header`` and ``state`` (a tree of dicts, lists, tuples, numbers, strings and
    tensors) to ``path`` atomically; a TypeError names what cannot be stored."""
    tensors: dict[str, torch.Tensor] = {}
    state_json = json.dumps(_encode(state, "state", tensors))
    header_json = json.dumps(header)
    metadata = {
        _HEADER: header_json,
        _STATE: state_json,
        _DIGEST: _digest(header_json, state_json, tensors),
    }
    data = safetensors.torch.save(tensors, metadata=metadata)

    def verify(written):
        with safetensors.safe_open(str(written), framework="pt") as f:
            if f.metadata() != metadata or set(f.keys()) != set(tensors):
                raise OSError(f"{path}: the training state did not read back as written")

    with atomic_write(path, verify=verify) as file:
        file.write(data)


def read_state(path):
    """The header and the decoded state of the training-state file ``path``; a ValueError
    that says why when it is not one, or was changed since it was written."""
    metadata, tensors = _read_file(path)
    header = _parse_header(path, metadata)
    if _digest(metadata[_HEADER], metadata[_STATE], tensors) != metadata[_DIGEST]:
        raise ValueError(
            f"{path} was changed since it was written (its SHA-256 digest does not match); "
            f"it cannot be resumed. To start afresh, delete {path}."
        )
    try:
        state = _decode(json.loads(metadata[_STATE]), tensors)
        _check_state(state)
    except ValueError as exc:
        raise ValueError(
            f"{path} is not a valid training state ({exc}). To start afresh, delete {path}."
        ) from None
    return header, state


def _read_header(path):
    """The header of ``path``, without its state and tensors (checked as read_state does)."""
    try:
        with safetensors.safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
    except Exception as exc:
        raise ValueError(f"{path} is not a training state ({exc})") from None
    return _parse_header(path, metadata)


def _read_file(path):
    try:
        return read_safetensors(path)
    except ValueError as exc:
        raise ValueError(
            f"{path} is not a complete training state ({exc}). To start afresh, delete {path}."
        ) from None


def _is_count(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


#: The header's fields and the check each value must pass.
_HEADER_SCHEMA = {
    "format": lambda v: v == FORMAT,
    "format_version": lambda v: v == FORMAT_VERSION,
    "fingerprint": lambda v: isinstance(v, dict),
    "epoch": lambda v: _is_count(v) and v >= 1,
    "epochs": lambda v: _is_count(v) and v >= 1,
    "seed": _is_count,
    "device_type": lambda v: isinstance(v, str),
}


def _parse_header(path, metadata):
    afresh = f"To start afresh, delete {path}."
    if not {_HEADER, _STATE, _DIGEST} <= set(metadata):
        raise ValueError(f"{path} is a safetensors file but no skmnist training state. {afresh}")
    try:
        header = json.loads(metadata[_HEADER])
    except ValueError as exc:
        raise ValueError(f"{path}: its header is not valid JSON ({exc}). {afresh}") from None
    if not isinstance(header, dict):
        raise ValueError(f"{path}: its header is no JSON object. {afresh}")
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{path} has training-state format version {header.get('format_version')!r}; "
            f"this skmnist ({__version__}) reads version {FORMAT_VERSION}. {afresh}"
        )
    for name, check in _HEADER_SCHEMA.items():
        if name not in header or not check(header[name]):
            raise ValueError(
                f"{path}: its header's {name!r} is missing or not valid: "
                f"{str(header.get(name))[:80]!r}. {afresh}"
            )
    return header


#: The parts of a training state.
_PARTS = {"module", "optimizer", "callbacks", "history", "random"}


def _check_state(state):
    if not (isinstance(state, dict) and set(state) == _PARTS):
        raise ValueError("its state has not the parts of a training state")
    history = state["history"]
    if not (isinstance(history, list) and all(isinstance(row, dict) for row in history)):
        raise ValueError("its history is not a list of epochs")
    random = state["random"]
    if not (
        isinstance(random, dict)
        and {"cpu", "shuffle"} <= set(random)
        and all(torch.is_tensor(v) and v.dtype == torch.uint8 for v in random.values())
    ):
        raise ValueError("its generator states are not those of a fit")


def _digest(header_json, state_json, tensors):
    digest = hashlib.sha256()
    for text in (header_json, state_json):
        digest.update(text.encode())
        digest.update(b"\0")
    for name in sorted(tensors):
        _hash_tensor(digest, name, tensors[name])
    return digest.hexdigest()


def _encode(value, path, tensors):
    """``value`` as JSON, its tensors moved to the CPU into ``tensors``.

    A list is a JSON list; a tuple, a dict (its keys numbers, strings or None)
    and a tensor are objects of one entry, ``{"tuple": [...]}``,
    ``{"dict": [[key, value], ...]}`` and ``{"tensor": name}``, so that what
    was saved reads back exactly as it was.
    """
    if torch.is_tensor(value):
        name = f"{len(tensors)}:{path}"
        tensors[name] = value.detach().cpu().contiguous()
        return {"tensor": name}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_encode(v, f"{path}.{i}", tensors) for i, v in enumerate(value)]
        return items if isinstance(value, list) else {"tuple": items}
    if isinstance(value, dict) and all(_is_key(k) for k in value):
        return {"dict": [[k, _encode(v, f"{path}.{k}", tensors)] for k, v in value.items()]}
    raise TypeError(
        f"checkpoint_dir cannot keep the training state: {path} is a {type(value).__name__} "
        "(a training state holds numbers, strings, lists, dicts and tensors). Use "
        "checkpoint_dir=None with this setting."
    )


def _is_key(key):
    return key is None or isinstance(key, (bool, int, float, str))


def _decode(value, tensors):
    """What :func:`_encode` made ``value`` from; a ValueError for anything it never makes."""
    if isinstance(value, list):
        return [_decode(v, tensors) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((kind, content),) = value.items()
            if kind == "tensor" and isinstance(content, str) and content in tensors:
                return tensors[content]
            if kind == "tuple" and isinstance(content, list):
                return tuple(_decode(v, tensors) for v in content)
            if (
                kind == "dict"
                and isinstance(content, list)
                and all(isinstance(p, list) and len(p) == 2 and _is_key(p[0]) for p in content)
            ):
                return {key: _decode(v, tensors) for key, v in content}
        raise ValueError(f"an entry no training state holds: {str(value)[:80]!r}")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"an entry no training state holds: {str(value)[:80]!r}")


def _remove_leftovers(folder):
    """Remove what a write killed midway left in ``folder`` (its ``.part`` files)."""
    if folder.is_dir():
        for part in folder.glob(f".{STATE_FILE}.*.part"):
            part.unlink(missing_ok=True)
