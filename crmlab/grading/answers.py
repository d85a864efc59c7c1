"""Answers as plain data: the only thing that leaves the process that ran a submission.

:func:`encode` turns the answer variables the tests read into JSON-able data (numbers,
strings, lists, dicts, numpy arrays, pandas Series/DataFrames/Index, dates); anything else
(functions, classes, objects with their own ``__eq__``) becomes a tagged "unsupported"
value, so a student object can never run code in the process that scores it.
:func:`decode` rebuilds the values there and turns anything malformed into
:class:`Unsupported` (tests then fail).

:func:`read_answers` reads an answers file without trusting it: it opens without following
links and without blocking (``O_NONBLOCK``: a FIFO cannot stall the grader), accepts a
regular file only (``fstat``), caps the size, checks the nesting depth with a linear scan
before ``json.loads`` (whose C parser recurses once per level) and returns a problem
instead of raising.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat

MAX_DEPTH = 12
MAX_ITEMS = 200_000
MAX_STATE_BYTES = 20_000_000
_MAX_JSON_DEPTH = 4 * MAX_DEPTH + 16  # encode() nests a few JSON levels per level
_SAFE_DTYPES = {
    "int64",
    "float64",
    "bool",
    "object",
    "str",
    "string",
    "category",
    "Int64",
    "Float64",
    "boolean",
    "datetime64[ns]",
    "datetime64[us]",
    "datetime64[ms]",
    "datetime64[s]",
}


class Unsupported:
    """Stands in for an answer that could not be carried over as data (tests then fail)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"<answer of unsupported type {self.kind}>"


class _TooBig(Exception):
    pass


def encode(obj, _depth: int = 0):
    """Turn an answer into JSON-able data: numbers, strings, lists and tagged objects.

    Supported: None, bool, int, float, str, Ellipsis, numpy scalars and arrays, list,
    tuple, set, dict, pandas Series, DataFrame, Index, Timestamp, dates. Anything else
    (functions, classes, open files...) becomes ``{"__unsupported__": type name}``.
    """
    import numpy as np
    import pandas as pd

    if _depth > MAX_DEPTH:
        raise _TooBig("nested too deeply")
    if obj is None or isinstance(obj, (bool, str)):
        return str(obj) if isinstance(obj, str) and type(obj) is not str else obj
    if obj is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if obj is pd.NaT:
        return {"__nat__": True}
    if obj is pd.NA:
        return {"__na__": True}
    if isinstance(obj, np.generic) and not isinstance(obj, (np.datetime64, np.timedelta64)):
        return encode(obj.item(), _depth + 1)
    nxt = _depth + 1
    if isinstance(obj, (list, tuple, set, frozenset)):
        if len(obj) > MAX_ITEMS:
            raise _TooBig("too many items")
        items = [encode(x, nxt) for x in obj]
        if isinstance(obj, list):
            return items
        return {"__tuple__": items} if isinstance(obj, tuple) else {"__set__": items}
    if isinstance(obj, dict):
        if len(obj) > MAX_ITEMS:
            raise _TooBig("too many items")
        return {"__dict__": [[encode(k, nxt), encode(v, nxt)] for k, v in obj.items()]}
    if isinstance(obj, pd.DataFrame):
        if obj.size > MAX_ITEMS:
            raise _TooBig("too many cells")
        return {
            "__frame__": {
                "columns": [encode(c, nxt) for c in obj.columns],
                "index": [encode(i, nxt) for i in obj.index],
                "index_name": encode(obj.index.name, nxt),
                "data": [
                    [encode(v, nxt) for v in obj.iloc[:, j].tolist()] for j in range(obj.shape[1])
                ],
                "dtypes": [str(t) for t in obj.dtypes],
            }
        }
    if isinstance(obj, pd.Series):
        if obj.size > MAX_ITEMS:
            raise _TooBig("too many items")
        return {
            "__series__": {
                "values": [encode(v, nxt) for v in obj.tolist()],
                "index": [encode(i, nxt) for i in obj.index],
                "index_name": encode(obj.index.name, nxt),
                "name": encode(obj.name, nxt),
                "dtype": str(obj.dtype),
            }
        }
    if isinstance(obj, pd.Index):
        if obj.size > MAX_ITEMS:
            raise _TooBig("too many items")
        return {"__index__": [encode(v, nxt) for v in obj.tolist()], "name": encode(obj.name, nxt)}
    if isinstance(obj, np.ndarray):
        if obj.size > MAX_ITEMS:
            raise _TooBig("too many items")
        return {"__ndarray__": encode(obj.tolist(), nxt), "dtype": str(obj.dtype)}
    if isinstance(obj, (pd.Timestamp, _dt.datetime, np.datetime64)):
        return {"__datetime__": pd.Timestamp(obj).isoformat()}
    if isinstance(obj, _dt.date):
        return {"__date__": obj.isoformat()}
    if isinstance(obj, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
        return {"__timedelta__": pd.Timedelta(obj).total_seconds()}
    return {"__unsupported__": type(obj).__name__}


def decode(data, _depth: int = 0):
    """Inverse of :func:`encode`; malformed input gives :class:`Unsupported` values."""
    import numpy as np
    import pandas as pd

    if _depth > MAX_DEPTH + 2:
        return Unsupported("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    nxt = _depth + 1
    if isinstance(data, list):
        return [decode(x, nxt) for x in data]
    if not isinstance(data, dict) or len(data) not in (1, 2, 3):
        return Unsupported("malformed")
    try:
        if "__ellipsis__" in data:
            return Ellipsis
        if "__na__" in data:
            return pd.NA
        if "__nat__" in data:
            return pd.NaT
        if "__tuple__" in data:
            return tuple(decode(x, nxt) for x in data["__tuple__"])
        if "__set__" in data:
            return set(decode(x, nxt) for x in data["__set__"])
        if "__dict__" in data:
            return {decode(k, nxt): decode(v, nxt) for k, v in data["__dict__"]}
        if "__series__" in data:
            d = data["__series__"]
            s = pd.Series(
                [decode(v, nxt) for v in d["values"]],
                index=_index([decode(i, nxt) for i in d["index"]], decode(d["index_name"], nxt)),
                name=decode(d["name"], nxt),
                dtype=object,
            )
            return _astype(s, d.get("dtype"))
        if "__frame__" in data:
            d = data["__frame__"]
            columns = [decode(c, nxt) for c in d["columns"]]
            index = _index([decode(i, nxt) for i in d["index"]], decode(d["index_name"], nxt))
            frame = pd.DataFrame(
                {
                    j: pd.Series([decode(v, nxt) for v in col], index=index, dtype=object)
                    for j, col in enumerate(d["data"])
                },
                index=index,
            )
            for j, dtype in enumerate(d["dtypes"]):
                frame[j] = _astype(frame[j], dtype)
            frame.columns = columns if columns else frame.columns
            return frame
        if "__index__" in data:
            return _index([decode(v, nxt) for v in data["__index__"]], decode(data["name"], nxt))
        if "__ndarray__" in data:
            values = decode(data["__ndarray__"], nxt)
            dtype = data.get("dtype")
            try:
                return np.array(values, dtype=dtype if dtype in _SAFE_DTYPES else None)
            except (TypeError, ValueError):
                return np.array(values, dtype=object)
        if "__datetime__" in data:
            return pd.Timestamp(data["__datetime__"])
        if "__date__" in data:
            return _dt.date.fromisoformat(data["__date__"])
        if "__timedelta__" in data:
            return pd.Timedelta(seconds=float(data["__timedelta__"]))
        if "__unsupported__" in data:
            return Unsupported(str(data["__unsupported__"])[:60])
    except Exception as exc:  # noqa: BLE001 - untrusted data: any failure means "unsupported"
        return Unsupported(f"malformed ({type(exc).__name__})")
    return Unsupported("malformed")


def _index(values, name):
    import pandas as pd

    index = pd.Index(values, tupleize_cols=True)
    if name is not None and not isinstance(index, pd.MultiIndex):
        index.name = name
    return index


def _astype(series, dtype):
    if dtype not in _SAFE_DTYPES or dtype == "object":
        return series.infer_objects()
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series.infer_objects()


# --- reading an answers file -------------------------------------------------------------
def json_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text (brackets inside strings ignored),
    found in one pass without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "[" or ch == "{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch == "]" or ch == "}":
            depth -= 1
    return deepest


def parse_state(data: bytes) -> tuple[dict, str | None]:
    """Parse the bytes of an answers file: ``(state, None)`` or ``({}, problem)``."""
    if len(data) > MAX_STATE_BYTES:
        return {}, f"answers file over {MAX_STATE_BYTES // 10**6} MB"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}, "answers file is not UTF-8"
    if not text.strip():
        return {}, "answers file is empty"
    if json_depth(text) > _MAX_JSON_DEPTH:
        return {}, "answers file nested too deeply"
    try:
        state = json.loads(text)
    except (ValueError, RecursionError):
        return {}, "answers file is not valid JSON"
    if not isinstance(state, dict):
        return {}, "answers file does not hold a JSON object"
    if not isinstance(state.get("answers", {}), dict):
        return {}, "answers file holds no answers"
    return state, None


def read_answers(path) -> tuple[dict, str | None]:
    """Read one answers file defensively: ``(state, None)`` or ``({}, problem)``.

    Never follows a final symbolic link, never blocks on a FIFO or a device, never reads
    more than :data:`MAX_STATE_BYTES` (+1 byte to notice a larger file)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return {}, "no answers file"
    except OSError as exc:
        return {}, f"answers file cannot be opened ({exc.strerror})"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return {}, "answers file is not a regular file"
        chunks, size = [], 0
        while size <= MAX_STATE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_STATE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return {}, f"answers file cannot be read ({exc.strerror})"
    finally:
        os.close(fd)
    return parse_state(b"".join(chunks))


def newest_state(paths) -> tuple[dict, str | None]:
    """The runner writes its state to two files in turn, each with a sequence number, so a
    process killed during one write leaves the other intact. Returns the valid state with
    the highest ``seq``, or ``({}, problem)``."""
    best, problems = None, []
    for path in paths:
        state, problem = read_answers(path)
        if problem is None:
            seq = state.get("seq")
            if isinstance(seq, int) and not isinstance(seq, bool):
                if best is None or seq > best["seq"]:
                    best = state
                continue
            problem = "answers file has no sequence number"
        problems.append(problem)
    if best is not None:
        return best, None
    real = [p for p in problems if p not in ("answers file is empty", "no answers file")]
    return {}, (real or problems or ["no answers file"])[0]
