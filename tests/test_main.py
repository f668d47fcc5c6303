"""The ``skmnist`` command's process keeps freed memory; nothing importable changes it.

``skmnist/__main__.py`` (the console script and ``python -m skmnist``) raises
glibc's malloc thresholds so that training steps stop faulting pages in;
:func:`skmnist.cli.main`, called from Python, and the estimators leave the
process's allocator as it was.
"""

import ctypes
import subprocess
import sys
import textwrap

import pytest

import skmnist.__main__ as command

GLIBC = command._libc() is not None

# Forty training steps of a convolution on a batch of 256 digits, after ten to warm up,
# in a process that first keeps freed memory as the command does: prints how many of the
# forty steps faulted pages in.
_STEPS = textwrap.dedent(
    """
    import resource, torch
    import skmnist.__main__
    assert skmnist.__main__._keep_freed_memory()
    faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    torch.set_num_threads(1)  # every block from the main thread's heap, whatever the load
    conv = torch.nn.Conv2d(1, 32, 5, padding=2)
    x = torch.rand(256, 1, 28, 28)
    for _ in range(10):
        conv(x).relu().sum().backward()
    faulted = 0
    for _ in range(40):
        before = faults()
        conv(x).relu().sum().backward()
        faulted += faults() > before
    print(faulted)
    """
)


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's; elsewhere nothing changes")
def test_the_commands_process_stops_faulting_pages_in_at_every_step():
    # With glibc's defaults the steps' blocks go back to the system and are faulted in
    # again, in a number of steps that depends on how glibc's thresholds have adapted
    # (which other load on the machine moves). Kept, they are reused: the heap may still
    # grow by an activation in a few steps while it settles, never in most of them.
    done = subprocess.run(
        [sys.executable, "-c", _STEPS], capture_output=True, text=True, check=True
    )
    assert int(done.stdout.split()[-1]) <= 8


class _FakeLibc:
    def __init__(self, result=1):
        self.calls = []
        self.result = result

    def mallopt(self, param, value):
        self.calls.append((param, value))
        return self.result


def test_sets_glibcs_two_thresholds(monkeypatch):
    libc = _FakeLibc()
    monkeypatch.setattr(command, "_libc", lambda: libc)
    assert command._keep_freed_memory() is True
    assert libc.calls == [(-3, 32 * 1024 * 1024), (-1, 2**31 - 1)]


def test_reports_a_threshold_glibc_refused(monkeypatch):
    monkeypatch.setattr(command, "_libc", lambda: _FakeLibc(result=0))
    assert command._keep_freed_memory() is False


@pytest.mark.parametrize("system, libc", [("Darwin", ("", "")), ("Linux", ("musl", "1.2"))])
def test_changes_nothing_without_glibc(monkeypatch, system, libc):
    monkeypatch.setattr(command.platform, "system", lambda: system)
    monkeypatch.setattr(command.platform, "libc_ver", lambda: libc)
    assert command._libc() is None
    assert command._keep_freed_memory() is False


def test_the_console_script_keeps_freed_memory_then_runs_main(monkeypatch):
    calls = []
    monkeypatch.setattr(command, "_keep_freed_memory", lambda: calls.append("keep"))
    monkeypatch.setattr(command, "main", lambda: calls.append("main") or 0)
    with pytest.raises(SystemExit) as exit_:
        command.run()
    assert exit_.value.code == 0 and calls == ["keep", "main"]


def test_main_called_from_python_leaves_the_allocator_as_it_was(monkeypatch):
    # neither through the command's own helper nor by loading the C library itself
    libc, loads = _FakeLibc(), []
    monkeypatch.setattr(command, "_libc", lambda: libc)
    monkeypatch.setattr(ctypes, "CDLL", lambda *args, **kwargs: loads.append(args) or libc)
    assert command.main(["info"]) == 0
    assert libc.calls == [] and loads == []
