"""Grading a folder of submissions: the pool of workers and one row per submission.

The pool's processes start before any submission runs:

* one **runner** per worker (:mod:`crmlab.grading.runner`), each inside its own bubblewrap
  sandbox, which forks one child per submission and never receives a test;
* one **scorer** (:mod:`crmlab.grading.scorer`) outside the sandboxes, shared by the
  workers, which runs the tests on the answers a submission left, in a child that never
  ran student code.

This process (the grader) reads the tests into memory, hands each submission to a free
worker (notebook, data and two answers files as file descriptors, cgroup descriptors where
available), enforces the wall-clock limit (on time-out it kills the worker's whole sandbox
and starts a new one), reads the answers defensively (:func:`crmlab.grading.answers.
newest_state`) and has them scored. Every failure, in the submission, the worker, the
reader or the scorer, becomes that submission's ``status``; the batch always finishes.
Ctrl-C (or SIGTERM) kills every worker and returns the rows graded so far
(:class:`Interrupted`); the temporary folder and the cgroups are removed on every path.
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
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from crmlab.grading import answers as _answers
from crmlab.grading import runner as _runner
from crmlab.grading import sandbox as _sandbox

MAX_NOTEBOOK_BYTES = _runner.MAX_NOTEBOOK_BYTES
SCORE_TIMEOUT = 120.0
_RUNNER_MAIN = "from crmlab.grading.runner import main; main()"
_SCORER_MAIN = "from crmlab.grading.scorer import main; main()"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # crmlab/


class GraderFailure(RuntimeError):
    """The grader's own machinery failed on one submission (becomes its status)."""


class Interrupted(Exception):  # noqa: N818 - it is what happened, not an error
    """Ctrl-C or SIGTERM: ``results`` holds the rows graded before it."""

    def __init__(self, results: list[dict], total: int):
        super().__init__(f"interrupted after {len(results)} of {total} submissions")
        self.results, self.total = results, total


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
        """The autograder's data files, written once per exercise (private to the grader)."""
        path = self.root / f"data-{ag.exercise}"
        with self._lock:
            if not path.exists():
                tmp = self.root / f".data-{ag.exercise}"
                tmp.mkdir(mode=0o700)
                for name, content in ag.data.items():
                    (tmp / name).write_bytes(content)
                tmp.rename(path)
        return path


# --- one submission --------------------------------------------------------------------------
def open_submission(path: Path) -> tuple[int | None, str | None]:
    """A descriptor of a submitted file, or None and why it is not a notebook we read: no
    symbolic links, no FIFOs or devices, at most 50 MB."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, f"invalid notebook (cannot be opened: {exc.strerror})"
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None, "invalid notebook (not a regular file)"
    if info.st_size > MAX_NOTEBOOK_BYTES:
        os.close(fd)
        return None, f"invalid notebook (over {MAX_NOTEBOOK_BYTES // 2**20} MB)"
    return fd, None


def _signal_name(code: int) -> str:
    if code < 0 and -code in signal.valid_signals():
        return signal.Signals(-code).name
    return ""


def status_of(msg: dict, state: dict, problem: str | None, *, oom: int = 0, pids_max=False):
    """The ``status`` column of a submission."""
    if msg.get("timed_out"):
        status = "timeout"
    elif state.get("status") == "invalid notebook":
        detail = state.get("detail")
        return "invalid notebook" + (f" ({detail[:120]})" if isinstance(detail, str) else "")
    elif msg.get("exit", 0) != 0:
        code = msg["exit"]
        name = _signal_name(code)
        how = f"killed by {name}" if name else f"exit code {code}"
        hint = {"SIGXCPU": ": CPU time limit", "SIGXFSZ": ": file size limit"}.get(name, "")
        if name == "SIGKILL" and oom:
            hint = ": memory limit"
        status = f"error: kernel died ({how}{hint})"
    elif problem:
        status = f"error: {problem}"
    else:
        reported = state.get("status")
        if isinstance(reported, str) and (reported == "ok" or reported.startswith("error: ")):
            status = reported[:200]
        else:
            status = "error: notebook stopped before the end"
    notes = []
    note = state.get("note")
    if isinstance(note, str) and note.strip():
        notes.append(note.strip().strip("()")[:80])
    if oom:
        notes.append(f"memory limit reached ({oom} process{'es' if oom > 1 else ''} killed)")
    if pids_max:
        notes.append("process limit reached")
    return status + (f" ({'; '.join(notes)})" if notes else "")


def grade_one(ag, pool: Pool, slot: Slot, label: str, path: Path, opts: dict) -> dict:
    """Grade one submission on one worker; never raises (failures become the status)."""
    t0 = time.perf_counter()
    row = {"file": label, "status": None, "scores": {}, "seconds": 0.0}
    answers: dict = {}
    try:
        slot.ensure()
        answers, row["status"] = _execute(ag, pool, slot, path, opts)
    except GraderFailure as exc:
        row["status"] = f"error: grader failure ({exc})"
        slot.restart_runner()
    except Exception as exc:  # noqa: BLE001 - any failure of the machinery is this row's status
        row["status"] = f"error: grader failure ({type(exc).__name__}: {exc})"[:200]
        slot.restart_runner()
    if opts.get("keep_answers"):
        row["answers"] = answers
    if ag.tests and not pool.stopping.is_set():
        try:
            scores = pool.score(ag.tests, answers, opts.get("score_timeout", SCORE_TIMEOUT))
        except Exception as exc:  # noqa: BLE001
            scores = None
            row["status"] = (row["status"] or "ok") + f"; scoring failed ({type(exc).__name__})"
        else:
            if scores is None:
                row["status"] = (row["status"] or "ok") + "; scoring failed"
        row["scores"] = scores or {}
    row["seconds"] = time.perf_counter() - t0
    return row


def _execute(ag, pool: Pool, slot: Slot, path: Path, opts: dict) -> tuple[dict, str]:
    fd, invalid = open_submission(path)
    if invalid:
        return {}, invalid
    job = pool.job_dir()
    fds: list[int] = [fd]
    cg = None
    try:
        answer_paths = [job / "answers-a.json", job / "answers-b.json"]
        for p in answer_paths:
            fds.append(os.open(p, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
        data_dir = pool.data_dir(ag)
        names = sorted(ag.data)
        fds += [os.open(data_dir / n, os.O_RDONLY | os.O_CLOEXEC) for n in names]
        if pool.iso.cgroups is not None:
            # + 2: the submission's first process and its PID 1, which run no student code
            cg = pool.iso.cgroups.new_job(opts["memory_mb"], opts["max_procs"] + 2)
            fds += cg.open_procs()
        workdir = job / "work"
        workdir.mkdir(mode=0o700)
        req = {
            "op": "execute",
            "notebook": f"{ag.exercise}.ipynb",
            "data": names,
            "names": ag.names,
            "disk_mb": opts["disk_mb"],
            "workdir": str(workdir),
            "limits": {
                "memory_mb": opts["memory_mb"],
                "cpu_seconds": opts["timeout"] + 5,
                "file_mb": opts["file_mb"],
                "max_files": 512,
                "max_procs": opts["max_procs"],
            },
        }
        try:
            msg = slot.runner.execute(req, fds, opts["timeout"])
        finally:
            for f in fds:
                with contextlib.suppress(OSError):
                    os.close(f)
            fds = []
        oom = cg.oom_kills() if cg is not None else 0
        pids_max = cg.max_tasks_hit() if cg is not None else False
        if not pool.iso.sandboxed:  # no PID namespace: end what it left in its group
            with contextlib.suppress(OSError):
                os.killpg(msg["pid"], signal.SIGKILL)
        if msg["timed_out"]:
            slot.restart_runner()  # kills the sandbox and everything in it
            if cg is not None:
                cg.kill_and_remove()
        state, problem = _answers.newest_state(answer_paths)
        status = status_of(msg, state, problem, oom=oom, pids_max=pids_max)
        answers = state.get("answers") if isinstance(state.get("answers"), dict) else {}
        return answers, status
    finally:
        for f in fds:
            with contextlib.suppress(OSError):
                os.close(f)
        if cg is not None:
            cg.kill_and_remove()
        shutil.rmtree(job, ignore_errors=True)


def grade_items(
    ag,
    items: list[tuple[str, Path]],
    *,
    iso: _sandbox.Isolation,
    workers: int | None = None,
    timeout: float = 120,
    memory_mb: int = 2048,
    disk_mb: int = 256,
    max_procs: int = 64,
    file_mb: int = 64,
    pool: Pool | None = None,
    hidden: list[Path] = (),
    progress=None,
    keep_answers: bool = False,
) -> list[dict]:
    """Grade ``items`` (label, path); rows in the order of ``items``, each a dict with
    ``file``, ``status``, ``scores`` (question -> points, possible points and per-test
    results), ``seconds`` and, with ``keep_answers``, ``answers`` (the encoded answer
    variables, see :mod:`crmlab.grading.answers`). Raises :class:`Interrupted` (with the
    rows done) on Ctrl-C."""
    if not items:
        return []
    workers = max(1, min(workers or cpu_count(), len(items)))
    opts = {
        "timeout": timeout,
        "memory_mb": memory_mb,
        "disk_mb": disk_mb,
        "max_procs": max_procs,
        "file_mb": file_mb,
        "keep_answers": keep_answers,
    }
    owned = pool is None
    if owned:
        try:
            pool = Pool(workers, iso, hidden)
        except KeyboardInterrupt:  # Ctrl-C while the workers start (Pool cleaned up)
            raise Interrupted([], len(items)) from None
    free: list[Slot] = list(pool.slots)
    free_lock = threading.Lock()
    results: dict[int, dict] = {}
    t0 = time.monotonic()

    def job(index: int, label: str, path: Path) -> dict:
        with free_lock:
            slot = free.pop()
        try:
            return grade_one(ag, pool, slot, label, path, opts)
        finally:
            with free_lock:
                free.append(slot)

    ex = ThreadPoolExecutor(len(pool.slots))
    futures = {ex.submit(job, i, label, path): i for i, (label, path) in enumerate(items)}
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                results[futures[fut]] = row = fut.result()
                if progress:
                    progress(row, len(results), len(items), time.monotonic() - t0)
    except BaseException as exc:  # Ctrl-C (SIGTERM too, see cli): stop everything now
        pool.kill_all()
        ex.shutdown(wait=True, cancel_futures=True)
        if owned:
            pool.close(kill=True)
        if isinstance(exc, KeyboardInterrupt):
            raise Interrupted([results[i] for i in sorted(results)], len(items)) from None
        raise
    ex.shutdown(wait=True)
    if owned:
        pool.close()
    return [results[i] for i in range(len(items))]


def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """Every ``*.ipynb`` under ``folder`` (subfolders too, hidden folders such as
    ``.ipynb_checkpoints`` skipped, symbolic links to folders not followed). Files that
    are not regular files are listed too: they get the status ``invalid notebook``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"submissions folder {folder} does not exist or is not a folder.")
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".ipynb") and not name.startswith("."):
                path = Path(dirpath) / name
                found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


# --- the public entry point --------------------------------------------------------------------
class NoSubmissions(ValueError):
    """The submissions folder holds no notebook."""


def prepare(
    exercise: str,
    submissions: str | Path,
    *,
    sandbox: bool | None = True,
    cgroups: bool = True,
    build_dir: Path | None = None,
    log=None,
):
    """Check everything before grading starts, in this order: the exercise name, the
    submissions folder (it must hold at least one ``.ipynb``), the isolation (see
    :func:`crmlab.grading.sandbox.choose`), then the autograder (built if missing or out of
    date). Returns ``(autograder, items, isolation)``."""
    from crmlab.grading import build

    name = build.resolve(exercise)
    items = find_submissions(Path(submissions))
    if not items:
        raise NoSubmissions(f"no .ipynb files in {submissions}: nothing to grade.")
    iso = _sandbox.choose(sandbox, cgroups=cgroups)
    ag = build.load_autograder(name, build_dir=build_dir, log=log)
    return ag, items, iso


def grade(
    exercise: str,
    submissions: str | Path,
    *,
    workers: int | None = None,
    timeout: float = 120,
    memory_mb: int = 2048,
    disk_mb: int = 256,
    max_procs: int = 64,
    build_dir: Path | None = None,
    sandbox: bool | None = True,
    cgroups: bool = True,
    progress=None,
    details: bool = False,
):
    """Grade every ``.ipynb`` under ``submissions`` (any names, subfolders included).

    Parameters
    ----------
    exercise : str
        Exercise name or number; its autograder is built first if missing or stale.
    submissions : path
        Folder of submitted notebooks (hidden folders such as ``.ipynb_checkpoints``
        are skipped). It must hold at least one notebook (:class:`NoSubmissions`).
    workers : int, optional
        Submissions graded at once (default: one per core).
    timeout : float
        Wall-clock limit per submission in seconds (default 120).
    memory_mb : int
        Memory a submission may use: in total over its processes where cgroups are
        available, per process otherwise (default 2048).
    disk_mb : int
        Size of the submission's private tmpfs (``/tmp``, working folder, ``/dev/shm``).
    max_procs : int
        Processes (and threads) a submission may run at once (default 64).
    sandbox : bool or None
        True (default): isolate every submission with bubblewrap, or raise
        :class:`crmlab.grading.sandbox.IsolationError` where that is impossible. False: no
        isolation (limits and time-outs only). None: isolate where possible.
    cgroups : bool
        Use per-submission cgroups where the machine allows (default).
    progress : callable, optional
        Called as ``progress(row, done, total, seconds)`` after each submission, in
        completion order.
    details : bool
        Also return the per-test results (for feedback) and the isolation used.

    Returns
    -------
    pandas.DataFrame
        One row per submission: ``file``, one column per autograded question, empty
        ``(manual)`` columns for manually graded questions, ``total``, ``possible`` and
        ``status``. With ``details=True``: ``(frame, results, autograder, isolation)``.
    """
    from crmlab.grading import gradebook

    ag, items, iso = prepare(
        exercise, submissions, sandbox=sandbox, cgroups=cgroups, build_dir=build_dir
    )
    from crmlab.grading import build

    results = grade_items(
        ag,
        items,
        iso=iso,
        workers=workers,
        timeout=timeout,
        memory_mb=memory_mb,
        disk_mb=disk_mb,
        max_procs=max_procs,
        hidden=[Path(build_dir or build.default_build_dir()), Path(submissions)],
        progress=progress,
    )
    frame = gradebook.gradebook_frame(ag, results)
    return (frame, results, ag, iso) if details else frame
