"""Your own data sources: ``mirrors=`` and ``SKMNIST_MIRRORS``, tried before the built-in ones."""

import functools
import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from idx_fakes import ALL_STEMS, write_fake_dataset

from skmnist.datasets import fetch_mnist
from skmnist.datasets._sources import _CHECKSUMS, _MIRRORS, _Checksums, _mirrors

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def fake(tmp_path):
    """A fake MNIST in the data home's layout (``root/mnist/*.gz``), and its checksums."""
    return write_fake_dataset(tmp_path / "root" / "mnist")


def _checksums(fake):
    return {stem: [fake.gz_md5[stem], fake.content_sha256[stem]] for stem in ALL_STEMS}


@pytest.fixture
def static_server(fake):
    """An HTTP server on 127.0.0.1 serving the folder above ``mnist/``; yields its URL."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(fake.folder.parent))
    handler.log_message = lambda *args: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = httpd.server_address
    yield f"http://{host}:{port}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_mirrors_come_first_in_the_data_home_layout(tmp_path, monkeypatch):
    monkeypatch.delenv("SKMNIST_MIRRORS", raising=False)
    assert _mirrors("mnist", None) == _MIRRORS["mnist"]
    urls = _mirrors("mnist", ["https://intranet.example/data", tmp_path])
    assert urls[:2] == ("https://intranet.example/data/mnist/", f"{tmp_path.as_uri()}/mnist/")
    assert urls[2:] == _MIRRORS["mnist"]
    monkeypatch.setenv("SKMNIST_MIRRORS", "http://a.example/ http://b.example")
    assert _mirrors("kmnist", None)[:2] == ("http://a.example/kmnist/", "http://b.example/kmnist/")


def test_a_local_folder_as_mirror(fake, tmp_path, monkeypatch):
    table = {stem: _Checksums(*sums) for stem, sums in _checksums(fake).items()}
    monkeypatch.setitem(_CHECKSUMS, "mnist", table)
    monkeypatch.setitem(_MIRRORS, "mnist", ())  # nothing built in: the folder or nothing
    bunch = fetch_mnist(data_home=tmp_path / "home", mirrors=fake.folder.parent)
    np.testing.assert_array_equal(bunch.images, fake.arrays["train-images-idx3-ubyte"])


def test_checksums_are_verified_whatever_the_source(fake, tmp_path, monkeypatch):
    monkeypatch.setitem(_MIRRORS, "mnist", ())
    # the real MNIST checksums: the fake files do not match them
    with pytest.raises(OSError, match="checksum mismatch"):
        fetch_mnist(data_home=tmp_path / "home", mirrors=fake.folder.parent)
    assert not (tmp_path / "home" / "mnist").exists()


_FETCH_IN_A_CHILD = textwrap.dedent("""
    import json, sys
    from skmnist.datasets import fetch_mnist
    from skmnist.datasets import _sources
    checksums = json.loads(sys.argv[2])
    _sources._CHECKSUMS["mnist"] = {s: _sources._Checksums(*c) for s, c in checksums.items()}
    _sources._MIRRORS["mnist"] = ()  # only SKMNIST_MIRRORS
    bunch = fetch_mnist(data_home=sys.argv[1], subset="all")
    print(bunch.data.shape[0], int(bunch.data.sum()))
""")


def test_two_processes_download_from_the_mirror_into_one_fresh_data_home(
    fake, static_server, tmp_path
):
    home = tmp_path / "home"
    env = {**os.environ, "SKMNIST_MIRRORS": static_server, "no_proxy": "127.0.0.1"}
    env.pop("SKMNIST_DATA", None)
    argv = [sys.executable, "-c", _FETCH_IN_A_CHILD, str(home), json.dumps(_checksums(fake))]
    children = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=100) for child in children]
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    expected = sum(int(fake.arrays[stem].sum()) for stem in ALL_STEMS if "images" in stem)
    assert {out.split()[1] for out, _ in outputs} == {str(expected)}
    # the four files, complete, and no temporary file of either process left
    assert sorted(p.name for p in (home / "mnist").iterdir()) == sorted(
        p.name for p in fake.folder.iterdir()
    )
