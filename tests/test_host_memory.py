"""keep_freed_memory: glibc keeps what training frees, so that steps stop faulting pages in."""

import subprocess
import sys
import textwrap

import pytest

import skmnist
from skmnist import _host_memory
from skmnist.cli import main

GLIBC = _host_memory._libc() is not None

# Fifty training steps of a convolution on a batch of 256 digits, after three to warm up:
# prints the minor page faults of the fifty.
_STEPS = textwrap.dedent(
    """
    import resource, sys, torch
    import skmnist
    if sys.argv[1] == "keep":
        assert skmnist.keep_freed_memory()
    faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    conv = torch.nn.Conv2d(1, 32, 5, padding=2)
    x = torch.rand(256, 1, 28, 28)
    for _ in range(3):
        conv(x).relu().sum().backward()
    before = faults()
    for _ in range(50):
        conv(x).relu().sum().backward()
    print(faults() - before)
    """
)


def _page_faults(mode):
    done = subprocess.run(
        [sys.executable, "-c", _STEPS, mode], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's; elsewhere nothing changes")
def test_training_steps_stop_faulting_pages_in():
    # glibc's defaults hand the steps' blocks back to the system and fault them in again,
    # thousands of pages a step; kept, they are reused (the heap may still grow once)
    assert _page_faults("default") > 50_000
    assert _page_faults("keep") < 20_000


class _FakeLibc:
    def __init__(self, result=1):
        self.calls = []
        self.result = result

    def mallopt(self, param, value):
        self.calls.append((param, value))
        return self.result


def test_sets_glibcs_two_thresholds(monkeypatch):
    libc = _FakeLibc()
    monkeypatch.setattr(_host_memory, "_libc", lambda: libc)
    assert skmnist.keep_freed_memory() is True
    assert libc.calls == [(-3, 32 * 1024 * 1024), (-1, 2**31 - 1)]


def test_reports_a_threshold_glibc_refused(monkeypatch):
    monkeypatch.setattr(_host_memory, "_libc", lambda: _FakeLibc(result=0))
    assert skmnist.keep_freed_memory() is False


@pytest.mark.parametrize("system, libc", [("Darwin", ("", "")), ("Linux", ("musl", "1.2"))])
def test_changes_nothing_without_glibc(monkeypatch, system, libc):
    monkeypatch.setattr(_host_memory.platform, "system", lambda: system)
    monkeypatch.setattr(_host_memory.platform, "libc_ver", lambda: libc)
    assert _host_memory._libc() is None
    assert skmnist.keep_freed_memory() is False


def test_the_command_keeps_freed_memory(monkeypatch):
    calls = []
    monkeypatch.setattr(_host_memory, "keep_freed_memory", lambda: calls.append(1) or True)
    assert main(["info"]) == 0
    assert calls == [1]
