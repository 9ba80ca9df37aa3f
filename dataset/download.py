"""Fetch MNIST's 60,000 training digits (two .gz files) into a local cache, safely.

The 10,000 test digits need no download: their two published files are bundled in this folder.

Safety rules, in the order a download meets them:
- mirrors are tried in order; one that cannot be reached (no DNS, refused, timed out) is not tried
  again for the other files, so an offline run ends after one attempt per mirror;
- every network wait is bounded by `timeout`: opening a URL as a whole (DNS lookup, connecting to
  each address of the host, TLS, the response headers), then each read of the body;
- bytes go to a hidden temporary file in the cache directory (".<name>.<random>.part"), which is
  renamed to <name> only after its length and SHA-256 match; on any failure or Ctrl-C it is deleted,
  so <name> is always either absent, the previous file, or a verified copy;
- a cached file is trusted only if its SHA-256 matches; otherwise it is fetched again.

Only the standard library speaks HTTP here (urllib); proxies from http(s)_proxy are honoured.
"""

import hashlib
import http.client
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from dataset.errors import DatasetError
from dataset.published import FileSpec, check_file, mismatch, not_a_file_message


class DownloadError(DatasetError):
    """No mirror delivered a verified copy of some file; the message lists every attempt."""


# Published digests and sizes of the original files (Y. LeCun, C. Cortes, C. Burges). The training
# files are downloaded into the cache; the test files are bundled in this folder (dataset/mnist.py).
TRAIN_FILES = {
    "images": FileSpec("train-images-idx3-ubyte.gz",
                       "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                       9912422, (60000, 28, 28)),
    "labels": FileSpec("train-labels-idx1-ubyte.gz",
                       "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                       28881, (60000,)),
}
TEST_FILES = {
    "images": FileSpec("t10k-images-idx3-ubyte.gz",
                       "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                       1648877, (10000, 28, 28)),
    "labels": FileSpec("t10k-labels-idx1-ubyte.gz",
                       "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                       4542, (10000,)),
}

# Base URLs; a file's URL is base + file name. The first is the mirror torchvision uses, the
# second the Common Visual Data Foundation copy TensorFlow uses.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

ENV_VAR = "DLFS_MNIST_DIR"
DEFAULT_TIMEOUT = 8.0  # seconds to open a URL, and per read; offline, 2 mirrors fail in <= 16 s
CHUNK = 64 * 1024
STALE_PART_AGE = 3600  # seconds after which a leftover .part file (e.g. from kill -9) is removed
USER_AGENT = "dlfs-companion-mnist/0.1 (Python urllib)"


def cache_dir(directory=None):
    """Where the downloaded files live: `directory` if given, else $DLFS_MNIST_DIR, else the user cache.

    The user cache is $XDG_CACHE_HOME/dlfs-companion/mnist (XDG_CACHE_HOME defaults to ~/.cache;
    on Windows %LOCALAPPDATA% stands in for it).
    """
    if directory is not None and not isinstance(directory, str | os.PathLike):
        raise TypeError(f"directory must be a path (str or os.PathLike), got {type(directory).__name__}")
    if directory:
        return Path(directory).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec says to ignore relative values
        base = os.environ.get("LOCALAPPDATA", "") if os.name == "nt" else ""
    root = Path(base) if base else Path.home() / ".cache"
    return root / "dlfs-companion" / "mnist"


class StderrProgress:
    """Progress of each file on stderr: a live line on a terminal, a few plain lines elsewhere."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()

    def start(self, name, url, total):
        self.name, self.total, self.received = name, total, 0
        self.last_draw, self.next_quarter = 0.0, 1
        if self.live:
            self.stream.write(f"\r{name}: fetching {url}\x1b[K")
            self.stream.flush()
        else:
            self._line(f"{name}: fetching {url} ({_mb(total)})")

    def update(self, received):
        self.received = received
        if self.live:
            now = time.monotonic()
            if now - self.last_draw >= 0.1 or received >= self.total:
                self.last_draw = now
                pct = 100 * received // max(self.total, 1)
                done = f"{received / 1e6:.1f}" if self.total >= 100_000 else f"{received:,}"
                self.stream.write(f"\r{self.name}: {done} of {_mb(self.total)} ({pct}%)\x1b[K")
                self.stream.flush()
        elif self.total >= 1 << 20 and self.next_quarter < 4:
            # Logs and notebooks get a line at 25%, 50%, 75% of a big file, not a stream of updates.
            if 4 * received >= self.next_quarter * self.total:
                self._line(f"{self.name}: {25 * self.next_quarter}% ({_mb(received)})")
                self.next_quarter += 1

    def finish(self, message):
        if self.live:
            self.stream.write("\r\x1b[K")
        self._line(f"{self.name}: {message}")

    def note(self, name, message):
        self._line(f"{name}: {message}")

    def _line(self, text):
        print(text, file=self.stream, flush=True)


def _mb(n):
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


class _AttemptFailed(Exception):
    """One URL did not deliver the file. `unreachable`: the host itself failed, skip it from now on."""

    def __init__(self, reason, unreachable=False):
        super().__init__(reason)
        self.reason, self.unreachable = reason, unreachable


def download_mnist(directory=None, files=None, mirrors=None, timeout=DEFAULT_TIMEOUT, progress=None):
    """Make sure every file of `files` (default: the two MNIST training files) is in the cache, verified.

    Files already present with the right SHA-256 are kept; missing or corrupt ones are fetched from
    `mirrors` (base URLs, tried in order). Returns the directory (a Path). Raises DownloadError,
    listing every URL tried and why it failed plus how to place the files by hand, if any file could
    not be obtained; files that did arrive are kept. Ctrl-C (KeyboardInterrupt) propagates after the
    partial file is deleted.

    files: {"images": FileSpec, ...} (tests pass their own); timeout: seconds allowed to open
    each URL, and for each read of its body; progress: an object with start / update / finish / note
    like StderrProgress (the default).
    """
    directory = cache_dir(directory)
    files = TRAIN_FILES if files is None else files
    mirrors = MIRRORS if mirrors is None else tuple(mirrors)
    progress = StderrProgress() if progress is None else progress
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        reason = err.strerror or err
        raise DatasetError(f"cannot create the MNIST cache directory {directory}: {reason}") from None

    unreachable = set()  # (scheme, host:port) that could not be reached: not tried again in this run
    failures = {}  # file name -> [(url, reason)] for the files no mirror delivered
    for spec in files.values():
        target = directory / spec.name
        if target.is_dir():  # no download can replace a directory: say so before fetching anything
            raise DatasetError(not_a_file_message(target))
        problem = check_file(target, spec)
        if problem is None:
            continue
        if problem != "missing":
            progress.note(spec.name, f"cached copy rejected ({problem}); fetching it again")
        _remove_stale_parts(directory, spec.name)
        attempts = []
        for mirror in mirrors:
            url = mirror + spec.name
            host = urllib.parse.urlsplit(url)[:2]
            if host in unreachable:
                attempts.append((url, "not tried: this mirror was unreachable (see above)"))
                continue
            progress.start(spec.name, url, spec.size)
            try:
                _fetch(url, spec, target, timeout, progress)
                break
            except _AttemptFailed as err:
                progress.finish(f"failed: {err.reason}")
                attempts.append((url, err.reason))
                if err.unreachable:
                    unreachable.add(host)
            except OSError as err:  # the cache itself failed (disk full, permissions): no mirror helps
                raise DatasetError(f"cannot write {target}: {err.strerror or err}") from None
        else:
            failures[spec.name] = attempts
    if failures:
        raise DownloadError(_failure_message(directory, files, failures))
    return directory


def _fetch(url, spec, target, timeout, progress):
    """Download one URL into `target` atomically, or raise _AttemptFailed saying why not."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    no_answer = f"timed out (no answer within {timeout:g} s)"
    try:
        response = _open(request, timeout)
    except urllib.error.HTTPError as err:
        err.close()
        raise _AttemptFailed(f"HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        reason = no_answer if isinstance(err.reason, TimeoutError) else _network_reason(err.reason, timeout)
        raise _AttemptFailed(reason, unreachable=True) from None
    except TimeoutError:  # the whole opening took too long, or the headers never came
        raise _AttemptFailed(no_answer, unreachable=True) from None
    except OSError as err:  # e.g. reset while waiting for the headers
        raise _AttemptFailed(_network_reason(err, timeout), unreachable=True) from None
    except http.client.HTTPException as err:  # not an HTTP server, or a garbled reply
        raise _AttemptFailed(f"bad HTTP response ({type(err).__name__}: {err})") from None

    with response:
        announced = response.headers.get("Content-Length")
        if announced is not None and announced.isdigit() and int(announced) != spec.size:
            raise _AttemptFailed(f"the server offers {int(announced):,} bytes, expected {spec.size:,}")
        fd, part = tempfile.mkstemp(dir=target.parent, prefix=f".{spec.name}.", suffix=".part")
        try:
            digest, received = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out:
                while True:
                    try:
                        chunk = response.read1(CHUNK)  # what has arrived; read() waits for all CHUNK
                    except (TimeoutError, OSError, http.client.HTTPException) as err:  # stalled, reset
                        reason = _network_reason(err, timeout)
                        raise _AttemptFailed(f"{reason} after {received:,} of {spec.size:,} bytes",
                                             unreachable=isinstance(err, TimeoutError)) from None
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > spec.size:
                        raise _AttemptFailed(f"the server sent more than the expected {spec.size:,} bytes")
                    out.write(chunk)
                    digest.update(chunk)
                    progress.update(received)
                out.flush()
                os.fsync(out.fileno())  # the bytes are on disk before the name points at them
            if received < spec.size:
                # http.client returns b"" (no error) when the connection closes early, so count.
                raise _AttemptFailed(f"truncated: the connection closed after {received:,} of {spec.size:,} "
                                     "bytes")
            problem = mismatch(spec, received, digest.hexdigest())
            if problem:
                raise _AttemptFailed(f"wrong content: {problem}")
            os.chmod(part, 0o644)  # mkstemp makes it owner-only; a cache may be shared
            os.replace(part, target)
            part = None
            progress.finish(f"{received:,} bytes, SHA-256 verified")
        finally:
            if part is not None:
                _unlink(part)


def _open(request, timeout):
    """urlopen(request), giving up with TimeoutError after `timeout` seconds in all.

    urlopen's own timeout bounds each socket wait, but not the DNS lookup (getaddrinfo has no
    timeout) nor the sum over a host's addresses (each gets the full timeout; mirrors have many).
    So urlopen runs in a helper thread that is abandoned if it has not answered in time.
    """
    lock = threading.Lock()
    outcome = {}

    def run():
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except BaseException as err:  # handed to the caller's thread below
            outcome.setdefault("error", err)
            return
        with lock:
            if "error" in outcome:  # too late: the caller has given up on us
                response.close()
            else:
                outcome["response"] = response

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    with lock:
        if not outcome:
            outcome["error"] = TimeoutError()
    if "response" in outcome:
        return outcome["response"]
    raise outcome["error"]


def _network_reason(err, timeout):
    """A short human reason for a low-level network error."""
    if isinstance(err, socket.gaierror):
        return f"cannot resolve the host name ({err.strerror or err})"
    if isinstance(err, TimeoutError):
        return f"timed out (no data for {timeout:g} s)"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


def _failure_message(directory, files, failures):
    lines = [f"could not download the MNIST training files into {directory}", ""]
    for name, attempts in failures.items():
        lines.append(f"{name}:")
        lines += [f"  {url}\n      -> {reason}" for url, reason in attempts]
    lines += [
        "",
        "To place the files by hand: on a machine with internet access, download the files listed",
        "above (any one URL per file), then copy them unchanged (still .gz) into this directory:",
        f"  {directory}",
        "Each must have this SHA-256 (check with `sha256sum FILE`, or save these lines as SHA256SUMS",
        "in that directory and run `sha256sum -c SHA256SUMS` there):",
    ]
    lines += [f"  {spec.sha256}  {spec.name}" for spec in files.values()]
    lines += [
        f"Then run `python -m dataset.mnist --download --dir {directory}`:",
        "it verifies them and downloads nothing that is already right. Meanwhile load_mnist()",
        '(the bundled 5,000 training digits) and load_mnist(source="auto") work offline.',
    ]
    return "\n".join(lines)


def _remove_stale_parts(directory, name):
    """Delete old .part files of `name` left by a killed run (young ones may belong to a live run)."""
    for part in directory.glob(f".{name}.*.part"):
        try:
            if time.time() - part.stat().st_mtime > STALE_PART_AGE:
                part.unlink()
        except OSError:
            pass


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
