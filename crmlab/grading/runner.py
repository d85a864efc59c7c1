"""The process that runs submissions: one small fork server per worker.

``crmlab grade`` starts one per worker, inside that worker's bubblewrap sandbox (see
:mod:`crmlab.grading.sandbox`), before it reads any test, and never sends it one: it gets
only the names of the answer variables. It imports the heavy libraries once (pandas,
IPython, otter: about a second) and marks itself non-dumpable (student processes cannot
trace it or read its memory), then serves requests on a Unix socket, each a JSON message
with file descriptors attached:

``execute``
    Fork a child for one submission. The child joins the submission's cgroups (writing
    ``0`` to the ``cgroup.procs`` descriptors the grader opened), enters new mount and PID
    namespaces with a size-capped tmpfs for ``/tmp``, ``/work`` and ``/dev/shm``, and forks
    PID 1 of that namespace (a reaper: when it ends, everything the submission started
    dies). PID 1 forks the process that runs the notebook: it copies the notebook and its
    data from the descriptors into ``/work``, drops every capability, sets the resource
    limits, and runs the code cells in an IPython shell, going on after a cell raises (as
    ``otter run`` does). After every cell the answer variables are written as plain data
    (:func:`crmlab.grading.answers.encode`) to one of two answers files (descriptors, in
    turn, with a sequence number): a submission that hangs or kills itself keeps the
    answers it had.

Replies: ``{"started": pid}`` once the child exists and ``{"exit": code}`` once it is gone
(a negative code is a signal). The grader enforces the wall-clock limit by killing the
whole sandbox. Without a sandbox (``--no-sandbox``) the same code runs without namespaces
in a working folder the grader made.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys

from crmlab.grading import answers as _answers
from crmlab.grading import sandbox as _sandbox

MAX_NOTEBOOK_BYTES = 50 * 2**20
_KEEP: list[str] = []  # the sandbox's read-only folders (see enter_job_namespaces)
_BOM = b"\xef\xbb\xbf"


# --- the protocol ----------------------------------------------------------------------
# A Unix stream socket; each message is an 8-byte length (with the file descriptors
# attached to it) followed by that many bytes of JSON. Stream sockets pass descriptors on
# Linux and macOS alike.
def send(sock: socket.socket, obj: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(obj).encode()
    header = struct.pack("!Q", len(data))
    if fds:
        socket.send_fds(sock, [header], fds)
    else:
        sock.sendall(header)
    sock.sendall(data)


def _exactly(sock: socket.socket, n: int) -> bytes | None:
    chunks, size = [], 0
    while size < n:
        chunk = sock.recv(min(n - size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket, maxfds: int = 64) -> tuple[dict | None, list[int]]:
    """One message and the descriptors that came with it; ``(None, [])`` at EOF."""
    header, fds, _flags, _addr = socket.recv_fds(sock, 8, maxfds)
    fds = list(fds)
    if header and len(header) < 8:
        header += _exactly(sock, 8 - len(header)) or b""
    data = _exactly(sock, struct.unpack("!Q", header)[0]) if len(header) == 8 else None
    if data is None:
        for fd in fds:
            os.close(fd)
        return None, []
    return json.loads(data), fds


# --- the server --------------------------------------------------------------------------
@contextlib.contextmanager
def without_rfc3987():
    """Import otter faster: jsonschema (imported by nbformat, imported by otter) imports
    the optional ``rfc3987_syntax``, which compiles a grammar on import (2.7 s of otter's
    3.4 s import) for a format check nbformat never uses. Inside this block that import
    fails quietly; afterwards the module can be imported normally."""
    blocked = "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None
    try:
        yield
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


def _preload() -> None:
    with without_rfc3987():
        import IPython.core.interactiveshell  # noqa: F401
        import nbformat  # noqa: F401
        import numpy  # noqa: F401
        import otter  # noqa: F401
        import pandas  # noqa: F401


def _probe() -> str | None:
    """In the sandbox: can a child enter per-submission namespaces and drop every
    capability, and is making a user namespace refused? None if so, else why not."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            _sandbox.enter_job_namespaces(1, _KEEP)
            inner = os.fork()
            if inner == 0:
                _sandbox.drop_capabilities()
                import ctypes

                if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) == 0:
                    raise OSError("a user namespace could be created inside the sandbox")
                os._exit(0)
            _, status = os.waitpid(inner, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise OSError(f"dropping capabilities failed ({status})")
            os._exit(0)
        except BaseException as exc:  # noqa: BLE001 - reported to the grader
            os.write(wfd, str(exc).encode()[:500])
            os._exit(1)
    os.close(wfd)
    why = b""
    while chunk := os.read(rfd, 4096):
        why += chunk
    os.close(rfd)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        return None
    return why.decode("utf-8", "replace") or f"probe exited with {status}"


def main() -> None:
    """Entry point: ``python -c "from crmlab.grading.runner import main; main()"`` with
    ``CRMLAB_RUNNER_FD`` (the socket) and ``CRMLAB_RUNNER_MODE`` (``sandbox``/``plain``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader decides when we stop
    sock = socket.socket(fileno=int(os.environ.pop("CRMLAB_RUNNER_FD")))
    sandboxed = os.environ.pop("CRMLAB_RUNNER_MODE", "plain") == "sandbox"
    global _KEEP
    _KEEP = json.loads(os.environ.pop("CRMLAB_RUNNER_KEEP", "[]"))
    _sandbox.set_dumpable(False)
    _preload()
    problem = _probe() if sandboxed else None
    send(sock, {"ready": True, "pid": os.getpid(), "problem": problem})
    if problem:
        return
    while True:
        req, fds = recv(sock)
        if req is None or req.get("op") != "execute":
            for fd in fds:
                os.close(fd)
            break
        pid = os.fork()
        if pid == 0:  # never returns
            try:
                sock.close()
                _job(req, fds, sandboxed)
            finally:
                os._exit(70)
        for fd in fds:
            os.close(fd)
        send(sock, {"started": pid})
        _, status = os.waitpid(pid, 0)
        send(sock, {"exit": os.waitstatus_to_exitcode(status)})


# --- one submission ------------------------------------------------------------------------
def _exit_like(status: int) -> None:
    """End this process the way a child ended (``status`` from ``waitpid``); a process that
    is not PID 1 re-raises the child's signal, PID 1 (which cannot) exits 128 + signal."""
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    code = os.waitstatus_to_exitcode(status)
    if sig is None and os.getpid() != 1 and code > 128 and code - 128 in signal.valid_signals():
        sig = code - 128  # PID 1 below reported a signal
    if sig is not None:
        if os.getpid() == 1:
            os._exit(128 + sig)
        with contextlib.suppress(OSError, ValueError):  # SIGKILL and SIGSTOP cannot be set
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [sig])
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)  # a signal that does not end a process (e.g. SIGCHLD)
    os._exit(code)


def _job(req: dict, fds: list[int], sandboxed: bool) -> None:
    os.setsid()
    _sandbox.die_with_parent()
    n_data = len(req["data"])
    notebook_fd, answer_fds = fds[0], fds[1:3]
    data_fds, cgroup_fds = fds[3 : 3 + n_data], fds[3 + n_data :]
    for fd in cgroup_fds:  # from here on, everything this submission starts is capped
        os.write(fd, b"0")
        os.close(fd)
    own = [notebook_fd, *answer_fds, *data_fds]
    if sandboxed:
        _sandbox.enter_job_namespaces(req["disk_mb"], _KEEP)
        pid1 = os.fork()
        if pid1:
            for fd in own:
                os.close(fd)
            _, status = os.waitpid(pid1, 0)
            _exit_like(status)
        # PID 1 of the submission: reap orphans until the notebook process ends
        runner = os.fork()
        if runner:
            for fd in own:
                os.close(fd)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            while True:
                try:
                    pid, status = os.wait()
                except ChildProcessError:
                    os._exit(70)
                if pid == runner:
                    _exit_like(status)
    else:
        os.chdir(req["workdir"])
    _run(req, notebook_fd, answer_fds, data_fds, sandboxed)


def _copy_in(fd: int, name: str, cap: int) -> bytes | None:
    """Read a descriptor (at most ``cap`` bytes) and write it to ``name``; None if larger."""
    chunks, size = [], 0
    while size <= cap:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    os.close(fd)
    if size > cap:
        return None
    return b"".join(chunks)


class _StateWriter:
    """Writes the state to two descriptors in turn, each with a sequence number."""

    def __init__(self, fds: list[int]):
        self.fds, self.seq, self.last = fds, 0, None

    def write(self, state: dict) -> None:
        text = json.dumps(state, allow_nan=True)
        if text == self.last:
            return
        self.seq += 1
        data = json.dumps({**state, "seq": self.seq}, allow_nan=True).encode()
        fd = self.fds[self.seq % 2]
        try:
            os.ftruncate(fd, 0)
            view = memoryview(data)
            offset = 0
            while offset < len(data):
                offset += os.pwrite(fd, view[offset:], offset)
        except OSError:
            return  # a full or over-sized answers file: the other one holds the last state
        self.last = text


def _snapshot(namespace: dict, names: list[str]) -> dict:
    out = {}
    for name in names:
        if name in namespace:
            try:
                out[name] = _answers.encode(namespace[name])
            except _answers._TooBig as exc:
                out[name] = {"__unsupported__": f"too large ({exc})"}
            except Exception as exc:  # noqa: BLE001 - student objects may do anything
                out[name] = {"__unsupported__": f"{type(exc).__name__} while reading"}
    return out


def _short_error(exc: BaseException, cell: int) -> str:
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__} in cell {cell}" + (f": {message}" if message else "")
    return text if len(text) <= 160 else text[:157] + "..."


def _set_env(workdir: str) -> None:
    home = os.path.join(workdir, ".home")
    os.makedirs(home, exist_ok=True)
    for key in list(os.environ):
        if key.startswith(("JPY_", "JUPYTER_", "CRMLAB_")):
            del os.environ[key]
    os.environ.update(
        {
            "HOME": home,
            "TMPDIR": "/tmp" if workdir == _sandbox.WORKDIR else home,
            "MPLCONFIGDIR": os.path.join(home, "mpl"),
            "IPYTHONDIR": os.path.join(home, "ipython"),
            "XDG_CACHE_HOME": home,
            "XDG_CONFIG_HOME": home,
            "MPLBACKEND": "Agg",
        }
    )
    import tempfile

    tempfile.tempdir = None


def _run(req: dict, notebook_fd: int, answer_fds: list[int], data_fds: list[int], sandboxed):
    """The process that runs student code (never returns)."""
    raw = _copy_in(notebook_fd, req["notebook"], MAX_NOTEBOOK_BYTES)
    note = ""
    if raw is not None and raw.startswith(_BOM):
        raw, note = raw[len(_BOM) :], " (UTF-8 byte-order mark removed)"
    if raw is not None:
        with open(req["notebook"], "wb") as fh:
            fh.write(raw)
    for name, fd in zip(req["data"], data_fds, strict=True):
        content = _copy_in(fd, name, MAX_NOTEBOOK_BYTES)
        with open(name, "wb") as fh:
            fh.write(content or b"")
    _set_env(os.getcwd())
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    keep = sorted(answer_fds)
    os.closerange(3, keep[0])
    os.closerange(keep[0] + 1, keep[1])
    os.closerange(keep[1] + 1, 65536)
    if sandboxed:
        _sandbox.drop_capabilities()
    _sandbox.set_dumpable(True)  # its own /proc entries behave normally
    limits = req["limits"]
    _sandbox.set_limits(
        memory_mb=limits.get("memory_mb"),
        cpu_seconds=limits.get("cpu_seconds"),
        file_mb=limits.get("file_mb"),
        max_files=limits.get("max_files"),
        max_procs=limits.get("max_procs"),
    )
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-sized write fails, not the kernel
    writer = _StateWriter(answer_fds)
    state = {"status": "running", "answers": {}, "cells_run": 0, "note": note}
    writer.write(state)
    try:
        if raw is None:
            raise ValueError("notebook too large")
        import nbformat

        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        sources = [c.source for c in nb.cells if c.cell_type == "code"]
        if not all(isinstance(s, str) for s in sources):
            raise ValueError("cell source is not text")
    except Exception as exc:  # noqa: BLE001 - anything that is not a readable notebook
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
        writer.write({**state, "status": "invalid notebook", "detail": detail})
        os._exit(0)
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    shell = InteractiveShell.instance(config=config)
    names = list(req["names"])
    first_error = None
    for k, source in enumerate(sources, start=1):
        result = shell.run_cell(source, store_history=False)
        err = result.error_before_exec or result.error_in_exec
        if err is not None and first_error is None:
            first_error = _short_error(err, k)
        state = {
            "status": "running",
            "answers": _snapshot(shell.user_ns, names),
            "cells_run": k,
            "first_error": first_error,
            "note": note,
        }
        writer.write(state)
    state["status"] = "ok" if first_error is None else f"error: {first_error}"
    writer.write(state)
    os._exit(0)


if __name__ == "__main__":
    main()
