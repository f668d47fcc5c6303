"""Callbacks the estimators install by default."""

from skorch.callbacks import Callback


class BatchAccuracy(Callback):
    """Record the epoch's accuracy from the predictions made on each batch.

    Counting happens on the device, with one synchronisation per epoch; the
    training accuracy is the running one (dropout and augmentation active),
    as Keras reports it.

    Parameters
    ----------
    on_train : bool, default=True
        Count the training batches (``train_acc``) or the validation batches
        (``valid_acc``).
    """

    def __init__(self, on_train=True):
        self.on_train = on_train

    @property
    def name(self):
        return "train_acc" if self.on_train else "valid_acc"

    def on_epoch_begin(self, net, **kwargs):
        self.correct_ = None
        self.total_ = 0

    def on_batch_end(self, net, batch=None, training=None, y_pred=None, **kwargs):
        if training != self.on_train or y_pred is None or batch[1] is None:
            return
        y_true = batch[1]
        correct = (y_pred.argmax(dim=1) == y_true).sum()
        self.correct_ = correct if self.correct_ is None else self.correct_ + correct
        self.total_ += len(y_true)

    def on_epoch_end(self, net, **kwargs):
        if self.total_:
            net.history.record(self.name, float(self.correct_) / self.total_)

    def get_params(self, deep=True):
        return {"on_train": self.on_train}


