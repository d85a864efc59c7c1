"""Answers as plain data (``crmlab.grading.answers``): the codec, and the defensive reader
of the answers files a submission leaves (FIFOs, links, huge or deeply nested files)."""

from __future__ import annotations

import json
import math
import os
import threading

import numpy as np
import pandas as pd
import pytest

from crmlab.grading import answers


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2.5,
        math.inf,
        "二八",
        ...,
        [1, "a"],
        (1, 2),
        {1, 2},
        {"a": 1, 2: [3]},
        np.float64(0.25),
        np.int64(7),
        np.array([1.0, 2.0]),
        pd.Timestamp("2024-01-31"),
        pd.Series([1.5, 2.5], index=["C1", "C2"], name="revenue"),
        pd.Series(["vip", "small"], dtype="category"),
        pd.DataFrame({"customer_id": ["C1", "C2"], "revenue": [1.0, np.nan]}),
    ],
)
def test_answers_survive_the_trip_as_data(value):
    back = answers.decode(json.loads(json.dumps(answers.encode(value))))
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value)
    elif isinstance(value, np.ndarray):
        np.testing.assert_array_equal(back, value)
    else:
        assert back == value and type(back) is type(
            value.item() if isinstance(value, np.generic) else value
        )


def test_objects_that_are_not_data_become_unsupported():
    back = answers.decode(answers.encode(lambda: 1))
    assert isinstance(back, answers.Unsupported)
    assert isinstance(answers.decode({"__frame__": "garbage"}), answers.Unsupported)
    assert isinstance(answers.decode({"__bogus__": 1}), answers.Unsupported)


def test_encoding_is_bounded():
    nested: list = []
    for _ in range(answers.MAX_DEPTH + 5):
        nested = [nested]
    with pytest.raises(answers._TooBig):
        answers.encode(nested)
    with pytest.raises(answers._TooBig):
        answers.encode(list(range(answers.MAX_ITEMS + 1)))


def test_json_depth_counts_brackets_outside_strings():
    assert answers.json_depth("[" * 100_000) == 100_000
    assert answers.json_depth('{"a": "[[[{{", "b": [1, [2]]}') == 3  # {, [, [
    assert answers.json_depth('["\\"[["]') == 1  # an escaped quote does not end the string


def _state(seq: int, **kw) -> bytes:
    return json.dumps({"seq": seq, "status": "ok", "answers": {"x": 1}, **kw}).encode()


def test_the_reader_refuses_what_is_not_a_small_regular_json_file(tmp_path):
    good = tmp_path / "good.json"
    good.write_bytes(_state(1))
    assert answers.read_answers(good) == ({"seq": 1, "status": "ok", "answers": {"x": 1}}, None)
    cases = {
        "deep.json": (b"[" * 100_000, "answers file nested too deeply"),
        "text.json": (b"not json", "answers file is not valid JSON"),
        "list.json": (b"[1, 2]", "answers file does not hold a JSON object"),
        "latin1.json": (b'{"a": "\xe9"}', "answers file is not UTF-8"),
        "empty.json": (b"", "answers file is empty"),
        "noanswers.json": (b'{"answers": [1]}', "answers file holds no answers"),
    }
    for name, (content, problem) in cases.items():
        (tmp_path / name).write_bytes(content)
        assert answers.read_answers(tmp_path / name) == ({}, problem), name
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(answers.MAX_STATE_BYTES + 10)  # sparse: no disk used
    assert answers.read_answers(big) == ({}, "answers file over 20 MB")
    link = tmp_path / "link.json"
    link.symlink_to(good)
    state, problem = answers.read_answers(link)
    assert state == {} and problem.startswith("answers file cannot be opened")
    assert answers.read_answers(tmp_path / "missing.json") == ({}, "no answers file")


def test_a_fifo_never_blocks_the_reader(tmp_path):
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    result = {}
    reader = threading.Thread(target=lambda: result.update(r=answers.read_answers(fifo)))
    reader.start()
    reader.join(timeout=5)
    alive = reader.is_alive()
    if alive:  # unblock the thread before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert not alive
    assert result["r"] == ({}, "answers file is not a regular file")


def test_the_newest_valid_state_wins(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(_state(4, status="running"))
    b.write_bytes(_state(5))
    assert answers.newest_state([a, b])[0]["seq"] == 5
    b.write_bytes(_state(5)[:-7])  # killed in the middle of writing b: a still counts
    assert answers.newest_state([a, b]) == (
        {"seq": 4, "status": "running", "answers": {"x": 1}},
        None,
    )
    a.write_bytes(b"[" * 100_000)
    assert answers.newest_state([a, b]) == ({}, "answers file nested too deeply")
    a.write_bytes(b"")
    b.write_bytes(b"")
    assert answers.newest_state([a, b]) == ({}, "answers file is empty")
