"""Arrays as device tensors, and the batches cut from them.

The data is validated once, wrapped as a tensor without a copy, and moved to
the training device once, in its own dtype (uint8 stays uint8). Batches are
cut by indexing a permutation on the device; the cast to float, the reshape
to images and any augmentation happen per batch on the device. When the data
is larger than the device budget it stays in host memory and each batch is
moved on its own (the streaming path).
"""

import math
import warnings

import numpy as np
import torch


class DeviceData(torch.utils.data.Dataset):
    """Validated ``X`` (and encoded ``y``) as tensors, on ``device`` when they fit.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Flat, validated samples of any real dtype; wrapped without a copy.
    y : ndarray of shape (n_samples,) or None
        Encoded labels (``0 .. n_classes - 1``).
    device : torch.device
        Where batches are computed.
    budget_bytes : float
        Largest ``X`` copied to ``device`` at once; larger inputs stream.
    """

    def __init__(self, X, y=None, *, device, budget_bytes=math.inf):
        self.device = torch.device(device)
        X = _as_tensor(X)
        self.resident = X.nbytes <= budget_bytes
        #: where the samples, labels and indices are kept: the device, or the
        #: host for streamed data (batches are gathered there, then moved)
        self.home = self.device if self.resident else torch.device("cpu")
        self.X = X.to(self.home)
        self.y = None if y is None else torch.as_tensor(y, dtype=torch.long).to(self.home)
        self.indices = None

    def __len__(self):
        return len(self.X) if self.indices is None else len(self.indices)

    def __getitem__(self, i):
        # A torch ``DataLoader`` given this dataset still works, sample by sample.
        i = i if self.indices is None else int(self.indices[i])
        return self.X[i], (torch.tensor(-1) if self.y is None else self.y[i])

    def subset(self, indices):
        """A view of the samples at ``indices``: the tensors are shared, not copied."""
        view = object.__new__(DeviceData)
        view.__dict__.update(self.__dict__)
        view.indices = torch.as_tensor(indices, dtype=torch.long, device=self.home)
        return view

    def batch(self, rows):
        """``(X, y)`` of the samples at positions ``rows``, on the device.

        ``rows`` is a slice or an index tensor on :attr:`home`. Streamed
        batches are gathered on the host, pinned when they go to a GPU, and
        copied without making the host wait for the device.
        """
        if self.indices is not None:
            rows = self.indices[rows]
        Xb = self.X[rows]
        yb = None if self.y is None else self.y[rows]
        if self.resident:
            return Xb, yb
        return _to_device(Xb, self.device), None if yb is None else _to_device(yb, self.device)


def _to_device(tensor, device):
    if device.type == "cuda":
        tensor = tensor.pin_memory()
    return tensor.to(device, non_blocking=True)


class DeviceBatches:
    """Iterate over a :class:`DeviceData` in batches, shuffled when training.

    ``prepare(X_batch, training)`` turns raw batch rows into model input.
    """

    def __init__(
        self, dataset, batch_size, *, shuffle=False, generator=None, prepare=None, training=False
    ):
        self.dataset = dataset
        self.batch_size = len(dataset) if batch_size == -1 else batch_size
        self.shuffle = shuffle
        self.generator = generator
        self.prepare = prepare
        self.training = training

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = None
        if self.shuffle:
            device = self.generator.device if self.generator is not None else self.dataset.device
            order = torch.randperm(n, generator=self.generator, device=device)
            # one transfer per epoch, if any: streamed batches are gathered on the host
            order = order.to(self.dataset.home)
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            rows = slice(start, stop) if order is None else order[start:stop]
            Xb, yb = self.dataset.batch(rows)
            if self.prepare is not None:
                Xb = self.prepare(Xb, self.training)
            yield Xb, yb


def to_float(Xb, dtype=torch.float32):
    """Cast a batch to float; integer input is read as 0-255 pixels and scaled to [0, 1]."""
    x = Xb.to(dtype)
    if not (Xb.dtype.is_floating_point or Xb.dtype == torch.bool):
        x = x.mul_(1.0 / 255.0)
    return x


def _as_tensor(X):
    """Wrap a validated array as a CPU tensor, sharing its memory where possible."""
    if isinstance(X, torch.Tensor):
        return X
    X = np.asarray(X)
    if X.dtype.kind == "u" and X.dtype.itemsize > 1:
        X = X.astype(np.int64)  # torch has no arithmetic on uint16/32/64
    if not X.dtype.isnative:
        X = X.astype(X.dtype.newbyteorder("="))
    X = np.ascontiguousarray(X)
    with warnings.catch_warnings():
        # read-only input (a memmap, say) is only ever read here
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(X)
