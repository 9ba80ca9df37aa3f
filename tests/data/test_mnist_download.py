"""Full-MNIST download and loading against a real HTTP server on 127.0.0.1 (no mocks of urllib).

The server serves small generated IDX files under the real MNIST file names; the tests inject their
digests and sizes (FileSpec), so the production digests are never needed and nothing leaves the machine.
"""

import gzip
import hashlib
import io
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from dataset import DatasetError, download, load_mnist
from dataset import mnist as mnist_module
from dataset.download import DownloadError, FileSpec, StderrProgress
from tools import REPO

ROOT = REPO
NAMES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
# The digests published for the real files (from issue 6), which the hand-placing advice must show.
REAL_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
TIMEOUT = 0.5  # seconds; short so the stall tests stay fast


# ---------------------------------------------------------------- generated data set


def idx_file(array):
    """Unsigned-byte IDX bytes, built from the format's definition: 0, 0, 0x08, ndim, sizes, pixels."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


class FakeMnist:
    """100 train / 30 test random 28x28 'digits', their .gz files, and FileSpecs with their digests."""

    def __init__(self, n_train=100, n_test=30, image_cols=28, seed=0):
        rng = np.random.default_rng(seed)
        self.arrays = {
            "train_images": rng.integers(0, 256, size=(n_train, 28, image_cols), dtype=np.uint8),
            "train_labels": rng.integers(0, 10, size=n_train, dtype=np.uint8),
            "test_images": rng.integers(0, 256, size=(n_test, 28, image_cols), dtype=np.uint8),
            "test_labels": rng.integers(0, 10, size=n_test, dtype=np.uint8),
        }
        self.blobs = {NAMES[role]: gzip.compress(idx_file(a), mtime=0) for role, a in self.arrays.items()}
        self.specs = {
            role: FileSpec(NAMES[role], hashlib.sha256(self.blobs[NAMES[role]]).hexdigest(),
                           len(self.blobs[NAMES[role]]), (len(a), 28, 28) if a.ndim == 3 else (len(a),))
            for role, a in self.arrays.items()
        }
        # What load_mnist downloads: the training pair, keyed as download.TRAIN_FILES is.
        self.train_specs = {"images": self.specs["train_images"], "labels": self.specs["train_labels"]}


@pytest.fixture(scope="module")
def fake():
    data = FakeMnist()
    # The big file must span several reads so that "mid-transfer" really is mid-transfer.
    assert len(data.blobs[NAMES["train_images"]]) > download.CHUNK
    return data


# ---------------------------------------------------------------- the HTTP server


class Mirror:
    """A real HTTP server on 127.0.0.1. routes: path -> behaviour; every request path is logged.

    Behaviours: ("ok", body); ("truncate", body, n): announce len(body), send n bytes, close;
    ("stall_headers",): never answer; ("stall_body", body, n): send headers and n bytes, then nothing.
    Unknown paths get 404.
    """

    def __init__(self):
        self.routes, self.requests = {}, []
        self.release = threading.Event()
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                mirror.requests.append(self.path)
                kind, *args = mirror.routes.get(self.path, ("missing",))
                if kind == "missing":
                    self.send_error(404)
                    return
                if kind == "stall_headers":
                    mirror.release.wait(10)
                    return
                body = args[0]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                sent = len(body) if kind == "ok" else args[1]
                self.wfile.write(body[:sent])
                self.wfile.flush()
                if kind == "stall_body":
                    mirror.release.wait(10)
                # "truncate": returning closes the connection (HTTP/1.0), short of Content-Length.

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for it, at every test's teardown.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, prefix):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"

    def serve(self, prefix, fake, **special):
        """Serve every file of `fake` under prefix; special: file name -> behaviour instead of "ok"."""
        for name, blob in fake.blobs.items():
            self.routes[prefix + name] = special.get(name, ("ok", blob))

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    mirror = Mirror()
    yield mirror
    mirror.close()


@pytest.fixture
def server2():
    """A second, independent mirror (another port)."""
    mirror = Mirror()
    yield mirror
    mirror.close()


@pytest.fixture
def refused_url():
    """A URL on a port that is bound but not listening: connecting is refused, and nobody can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/"
    sock.close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """A proxy from the environment would swallow requests meant for 127.0.0.1."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.upper(), raising=False)


def fetch(directory, fake, mirrors, **kwargs):
    return download.download_mnist(directory, files=fake.specs, mirrors=mirrors, timeout=TIMEOUT, **kwargs)


def cached_names(directory):
    """Every entry in the cache directory, hidden temporary files included."""
    return sorted(os.listdir(directory))


def assert_cache_holds(directory, fake, names=None):
    for name in names or fake.blobs:
        assert (directory / name).read_bytes() == fake.blobs[name], name


# ---------------------------------------------------------------- downloads


def test_second_mirror_after_404(server, fake, tmp_path, capsys):
    server.serve("/good/", fake)
    assert fetch(tmp_path, fake, [server.url("/gone/"), server.url("/good/")]) == tmp_path
    assert cached_names(tmp_path) == sorted(fake.blobs)  # the four files and nothing else
    assert_cache_holds(tmp_path, fake)
    expected = [p for name in fake.blobs for p in (f"/gone/{name}", f"/good/{name}")]
    assert server.requests == expected  # mirrors in order, for every file
    err = capsys.readouterr().err
    assert err.count("failed: HTTP 404") == 4 and err.count("SHA-256 verified") == 4
    assert (tmp_path / NAMES["train_images"]).stat().st_mode & 0o777 == 0o644


def test_truncated_body(server, fake, tmp_path):
    name = NAMES["train_images"]
    blob = fake.blobs[name]
    half = len(blob) // 2
    server.serve("/m/", fake, **{name: ("truncate", blob, half)})
    with pytest.raises(DownloadError) as info:
        fetch(tmp_path, fake, [server.url("/m/")])
    message = str(info.value)
    assert server.url("/m/" + name) in message
    assert f"truncated: the connection closed after {half:,} of {len(blob):,} bytes" in message
    # The three good files are kept, verified; of the truncated one nothing at all remains.
    assert cached_names(tmp_path) == sorted(set(fake.blobs) - {name})
    assert_cache_holds(tmp_path, fake, set(fake.blobs) - {name})


def test_wrong_digest(server, fake, tmp_path, capsys):
    name = NAMES["test_labels"]
    spec = fake.specs["test_labels"]
    tampered = bytearray(fake.blobs[name])
    tampered[-20] ^= 0x01  # same length, different bytes
    server.serve("/bad/", fake, **{name: ("ok", bytes(tampered))})
    with pytest.raises(DownloadError) as info:
        fetch(tmp_path, fake, [server.url("/bad/")])
    got = hashlib.sha256(bytes(tampered)).hexdigest()
    assert f"wrong content: SHA-256 {got}, expected {spec.sha256}" in str(info.value)
    assert name not in cached_names(tmp_path) and len(cached_names(tmp_path)) == 3

    # With a good second mirror the bad copy is rejected and the good one kept.
    server.serve("/good/", fake)
    fetch(tmp_path, fake, [server.url("/bad/"), server.url("/good/")])
    assert_cache_holds(tmp_path, fake)
    assert server.requests[-2:] == [f"/bad/{name}", f"/good/{name}"]
    assert "failed: wrong content" in capsys.readouterr().err


def test_connection_refused(server, fake, tmp_path, refused_url, capsys):
    server.serve("/good/", fake)
    fetch(tmp_path, fake, [refused_url, server.url("/good/")])
    assert_cache_holds(tmp_path, fake)
    err = capsys.readouterr().err
    # The refused mirror is tried once, for the first file only, then skipped.
    assert err.count(refused_url) == 1 and "connection refused" in err
    assert server.requests == [f"/good/{name}" for name in fake.blobs]


def test_every_mirror_refused_names_every_url(fake, tmp_path, refused_url):
    other = refused_url.replace("/mnist/", "/other/")
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        fetch(tmp_path, fake, [refused_url, other])
    assert time.monotonic() - start < 5
    message = str(info.value)
    for name in fake.blobs:
        assert refused_url + name in message and other + name in message
    assert message.count("-> connection refused") == 1  # both URLs share host and port: tried once
    assert message.count("not tried: this mirror was unreachable") == 7
    for spec in fake.specs.values():  # how to place each file by hand
        assert f"{spec.sha256}  {spec.name}" in message
    assert f"into this directory:\n  {tmp_path}\n" in message
    assert cached_names(tmp_path) == []


def test_server_that_never_answers_times_out(server, server2, fake, tmp_path, capsys):
    first = NAMES["train_images"]
    server.serve("/slow/", fake, **{first: ("stall_headers",)})
    server2.serve("/good/", fake)
    start = time.monotonic()
    fetch(tmp_path, fake, [server.url("/slow/"), server2.url("/good/")])
    elapsed = time.monotonic() - start
    assert TIMEOUT <= elapsed < TIMEOUT + 3
    assert_cache_holds(tmp_path, fake)
    assert f"timed out (no answer within {TIMEOUT:g} s)" in capsys.readouterr().err
    # A mirror that timed out is not waited for again.
    assert server.requests == [f"/slow/{first}"]
    assert server2.requests == [f"/good/{name}" for name in fake.blobs]


def test_stall_mid_transfer_times_out_and_leaves_nothing(server, fake, tmp_path):
    name = NAMES["train_images"]
    blob = fake.blobs[name]
    sent = len(blob) // 3
    server.serve("/m/", fake, **{name: ("stall_body", blob, sent)})
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        fetch(tmp_path, fake, [server.url("/m/")])
    assert time.monotonic() - start < TIMEOUT + 3
    assert f"timed out (no data for {TIMEOUT:g} s) after {sent:,} of {len(blob):,} bytes" in str(info.value)
    assert cached_names(tmp_path) == []  # the other files were skipped: this mirror stalled


def test_hanging_dns_lookup_is_bounded(fake, tmp_path, monkeypatch):
    # A dead DNS server: getaddrinfo blocks (here 3 s) and no socket timeout applies to it.
    real_getaddrinfo = socket.getaddrinfo

    def hanging_getaddrinfo(host, *args, **kwargs):
        if host.endswith(".invalid"):
            time.sleep(3)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging_getaddrinfo)
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        fetch(tmp_path, fake, ["http://mirror-one.invalid/mnist/", "http://mirror-two.invalid/mnist/"])
    assert time.monotonic() - start < 2 * TIMEOUT + 1  # one bounded attempt per mirror, not 3 s each
    assert str(info.value).count(f"-> timed out (no answer within {TIMEOUT:g} s)") == 2


class InterruptingProgress(StderrProgress):
    """Presses Ctrl-C (raises KeyboardInterrupt) once some, not all, bytes of a file have arrived."""

    def update(self, received):
        if 0 < received < self.total:
            self.interrupted_at = received
            raise KeyboardInterrupt


def test_interrupted_transfer_leaves_no_partial_file(server, fake, tmp_path):
    server.serve("/m/", fake)
    progress = InterruptingProgress(io.StringIO())
    with pytest.raises(KeyboardInterrupt):
        fetch(tmp_path, fake, [server.url("/m/")], progress=progress)
    assert 0 < progress.interrupted_at < len(fake.blobs[NAMES["train_images"]])
    assert cached_names(tmp_path) == []  # no data file, no temporary file


def test_corrupt_cache_is_detected_and_replaced(server, fake, tmp_path, capsys):
    server.serve("/m/", fake)
    fetch(tmp_path, fake, [server.url("/m/")])
    flipped, truncated = NAMES["train_images"], NAMES["test_labels"]
    data = bytearray((tmp_path / flipped).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / flipped).write_bytes(bytes(data))
    (tmp_path / truncated).write_bytes(fake.blobs[truncated][:-7])
    assert download.check_file(tmp_path / flipped, fake.specs["train_images"]).startswith("SHA-256")
    assert "truncated" in download.check_file(tmp_path / truncated, fake.specs["test_labels"])

    server.requests.clear()
    fetch(tmp_path, fake, [server.url("/m/")])
    assert server.requests == [f"/m/{flipped}", f"/m/{truncated}"]  # only the two bad files
    assert_cache_holds(tmp_path, fake)
    assert capsys.readouterr().err.count("cached copy rejected") == 2

    server.requests.clear()
    fetch(tmp_path, fake, [server.url("/m/")])
    assert server.requests == []  # everything verified: nothing fetched


def test_leftover_part_files(server, fake, tmp_path):
    name = NAMES["train_labels"]
    old = tmp_path / f".{name}.killed.part"   # left by a run killed an hour ago
    young = tmp_path / f".{name}.running.part"  # may belong to a run in progress
    for part in (old, young):
        part.write_bytes(fake.blobs[name])
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    # A .part file is never taken for the data, even with the right bytes in it.
    assert download.check_file(tmp_path / name, fake.specs["train_labels"]) == "missing"
    server.serve("/m/", fake)
    fetch(tmp_path, fake, [server.url("/m/")])
    assert not old.exists() and young.exists()


def test_unwritable_cache_is_a_clear_error(fake, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DatasetError, match="cannot create the MNIST cache directory"):
        fetch(blocker / "mnist", fake, ["http://127.0.0.1:9/"])


def test_progress_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = StderrProgress(stream)
    total = 4 << 20
    progress.start("big.gz", "http://example.invalid/big.gz", total)
    for received in range(0, total + 1, 1 << 16):
        progress.update(received)
    progress.finish("done")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "big.gz: fetching http://example.invalid/big.gz (4.2 MB)"
    assert [line.split(": ")[1].split(" ")[0] for line in lines[1:4]] == ["25%", "50%", "75%"]
    assert lines[4:] == ["big.gz: done"] and "\r" not in stream.getvalue()


def test_cache_dir_choice(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DLFS_MNIST_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert download.cache_dir() == tmp_path / "home" / ".cache" / "dlfs-companion" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert download.cache_dir() == tmp_path / "home" / ".cache" / "dlfs-companion" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert download.cache_dir() == tmp_path / "xdg" / "dlfs-companion" / "mnist"
    monkeypatch.setenv("DLFS_MNIST_DIR", str(tmp_path / "env"))
    assert download.cache_dir() == tmp_path / "env"
    assert download.cache_dir(tmp_path / "arg") == tmp_path / "arg"


# ---------------------------------------------------------------- load_mnist(source=...)


@pytest.fixture
def use_fake(monkeypatch, server, tmp_path):
    """Point load_mnist at the generated files: their digests, the local mirror, a temporary cache."""

    def install(fake):
        monkeypatch.setattr(download, "TRAIN_FILES", fake.train_specs)
        monkeypatch.setattr(download, "MIRRORS", (server.url("/m/"),))
        monkeypatch.setattr(download, "DEFAULT_TIMEOUT", TIMEOUT)
        server.serve("/m/", fake)
        return tmp_path / "cache"

    monkeypatch.setenv("DLFS_MNIST_DIR", str(tmp_path / "cache"))
    return install


def test_load_full_end_to_end(use_fake, fake, server, capsys):
    cache = use_fake(fake)
    (x_train, t_train), (x_test, t_test) = load_mnist(source="full")  # downloads first
    assert sorted(os.listdir(cache)) == sorted(spec.name for spec in fake.train_specs.values())
    images, labels = fake.arrays["train_images"], fake.arrays["train_labels"]
    assert x_train.shape == (100, 784) and x_train.dtype == np.float32
    np.testing.assert_allclose(x_train, images.reshape(100, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(t_train, labels)
    # The test set is the bundled official one, whatever the training source.
    _, (x_bundled, t_bundled) = load_mnist()
    np.testing.assert_array_equal(x_test, x_bundled)
    np.testing.assert_array_equal(t_test, t_bundled)
    assert x_test.shape == (10000, 784)
    assert capsys.readouterr().err.count("SHA-256 verified") == 2

    # Second load: from the cache alone (the mirror now answers 404 to everything).
    server.routes.clear()
    server.requests.clear()
    (x, t), (x_t, _) = load_mnist(normalize=False, flatten=False, one_hot_label=True, source="full")
    assert server.requests == []
    assert x.shape == (100, 1, 28, 28) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[:, 0], images)
    assert x_t.shape == (10000, 1, 28, 28) and x_t.dtype == np.uint8
    assert t.shape == (100, 10)
    np.testing.assert_array_equal(t.argmax(axis=1), labels)
    np.testing.assert_array_equal(t.sum(axis=1), 1)


def test_load_full_fails_clearly_without_network(use_fake, fake, monkeypatch, refused_url):
    use_fake(fake)
    monkeypatch.setattr(download, "MIRRORS", (refused_url,))
    with pytest.raises(DownloadError, match="connection refused"):
        load_mnist(source="full")


def test_load_full_rejects_wrong_dimensions(use_fake):
    # Images 28 x 27 in files whose digests match: the bytes are as published, the shape is not MNIST's.
    narrow = FakeMnist(n_train=20, n_test=10, image_cols=27, seed=1)
    use_fake(narrow)
    with pytest.raises(DatasetError, match=r"not a valid IDX file: wrong dimensions \(20, 28, 27\)"):
        load_mnist(source="full")


def test_auto_falls_back_to_bundled_then_uses_full(use_fake, fake, server, capsys):
    cache = use_fake(fake)
    (x, t), (x_test, _) = load_mnist(source="auto")
    assert x.shape == (5000, 784) and x_test.shape == (10000, 784)
    assert server.requests == []  # "auto" never downloads
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and "5,000 train / 10,000 test images, the bundled training digits" in line
    assert f"{NAMES['train_images']} is missing from {cache}" in line

    download.download_mnist()  # defaults: the fake specs, the local mirror, $DLFS_MNIST_DIR
    capsys.readouterr()
    (x, t), _ = load_mnist(source="auto")
    np.testing.assert_array_equal(t, fake.arrays["train_labels"])
    line = capsys.readouterr().err
    assert line == (f'load_mnist(source="auto"): 100 train / 10,000 test images, the full MNIST '
                    f'training set from {cache}\n')

    # A damaged cache is not used (and not repaired: "auto" stays offline).
    path = cache / NAMES["train_labels"]
    path.write_bytes(path.read_bytes()[:-1])
    (x, _), _ = load_mnist(source="auto")
    assert x.shape == (5000, 784)
    assert "is corrupt or incomplete" in capsys.readouterr().err


# ---------------------------------------------------------------- the command


def test_command_offline_message(fake, tmp_path, refused_url, capsys):
    argv = ["--download", "--dir", str(tmp_path), "--mirror", refused_url, "--timeout", "1"]
    code = mnist_module.main(argv)
    assert code == 1
    captured = capsys.readouterr()
    err = captured.err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: could not download the MNIST training files into {tmp_path}"]
    assert "Traceback" not in err and captured.out == ""
    for name, digest in REAL_SHA256.items():
        if name.startswith("train"):
            assert refused_url + name in err
            assert f"{digest}  {name}" in err  # the published digest, as sha256sum prints it
        else:  # the test files are bundled: never fetched
            assert name not in err
    assert f"(still .gz) into this directory:\n  {tmp_path}\n" in err
    assert cached_names(tmp_path) == []


def test_command_status_and_download(use_fake, fake, capsys):
    cache = use_fake(fake)
    assert mnist_module.main([]) == 1
    assert capsys.readouterr().out.count(": missing") == 2
    assert mnist_module.main(["--download"]) == 0
    captured = capsys.readouterr()
    assert f"ready in {cache}" in captured.out and captured.err.count("SHA-256 verified") == 2
    assert mnist_module.main([]) == 0
    assert capsys.readouterr().out.count("ok, SHA-256 verified") == 2


def test_python_m_command_exit_code_and_no_traceback(tmp_path, refused_url):
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "dataset.mnist", "--download", "--dir", str(tmp_path / "c"),
         "--mirror", refused_url, "--timeout", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert time.monotonic() - start < 15
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    assert "connection refused" in result.stderr and "sha256sum" in result.stderr
    assert not (tmp_path / "c").exists() or os.listdir(tmp_path / "c") == []
