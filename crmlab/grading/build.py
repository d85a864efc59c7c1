"""Building exercises: student notebooks, data extracts and autograders.

An exercise lives in ``exercises/NN_slug/``: ``source/NN_slug.ipynb`` is the master in
otter-grader 7 format (solutions, public and hidden exception-based tests) and
``source/data.py`` writes the small data extract the notebook reads. :func:`build_exercise`
runs ``otter assign`` on a copy, writes the student notebook (with stable cell ids) and
the extract to ``exercises/NN_slug/student/`` and the autograder to the ignored
``build/exercises/NN_slug/``; :func:`load_autograder` reads it into memory for grading.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


class BuildError(RuntimeError):
    """An exercise did not build, or its solution does not pass its own tests."""


# --- where things are ------------------------------------------------------------------
def exercises_dir() -> Path:
    """Folder holding the exercises: ``$CRMLAB_EXERCISES_DIR`` or ``exercises/`` of the repo."""
    env = os.environ.get("CRMLAB_EXERCISES_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2] / "exercises"
    return repo if repo.is_dir() else Path.cwd() / "exercises"


def default_build_dir() -> Path:
    return exercises_dir().resolve().parent / "build" / "exercises"


# --- variants: the same exercise on another synthetic company -------------------------
# at least 4,000 customers: on 3,000 (the variant "term-2025") the Gamma-Gamma spend fit of
# exercise 05 ends at q = 0.998 <= 1, where the model has no finite mean spend and gave
# every one-time buyer a negative lifetime value; crmlab.btyd now refuses such a fit with
# a clear error (the build of that variant stops, naming q), and the smallest size keeps
# the variants away from it
VARIANT_SIZES = (4000, 6000, 7000, 8000)
MIN_VARIANT_SIZE = 4000


def variant_spec(*, seed: int | None = None, name: str | None = None, size: int | None = None):
    """A variant: ``{"name", "seed", "n_customers"}``. ``--seed S`` gives the variant
    ``seedS`` (size from the seed unless given); ``--variant NAME`` derives the seed from the
    name (a student's id, a term: any text), so the same name always gives the same data."""
    if seed is None and name is None:
        return None
    if seed is None:
        seed = int(hashlib.sha256(str(name).encode()).hexdigest()[:8], 16)
    if seed == 20240101 and size is None:  # pragma: no cover - the committed company's seed
        size = 5000
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"a variant's seed must be a whole number >= 0, got {seed!r}.")
    size = int(size) if size is not None else VARIANT_SIZES[seed % len(VARIANT_SIZES)]
    if size < MIN_VARIANT_SIZE:
        raise ValueError(
            f"a variant needs at least {MIN_VARIANT_SIZE} customers (the lifetime-value fit "
            f"of exercise 05 is unstable below), got {size}."
        )
    label = name if name is not None else f"seed{seed}"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", str(label)):
        raise ValueError(
            f"variant name {label!r}: use letters, digits, '_', '.' or '-' (at most 64)."
        )
    return {"name": str(label), "seed": int(seed), "n_customers": size}


def variant_build_dir(variant: dict) -> Path:
    """Where a variant's autograders and student folders go: ``build/variants/NAME/``."""
    return exercises_dir().resolve().parent / "build" / "variants" / variant["name"]


def _variant_data(variant: dict, root: Path) -> Path:
    """A data folder for the variant: the committed real data sets and a freshly simulated
    company (``simulate_company(seed, n_customers)``), with its own MANIFEST."""
    from crmlab import datasets
    from crmlab.simulate import simulate_company, write_company

    folder = root / "_data"
    stamp = folder / "variant.json"
    if stamp.exists() and json.loads(stamp.read_text("utf-8")) == variant:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = datasets.data_dir()
    lines = []
    for line in (source / "MANIFEST").read_text("utf-8").splitlines():
        digest, rel = line.split(None, 1)
        if rel.startswith("company/"):
            continue
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).symlink_to((source / rel).resolve())
        lines.append(line)
    company = simulate_company(seed=variant["seed"], n_customers=variant["n_customers"])
    for path in write_company(company, folder):
        lines.append(f"{datasets.sha256(path)}  {path.relative_to(folder).as_posix()}")
    (folder / "MANIFEST").write_text("\n".join(sorted(lines, key=lambda x: x.split()[1])) + "\n")
    stamp.write_text(json.dumps(variant), "utf-8")
    return folder


@contextlib.contextmanager
def _data_from(folder: Path | None):
    if folder is None:
        yield
        return
    from crmlab import datasets

    old = os.environ.get("CRMLAB_DATA_DIR")
    os.environ["CRMLAB_DATA_DIR"] = str(folder)
    datasets._manifest.cache_clear()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CRMLAB_DATA_DIR", None)
        else:
            os.environ["CRMLAB_DATA_DIR"] = old
        datasets._manifest.cache_clear()


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


def resolve(name: str) -> str:
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


def _fingerprint(exercise: str, variant: dict | None = None) -> dict:
    src = exercises_dir() / exercise / "source"
    from crmlab import datasets

    def digest(path: Path) -> str:
        return datasets.sha256(path) if path.exists() else ""

    return {
        "master": digest(src / f"{exercise}.ipynb"),
        "data_py": digest(src / "data.py"),
        "mistakes": digest(src / "mistakes.yaml"),
        "manifest": digest(datasets.data_dir() / "MANIFEST"),
        "variant": variant,
    }


def build_exercise(
    exercise: str,
    *,
    build_dir: Path | None = None,
    update_student: bool = True,
    check: bool = True,
    practice: bool = True,
    variant: dict | None = None,
    _pool=None,
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
    practice : bool
        Put the value checks (with the diagnosed mistakes) in the student notebook, so that
        ``grader.check`` tells whether a value is right (the committed practice edition).
        Without it the student notebook checks only the form.
    variant : dict, optional
        Build the variant :func:`variant_spec` describes: the data extract comes from a
        company simulated with its seed and size, the expected values from running the
        master's solution on it, and the student notebook checks the form only (no
        values). Written under ``build/variants/NAME/`` (never into ``exercises/``).
    check : bool
        Grade the solution (must get full marks) and the blank student notebook (must
        get zero and run without error); raise :class:`BuildError` otherwise.

    Returns
    -------
    dict
        The build record (also saved as ``build.json``), with the check's gradebook
        rows under ``"check"`` when ``check`` is true.
    """
    from crmlab.grading import keys
    from crmlab.grading.runner import without_rfc3987

    with without_rfc3987():
        import nbformat
        from otter.assign import main as otter_assign

    name = resolve(exercise)
    source = exercises_dir() / name / "source"
    _, untranslated = keys.master_form_messages(source / f"{name}.ipynb")
    if untranslated:  # the form checks speak English and Chinese, as the value checks
        raise BuildError(
            f"{name}: form checks without their Chinese message: " + "; ".join(untranslated)
        )
    if variant is not None:
        build_dir = Path(build_dir or variant_build_dir(variant))
        update_student, practice = False, False
    out = Path(build_dir or default_build_dir()) / name
    shutil.rmtree(out, ignore_errors=True)
    (out / "src").mkdir(parents=True)
    out.chmod(0o700)  # holds the hidden tests: private to the grading user
    shutil.copy2(source / f"{name}.ipynb", out / "src" / f"{name}.ipynb")
    extract = _load_extract(name)
    data = _variant_data(variant, Path(build_dir)) if variant is not None else None
    with _data_from(data):
        files = [Path(p).name for p in extract.write(out / "src")] if extract else []
        swaps = extract.substitutions() if hasattr(extract, "substitutions") else {}
    if swaps:  # the master names things of the committed company: this variant's instead
        _substitute(out / "src" / f"{name}.ipynb", swaps)
        (out / "swaps.json").write_text(json.dumps(swaps, ensure_ascii=False), "utf-8")
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
    key, compare = _answer_key(name, source, out, files, strict=variant is None)
    _add_value_tests(zips[0], out / "autograder.zip", key, compare)
    student = out / "student"
    student.mkdir()
    nb = _stable_ids(json.loads((out / "dist" / "student" / f"{name}.ipynb").read_text("utf-8")))
    public = nb["metadata"]["otter"]["tests"]
    for q in public:  # the form checks speak the student's language (CRMLAB_LANG)
        public[q] = keys.form_language(public[q], None)
    if practice:
        nb = _practice_checks(nb, key, compare)
    # Lab's kernel metadata, so that opening and saving the notebook leaves no diff
    from crmlab._notebooks import KERNELSPEC, language_info

    nb["metadata"]["kernelspec"] = dict(KERNELSPEC)
    nb["metadata"]["language_info"] = language_info()
    nbformat.write(nbformat.from_dict(nb), student / f"{name}.ipynb")
    for f in files:
        shutil.copy2(out / "src" / f, student / f)
    with zipfile.ZipFile(out / "autograder.zip") as zf:
        tests = sorted(Path(n).stem for n in zf.namelist() if n.startswith("tests/"))
    record = {
        "exercise": name,
        "questions": _questions(source / f"{name}.ipynb"),
        "tests": tests,
        "files": files,
        "practice": practice,
        **_fingerprint(name, variant),
    }
    (out / "build.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    if check:
        ag = load_autograder(name, build_dir=build_dir, rebuild=False)
        rows = _check_rows(
            ag,
            [
                ("solution", out / "dist" / "autograder" / f"{name}.ipynb"),
                ("blank", student / f"{name}.ipynb"),
            ],
            pool=_pool,
            hidden=[out],
        )
        sol, blank = rows.set_index("file").loc["solution"], rows.set_index("file").loc["blank"]
        problems = []
        if sol["status"] != "ok" or abs(sol["total"] - sol["possible"]) > 1e-6:
            problems.append(
                f"the solution scores {sol['total']}/{sol['possible']} ({sol['status']})"
            )
        wrong_hints = rows.attrs["public_failures"].get("solution", [])
        if wrong_hints:  # a check the solution fails would mislead students
            problems.append(
                "the solution fails public checks (a hint written for the committed company?): "
                + "; ".join(wrong_hints)
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
    variant: dict | None = None,
    log=print,
) -> list[dict]:
    """Build several exercises (default: all), sharing one grading pool for the checks."""
    names = [resolve(n) for n in (names or list_exercises())]
    if variant is not None:
        build_dir = Path(build_dir or variant_build_dir(variant))
    records = []
    pool_cm = contextlib.nullcontext()
    if check:
        from crmlab.grading import run, sandbox

        pool_cm = run.Pool(
            workers or min(2, run.cpu_count()),
            sandbox.choose(None),
            hidden=[Path(build_dir or default_build_dir())],
        )
    with pool_cm as pool:
        for name in names:
            t0 = time.perf_counter()
            records.append(
                build_exercise(
                    name,
                    build_dir=build_dir,
                    update_student=update_student,
                    check=check,
                    variant=variant,
                    _pool=pool,
                )
            )
            log(
                f"built {name}"
                + (
                    f" (variant {variant['name']}: seed {variant['seed']}, "
                    f"{variant['n_customers']} customers)"
                    if variant
                    else ""
                )
                + f" in {time.perf_counter() - t0:.1f} s"
                + (" (solution: full marks; blank: 0)" if check else "")
                + (f"; hand out {Path(build_dir) / name / 'student'}" if variant else "")
            )

    return records


def _substitute(path: Path, swaps: dict[str, str]) -> None:
    """Replace, in the copy of the master, each text of the committed company (a customer
    id, a count) by the variant's: ``source/data.py``'s ``substitutions()``, which works on
    the notebook's JSON text (a line break inside a cell is ``\\n", "``)."""
    text = path.read_text(encoding="utf-8")
    for old, new in swaps.items():
        if old != new:
            if old not in text:
                raise BuildError(f"{path.name}: substitution of {old!r}: not in the master.")
            text = text.replace(old, str(new))
    path.write_text(text, encoding="utf-8")


# --- the answer key -------------------------------------------------------------------------
def _answer_key(name: str, source: Path, out: Path, files: list[str], *, strict: bool = True):
    """Run the solution (written by otter assign) next to the data; return the key
    (saved as ``key.json`` in the private build folder) and the comparison settings."""
    from crmlab.grading import keys

    work = out / "key"
    work.mkdir()
    shutil.copy2(out / "dist" / "autograder" / f"{name}.ipynb", work / f"{name}.ipynb")
    for f in files:
        shutil.copy2(out / "src" / f, work / f)
    zips = sorted((out / "dist" / "autograder").glob("*.zip"))
    questions = {}
    manual = {q["name"] for q in _questions(source / f"{name}.ipynb") if q["manual"]}
    with zipfile.ZipFile(zips[0]) as zf:
        for member in zf.namelist():
            if member.startswith("tests/") and member.endswith(".py"):
                q = Path(member).stem
                if q not in manual:
                    questions[q] = _test_names(zf.read(member).decode("utf-8"))
    mistakes = keys.load_mistakes(source)
    for swaps in (
        [json.loads((out / "swaps.json").read_text("utf-8"))]
        if (out / "swaps.json").exists()
        else []
    ):
        for q, items in mistakes.items():
            if q != "compare":
                for m in items:
                    for old, new in swaps.items():
                        for f in ("code", "hint", "hint_zh"):
                            m[f] = str(m.get(f, "")).replace(old, str(new))
    try:
        key = keys.compute_key(work / f"{name}.ipynb", questions, mistakes, strict=strict)
        keys.nan_free(key)
    except keys.KeyError_ as exc:
        raise BuildError(f"{name}: {exc}") from exc
    shutil.rmtree(work)
    (out / "key.json").write_text(json.dumps(key, indent=1, ensure_ascii=False), "utf-8")
    return key, mistakes["compare"]


def _add_value_tests(src_zip: Path, dest_zip: Path, key: dict, compare: dict) -> None:
    """Copy otter's autograder zip, appending the hidden value tests to each test file; the
    form checks there speak English (the gradebook's and the feedback's language)."""
    from crmlab.grading import keys

    with (
        zipfile.ZipFile(src_zip) as zin,
        zipfile.ZipFile(dest_zip, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            q = Path(info.filename).stem
            if info.filename.startswith("tests/") and info.filename.endswith(".py"):
                text = keys.form_language(data.decode("utf-8"), "en")
                if q in key:
                    text += keys.value_tests(q, key[q], compare, hidden=True)
                data = text.encode("utf-8")
            zout.writestr(info, data)


def _practice_checks(nb: dict, key: dict, compare: dict) -> dict:
    """Practice edition: the value tests (0 points, public) join each question's checks."""
    from crmlab.grading import keys

    tests = nb["metadata"]["otter"]["tests"]
    for q, entry in key.items():
        if q in tests:
            tests[q] = tests[q] + keys.value_tests(q, entry, compare, hidden=False)
    return nb


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
    name = resolve(exercise)
    out = Path(build_dir or default_build_dir()) / name
    record = None
    if (out / "build.json").exists() and (out / "autograder.zip").exists():
        record = json.loads((out / "build.json").read_text(encoding="utf-8"))
    variant = (record or {}).get("variant")
    stale = record is None or any(
        record.get(k) != v for k, v in _fingerprint(name, variant).items()
    )
    if stale:
        if not rebuild:
            raise FileNotFoundError(
                f"no up-to-date autograder for {name} in {out}: run `crmlab exercises build`."
            )
        if log:
            log(f"the autograder of {name} is missing or out of date: building it")
        build_exercise(
            name,
            build_dir=build_dir,
            update_student=False,
            check=False,
            variant=variant,
            practice=(record or {}).get("practice", True),
        )
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


def _check_rows(ag: Autograder, items, *, pool=None, hidden=()):
    """Grade the instructor's own notebooks (solution, blank) with the best isolation
    available here (they are trusted: no refusal without a sandbox)."""
    from crmlab.grading import gradebook, run, sandbox

    iso = pool.iso if pool is not None else sandbox.choose(None)
    results = run.grade_items(ag, items, iso=iso, pool=pool, hidden=list(hidden))
    frame = gradebook.gradebook_frame(ag, results)
    frame.attrs["public_failures"] = {
        r["file"]: [
            f"{q}/{t['name']}: {t.get('message')}"
            for q, got in r["scores"].items()
            for t in got.get("tests", [])
            if not t.get("hidden") and not t.get("passed")
        ]
        for r in results
    }
    return frame
