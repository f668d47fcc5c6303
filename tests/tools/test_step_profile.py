"""tools.step_profile: the per-batch overhead table."""

import torch

from tools import step_profile


def test_the_fused_step_runs_fewer_operators_than_the_eager_one_and_the_threads_are_put_back(
    monkeypatch,
):
    # per-batch counts need no more than 20 batches of the sample
    sample = step_profile._data
    monkeypatch.setattr(step_profile, "_data", lambda repeat: [a[:640] for a in sample(repeat)])
    before = torch.get_num_threads()
    torch.set_num_threads(2)  # not the 1 it measures on
    try:
        rows, profiles = step_profile.run(repeat=1, rounds=1)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    eager = rows['MLPNetClassifier, step_mode="eager"']
    fused = rows['MLPNetClassifier, step_mode="fused"']
    raw = rows["hand-written loop, torch's Adam"]
    assert fused["torch_operators_per_batch"] < eager["torch_operators_per_batch"]
    # the same optimizer kernels as the hand-written loop: a few operators more per batch
    assert eager["torch_operators_per_batch"] - raw["torch_operators_per_batch"] < 40
    assert set(profiles) == set(rows)
    table = step_profile.to_markdown(rows)
    assert table.count("\n| ") == len(rows) + 1
