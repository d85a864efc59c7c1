"""Time and peak memory of a call, run in a fresh child process so peaks do not mix."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def measure(code: str, python: str = sys.executable) -> dict:
    """Run ``code`` (which must set ``result`` to a JSON-able dict) in a child Python.

    ``python`` is the interpreter to run (default: this one; a benchmark may pass a
    reference venv's). Returns the child's dict plus ``seconds`` (wall time of the timed
    block, measured in the child) and ``peak_mb`` (the child's maximum resident set size).
    """
    script = "\n".join(
        [
            "import json, resource, time",
            "t0 = time.perf_counter()",
            textwrap.dedent(code).strip(),
            "seconds = time.perf_counter() - t0",
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024",
            'print(json.dumps({**result, "seconds": seconds, "peak_mb": peak}))',
        ]
    )
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


__all__ = ["measure"]
