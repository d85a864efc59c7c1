"""One variant per student: a class roster, the seed of each student's company, and the
match of a submission to its student.

``crmlab exercises build --per-student roster.csv --course-seed SECRET`` builds, for every
student of the roster, the exercise on a company simulated with a seed derived from the
student id and the instructor's course secret (:func:`student_variant`): the same secret
and id always give the same company, and without the secret nobody can rebuild another
student's variant. The student notebooks go to ``build/per-student/ID/NN_slug/student/``
(hand each student their folder); the mapping student -> seed and size is written only to
``build/per-student/roster.json``, in the instructor's private build folder (mode 0700),
never into a student notebook.

``crmlab grade NN submissions/ --per-student roster.csv --course-seed SECRET`` grades each
submission against its student's variant. The student is found from the submission's
**file name**, which must start with the student id followed by ``_``, ``-``, ``.``, a
space or nothing (``S001_02_segmentation.ipynb``, ``S001.ipynb``; the longest id that fits
wins), as learning platforms name downloaded submissions; the notebook's content is never
trusted for it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

ID_COLUMN = "student_id"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SEPARATORS = ("_", "-", ".", " ")


class RosterError(ValueError):
    """The roster, the course secret or a submission's student is not usable."""


def read_roster(path: str | Path) -> list[str]:
    """The student ids of a roster CSV (UTF-8, a BOM allowed), in file order.

    The CSV needs a column ``student_id``; other columns (names, e-mails) are ignored.
    Every id must be present, unique, and made of letters, digits, ``_``, ``.`` or ``-``
    (at most 64), since it names the student's build folder.

    Raises
    ------
    RosterError
        If the file cannot be read, has no ``student_id`` column, no student, an empty,
        malformed or duplicated id (the message names the rows).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"roster {path}: cannot be read as UTF-8 text ({exc}).") from exc
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if ID_COLUMN not in columns:
        raise RosterError(
            f"roster {path}: no column {ID_COLUMN!r} (it has {columns or 'no header'}); "
            f"the first line must name the columns, one of them {ID_COLUMN!r}."
        )
    ids: list[str] = []
    rows: dict[str, list[int]] = {}
    bad = []
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip(): v for k, v in row.items()}
        sid = (row.get(ID_COLUMN) or "").strip()
        if not _ID.match(sid):
            bad.append(f"line {line_no}: {sid!r}")
            continue
        rows.setdefault(sid, []).append(line_no)
        ids.append(sid)
    if bad:
        raise RosterError(
            f"roster {path}: empty or malformed {ID_COLUMN} ({'; '.join(bad[:10])}); use "
            "letters, digits, '_', '.' or '-' (at most 64)."
        )
    twice = {sid: lines for sid, lines in rows.items() if len(lines) > 1}
    if twice:
        listed = "; ".join(f"{sid!r} on lines {lines}" for sid, lines in list(twice.items())[:10])
        raise RosterError(f"roster {path}: student ids more than once: {listed}.")
    if not ids:
        raise RosterError(f"roster {path}: no student listed.")
    return ids


def student_variant(student_id: str, course_seed: str, *, size: int | None = None) -> dict:
    """The variant of one student: seed = the first 8 hex digits of
    sha256(course secret, student id), named by the student id."""
    from crmlab.grading import build

    if not str(course_seed or "").strip():
        raise RosterError(
            "a per-student build needs --course-seed: a secret of the course (any text) from "
            "which, with each student id, the seed of the student's company is derived."
        )
    digest = hashlib.sha256(f"{course_seed}\0{student_id}".encode()).hexdigest()
    return build.variant_spec(seed=int(digest[:8], 16), name=student_id, size=size)


def per_student_dir(build_dir: Path | None = None) -> Path:
    """Root of the per-student builds: ``build/per-student/`` of the repository."""
    from crmlab.grading import build

    if build_dir is not None:
        return Path(build_dir)
    return build.exercises_dir().resolve().parent / "build" / "per-student"


def build_per_student(
    names: list[str] | None,
    roster: str | Path,
    course_seed: str,
    *,
    build_dir: Path | None = None,
    check: bool = True,
    workers: int | None = None,
    log=print,
) -> dict[str, dict]:
    """Build the exercises ``names`` (default all) once per student of ``roster``; write
    the mapping to ``roster.json`` of the (private) per-student folder and return it."""
    from crmlab.grading import build

    ids = read_roster(roster)
    specs = {sid: student_variant(sid, course_seed) for sid in ids}
    root = per_student_dir(build_dir)
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o700)  # the mapping and every student's hidden tests: the instructor's only
    mapping = {}
    for sid, spec in specs.items():
        folder = root / sid
        build.build_all(
            names, build_dir=folder, variant=spec, check=check, workers=workers, log=log
        )
        mapping[sid] = {"seed": spec["seed"], "n_customers": spec["n_customers"]}
    (root / "roster.json").write_text(json.dumps(mapping, indent=1), encoding="utf-8")
    log(f"{len(ids)} students: hand out {root}/ID/NN_slug/student/; mapping in {root}/roster.json")
    return mapping


def student_of(label: str, ids: list[str]) -> str | None:
    """The roster id a submission's file name starts with (the longest), or None."""
    stem = Path(label).name
    stem = stem[: -len(".ipynb")] if stem.endswith(".ipynb") else stem
    fits = [
        sid for sid in ids if stem == sid or any(stem.startswith(sid + sep) for sep in _SEPARATORS)
    ]
    return max(fits, key=len) if fits else None


def match_submissions(items: list[tuple[str, Path]], ids: list[str]) -> dict[str, str]:
    """``{label: student id}`` for every submission, or :class:`RosterError` naming the
    files whose name starts with no student id of the roster."""
    found, unknown = {}, []
    for label, _ in items:
        sid = student_of(label, ids)
        if sid is None:
            unknown.append(label)
        else:
            found[label] = sid
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise RosterError(
            f"{len(unknown)} submissions belong to no student of the roster: {shown}{more}. "
            "Each file name must start with the student's id (e.g. S001_02_segmentation.ipynb)."
        )
    return found


def autograders_for(
    exercise: str,
    found: dict[str, str],
    course_seed: str,
    *,
    build_dir: Path | None = None,
    log=None,
) -> dict[str, object]:
    """``{label: Autograder}``: each submission's student's variant (built if missing)."""
    from crmlab.grading import build

    root = per_student_dir(build_dir)
    by_student = {}
    for sid in sorted(set(found.values())):
        spec = student_variant(sid, course_seed)
        folder = root / sid
        record = folder / build.resolve(exercise) / "build.json"
        if record.exists() and json.loads(record.read_text("utf-8")).get("variant") != spec:
            raise RosterError(
                f"the build of student {sid!r} in {folder} was made with another course "
                "secret: give the --course-seed used for the build (or build again)."
            )
        if not record.exists():
            if log:
                log(f"building the variant of student {sid}")
            root.mkdir(parents=True, exist_ok=True)
            root.chmod(0o700)
            build.build_exercise(exercise, variant=spec, build_dir=folder, check=False)
        by_student[sid] = build.load_autograder(exercise, build_dir=folder, log=log)
    return {label: by_student[sid] for label, sid in found.items()}
