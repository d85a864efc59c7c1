"""Scoring: the tests run on decoded answers, in a process that never ran student code.

``crmlab grade`` starts one scorer per worker (``python -c "from crmlab.grading.scorer
import main; main()"``, a plain process outside any sandbox: it runs only the instructor's
tests). Each line on its stdin is one request
``{"tests": {question: source}, "answers": <JSON text>}`` (tests sent from memory, never
read from disk here), handled in a fresh forked child that parses the tests with otter's
``ExceptionTestFile`` and runs them on the decoded answers, so answers of one submission
can never change how the next is scored. The child reports per question the points, and
per test its name, whether it is hidden, its points, whether it passed and a one-line
message (exception type and text, never the test code): what the gradebook and
``--feedback`` are made of.

Replies, one JSON line each: ``{"pid": ...}`` when the child exists (the grader kills its
process group after the time limit) and ``{"exit": ..., "result": ...}`` when it is gone.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from crmlab.grading import answers as _answers
from crmlab.grading import sandbox as _sandbox

_MESSAGE_CHARS = 300


def _send(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def message_of(exc: BaseException) -> str:
    """One line for a failed test: ``AssertionError: <its message>`` (no code, no
    traceback), at most 300 characters."""
    text = " ".join(str(exc).split())
    line = type(exc).__name__ + (f": {text}" if text else "")
    return line if len(line) <= _MESSAGE_CHARS else line[: _MESSAGE_CHARS - 3] + "..."


def parse_tests(tests: dict[str, str]) -> dict:
    """Question -> otter ``ExceptionTestFile`` (or the error that stopped parsing it)."""
    from otter.test_files.exception_test import ExceptionTestFile

    parsed = {}
    for question, source in tests.items():
        try:
            parsed[question] = ExceptionTestFile.from_string(source, path=f"tests/{question}.py")
        except Exception as exc:  # noqa: BLE001 - reported as that question's failure
            parsed[question] = exc
    return parsed


def score(parsed: dict, payload: dict) -> dict:
    """Run every question's tests on the decoded answers ``payload`` (name -> encoded
    value). Points follow otter's own rules (``TestFile.score``)."""
    from otter.test_files.abstract_test import TestCaseResult

    results = {}
    for question, test_file in parsed.items():
        if isinstance(test_file, Exception):
            results[question] = {
                "score": 0.0,
                "possible": None,
                "tests": [
                    {
                        "name": "(test file)",
                        "hidden": False,
                        "points": 0,
                        "passed": False,
                        "message": "test file error: " + message_of(test_file),
                    }
                ],
            }
            continue
        env = {name: _answers.decode(value) for name, value in payload.items()}
        test_file.test_case_results = []
        tests = []
        for tc in test_file.test_cases:
            try:
                tc.body.call_func(env)
                passed, message = True, ""
            except Exception as exc:  # noqa: BLE001 - a failing test, whatever it raised
                passed, message = False, message_of(exc)
            test_file.test_case_results.append(
                TestCaseResult(test_case=tc, message=message, passed=passed)
            )
            func = getattr(tc.body, "test_func", None)
            tests.append(
                {
                    "name": getattr(func, "__name__", None) or tc.name,
                    "hidden": bool(tc.hidden),
                    "points": float(tc.points or 0),
                    "passed": passed,
                    "message": message,
                }
            )
        results[question] = {
            "score": float(test_file.score),
            "possible": float(test_file.possible),
            "tests": tests,
        }
    return results


def _score_child(req: dict, wfd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, wfd)
    os.closerange(wfd + 1, 65536)
    _sandbox.set_limits(memory_mb=req.get("memory_mb"), cpu_seconds=req.get("cpu_seconds"))
    try:
        payload = json.loads(req.get("answers") or "{}")
    except (ValueError, RecursionError):
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    data = json.dumps(score(parse_tests(req.get("tests") or {}), payload)).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(wfd, view) :]
    os.close(wfd)
    os._exit(0)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader decides when we stop
    from crmlab.grading.runner import without_rfc3987

    with without_rfc3987():
        import numpy  # noqa: F401
        import otter.test_files.exception_test  # noqa: F401
        import pandas  # noqa: F401
    _send({"ready": True, "pid": os.getpid()})
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        if req.get("op") == "quit":
            break
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(rfd)
                os.setsid()
                _score_child(req, wfd)
            finally:
                os._exit(70)
        os.close(wfd)
        _send({"pid": pid})
        chunks = []
        while chunk := os.read(rfd, 1 << 16):
            chunks.append(chunk)
        os.close(rfd)
        _, status = os.waitpid(pid, 0)
        _send(
            {
                "exit": os.waitstatus_to_exitcode(status),
                "result": b"".join(chunks).decode("utf-8", "replace"),
            }
        )


if __name__ == "__main__":
    main()
