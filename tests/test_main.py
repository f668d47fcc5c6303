"""The ``skmnist`` command's process keeps freed memory; nothing importable changes it.

``skmnist/__main__.py`` (the console script and ``python -m skmnist``) raises
glibc's malloc thresholds so that training steps stop faulting pages in;
:func:`skmnist.cli.main`, called from Python, and the estimators leave the
process's allocator as it was.
"""

import subprocess
import sys
import textwrap

import pytest

import skmnist.__main__ as command

GLIBC = command._libc() is not None

# Forty training steps of a convolution on a batch of 256 digits, after ten to warm up,
# with what argv[1] names done first: prints the minor page faults of the forty.
_STEPS = textwrap.dedent(
    """
    import resource, sys, torch
    first = sys.argv[1]
    if first == "the command's process":
        import skmnist.__main__
        assert skmnist.__main__._keep_freed_memory()
    elif first == "main()":
        from skmnist.cli import main
        assert main(["info"]) == 0
    faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    torch.set_num_threads(1)  # every block from the main thread's heap, whatever the load
    conv = torch.nn.Conv2d(1, 32, 5, padding=2)
    x = torch.rand(256, 1, 28, 28)
    for _ in range(10):
        conv(x).relu().sum().backward()
    before = faults()
    for _ in range(40):
        conv(x).relu().sum().backward()
    print(faults() - before)
    """
)


def _page_faults(first):
    done = subprocess.run(
        [sys.executable, "-c", _STEPS, first], capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's; elsewhere nothing changes")
def test_the_commands_process_keeps_freed_memory_and_importable_code_does_not():
    # glibc's defaults hand the steps' blocks back to the system and fault them in again,
    # hundreds to thousands of pages a step (how many depends on how glibc's thresholds
    # have adapted, which other load on the machine moves); kept, they are reused (the
    # heap may still grow once, by one 6,272-page activation)
    assert _page_faults("the command's process") < 10_000 < _page_faults("main()")


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
