"""tools.budget: fits that stop as soon as they cannot end in time, and undo themselves."""

import math

import pytest
from tools_helpers import Tick

from skmnist import MLPNetClassifier
from tools.budget import Budget, OutOfTime


@pytest.fixture
def sample(mnist_sample):
    return mnist_sample(300)


def test_a_fit_that_cannot_end_in_time_stops_after_an_epoch_and_is_undone(fake_time, sample):
    clf = Budget(40).bound(MLPNetClassifier(max_epochs=5, callbacks=[("tick", Tick(10))]))
    with pytest.raises(
        OutOfTime,
        match=r"^stopped after 1 of 5 epochs \(10 s\): at that pace it needs 40 s more, "
        r"with 30 s left in the budget$",
    ):
        clf.fit(*sample)
    assert not hasattr(clf, "classes_")  # no model trained on part of its schedule
    assert [name for name, _ in clf.callbacks] == ["tick", "budget"]  # its own are kept


def test_a_fit_that_can_end_in_time_runs_all_its_epochs(fake_time, sample):
    clf = Budget(50).bound(MLPNetClassifier(max_epochs=5, callbacks=[("tick", Tick(10))]))
    assert clf.fit(*sample).history[-1, "epoch"] == 5 and fake_time.now == 1050.0


def test_time_kept_free_after_a_fit_counts(fake_time, sample):
    # 5 epochs of 10 s end at 50 s, but 1.0 times the fit must stay free after it
    clf = MLPNetClassifier(max_epochs=5, callbacks=[("tick", Tick(10))])
    with pytest.raises(OutOfTime, match="and 50 s must stay free after it"):
        Budget(60).bound(clf, reserve_ratio=1.0).fit(*sample)


def test_a_spent_budget_starts_no_fit(fake_time, sample):
    budget = Budget(10)
    fake_time.now += 10
    assert budget.left() == 0
    with pytest.raises(OutOfTime, match="not started: no time left in the budget"):
        budget.bound(MLPNetClassifier(max_epochs=1)).fit(*sample)


def test_without_a_limit_nothing_is_added():
    clf = MLPNetClassifier()
    assert Budget().bound(clf) is clf and clf.callbacks is None
    assert Budget().left() == math.inf
