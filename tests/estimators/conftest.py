"""Fixtures of the estimator tests: the CUDA-graph step, captured on the CPU."""

import functools

import pytest

import skmnist.estimators._base as base
from skmnist.estimators import _graphs


class _EagerReplay:
    """A stand-in for a captured CUDA graph: each replay computes again, eagerly.

    Like a graph, a replay writes the gradients into the memory the capture
    bound to the parameters (here: that of the first replay), whatever the
    parameters' ``grad`` point to when it runs, and leaves ``grad`` as it was.
    """

    replays = 0

    def __init__(self, compute, inputs, stream, parameters):
        self.compute, self.inputs, self.parameters = compute, inputs, parameters
        self.memory = None

    def replay(self):
        type(self).replays += 1
        bound = [p.grad for p in self.parameters]
        for p in self.parameters:
            p.grad = None
        loss, y_pred = self.compute(*self.inputs)
        fresh = [p.grad for p in self.parameters]
        if self.memory is None:  # what the capture would have bound
            self.memory = bound = fresh
        else:
            for memory, grad in zip(self.memory, fresh, strict=True):
                memory.copy_(grad)
        for p, grad in zip(self.parameters, bound, strict=True):
            p.grad = grad
        self.loss, self.y_pred = loss.detach(), y_pred.detach()


@pytest.fixture
def captured_on_the_cpu(monkeypatch):
    """Make "graph" capture (with :class:`_EagerReplay`) on the CPU."""
    _EagerReplay.replays = 0
    real = base.resolve_step_mode

    def resolve(step_mode, device, **kwargs):
        real(step_mode, device, **kwargs)  # its checks
        return "graph" if step_mode == "graph" else real(step_mode, device, **kwargs)

    def graph(compute, device, parameters):
        capture = functools.partial(_EagerReplay, parameters=parameters)
        return _graphs.TrainingGraph(compute, device, parameters, capture=capture)

    monkeypatch.setattr(base, "resolve_step_mode", resolve)
    monkeypatch.setattr(base, "TrainingGraph", graph)
    return _EagerReplay
