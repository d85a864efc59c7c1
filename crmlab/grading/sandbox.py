"""Isolation for ``crmlab grade``: bubblewrap, per-submission namespaces, cgroups, limits.

Host side (the grading process):

* :func:`choose` decides how submissions run: in a `bubblewrap
  <https://github.com/containers/bubblewrap>`_ sandbox (the sandbox Flatpak uses) where
  ``bwrap`` is installed and works, otherwise nowhere unless isolation is turned off
  explicitly (``--no-sandbox``). It returns an :class:`Isolation` whose ``describe()`` is
  the line ``crmlab grade`` prints at start.
* :func:`bwrap_command` builds one worker's sandbox: every namespace unshared (user, PID,
  network, IPC, UTS, cgroup), a fresh ``/proc`` (``/proc/sys`` read-only), a minimal
  ``/dev``, no ``/sys``, read-only system folders, the Python installation and the
  ``crmlab`` package (never the repository, the autograders or the submissions), a
  read-only root, ``--die-with-parent``, ``--new-session``, ``--disable-userns`` and uid
  65534. As root, ``bwrap`` itself is started as uid 65534, so that the sandbox's user is
  not root on the host and ``RLIMIT_NPROC`` binds.
* :class:`Cgroups` gives each submission its own memory and process caps (cgroup v1
  ``memory`` + ``pids`` or cgroup v2) where the machine lets this process create cgroups;
  elsewhere the per-process resource limits are the fallback (:func:`choose` says so).

Sandbox side (the runner, :mod:`crmlab.grading.runner`):

* :func:`enter_job_namespaces` gives one submission new mount and PID namespaces with one
  size-capped tmpfs for its ``/tmp``, working folder ``/work`` and ``/dev/shm``;
  :func:`drop_capabilities` and :func:`set_limits` run before student code.

The worker sandbox keeps ``CAP_SYS_ADMIN`` and ``CAP_SETPCAP`` (inside its own user
namespace only) for that per-submission step; the process that runs student code has no
capability at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SANDBOX_UID = 65534  # "nobody" on Debian and most distributions
WORKDIR = "/submission"
_STAGING = "/.job"  # empty mount point for the per-submission tmpfs

# Linux constants (sched.h, mount.h, prctl.h, capability.h)
_CLONE_NEWNS, _CLONE_NEWPID = 0x00020000, 0x20000000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x2, 0x4, 0x1000, 0x4000, 1 << 18
_MNT_DETACH = 2
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_CAPBSET_DROP = 1, 4, 24
_PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4


class IsolationError(RuntimeError):
    """Submissions cannot be isolated here (and ``--no-sandbox`` was not given)."""


# --- host side: which isolation -------------------------------------------------------------
@dataclass
class Isolation:
    """How submissions run: ``kind`` is ``"bubblewrap"`` or ``"none"``."""

    kind: str
    bwrap: str | None = None
    version: str = ""
    as_root: bool = False
    cgroups: Cgroups | None = None
    cgroup_note: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def sandboxed(self) -> bool:
        return self.kind == "bubblewrap"

    def describe(self, *, memory_mb: int, max_procs: int, disk_mb: int) -> str:
        """One paragraph for the start of ``crmlab grade``: what holds and what does not."""
        if not self.sandboxed:
            limits = (
                f"a {self.cgroups.version} cgroup per submission ({memory_mb} MB of memory and "
                f"{max_procs} processes in total)"
                if self.cgroups is not None
                else f"per-process limits ({memory_mb} MB of memory, CPU time, file size)"
            )
            return (
                f"isolation: NONE (--no-sandbox): submissions run as this user with {limits} "
                "and the time limit; they can read and write whatever this user can."
            )
        who = f"uid {SANDBOX_UID}" + (", bwrap itself too, not root" if self.as_root else "")
        text = (
            f"isolation: bubblewrap {self.version} sandbox ({who}; no network; read-only "
            "system; own PID, mount, IPC and UTS namespaces; no capabilities) with a private "
            f"{disk_mb} MB tmpfs for /tmp and the working folder per submission"
        )
        if self.cgroups is not None:
            text += (
                f"; {self.cgroups.version} cgroup per submission: {memory_mb} MB of memory "
                f"and {max_procs} processes in total"
            )
        else:
            text += (
                f"; no cgroups ({self.cgroup_note}): fallback to per-process limits "
                f"({memory_mb} MB of memory per process, {max_procs} processes)"
            )
        return text + "."


def _bwrap_version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip().removeprefix("bubblewrap ").strip()


def choose(sandbox: bool | None, *, cgroups: bool = True) -> Isolation:
    """Pick the isolation: ``sandbox=True`` requires it (raises :class:`IsolationError` with
    what to do), ``False`` turns it off, ``None`` uses it where available (for the
    instructor's own notebooks, e.g. the build check)."""
    if not hasattr(os, "fork"):
        raise IsolationError(
            f"crmlab grade needs Linux (or, without isolation, macOS); this is {sys.platform}: "
            "on Windows, use WSL2."
        )
    if sandbox is False:
        iso = Isolation("none")
        if cgroups and sys.platform.startswith("linux"):
            iso.cgroups, iso.cgroup_note = Cgroups.create()
        return iso
    problem = None
    bwrap = shutil.which("bwrap")
    if not sys.platform.startswith("linux"):
        problem = f"the sandbox needs Linux (this is {sys.platform})"
    elif bwrap is None:
        problem = (
            "bubblewrap is not installed (Debian/Ubuntu: `sudo apt-get install bubblewrap`; "
            "Fedora: `sudo dnf install bubblewrap`)"
        )
    if problem:
        if sandbox is None:
            iso = Isolation("none", notes=[problem])
            if cgroups and sys.platform.startswith("linux"):
                iso.cgroups, iso.cgroup_note = Cgroups.create()
            return iso
        raise IsolationError(
            f"cannot isolate submissions: {problem}. Refusing to run untrusted notebooks "
            "without isolation; pass --no-sandbox to grade anyway (only for notebooks you "
            "trust: they could read and change your files)."
        )
    iso = Isolation("bubblewrap", bwrap=bwrap, version=_bwrap_version(bwrap))
    iso.as_root = os.geteuid() == 0
    if cgroups:
        iso.cgroups, iso.cgroup_note = Cgroups.create()
    else:
        iso.cgroup_note = "turned off"
    return iso


# --- host side: the bubblewrap command ---------------------------------------------------------
def visible_paths(package_dir: Path, hidden: list[Path]) -> list[str]:
    """Host folders a worker sandbox sees read-only: the Python installation (with its
    site-packages) and the ``crmlab`` package. Refuses any that holds a ``hidden`` path (the
    autograders, the submissions, the grader's own temporary folder)."""
    import site

    candidates = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        str(package_dir),
    }
    with contextlib.suppress(AttributeError):
        candidates.update(site.getsitepackages())
    if site.ENABLE_USER_SITE:  # pip install --user
        candidates.add(site.getusersitepackages())
    resolved = sorted({os.path.realpath(p) for p in candidates if p and os.path.isdir(p)})
    kept: list[str] = []
    for path in resolved:
        if any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            continue  # already inside a kept folder
        for h in hidden:
            h = os.path.realpath(h)
            if h == path or h.startswith(path.rstrip("/") + "/"):
                raise IsolationError(
                    f"the sandbox would have to show {path}, which holds {h}: install Python "
                    "and crmlab outside the folders holding autograders and submissions."
                )
        kept.append(path)
    # drop folders inside a kept one (sorted order put parents first)
    return [p for p in kept if not any(p != k and p.startswith(k.rstrip("/") + "/") for k in kept)]


_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf")


def bwrap_command(
    iso: Isolation,
    *,
    python: str,
    paths: list[str],
    env: dict[str, str],
    data_fds: dict,
    sources: dict[str, str] | None = None,
) -> list[str]:
    """The ``bwrap`` command line of one worker sandbox running ``python``.

    ``paths`` are shown read-only at the same place; ``sources`` may map one of them to the
    folder ``bwrap`` should bind instead (see :func:`launcher_command`). ``data_fds`` maps
    a path inside the sandbox to a readable file descriptor whose contents become that
    (read-only) file, e.g. ``/etc/passwd``.
    """
    sources = sources or {}
    cmd = [
        iso.bwrap,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",  # student code cannot make user namespaces (and mount tmpfs)
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--cap-add",
        "CAP_SYS_ADMIN",  # inside the sandbox's user namespace: per-submission mounts
        "--cap-add",
        "CAP_SETPCAP",  # to empty the bounding set before student code
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "crmlab-sandbox",
        "--clearenv",
    ]
    for key, value in sorted(env.items()):
        cmd += ["--setenv", key, value]
    for path in _SYSTEM:
        if os.path.islink(path):
            cmd += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            cmd += ["--ro-bind", path, path]
    # /tmp is a fresh tmpfs; it comes before the read-only binds so that a Python or a
    # virtual environment installed below /tmp (a checkout in a temporary folder) stays
    # visible on top of it instead of being hidden by it
    cmd += ["--tmpfs", "/tmp"]
    for path in paths:
        if not any(path == s or path.startswith(s + "/") for s in _SYSTEM):
            cmd += ["--ro-bind", sources.get(path, path), path]
    for path in _ETC:
        cmd += ["--ro-bind-try", path, path]
    for dest, fd in sorted(data_fds.items()):
        cmd += ["--ro-bind-data", str(fd), dest]
    cmd += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--dir",
        WORKDIR,
        "--dir",
        _STAGING,
        "--remount-ro",
        "/dev",
        "--remount-ro",
        "/",
        "--chdir",
        "/",
        python,
    ]
    return cmd


_LAUNCHER = r"""
import ctypes, json, os, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        sys.stderr.write(f"crmlab sandbox launcher: {what}: {os.strerror(err)}\n")
        os._exit(126)
check(libc.unshare(0x00020000), "unshare")
check(libc.mount(None, b"/", None, 0x4000 | 0x40000, None), "make-rprivate")
fds = [(os.open(src, os.O_PATH), dst) for src, dst in spec["binds"]]
check(libc.mount(b"tmpfs", spec["tmp"].encode(), b"tmpfs", 0x2 | 0x4, b"mode=755,size=1m"), "tmpfs")
for fd, dst in fds:
    os.makedirs(dst, mode=0o755)
    source = f"/proc/self/fd/{fd}".encode()
    check(libc.mount(source, dst.encode(), None, 0x1000 | 0x4000, None), dst)
    os.close(fd)
os.setgroups([])
os.setgid(spec["uid"])
os.setuid(spec["uid"])
os.execv(spec["argv"][0], spec["argv"])
"""
_VIEW = "/tmp/crmlab-view"  # only in the launcher's private mount namespace


def staging(paths: list[str]) -> dict[str, str]:
    """As root: a mount point for every path outside the system folders.

    ``bwrap`` runs as uid 65534 and resolves its sources with that uid's permissions, so a
    Python installation below ``/root`` (pyenv, conda) would be out of its reach.
    :func:`launcher_command` therefore makes a private mount namespace (invisible to the
    rest of the machine) with a fresh tmpfs on ``/tmp`` and bind-mounts each such path on
    its mount point there, before dropping to uid 65534 and starting ``bwrap``, which binds
    the mount point instead."""
    return {
        path: f"{_VIEW}/{k:02d}"
        for k, path in enumerate(paths)
        if not any(path == s or path.startswith(s + "/") for s in _SYSTEM)
    }


def launcher_command(argv: list[str], binds: dict[str, str]) -> list[str]:
    """Start ``argv`` (``bwrap ...``) as uid 65534 from root, after the bind mounts of
    :func:`staging` in a private mount namespace."""
    import json

    spec = {"binds": sorted(binds.items()), "uid": SANDBOX_UID, "argv": argv, "tmp": "/tmp"}
    return [sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(spec)]


# --- host side: cgroups ------------------------------------------------------------------------
def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, fs type, super options) of the cgroup mounts of this process."""
    out = []
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as fh:
            for line in fh:
                left, _, right = line.partition(" - ")
                fields, rfields = left.split(), right.split()
                if len(rfields) >= 3 and rfields[0] in ("cgroup", "cgroup2"):
                    point = fields[4].replace("\\040", " ")
                    out.append((point, rfields[0], set(rfields[2].split(","))))
    except OSError:
        pass
    return out


def _own_cgroups() -> dict[str, str]:
    """Controller (or ``""`` for v2) -> this process's cgroup path."""
    own = {}
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as fh:
            for line in fh:
                _hid, controllers, path = line.rstrip("\n").split(":", 2)
                for c in controllers.split(",") if controllers else [""]:
                    own[c] = path
    except OSError:
        pass
    return own


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


class Cgroups:
    """A private cgroup folder per ``crmlab grade`` run, one child cgroup per submission.

    Version 1: a ``crmlab-grade-<pid>-<n>`` folder under this process's cgroup in the
    ``memory`` and in the ``pids`` hierarchy. Version 2: under the nearest ancestor of this
    process's cgroup that delegates ``memory`` and ``pids`` and lets this user create a
    folder; its children get both controllers.
    """

    def __init__(self, version: str, parents: dict[str, str]):
        self.version = version  # "v1" or "v2"
        self.parents = parents  # controller ("memory", "pids" or "" for v2) -> parent folder
        self.roots: dict[str, str] = {}  # controller -> our folder, once set up
        self._n = 0
        self._lock = threading.Lock()

    @classmethod
    def create(cls) -> tuple[Cgroups | None, str]:
        """Where our cgroups can go (checked by making and removing a folder there), or None
        and why not."""
        mounts, own = _mounts(), _own_cgroups()
        v1 = {}
        for point, fstype, opts in mounts:
            for ctrl in ("memory", "pids"):
                if fstype == "cgroup" and ctrl in opts and ctrl in own:
                    v1[ctrl] = point + own[ctrl].rstrip("/")
        if len(v1) == 2:
            try:
                for parent in v1.values():
                    _clean_stale(parent)
                    probe = f"{parent}/crmlab-grade-{os.getpid()}-probe"
                    os.mkdir(probe, 0o755)
                    os.rmdir(probe)
                return cls("v1", v1), ""
            except OSError as exc:
                return None, f"cannot create cgroups: {exc.strerror.lower()}"
        v2_points = [p for p, t, _ in mounts if t == "cgroup2"]
        if v2_points and "" in own:
            point = v2_points[0]
            rel = own[""].rstrip("/")
            while True:
                parent = point + rel
                try:
                    enabled = set(_read(f"{parent}/cgroup.subtree_control").split())
                    if {"memory", "pids"} <= enabled and os.access(parent, os.W_OK):
                        _clean_stale(parent)
                        probe = f"{parent}/crmlab-grade-{os.getpid()}-probe"
                        os.mkdir(probe, 0o755)
                        try:
                            _write(f"{probe}/cgroup.subtree_control", "+memory +pids")
                        finally:
                            os.rmdir(probe)
                        return cls("v2", {"": parent}), ""
                except OSError:
                    pass
                if not rel:
                    break
                rel = rel.rsplit("/", 1)[0]
            return None, "no delegated cgroup v2 subtree with memory and pids"
        if os.geteuid() != 0:
            return None, "not root"
        return None, "no memory and pids cgroup controllers mounted"

    def setup(self) -> None:
        """Create this run's folder(s) (``remove`` deletes them)."""
        tag = f"crmlab-grade-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        try:
            for ctrl, parent in self.parents.items():
                os.mkdir(f"{parent}/{tag}", 0o755)
                self.roots[ctrl] = f"{parent}/{tag}"
                if self.version == "v2":
                    _write(f"{parent}/{tag}/cgroup.subtree_control", "+memory +pids")
                elif ctrl == "memory" and os.path.exists(f"{parent}/{tag}/memory.use_hierarchy"):
                    with contextlib.suppress(OSError):
                        _write(f"{parent}/{tag}/memory.use_hierarchy", "1")
        except OSError:
            self.remove()
            raise

    def new_job(self, memory_mb: int, max_procs: int) -> JobCgroup:
        with self._lock:
            self._n += 1
            n = self._n
        paths = {}
        try:
            for ctrl, root in self.roots.items():
                path = f"{root}/job{n:05d}"
                os.mkdir(path, 0o755)
                paths[ctrl] = path
            job = JobCgroup(self.version, paths)
            job.limit(memory_mb, max_procs)
        except OSError:
            for path in paths.values():
                with contextlib.suppress(OSError):
                    os.rmdir(path)
            raise
        return job

    def remove(self) -> None:
        for root in self.roots.values():
            _remove_tree(root)
        self.roots = {}


def _clean_stale(parent: str) -> None:
    """Remove empty folders left by a ``crmlab grade`` that was killed (its pid is gone).
    Never kills anything: a folder that still holds processes stays."""
    with contextlib.suppress(OSError):
        for name in os.listdir(parent):
            m = re.fullmatch(r"crmlab-grade-(\d+)-(\d+|probe)", name)
            if m and not os.path.exists(f"/proc/{m.group(1)}"):
                path = f"{parent}/{name}"
                with contextlib.suppress(OSError):
                    for child in os.listdir(path):
                        if os.path.isdir(f"{path}/{child}"):
                            with contextlib.suppress(OSError):
                                os.rmdir(f"{path}/{child}")
                with contextlib.suppress(OSError):
                    os.rmdir(path)


def _remove_tree(root: str) -> None:
    with contextlib.suppress(OSError):
        for name in os.listdir(root):
            if os.path.isdir(f"{root}/{name}"):
                _kill_tasks(f"{root}/{name}")
                with contextlib.suppress(OSError):
                    os.rmdir(f"{root}/{name}")
    with contextlib.suppress(OSError):
        os.rmdir(root)


def _kill_tasks(path: str, rounds: int = 50) -> None:
    """SIGKILL every process in a cgroup until it is empty (new forks are caught by the
    next round; a frozen-free loop is enough because forks are capped by ``pids.max``)."""
    for _ in range(rounds):
        try:
            pids = [int(p) for p in _read(f"{path}/cgroup.procs").split()]
        except OSError:
            return
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
        time.sleep(0.01)


class JobCgroup:
    """The cgroup(s) of one submission."""

    def __init__(self, version: str, paths: dict[str, str]):
        self.version, self.paths = version, paths

    def limit(self, memory_mb: int, max_procs: int) -> None:
        limit = str(memory_mb * 2**20)
        if self.version == "v1":
            mem, pids = self.paths["memory"], self.paths["pids"]
            _write(f"{mem}/memory.limit_in_bytes", limit)
            if os.path.exists(f"{mem}/memory.memsw.limit_in_bytes"):
                with contextlib.suppress(OSError):  # no swap accounting: fine
                    _write(f"{mem}/memory.memsw.limit_in_bytes", limit)
            _write(f"{pids}/pids.max", str(max_procs))
        else:
            path = self.paths[""]
            _write(f"{path}/memory.max", limit)
            with contextlib.suppress(OSError):
                _write(f"{path}/memory.swap.max", "0")
            _write(f"{path}/pids.max", str(max_procs))

    def open_procs(self) -> list[int]:
        """Write-only descriptors of ``cgroup.procs``: the submission's first process joins
        by writing ``0`` to them (permission is checked against who opened them)."""
        return [
            os.open(f"{p}/cgroup.procs", os.O_WRONLY | os.O_CLOEXEC) for p in self.paths.values()
        ]

    def oom_kills(self) -> int:
        try:
            if self.version == "v1":
                text = _read(f"{self.paths['memory']}/memory.oom_control")
            else:
                text = _read(f"{self.paths['']}/memory.events")
        except OSError:
            return 0
        m = re.search(r"^oom_kill (\d+)", text, re.M)
        return int(m.group(1)) if m else 0

    def max_tasks_hit(self) -> bool:
        path = self.paths.get("pids", self.paths.get(""))
        try:
            text = _read(f"{path}/pids.events")
        except OSError:
            return False
        m = re.search(r"max (\d+)", text)
        return bool(m and int(m.group(1)))

    def kill_and_remove(self) -> None:
        for path in self.paths.values():
            if self.version == "v2" and os.path.exists(f"{path}/cgroup.kill"):
                with contextlib.suppress(OSError):
                    _write(f"{path}/cgroup.kill", "1")
            _kill_tasks(path)
            for _ in range(100):
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:  # tasks still exiting
                    time.sleep(0.01)


# --- sandbox side ----------------------------------------------------------------------------
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def set_dumpable(flag: bool) -> None:
    """A non-dumpable process cannot be traced, nor its memory read, by processes of the same
    user without privileges (the runner marks itself so before student code exists)."""
    if sys.platform.startswith("linux"):
        _libc().prctl(_PR_SET_DUMPABLE, int(flag), 0, 0, 0)


def die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        _libc().prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)


_MS_REMOUNT, _MS_RDONLY = 0x20, 0x1
_COVERED = ("/tmp", WORKDIR, "/dev/shm")


#: statvfs flag -> mount flag, for the flags a remount must keep
_KEPT_FLAGS = {
    os.ST_NOSUID: 0x2,
    os.ST_NODEV: 0x4,
    os.ST_NOEXEC: 0x8,
    os.ST_NOATIME: 0x400,
    os.ST_NODIRATIME: 0x800,
    os.ST_RELATIME: 0x200000,
}


def _locked_flags(path: str) -> int:
    """The mount flags of ``path``'s mount that a bind remount must repeat."""
    have = os.statvfs(path).f_flag
    return sum(ms for st, ms in _KEPT_FLAGS.items() if have & st)


def enter_job_namespaces(disk_mb: int, keep: list[str] = ()) -> None:
    """New mount and PID namespaces for one submission (the next ``fork`` is its PID 1),
    with one tmpfs of ``disk_mb`` MB holding ``/tmp``, the working folder
    (:data:`WORKDIR`) and ``/dev/shm``; the current folder becomes the working folder.
    Folders in ``keep`` (the Python installation) that lie below one of those are mounted
    again, read-only, on top (e.g. a virtual environment below ``/tmp``). Needs
    ``CAP_SYS_ADMIN`` in the sandbox."""
    libc = _libc()
    _check(libc.unshare(_CLONE_NEWNS | _CLONE_NEWPID), "unshare")
    _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "mount --make-rprivate /")
    # opened in the new mount namespace (a bind from a file descriptor of another mount
    # namespace is refused with EINVAL), before the tmpfs covers them
    kept = []
    for path in keep:
        if any(path == c or path.startswith(c + "/") for c in _COVERED):
            kept.append((path, os.open(path, os.O_PATH | os.O_CLOEXEC)))
    options = f"size={int(disk_mb)}m,nr_inodes=20000,mode=755".encode()
    _check(
        libc.mount(b"tmpfs", _STAGING.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options),
        "mount tmpfs",
    )
    for name, mode in (("tmp", 0o1777), ("work", 0o755), ("shm", 0o1777)):
        os.mkdir(f"{_STAGING}/{name}")
        os.chmod(f"{_STAGING}/{name}", mode)
    for name, target in (("tmp", "/tmp"), ("work", WORKDIR), ("shm", "/dev/shm")):
        if os.path.isdir(target):
            _check(
                libc.mount(f"{_STAGING}/{name}".encode(), target.encode(), None, _MS_BIND, None),
                f"bind {target}",
            )
    _check(libc.umount2(_STAGING.encode(), _MNT_DETACH), "umount staging")
    for path, fd in kept:
        os.makedirs(path, exist_ok=True)
        _check(
            libc.mount(
                f"/proc/self/fd/{fd}".encode(), path.encode(), None, _MS_BIND | _MS_REC, None
            ),
            f"bind {path}",
        )
        # a remount in a user namespace must keep the flags the mount already has (they
        # are locked: nosuid, nodev, ...), or the kernel refuses it with EPERM
        _check(
            libc.mount(
                None,
                path.encode(),
                None,
                _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _locked_flags(path),
                None,
            ),
            f"read-only {path}",
        )
        if not os.statvfs(path).f_flag & os.ST_RDONLY:
            raise OSError(f"{path} is still writable after the read-only remount")
        os.close(fd)
    os.chdir(WORKDIR)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capabilities() -> None:
    """Empty the ambient, bounding, effective, permitted and inheritable sets and set
    no_new_privs; raise if any capability is left."""
    libc = _libc()
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for cap in range(64):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    _check(
        libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), ctypes.byref((_CapData * 2)())),
        "capset",
    )
    _check(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    with open("/proc/self/status", encoding="ascii") as fh:
        caps = {k: v.strip() for k, _, v in (line.partition(":") for line in fh)}
    for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        if int(caps.get(key, "0"), 16):
            raise OSError(f"capabilities left after dropping them: {key} {caps[key]}")


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tasks_of(uid: int) -> int | None:
    """Threads and processes visible here running as ``uid`` (what RLIMIT_NPROC counts);
    None without ``/proc`` (macOS)."""
    if not os.path.isdir("/proc/self"):
        return None
    total = 0
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status", encoding="utf-8") as fh:
                    fields = dict(line.split(":", 1) for line in fh if ":" in line)
            except (OSError, ValueError):
                continue
            if int(fields.get("Uid", "-1 0").split()[0]) == uid:
                total += int(fields.get("Threads", "1").strip() or 1)
    return total


def set_limits(
    *,
    memory_mb: int | None = None,
    cpu_seconds: float | None = None,
    file_mb: int | None = None,
    max_files: int | None = None,
    max_procs: int | None = None,
) -> None:
    """Per-process resource limits (soft = hard, never above an existing hard limit).
    ``memory_mb`` is on top of what the process has mapped already; ``max_procs`` counts
    this process and its children, on top of the other tasks its user runs now
    (RLIMIT_NPROC counts them all)."""

    def lim(kind, value):
        value = int(value)
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (value, value))

    lim(resource.RLIMIT_CORE, 0)
    if memory_mb and hasattr(resource, "RLIMIT_AS"):
        lim(resource.RLIMIT_AS, _vm_bytes() + memory_mb * 2**20)
    if cpu_seconds:
        lim(resource.RLIMIT_CPU, math.ceil(cpu_seconds))
    if file_mb:
        lim(resource.RLIMIT_FSIZE, file_mb * 2**20)
    if max_files:
        lim(resource.RLIMIT_NOFILE, max_files)
    running = tasks_of(os.getuid()) if max_procs else None
    if running is not None and hasattr(resource, "RLIMIT_NPROC"):
        # this process is one of the max_procs (tasks_of counts it already)
        lim(resource.RLIMIT_NPROC, running + max_procs - 1)
