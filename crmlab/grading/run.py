"""Grading a folder of submissions: the pool of workers and one row per submission.

The pool's processes (:mod:`crmlab.grading.workers`) start before any submission runs:

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
import os
import shutil
import signal
import stat
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from crmlab.grading import answers as _answers
from crmlab.grading import sandbox as _sandbox
from crmlab.grading.workers import (  # noqa: F401 - re-exported: the public API of run
    MAX_NOTEBOOK_BYTES,
    SCORE_TIMEOUT,
    GraderFailure,
    Pool,
    Runner,
    Scorer,
    Slot,
    cpu_count,
)


class Interrupted(Exception):  # noqa: N818 - it is what happened, not an error
    """Ctrl-C or SIGTERM: ``results`` holds the rows graded before it."""

    def __init__(self, results: list[dict], total: int):
        super().__init__(f"interrupted after {len(results)} of {total} submissions")
        self.results, self.total = results, total


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
    autograders: dict | None = None,
) -> list[dict]:
    """Grade ``items`` (label, path); rows in the order of ``items``, each a dict with
    ``file``, ``status``, ``scores`` (question -> points, possible points and per-test
    results), ``seconds`` and, with ``keep_answers``, ``answers`` (the encoded answer
    variables, see :mod:`crmlab.grading.answers`). Raises :class:`Interrupted` (with the
    rows done) on Ctrl-C. ``autograders`` (label -> autograder) grades some submissions
    with another autograder than ``ag`` (one variant per student, same questions)."""
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
            return grade_one((autograders or {}).get(label, ag), pool, slot, label, path, opts)
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
