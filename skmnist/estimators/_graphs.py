"""The training step replayed from a CUDA graph (``step_mode="graph"``).

On a GPU a training batch of a small network costs what launching its
kernels costs: the forward and backward passes of LeNet-5 are dozens of
launches from Python, each of which takes longer than its arithmetic.
:class:`TrainingGraph` runs the forward pass, the loss and the backward pass
of a batch eagerly for a few warm-up batches, then captures them once as a
CUDA graph and replays that graph, one launch, for every later batch of the
same shape. The optimizer's step stays outside the graph, so learning rates
and momentum that a schedule changes every batch, gradient clipping and the
callbacks' ``on_grad_computed`` work as in an eager step.

What a replay needs (from :func:`torch.cuda.graphs`'s rules): the batch is
copied into the input tensors the graph was captured with; the outputs (loss
and logits) are the same tensors after every replay, so they are copied
before the next one; the gradients live in memory that the graph owns, so
they are zeroed in place and never set to None while the graph is used.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from collections.abc import Callable
from typing import Any

import torch

#: Eager batches before the capture: the CUDA libraries set themselves up (handles,
#: workspaces, the choice of convolution algorithms) in the first calls, which a
#: graph must not capture.
WARMUP_BATCHES = 3

Compute = Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]


class CapturedCompute:
    """``compute(x, y)`` captured once as a CUDA graph; :meth:`replay` runs it again.

    Capturing runs nothing: the first :meth:`replay` computes the first batch.
    ``loss`` and ``y_pred`` are the graph's outputs, overwritten by each replay.
    """

    def __init__(self, compute: Compute, x: torch.Tensor, y: torch.Tensor):
        self.graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(self.graph):
            self.loss, self.y_pred = compute(x, y)

    def replay(self) -> None:
        self.graph.replay()


class TrainingGraph:
    """Forward pass, loss and backward pass of full-size batches, replayed from a graph.

    Parameters
    ----------
    compute : callable
        ``compute(x, y) -> (loss, y_pred)``: the forward pass, the loss and
        its backward pass for one batch, the gradients accumulated into the
        parameters' ``grad``.
    device : torch.device
        The CUDA device the module is on.
    clear_grads : callable
        Sets every parameter's ``grad`` to None, so that the capture makes
        gradients of its own.
    capture : callable, default=CapturedCompute
        ``capture(compute, x, y)``, returning an object with ``replay()``,
        ``loss`` and ``y_pred``.
    """

    def __init__(self, compute: Compute, device, clear_grads, capture=CapturedCompute):
        self.compute = compute
        self.device = device
        self.clear_grads = clear_grads
        self.capture = capture
        self.eager_batches = 0
        self.captured: Any = None
        self.x: Any = None
        self.y: Any = None

    @property
    def holds_grads(self) -> bool:
        """Whether the parameters' gradients live in the graph's memory (then they
        must be zeroed in place, not set to None)."""
        return self.captured is not None

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(loss, y_pred)`` of one batch, its gradients in the parameters' ``grad``.

        The loss and logits of a replay are copies, so that they outlive the
        next batch.
        """
        if self.device.type != "cuda":  # the stand-in of the tests
            return self._step(x, y)
        with torch.cuda.device(self.device):  # a graph runs on the GPU it was captured on
            return self._step(x, y)

    def _step(self, x, y):
        captured = self.captured
        if captured is not None and x.shape == self.x.shape and y.shape == self.y.shape:
            self.x.copy_(x)
            self.y.copy_(y)
            captured.replay()
            return captured.loss.detach().clone(), captured.y_pred.detach().clone()
        if captured is not None or self.eager_batches < WARMUP_BATCHES:
            # a smaller batch (an epoch's last), or a warm-up batch
            return self._eager(x, y)
        self.x, self.y = x.clone(), y.clone()
        self.clear_grads()
        self._synchronize()
        self.captured = captured = self.capture(self.compute, self.x, self.y)
        captured.replay()
        return captured.loss.detach().clone(), captured.y_pred.detach().clone()

    def _eager(self, x, y):
        self.eager_batches += 1
        if self.device.type != "cuda" or self.captured is not None:
            return self.compute(x, y)
        # warm-up batches run on a side stream (what torch.cuda.graphs asks for),
        # and the host waits for them, so that their memory is settled before the capture
        side = torch.cuda.Stream(self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):
            out = self.compute(x, y)
        self._synchronize()
        return out

    def _synchronize(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
