"""The processes behind a grading pool: runners (in sandboxes), the scorer, and the pool.

* :class:`Runner`: one runner process (:mod:`crmlab.grading.runner`) inside its own
  bubblewrap sandbox, which forks one child per submission and never receives a test;
* :class:`Scorer`: the scorer (:mod:`crmlab.grading.scorer`) outside the sandboxes, shared
  by the workers, which runs the tests on the answers a submission left;
* :class:`Pool` of :class:`Slot`: the workers started before any submission runs, and
  restarted after a time-out.

:mod:`crmlab.grading.run` hands submissions to them (and re-exports these names).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from crmlab.grading import runner as _runner
from crmlab.grading import sandbox as _sandbox

MAX_NOTEBOOK_BYTES = _runner.MAX_NOTEBOOK_BYTES
SCORE_TIMEOUT = 120.0
_RUNNER_MAIN = "from crmlab.grading.runner import main; main()"
_SCORER_MAIN = "from crmlab.grading.scorer import main; main()"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # crmlab/


class GraderFailure(RuntimeError):
    """The grader's own machinery failed on one submission (becomes its status)."""


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _base_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "VIRTUAL_ENV", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update(
        {
            "PYTHONPATH": str(_PACKAGE_DIR.parent),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    return env


class _Spawner:
    """Starts every worker process from one long-lived thread.

    ``bwrap --die-with-parent`` uses the parent-death signal, which Linux sends when the
    *thread* that started the process ends, not the process: a sandbox started from a
    short-lived pool thread would be killed with that thread. This daemon thread lives as
    long as the grader."""

    def __init__(self):
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def popen(self, *args, **kwargs) -> subprocess.Popen:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="crmlab-grade-spawner", daemon=True
                )
                self._thread.start()
        box: dict = {}
        done = threading.Event()
        self._queue.put((args, kwargs, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["proc"]

    def _loop(self) -> None:
        while True:
            args, kwargs, box, done = self._queue.get()
            try:
                box["proc"] = subprocess.Popen(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                box["error"] = exc
            finally:
                done.set()


_SPAWNER = _Spawner()


def _memfd(name: str, text: str) -> int:
    fd = os.memfd_create(name, 0)
    os.write(fd, text.encode())
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


# --- one runner ----------------------------------------------------------------------------
class Runner:
    """One runner process (in its sandbox) and its socket."""

    def __init__(self, iso: _sandbox.Isolation, root: Path, paths: list[str], staged: dict):
        self.iso, self.root, self.paths, self.staged = iso, root, paths, staged
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.log = None
        self.spawn()

    def spawn(self) -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = _base_env()
        env.update({"CRMLAB_RUNNER_FD": str(child.fileno()), "HOME": "/tmp"})
        self.log = tempfile.TemporaryFile(dir=self.root)
        data_fds: dict[str, int] = {}
        try:
            if self.iso.sandboxed:
                uid = _sandbox.SANDBOX_UID
                env["CRMLAB_RUNNER_MODE"] = "sandbox"
                env["CRMLAB_RUNNER_KEEP"] = json.dumps(self.paths)
                data_fds = {
                    "/etc/passwd": _memfd(
                        "passwd",
                        f"nobody:x:{uid}:{uid}:nobody:{_sandbox.WORKDIR}/.home:/usr/sbin/nologin\n",
                    ),
                    "/etc/group": _memfd("group", f"nogroup:x:{uid}:\n"),
                }
                cmd = _sandbox.bwrap_command(
                    self.iso,
                    python=sys.executable,
                    paths=self.paths,
                    env=env,
                    data_fds=data_fds,
                    sources=self.staged,
                ) + ["-c", _RUNNER_MAIN]
                if self.iso.as_root:  # bwrap runs as uid 65534, after the staging mounts
                    cmd = _sandbox.launcher_command(cmd, self.staged)
                popen_env = {"PATH": env["PATH"]}
            else:
                env["CRMLAB_RUNNER_MODE"] = "plain"
                cmd = [sys.executable, "-c", _RUNNER_MAIN]
                popen_env = env
            self.proc = _SPAWNER.popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=self.log,
                env=popen_env,
                cwd="/" if self.iso.sandboxed else self.root,
                pass_fds=[child.fileno(), *data_fds.values()],
                start_new_session=True,
            )
        finally:
            child.close()
            for fd in data_fds.values():
                os.close(fd)
        self.sock = parent

    def wait_ready(self) -> None:
        try:
            msg = self._recv(time.monotonic() + 300)
        except EOFError:
            msg = None
        if msg is None or not msg.get("ready"):
            tail = self.log_tail()
            self.kill()
            raise _sandbox.IsolationError(
                "the grading worker did not start"
                + (" in its bubblewrap sandbox" if self.iso.sandboxed else "")
                + (f":\n{tail}" if tail else ".")
                + _hint(tail)
            )
        if msg.get("problem"):
            self.kill()
            raise _sandbox.IsolationError(
                f"the sandbox does not work here: {msg['problem']}" + _hint(msg["problem"])
            )

    def log_tail(self) -> str:
        try:
            self.log.seek(0)
            return self.log.read().decode("utf-8", "replace")[-2000:].strip()
        except (OSError, ValueError):
            return ""

    def _recv(self, deadline: float) -> dict | None:
        """Next message, or None at the deadline; EOFError if the runner is gone."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], min(remaining, 1.0))
            if ready:
                msg, fds = _runner.recv(self.sock)
                for fd in fds:
                    os.close(fd)
                if msg is None:
                    raise EOFError("the grading worker exited")
                return msg
            if self.proc.poll() is not None:
                raise EOFError("the grading worker exited")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def execute(self, req: dict, fds: list[int], timeout: float) -> dict:
        _runner.send(self.sock, req, fds)
        started = self._recv(time.monotonic() + 120)
        if started is None or "started" not in started:
            raise GraderFailure("the worker did not start the submission")
        t0 = time.monotonic()
        msg = self._recv(t0 + timeout)
        pid = started["started"]
        if msg is None:
            return {"timed_out": True, "pid": pid, "seconds": timeout}
        return {
            "timed_out": False,
            "pid": pid,
            "exit": msg["exit"],
            "seconds": time.monotonic() - t0,
        }

    def kill(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self.proc.kill()
            with contextlib.suppress(Exception):
                self.proc.wait(timeout=30)
        self._close_handles()

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_handles()

    def _close_handles(self) -> None:
        for handle in (self.sock, self.log):
            with contextlib.suppress(Exception):
                handle.close()


def _hint(text: str) -> str:
    low = (text or "").lower()
    if "uid map" in low or "user namespace" in low or "operation not permitted" in low:
        return (
            "\nbubblewrap needs unprivileged user namespaces (sysctl "
            "kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0; on Ubuntu 24.04 "
            "also an AppArmor profile for bwrap or kernel.apparmor_restrict_unprivileged_userns"
            "=0)."
        )
    if "permission denied" in low or "can't find source path" in low:
        return (
            f"\nthe sandbox user (uid {_sandbox.SANDBOX_UID}) must be able to read the Python "
            "installation and the crmlab package: keep them in world-readable folders."
        )
    return ""


# --- one scorer ----------------------------------------------------------------------------
class Scorer:
    """One scorer process (a fork server) and its line protocol."""

    def __init__(self, root: Path):
        self.root = root
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.spawn()

    def spawn(self) -> None:
        env = _base_env()
        env["HOME"] = str(self.root)
        self.log = tempfile.TemporaryFile(dir=self.root)
        self.proc = _SPAWNER.popen(
            [sys.executable, "-c", _SCORER_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            cwd="/",
            start_new_session=True,
        )
        self._buf = b""

    def wait_ready(self) -> None:
        try:
            msg = self._read(time.monotonic() + 300)
        except EOFError:
            msg = None
        if not msg or not msg.get("ready"):
            self.log.seek(0)
            tail = self.log.read().decode("utf-8", "replace")[-2000:]
            self.kill()
            raise GraderFailure("the scorer did not start:\n" + tail)

    def _read(self, deadline: float) -> dict | None:
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise EOFError("the scorer exited")
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def score(self, tests: dict[str, str], answers: dict, timeout: float) -> dict | None:
        """Scores per question, or None if scoring failed or timed out."""
        request = {
            "tests": tests,
            "answers": json.dumps(answers),
            "memory_mb": 4096,
            "cpu_seconds": timeout + 5,
        }
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        started = self._read(time.monotonic() + 60)
        if started is None:
            raise EOFError("the scorer does not answer")
        msg = self._read(time.monotonic() + timeout)
        if msg is None:
            with contextlib.suppress(OSError):
                os.killpg(started["pid"], signal.SIGKILL)
            if self._read(time.monotonic() + 30) is None:
                raise EOFError("the scorer does not answer")
            return None
        if msg["exit"] != 0:
            return None
        try:
            result = json.loads(msg["result"] or "{}")
        except ValueError:
            return None
        return result if isinstance(result, dict) and result else None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=30)
        self._close_handles()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self._close_handles()

    def _close_handles(self) -> None:
        for handle in (self.proc.stdin, self.proc.stdout, self.log):
            with contextlib.suppress(Exception):
                handle.close()


# --- the pool ------------------------------------------------------------------------------
class Slot:
    """One worker: a runner, used by one thread at a time."""

    def __init__(self, pool: Pool, index: int):
        self.pool, self.index = pool, index  # index: for debugging
        self.runner: Runner | None = None

    def spawn(self) -> bool:
        """Start a runner if there is none alive; True if one was started."""
        if self.pool.stopping.is_set():
            raise GraderFailure("interrupted")
        if self.runner is not None and self.runner.alive():
            return False
        if self.runner is not None:
            self.runner.kill()
        self.runner = Runner(self.pool.iso, self.pool.root, self.pool.paths, self.pool.staged)
        return True

    def ensure(self) -> None:
        if self.spawn():
            self.runner.wait_ready()

    def restart_runner(self) -> None:
        if self.runner is not None:
            self.runner.kill()
            self.runner = None

    def close(self, kill: bool = False) -> None:
        if self.runner is not None:
            self.runner.kill() if kill else self.runner.close()


class Pool:
    """``workers`` slots and a private temporary folder; a context manager that removes the
    folder, the cgroups and every process on exit."""

    def __init__(self, workers: int, iso: _sandbox.Isolation, hidden: list[Path] = ()):
        self.iso = iso
        self.root = Path(tempfile.mkdtemp(prefix="crmlab-grade-"))
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._n = 0
        self.slots: list[Slot] = []
        self.scorer = None
        try:
            self.paths = (
                _sandbox.visible_paths(_PACKAGE_DIR, [*hidden, self.root]) if iso.sandboxed else []
            )
            self.staged: dict[str, str] = {}
            if iso.sandboxed and iso.as_root:  # mount points uid 65534 can reach
                self.staged = _sandbox.staging(self.paths)
            if iso.cgroups is not None:
                iso.cgroups.setup()
            self.slots = [Slot(self, i) for i in range(workers)]
            self.scorer: Scorer | None = Scorer(self.root)
            for slot in self.slots:  # all start at once: each imports pandas, otter...
                slot.spawn()
            for slot in self.slots:
                slot.runner.wait_ready()
            self.scorer.wait_ready()
        except BaseException:
            self.close(kill=True)
            raise

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close(kill=exc[0] is not None)

    def close(self, kill: bool = False) -> None:
        for slot in self.slots:
            with contextlib.suppress(Exception):
                slot.close(kill=kill)
        if self.scorer is not None:
            with contextlib.suppress(Exception):
                self.scorer.kill() if kill else self.scorer.close()
        if self.iso.cgroups is not None:
            self.iso.cgroups.remove()
        shutil.rmtree(self.root, ignore_errors=True)

    def kill_all(self) -> None:
        """Ctrl-C: stop every process now (threads waiting on them see EOF)."""
        self.stopping.set()
        for proc in [*(slot.runner for slot in self.slots), self.scorer]:
            if proc is not None and proc.proc is not None:
                with contextlib.suppress(OSError):
                    os.killpg(proc.proc.pid, signal.SIGKILL)

    def score(self, tests: dict, answers: dict, timeout: float) -> dict | None:
        """Score with the shared scorer (one request at a time; restarted if it fails)."""
        with self.scorer.lock:
            if self.stopping.is_set():
                raise GraderFailure("interrupted")
            if self.scorer.proc.poll() is not None:
                self.scorer.kill()
                fresh = Scorer(self.root)
                fresh.lock = self.scorer.lock
                fresh.wait_ready()
                self.scorer = fresh
            try:
                return self.scorer.score(tests, answers, timeout)
            except Exception:
                self.scorer.kill()  # restarted at the next request
                raise

    def job_dir(self) -> Path:
        with self._lock:
            self._n += 1
            path = self.root / f"job{self._n:05d}"
        path.mkdir(mode=0o700)
        return path

    def data_dir(self, ag) -> Path:
        """The autograder's data files, written once per exercise and data (private to the
        grader): one folder per variant when students have their own (``--per-student``)."""
        import hashlib

        digest = hashlib.sha256()
        for name in sorted(ag.data):
            digest.update(name.encode() + b"\0" + hashlib.sha256(ag.data[name]).digest())
        label = f"{ag.exercise}-{digest.hexdigest()[:16]}"
        path = self.root / f"data-{label}"
        with self._lock:
            if not path.exists():
                tmp = self.root / f".data-{label}"
                tmp.mkdir(mode=0o700)
                for name, content in ag.data.items():
                    (tmp / name).write_bytes(content)
                tmp.rename(path)
        return path
