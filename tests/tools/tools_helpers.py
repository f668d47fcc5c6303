"""Helpers of the development tools' tests: a fake clock and fits that move it."""

from skorch.callbacks import Callback


class FakeTime:
    """The time the fake clock reads."""

    now = 1000.0


class Tick(Callback):
    """Each epoch of a fit of 2 epochs or more takes ``seconds`` of the fake clock."""

    def __init__(self, seconds=5.0):
        self.seconds = seconds

    def on_epoch_end(self, net, **kwargs):
        if net.max_epochs >= 2:
            FakeTime.now += self.seconds
