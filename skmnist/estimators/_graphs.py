"""The training step replayed from a CUDA graph (``step_mode="graph"``).

On a GPU a training batch of a small network costs what launching its
kernels costs: the forward and backward passes of LeNet-5 are dozens of
launches from Python, each of which takes longer than its arithmetic.
:class:`TrainingGraph` runs the forward pass, the loss and the backward pass
of the first full-size batches eagerly (warm-up), then captures them once as
a CUDA graph and replays that graph, one launch, for every later full-size
batch. The optimizer's step stays outside the graph, so learning rates and
momentum that a schedule changes every batch, gradient clipping and the
callbacks' ``on_grad_computed`` work as in an eager step.

What a replay needs (from :func:`torch.cuda.graph`'s rules): warm-up and
capture on one side stream of the graph's own; the batch copied into the
input tensors the graph was captured with; the outputs (loss and logits)
are the same tensors after every replay, so they are copied before the next
one; the gradients live in memory that the graph owns, so they are zeroed in
place, never set to None, while the graph is used (and put back after a
replay if something else set them to None).
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import torch

#: Eager full-size batches before the capture: the CUDA libraries set themselves up
#: (handles, workspaces, the choice of convolution algorithms) in the first calls,
#: which a graph must not capture.
WARMUP_BATCHES = 3

Compute = Callable[..., tuple[torch.Tensor, torch.Tensor]]


class CapturedCompute:
    """``compute(*inputs)`` captured once as a CUDA graph on ``stream``; :meth:`replay`
    runs it again.

    Capturing runs nothing: the first :meth:`replay` computes the first batch.
    ``loss`` and ``y_pred`` are the graph's outputs (detached), overwritten by
    each replay. Other threads' CUDA calls may go on during the capture.
    """

    def __init__(self, compute: Compute, inputs: Sequence[torch.Tensor], stream):
        self.graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(self.graph, stream=stream, capture_error_mode="thread_local"):
            loss, y_pred = compute(*inputs)
        self.loss, self.y_pred = loss.detach(), y_pred.detach()

    def replay(self) -> None:
        self.graph.replay()


class TrainingGraph:
    """Forward pass, loss and backward pass of full-size batches, replayed from a graph.

    A full-size batch has as many images as the first batch it is given (an
    epoch is cut into batches from its start, so only its last may be
    smaller). Smaller batches, and all batches if the capture fails (with a
    warning), run eagerly.

    Parameters
    ----------
    compute : callable
        ``compute(x, y, *more) -> (loss, y_pred)``: the forward pass, the
        loss and its backward pass for one batch (its images, labels and any
        further tensors, such as the samples' weights), the gradients
        accumulated into the parameters' ``grad``.
    device : torch.device
        The CUDA device the module is on.
    parameters : sequence of torch.Tensor
        The parameters whose gradients ``compute`` makes.
    capture : callable, default=CapturedCompute
        ``capture(compute, inputs, stream)``, returning an object with
        ``replay()``, ``loss`` and ``y_pred``.
    """

    def __init__(
        self,
        compute: Compute,
        device,
        parameters: Sequence[torch.Tensor],
        capture=CapturedCompute,
    ):
        self.compute = compute
        self.device = device
        self.parameters = list(parameters)
        self.batch_size: int | None = None  # the first batch's: epochs are cut from their start
        self.capture = capture
        self.warmed_up = 0
        self.captured: Any = None
        self.failed = False
        self.grads: list = []
        self.inputs: list[torch.Tensor] = []  # the tensors the graph reads a batch from
        # one stream for the warm-up and the capture: a graph captured on another
        # device's stream would capture nothing
        self.stream = torch.cuda.Stream(device) if device.type == "cuda" else None

    @property
    def holds_grads(self) -> bool:
        """Whether the parameters' gradients live in the graph's memory (then they
        must be zeroed in place, not set to None)."""
        return self.captured is not None

    def release(self) -> None:
        """Let go of the graph and of the gradients in its memory."""
        if self.captured is not None:
            for p in self.parameters:
                p.grad = None
        self.captured = None
        self.grads = []

    def __call__(self, *batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(loss, y_pred)`` of one batch, its gradients in the parameters' ``grad``.

        ``batch`` holds the tensors ``compute`` takes, images first. The loss
        and logits of a replay are copies, so that they outlive the next batch.
        """
        if self.device.type != "cuda":  # the stand-in of the tests
            return self._step(batch)
        with torch.cuda.device(self.device):  # a graph runs on the GPU it was captured on
            return self._step(batch)

    def _step(self, batch):
        if self.batch_size is None:
            self.batch_size = len(batch[0])
        full = len(batch[0]) == self.batch_size
        if self.captured is not None and full:
            return self._replay(batch)
        if not full or self.failed:  # an epoch's smaller last batch
            return self.compute(*batch)
        if self.warmed_up < WARMUP_BATCHES:
            self.warmed_up += 1
            return self._warm_up(batch)
        self.inputs = [t.clone() for t in batch]
        for p in self.parameters:  # the capture makes the gradients, in its memory
            p.grad = None
        self._synchronize()
        try:
            self.captured = self.capture(self.compute, self.inputs, self.stream)
        except RuntimeError as exc:
            self.failed = True
            warnings.warn(
                f'step_mode="graph" could not capture the training step ({exc}); '
                "training goes on without a graph.",
                UserWarning,
                stacklevel=2,
            )
            for p in self.parameters:
                p.grad = None
            return self.compute(*batch)
        return self._replay(batch, copy=False)

    def _replay(self, batch, copy=True):
        captured = self.captured
        if copy:
            for static, tensor in zip(self.inputs, batch, strict=True):
                static.copy_(tensor)
        captured.replay()
        if not self.grads:  # what the capture bound: the gradients in the graph's memory
            self.grads = [p.grad for p in self.parameters]
        for p, grad in zip(self.parameters, self.grads, strict=True):
            if p.grad is not grad:  # set to None (or replaced) by someone else
                p.grad = grad
        return captured.loss.clone(), captured.y_pred.clone()

    def _warm_up(self, batch):
        if self.stream is None:
            return self.compute(*batch)
        # on the graph's stream (what torch.cuda.graphs asks for), and the host waits
        # for it, so that its memory is settled before the capture
        self.stream.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(self.stream):
            loss, y_pred = self.compute(*batch)
        self._synchronize()
        return loss.detach(), y_pred.detach()

    def _synchronize(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
