"""Exercises and grading (issue 3): build student notebooks, grade a folder of submissions.

An exercise lives in ``exercises/NN_slug/``: ``source/NN_slug.ipynb`` is the master in
otter-grader 7 format (solutions, public and hidden exception-based tests) and
``source/data.py`` writes the small data extract the notebook reads. :func:`build_exercise`
runs ``otter assign`` on a copy, writes the student notebook (with stable cell ids) and
the extract to ``exercises/NN_slug/student/`` and the autograder to the ignored
``build/exercises/NN_slug/``.

:func:`grade` grades every ``.ipynb`` in a folder, in parallel, without Docker. ``otter
run`` is not a sandbox (hidden tests sit in its working folder; a notebook can hang it,
kill it or patch it), so each submission runs in a fresh child of a fork server
(``crmlab._grading_worker``): its own process group, a working folder with no tests,
resource limits, a wall-clock limit enforced with ``killpg``, and where Linux allows it
its own namespaces (read-only file system except that folder, no network, own PID
namespace, no capabilities). Only the answer variables the tests need leave that child, as
JSON data; the tests (held in memory) run on them in another child that never ran
student code.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import os
import queue
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = [
    "exercises_dir",
    "list_exercises",
    "build_exercise",
    "build_all",
    "grade",
    "write_gradebook",
    "load_autograder",
    "sandbox_available",
    "Autograder",
    "BuildError",
    "register_cli",
]

_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")
_MAX_NOTEBOOK_BYTES = 50 * 2**20
_SCORE_TIMEOUT = 120.0
_WORKER_MAIN = "from crmlab._grading_worker import main; main()"


class BuildError(RuntimeError):
    """An exercise did not build, or its solution does not pass its own tests."""


# --- where things are ------------------------------------------------------------------
def exercises_dir() -> Path:
    """Folder holding the exercises: ``$CRMLAB_EXERCISES_DIR`` or ``exercises/`` of the repo."""
    env = os.environ.get("CRMLAB_EXERCISES_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parent.parent / "exercises"
    return repo if repo.is_dir() else Path.cwd() / "exercises"


def default_build_dir() -> Path:
    return exercises_dir().resolve().parent / "build" / "exercises"


def list_exercises() -> list[str]:
    """Names of the exercises (folders ``NN_slug`` with a master ``source/NN_slug.ipynb``)."""
    root = exercises_dir()
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if _NAME.match(p.name) and (p / "source" / f"{p.name}.ipynb").is_file()
    )


def _resolve(name: str) -> str:
    """Accept ``00_why_crm``, ``00`` or a path to the exercise folder; return the name."""
    available = list_exercises()
    candidate = Path(str(name).rstrip("/\\")).name
    if candidate in available:
        return candidate
    matches = [a for a in available if a.split("_", 1)[0] == candidate]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(
        f"unknown exercise {name!r}; available: {', '.join(available) or 'none'} "
        f"(in {exercises_dir()})."
    )


# --- the master notebook -------------------------------------------------------------------
def _raw_config(master: Path, marker: str) -> list[dict]:
    import yaml

    nb = json.loads(Path(master).read_text(encoding="utf-8"))
    configs = []
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "raw" and source.lstrip().upper().startswith(marker):
            configs.append(yaml.safe_load(source.split("\n", 1)[1]) or {})
    return configs


def _questions(master: Path) -> list[dict]:
    out = []
    for q in _raw_config(master, "# BEGIN QUESTION"):
        points = q.get("points")
        out.append(
            {
                "name": str(q["name"]),
                "manual": bool(q.get("manual", False)),
                "points": sum(points) if isinstance(points, list) else points,
            }
        )
    return out


def _test_names(source: str) -> list[str]:
    """Answer variables a test file reads: its test functions' parameters."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            names += [a.arg for a in node.args.args if a.arg != "env" and a.arg not in names]
    return names


# --- building ------------------------------------------------------------------------------
def _load_extract(exercise: str):
    path = exercises_dir() / exercise / "source" / "data.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"_crmlab_exercise_{exercise}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stable_ids(nb: dict) -> dict:
    """Give every cell an id derived from its type and source (otter's are random)."""
    seen: dict[str, int] = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        base = hashlib.sha1(f"{cell['cell_type']}\n{source}".encode()).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        cell["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("execution", None)
    return nb


def _fingerprint(exercise: str) -> dict:
    src = exercises_dir() / exercise / "source"
    from crmlab import datasets

    def digest(path: Path) -> str:
        return datasets.sha256(path) if path.exists() else ""

    return {
        "master": digest(src / f"{exercise}.ipynb"),
        "data_py": digest(src / "data.py"),
        "manifest": digest(datasets.data_dir() / "MANIFEST"),
    }


def build_exercise(
    exercise: str,
    *,
    build_dir: Path | None = None,
    update_student: bool = True,
    check: bool = True,
    _pool: _Pool | None = None,
) -> dict:
    """Build one exercise: data extract, ``otter assign``, student notebook, autograder.

    Parameters
    ----------
    exercise : str
        Exercise name (``"00_why_crm"``) or its number (``"00"``).
    build_dir : path, optional
        Root of the build output (default ``build/exercises/`` of the repository).
    update_student : bool
        Also write the student notebook and data into ``exercises/NN_slug/student/``
        (and the extract next to the master, for instructors who run it).
    check : bool
        Grade the solution (must get full marks) and the blank student notebook (must
        get zero and run without error); raise :class:`BuildError` otherwise.

    Returns
    -------
    dict
        The build record (also saved as ``build.json``), with the check's gradebook
        rows under ``"check"`` when ``check`` is true.
    """
    from crmlab._grading_worker import without_rfc3987

    with without_rfc3987():
        import nbformat
        from otter.assign import main as otter_assign

    name = _resolve(exercise)
    source = exercises_dir() / name / "source"
    out = Path(build_dir or default_build_dir()) / name
    shutil.rmtree(out, ignore_errors=True)
    (out / "src").mkdir(parents=True)
    out.chmod(0o700)  # holds the hidden tests: private to the grading user
    shutil.copy2(source / f"{name}.ipynb", out / "src" / f"{name}.ipynb")
    extract = _load_extract(name)
    files = [Path(p).name for p in extract.write(out / "src")] if extract else []
    config = _raw_config(source / f"{name}.ipynb", "# ASSIGNMENT CONFIG")[0]
    if sorted(config.get("files", [])) != sorted(files):
        raise BuildError(
            f"{name}: the master's ASSIGNMENT CONFIG lists files "
            f"{config.get('files', [])} but source/data.py wrote {files}."
        )
    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            otter_assign(
                str(out / "src" / f"{name}.ipynb"),
                str(out / "dist"),
                no_pdfs=True,
                no_run_tests=True,
            )
        except Exception as exc:
            raise BuildError(f"otter assign failed on {name}: {exc}\n{log.getvalue()}") from exc
    zips = sorted((out / "dist" / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise BuildError(f"otter assign wrote {len(zips)} autograder zips for {name}.")
    shutil.copy2(zips[0], out / "autograder.zip")
    student = out / "student"
    student.mkdir()
    nb = _stable_ids(json.loads((out / "dist" / "student" / f"{name}.ipynb").read_text("utf-8")))
    nbformat.write(nbformat.from_dict(nb), student / f"{name}.ipynb")
    for f in files:
        shutil.copy2(out / "src" / f, student / f)
    with zipfile.ZipFile(zips[0]) as zf:
        tests = sorted(Path(n).stem for n in zf.namelist() if n.startswith("tests/"))
    record = {
        "exercise": name,
        "questions": _questions(source / f"{name}.ipynb"),
        "tests": tests,
        "files": files,
        **_fingerprint(name),
    }
    (out / "build.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    if check:
        ag = load_autograder(name, build_dir=build_dir, rebuild=False)
        rows = _grade_items(
            ag,
            [
                ("solution", out / "dist" / "autograder" / f"{name}.ipynb"),
                ("blank", student / f"{name}.ipynb"),
            ],
            pool=_pool,
        )
        sol, blank = rows.set_index("file").loc["solution"], rows.set_index("file").loc["blank"]
        problems = []
        if sol["status"] != "ok" or abs(sol["total"] - sol["possible"]) > 1e-6:
            problems.append(
                f"the solution scores {sol['total']}/{sol['possible']} ({sol['status']})"
            )
        if blank["status"] != "ok" or blank["total"] != 0:
            problems.append(
                f"the blank student notebook scores {blank['total']} ({blank['status']})"
            )
        if problems:
            raise BuildError(f"{name}: " + "; ".join(problems) + ".\n" + rows.to_string())
        record["check"] = rows.to_dict("records")
    if update_student:
        dest = exercises_dir() / name / "student"
        dest.mkdir(exist_ok=True)
        keep = {f"{name}.ipynb", *files}
        for old in dest.iterdir():
            if old.is_file() and not old.name.startswith(".") and old.name not in keep:
                old.unlink()
        for f in keep:
            shutil.copy2(student / f, dest / f)
        for f in files:  # for instructors running the master (ignored by git)
            shutil.copy2(out / "src" / f, source / f)
    return record


def build_all(
    names: list[str] | None = None,
    *,
    build_dir: Path | None = None,
    update_student: bool = True,
    check: bool = True,
    workers: int | None = None,
    log=print,
) -> list[dict]:
    """Build several exercises (default: all), sharing one grading pool for the checks."""
    names = [_resolve(n) for n in (names or list_exercises())]
    records = []
    with _Pool(workers or min(2, _cpu_count())) if check else contextlib.nullcontext() as pool:
        for name in names:
            t0 = time.perf_counter()
            records.append(
                build_exercise(
                    name,
                    build_dir=build_dir,
                    update_student=update_student,
                    check=check,
                    _pool=pool,
                )
            )
            log(
                f"built {name} in {time.perf_counter() - t0:.1f} s"
                + (" (solution: full marks; blank: 0)" if check else "")
            )
    return records


# --- the autograder ----------------------------------------------------------------------
@dataclass
class Autograder:
    """What grading needs, read once into memory before any submission runs."""

    exercise: str
    tests: dict[str, str]  # question -> exception-based test file source
    names: list[str]  # answer variables the tests read
    questions: list[dict]  # name, points, manual, in notebook order
    data: dict[str, bytes] = field(default_factory=dict)  # files the notebook reads


def load_autograder(
    exercise: str, *, build_dir: Path | None = None, rebuild: bool = True, log=None
) -> Autograder:
    """Read the built autograder of ``exercise``; build it first if missing or out of date."""
    name = _resolve(exercise)
    out = Path(build_dir or default_build_dir()) / name
    record = None
    if (out / "build.json").exists() and (out / "autograder.zip").exists():
        record = json.loads((out / "build.json").read_text(encoding="utf-8"))
    stale = record is None or any(record.get(k) != v for k, v in _fingerprint(name).items())
    if stale:
        if not rebuild:
            raise FileNotFoundError(
                f"no up-to-date autograder for {name} in {out}: run `crmlab exercises build`."
            )
        if log:
            log(f"the autograder of {name} is missing or out of date: building it")
        build_exercise(name, build_dir=build_dir, update_student=False, check=False)
        record = json.loads((out / "build.json").read_text(encoding="utf-8"))
    tests, data = {}, {}
    with zipfile.ZipFile(out / "autograder.zip") as zf:
        for member in zf.namelist():
            if member.startswith("tests/") and member.endswith(".py"):
                tests[Path(member).stem] = zf.read(member).decode("utf-8")
            elif member.startswith("files/") and not member.endswith("/"):
                data[member[len("files/") :]] = zf.read(member)
    order = [q["name"] for q in record["questions"]]
    tests = dict(
        sorted(tests.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    )
    names = []
    for source in tests.values():
        names += [n for n in _test_names(source) if n not in names]
    return Autograder(name, tests, names, record["questions"], data)


# --- the worker pool -------------------------------------------------------------------
def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _worker_env(home: str) -> dict:
    keep = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "VIRTUAL_ENV", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    pkg_root = str(Path(__file__).resolve().parent.parent)
    extra = os.environ.get("PYTHONPATH")
    env.update(
        {
            "PYTHONPATH": pkg_root + (os.pathsep + extra if extra else ""),
            "HOME": home,
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


class _Worker:
    """One fork server (``crmlab._grading_worker.main``) and its line protocol."""

    def __init__(self, env: dict, log_dir: str, sandbox: bool):
        self.env, self.log_dir, self.sandbox = env, log_dir, sandbox
        self.sandboxed: bool | None = None  # did the last execute run in namespaces?
        self._start()

    def _start(self) -> None:
        self.log = tempfile.TemporaryFile(dir=self.log_dir)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=self.env,
            cwd=self.log_dir,
        )
        self._buf = b""
        msg = self._read(time.monotonic() + 300)
        if not msg or not msg.get("ready"):
            raise RuntimeError("the grading worker did not start:\n" + self._log_tail())

    def _log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-2000:]

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
                    raise EOFError("grading worker exited")
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def run(self, request: dict, timeout: float) -> dict:
        """Send one request; kill the child's process group if it outlives ``timeout``."""
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        started = self._read(time.monotonic() + 120)
        if started is None:
            raise EOFError("grading worker does not answer")
        pid, inner = started["pid"], started.get("inner")
        if request["op"] == "execute":
            self.sandboxed = bool(started.get("sandbox"))
        t0 = time.monotonic()
        msg = self._read(t0 + timeout)
        timed_out = msg is None
        if timed_out:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            if inner:  # PID 1 of the submission's namespace: everything in it dies too
                with contextlib.suppress(OSError):
                    os.kill(inner, signal.SIGKILL)
            msg = self._read(time.monotonic() + 60)
            if msg is None:
                raise EOFError("grading worker does not answer")
        return {**msg, "timed_out": timed_out, "seconds": time.monotonic() - t0}

    def restart(self) -> None:
        self.close()
        self._start()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class _Pool:
    """``workers`` fork servers and a private folder for the submissions' working copies."""

    def __init__(self, workers: int, sandbox: bool = True):
        self.root = tempfile.mkdtemp(prefix="crmlab-grade-")
        env = _worker_env(self.root)
        self.workers: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._n = 0

        def start(_):
            w = _Worker(env, self.root, sandbox)
            with self._lock:
                self._all.append(w)
            self.workers.put(w)

        try:
            with ThreadPoolExecutor(workers) as ex:
                list(ex.map(start, range(workers)))
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc) -> None:
        for w in self._all:
            w.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def job_dir(self) -> Path:
        with self._lock:
            self._n += 1
            path = Path(self.root) / f"job{self._n:05d}"
        path.mkdir(mode=0o700)
        return path

    def unsandboxed(self) -> bool:
        """True if some submission ran without namespaces (not available here)."""
        return any(w.sandbox and w.sandboxed is False for w in self._all)


# --- grading ---------------------------------------------------------------------------
@functools.cache
def sandbox_available() -> bool:
    """Whether submissions can run in Linux namespaces here (root, or unprivileged user
    namespaces): read-only view of the system, no network, own PID namespace."""
    probe = subprocess.run(
        [sys.executable, "-c", "from crmlab._grading_worker import probe; probe()"],
        env=_worker_env(tempfile.gettempdir()),
        capture_output=True,
        timeout=60,
    )
    return probe.returncode == 0


def _read_state(path: Path) -> dict:
    """Read the answers file a submission left, refusing links and oversized files."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return {}
        data = fh.read(20_000_001)
    try:
        state = json.loads(data) if len(data) <= 20_000_000 else {}
    except ValueError:
        return {}
    return state if isinstance(state, dict) else {}


def _run_one(
    ag: Autograder, pool: _Pool, label: str, path: Path, timeout: float, memory_mb: int
) -> dict:
    worker = pool.workers.get()
    try:
        return _run_one_on(ag, pool, worker, label, path, timeout, memory_mb)
    except (EOFError, OSError, ValueError, KeyError) as exc:
        with contextlib.suppress(Exception):
            worker.restart()
        return {
            "file": label,
            "status": f"error: grader failure ({type(exc).__name__})",
            "scores": {},
        }
    finally:
        pool.workers.put(worker)


def _run_one_on(ag, pool, worker, label, path, timeout, memory_mb) -> dict:
    t0 = time.perf_counter()
    state, status = {}, None
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = None
    if size is None or size > _MAX_NOTEBOOK_BYTES:
        status = "invalid notebook"
    else:
        job = pool.job_dir()
        try:
            nb_path = job / f"{ag.exercise}.ipynb"
            shutil.copyfile(path, nb_path)
            for fname, content in ag.data.items():
                (job / fname).write_bytes(content)
            req = {
                "op": "execute",
                "workdir": str(job),
                "notebook": nb_path.name,
                "names": ag.names,
                "sandbox": worker.sandbox,
                "memory_mb": memory_mb,
                "cpu_seconds": timeout + 5,
                "file_mb": 200,
                "max_files": 512,
                "max_procs": 64,
            }
            msg = worker.run(req, timeout)
            from crmlab._grading_worker import ANSWERS_FILE

            state = _read_state(job / ANSWERS_FILE)
            status = _status(msg, state)
        finally:
            shutil.rmtree(job, ignore_errors=True)
            with contextlib.suppress(OSError):  # the sandbox's (empty) mount point
                Path(f"{job}.root").rmdir()
    answers = state.get("answers") if isinstance(state.get("answers"), dict) else {}
    scores: dict = {}
    if ag.tests:
        msg = worker.run(
            {
                "op": "score",
                "tests": ag.tests,
                "answers": json.dumps(answers),
                "memory_mb": 4096,
                "cpu_seconds": _SCORE_TIMEOUT + 5,
            },
            _SCORE_TIMEOUT,
        )
        try:
            scores = json.loads(msg.get("result") or "{}")
        except ValueError:
            scores = {}
        if msg["timed_out"] or msg["exit"] != 0 or not scores:
            status = (status or "ok") + "; scoring failed"
    return {"file": label, "status": status, "scores": scores, "seconds": time.perf_counter() - t0}


def _status(msg: dict, state: dict) -> str:
    if msg["timed_out"]:
        return "timeout"
    reported = state.get("status")
    if reported == "invalid notebook":
        return reported
    if msg["exit"] != 0:
        code = msg["exit"]
        how = (
            f"killed by {signal.Signals(-code).name}"
            if code < 0 and -code in signal.valid_signals()
            else f"exit code {code}"
        )
        hint = {"SIGXCPU": ": CPU time limit", "SIGXFSZ": ": file size limit"}.get(
            how.split()[-1], ""
        )
        return f"error: kernel died ({how}{hint})"
    if isinstance(reported, str) and (reported == "ok" or reported.startswith("error: ")):
        return reported[:120]
    return "error: notebook stopped before the end"


def _grade_items(
    ag: Autograder,
    items: list[tuple[str, Path]],
    *,
    workers: int | None = None,
    timeout: float = 120,
    memory_mb: int = 2048,
    sandbox: bool = True,
    pool: _Pool | None = None,
    progress=None,
) -> pd.DataFrame:
    workers = max(1, min(workers or _cpu_count(), len(items) or 1))
    owned = pool is None
    pool = pool or _Pool(workers, sandbox=sandbox)
    results = []
    try:
        ex = ThreadPoolExecutor(pool.workers.qsize())
        try:
            futures = [
                ex.submit(_run_one, ag, pool, label, path, timeout, memory_mb)
                for label, path in items
            ]
            for i, fut in enumerate(futures, start=1):
                results.append(fut.result())
                if progress:
                    r = results[-1]
                    total = sum(s.get("score", 0) for s in r["scores"].values())
                    progress(f"[{i}/{len(items)}] {r['file']}: {total:g} points, {r['status']}")
        except BaseException:  # e.g. Ctrl-C: drop what has not started, let the rest end
            ex.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            ex.shutdown(wait=True)
        if progress and pool.unsandboxed():
            progress(
                "warning: Linux namespaces are not available here: submissions ran "
                "without file-system and network isolation (time and resource limits "
                "still applied). Grade untrusted notebooks as an unprivileged user."
            )
    finally:
        if owned:
            pool.__exit__(None, None, None)
    return _gradebook(ag, results)


def _gradebook(ag: Autograder, results: list[dict]) -> pd.DataFrame:
    auto = list(ag.tests)
    declared = {q["name"]: q.get("points") for q in ag.questions}
    manual = [q["name"] for q in ag.questions if q["manual"]]
    rows = []
    for r in results:
        row = {"file": r["file"]}
        possible = 0.0
        for q in auto:
            got = r["scores"].get(q, {})
            row[q] = round(float(got.get("score") or 0.0), 4)
            possible += float(got.get("possible") or declared.get(q) or 0.0)
        for q in manual:
            row[f"{q} (manual)"] = None
        row["total"] = round(sum(row[q] for q in auto), 4)
        row["possible"] = round(possible, 4)
        row["status"] = r["status"] or "error: unknown"
        rows.append(row)
    columns = ["file", *auto, *[f"{q} (manual)" for q in manual], "total", "possible", "status"]
    return pd.DataFrame(rows, columns=columns)


def _find_submissions(folder: Path) -> list[tuple[str, Path]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"submissions folder {folder} does not exist or is not a folder.")
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue  # .ipynb_checkpoints and other hidden folders
        found.append((rel.as_posix(), path))
    return found


def grade(
    exercise: str,
    submissions: str | Path,
    *,
    workers: int | None = None,
    timeout: float = 120,
    memory_mb: int = 2048,
    build_dir: Path | None = None,
    sandbox: bool = True,
    progress=None,
) -> pd.DataFrame:
    """Grade every ``.ipynb`` under ``submissions`` (any names, subfolders included).

    Parameters
    ----------
    exercise : str
        Exercise name or number; its autograder is built first if missing or stale.
    submissions : path
        Folder of submitted notebooks (hidden folders such as ``.ipynb_checkpoints``
        are skipped).
    workers : int, optional
        Submissions graded at once (default: one per core).
    timeout : float
        Wall-clock limit per submission in seconds (default 120).
    memory_mb : int
        Memory a submission may allocate on top of the preloaded libraries.
    sandbox : bool
        Run each submission in Linux namespaces (read-only file system except its working
        folder, no network, own PID namespace, no capabilities) where the system allows
        it (default). Time and resource limits apply either way.

    Returns
    -------
    pandas.DataFrame
        One row per submission: ``file``, one column per autograded question, empty
        ``(manual)`` columns for manually graded questions, ``total``, ``possible`` and
        ``status`` (``ok``, ``timeout``, ``error: ...`` or ``invalid notebook``).
    """
    items = _find_submissions(Path(submissions))
    ag = load_autograder(exercise, build_dir=build_dir, log=progress)
    if not items:
        return _gradebook(ag, [])
    return _grade_items(
        ag,
        items,
        workers=workers,
        timeout=timeout,
        memory_mb=memory_mb,
        sandbox=sandbox,
        progress=progress,
    )


def write_gradebook(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a gradebook: ``.xlsx`` for Excel, otherwise CSV in UTF-8 with a BOM (so Excel
    shows Chinese file names correctly)."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True)
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False, sheet_name="gradebook")
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


# --- command line ----------------------------------------------------------------------
def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return parse


def _cmd_grade(args: argparse.Namespace) -> int:
    def say(msg):
        print(msg, file=sys.stderr, flush=True)

    try:
        t0 = time.perf_counter()
        frame = grade(
            args.exercise,
            args.submissions,
            workers=args.workers,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            build_dir=args.build_dir,
            sandbox=not args.no_sandbox,
            progress=say,
        )
        path = write_gradebook(frame, args.output)
    except (ValueError, FileNotFoundError, BuildError) as exc:
        print(f"crmlab grade: error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - t0
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        print(frame.to_string(index=False))
    print(f"\n{len(frame)} submissions graded in {seconds:.1f} s; gradebook: {path}")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    try:
        build_all(
            args.names or None,
            build_dir=args.build_dir,
            check=not args.no_check,
            workers=args.workers,
        )
    except (ValueError, BuildError) as exc:
        print(f"crmlab exercises build: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    for name in list_exercises():
        print(name)
    return 0


def register_cli(subparsers) -> None:
    """Add ``crmlab grade`` and ``crmlab exercises {build,list}`` to the ``crmlab`` CLI."""
    p = subparsers.add_parser(
        "grade",
        help="grade a folder of submitted notebooks into a gradebook",
        description="Grade every .ipynb in SUBMISSIONS (in parallel, isolated, with a time "
        "limit per submission) and write a gradebook.",
    )
    p.add_argument("exercise", help="exercise name or number, e.g. 00_why_crm or 00")
    p.add_argument("submissions", help="folder holding the submitted notebooks (any names)")
    p.add_argument(
        "-o",
        "--output",
        default="gradebook.csv",
        help="gradebook file: .csv (UTF-8 with BOM) or .xlsx (default: %(default)s)",
    )
    p.add_argument(
        "-j",
        "--workers",
        type=_positive(int),
        default=None,
        help="submissions graded at once (default: one per core)",
    )
    p.add_argument(
        "-t",
        "--timeout",
        type=_positive(float),
        default=120,
        help="seconds allowed per submission (default: %(default)s)",
    )
    p.add_argument(
        "--memory-mb",
        type=_positive(int),
        default=2048,
        help="memory a submission may allocate, MB (default: %(default)s)",
    )
    p.add_argument("--build-dir", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="do not isolate submissions in Linux namespaces (limits still apply)",
    )
    p.set_defaults(func=_cmd_grade)

    p = subparsers.add_parser("exercises", help="build or list the exercises")
    sub = p.add_subparsers(dest="exercises_command", required=True)
    b = sub.add_parser("build", help="regenerate student notebooks, data and autograders")
    b.add_argument("names", nargs="*", help="exercises to build (default: all)")
    b.add_argument(
        "--no-check", action="store_true", help="skip grading the solution and the blank notebook"
    )
    b.add_argument("-j", "--workers", type=_positive(int), default=None)
    b.add_argument("--build-dir", type=Path, default=None, help=argparse.SUPPRESS)
    b.set_defaults(func=_cmd_build)
    ls = sub.add_parser("list", help="list the exercises")
    ls.set_defaults(func=_cmd_list)
