"""Downloading, for real, from an HTTP server on 127.0.0.1 started by the tests."""

import hashlib
import io
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from idx_fakes import ALL_STEMS, file_name, write_fake_dataset

from skmnist.datasets import _download, fetch_fashion_mnist, fetch_mnist
from skmnist.datasets._download import _fetch_remote
from skmnist.datasets._sources import _CHECKSUMS, _MIRRORS, _Checksums

# a safety net: each test takes a second or less, the server and client time out
pytestmark = pytest.mark.timeout(60)


class _Handler(BaseHTTPRequestHandler):
    """Serves ``/<mode>/<file name>`` of the server's files.

    Modes: ``good``; ``bad`` (other bytes, same length); ``500`` and ``404``
    (errors); ``cut`` (announces more bytes than it sends, then closes);
    ``hang`` (answers nothing until the test ends).
    """

    def do_GET(self):
        self.server.requests.append(self.path)
        mode, _, name = self.path.strip("/").partition("/")
        body = self.server.files.get(name)
        if mode == "500":
            self.send_error(500)
            return
        if body is None or mode == "404":
            self.send_error(404)
            return
        if mode == "hang":
            self.server.stopping.wait(10)
            return
        if mode == "bad":
            body = bytes(reversed(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body) + (1000 if mode == "cut" else 0)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if mode == "cut" else body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """An HTTP server on 127.0.0.1 serving ``server.files``.

    ``server.url(mode)`` is a mirror's URL; ``server.requests`` the paths
    asked for, in order.
    """
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(_download, "_TIMEOUT", 1)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.files, httpd.requests, httpd.stopping = {}, [], threading.Event()
    host, port = httpd.server_address
    httpd.url = lambda mode: f"http://{host}:{port}/{mode}/"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.stopping.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def served(server, tmp_path):
    """A fake MNIST on the server (gzipped), its checksums the known ones."""
    fake = write_fake_dataset(tmp_path / "served")
    for stem in ALL_STEMS:
        name = file_name(stem)
        server.files[name] = (fake.folder / name).read_bytes()
    return fake


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_downloads_verifies_and_shows_progress(server, served, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())  # where tqdm draws, enabled
    name = file_name("train-images-idx3-ubyte")
    folder = tmp_path / "new" / "mnist"
    path = _fetch_remote(
        name, [server.url("good")], folder, md5=served.gz_md5["train-images-idx3-ubyte"]
    )
    assert path == folder / name
    assert path.read_bytes() == server.files[name]
    assert list(folder.iterdir()) == [path]
    progress = sys.stderr.getvalue()
    assert name in progress and "100%" in progress


def _mnist_from(server, served, monkeypatch, *modes):
    """Point MNIST's mirrors at the server's ``modes``, its checksums at ``served``."""
    monkeypatch.setitem(_MIRRORS, "mnist", tuple(server.url(mode) for mode in modes))
    table = {
        stem: _Checksums(served.gz_md5[stem], served.content_sha256[stem]) for stem in ALL_STEMS
    }
    monkeypatch.setitem(_CHECKSUMS, "mnist", table)


def test_fetch_downloads_only_what_is_missing(server, served, tmp_path, monkeypatch):
    _mnist_from(server, served, monkeypatch, "good")
    home = tmp_path / "home"
    bunch = fetch_mnist(data_home=home)
    np.testing.assert_array_equal(bunch.images, served.arrays["train-images-idx3-ubyte"])
    assert sorted(p.name for p in (home / "mnist").iterdir()) == [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]
    assert len(server.requests) == 2
    fetch_mnist(data_home=home)
    assert len(server.requests) == 2  # nothing downloaded again
    assert fetch_mnist(data_home=home, subset="all").data.shape == (40, 784)
    assert sorted(server.requests[2:]) == [
        "/good/t10k-images-idx3-ubyte.gz",
        "/good/t10k-labels-idx1-ubyte.gz",
    ]


def test_falls_back_to_the_next_mirror(server, served, tmp_path, monkeypatch):
    _mnist_from(server, served, monkeypatch, "500", "good")
    bunch = fetch_mnist(data_home=tmp_path, subset="test")
    assert bunch.data.shape == (10, 784)
    assert server.requests == [
        "/500/t10k-images-idx3-ubyte.gz",
        "/good/t10k-images-idx3-ubyte.gz",
        "/500/t10k-labels-idx1-ubyte.gz",
        "/good/t10k-labels-idx1-ubyte.gz",
    ]
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ]


@pytest.mark.parametrize(
    "modes, reasons",
    [
        (["bad"], ["ValueError: checksum mismatch: expected MD5"]),
        (["500", "404"], ["HTTP Error 500", "HTTP Error 404"]),
        (["cut"], ["connection closed after"]),
        (["hang"], ["timed out"]),
        (
            ["404", "bad", "cut"],
            ["HTTP Error 404", "checksum mismatch", "connection closed after"],
        ),
    ],
    ids=["bad checksum", "server errors", "interrupted", "timeout", "all three"],
)
def test_failure_lists_urls_and_leaves_nothing(
    server, served, tmp_path, monkeypatch, modes, reasons
):
    _mnist_from(server, served, monkeypatch, *modes)
    with pytest.raises(OSError) as excinfo:
        fetch_mnist(data_home=tmp_path, subset="test")
    message = str(excinfo.value)
    folder = tmp_path / "mnist"
    assert message.startswith(f"could not download t10k-images-idx3-ubyte.gz into {folder}; tried:")
    lines = message.splitlines()[1:]
    assert len(lines) == len(modes)
    for line, mode, reason in zip(lines, modes, reasons, strict=True):
        assert line.startswith(f"  {server.url(mode)}t10k-images-idx3-ubyte.gz: ")
        assert reason in line
    assert not folder.exists()  # no partial or temporary file, no empty folder


def test_failure_keeps_a_folder_that_was_there(server, served, tmp_path, monkeypatch):
    _mnist_from(server, served, monkeypatch, "bad")
    folder = tmp_path / "mnist"
    folder.mkdir()
    with pytest.raises(OSError, match="checksum mismatch"):
        fetch_mnist(data_home=tmp_path, subset="test")
    assert list(folder.iterdir()) == []  # no partial, no temporary file


def test_unreachable_mirror(server, served, tmp_path, monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/"
    monkeypatch.setitem(_MIRRORS, "fashion-mnist", (dead, server.url("good")))
    table = {stem: _Checksums(served.gz_md5[stem], None) for stem in ALL_STEMS}
    monkeypatch.setitem(_CHECKSUMS, "fashion-mnist", table)
    bunch = fetch_fashion_mnist(data_home=tmp_path)
    assert bunch.target_names[0] == "T-shirt/top"
    monkeypatch.setitem(_MIRRORS, "fashion-mnist", (dead,))
    with pytest.raises(OSError, match=f"{dead}t10k-images-idx3-ubyte.gz: URLError"):
        fetch_fashion_mnist(data_home=tmp_path, subset="test")


def test_downloaded_file_is_verified_again_when_read(server, served, tmp_path, monkeypatch):
    """A download matching the .gz MD5 but not the known contents is refused."""
    _mnist_from(server, served, monkeypatch, "good")
    stem = "train-labels-idx1-ubyte"
    table = dict(_CHECKSUMS["mnist"])
    table[stem] = _Checksums(table[stem].gz_md5, hashlib.sha256(b"other").hexdigest())
    monkeypatch.setitem(_CHECKSUMS, "mnist", table)
    with pytest.raises(ValueError, match=r"checksum mismatch.*delete it"):
        fetch_mnist(data_home=tmp_path)
