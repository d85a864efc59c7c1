"""The Chinese editions of the notebooks (notebooks/zh/) against the English ones.

A Chinese edition is the English notebook with its prose translated: the same cells, with
the same ids, in the same order, and code cells identical to the last character, so that a
change to the English code fails here until ``tools/sync_editions.py`` has carried it over.
The tool itself is tested on temporary copies.
"""

import copy
import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PAIRS = [(NOTEBOOKS / p.name, p) for p in sorted((NOTEBOOKS / "zh").glob("*.ipynb"))]
CJK = re.compile(r"[\u3400-\u9fff]")

_spec = importlib.util.spec_from_file_location("sync_editions", ROOT / "tools/sync_editions.py")
sync_editions = importlib.util.module_from_spec(_spec)
sys.modules["sync_editions"] = sync_editions  # dataclasses look their module up there
_spec.loader.exec_module(sync_editions)


def edition_differences(english, chinese) -> list[str]:
    """Every way ``chinese`` is not a translation of ``english`` (empty if it is one)."""
    problems = []
    en_ids = [c.get("id") for c in english.cells]
    zh_ids = [c.get("id") for c in chinese.cells]
    if en_ids != zh_ids:
        only_en = [i for i in en_ids if i not in zh_ids]
        only_zh = [i for i in zh_ids if i not in en_ids]
        problems.append(
            f"cell ids differ (English only {only_en}, Chinese only {only_zh}"
            + (", or the order differs)" if not only_en and not only_zh else ")")
        )
    en_code = [(c.get("id"), c.source) for c in english.cells if c.cell_type == "code"]
    zh_code = [(c.get("id"), c.source) for c in chinese.cells if c.cell_type == "code"]
    if len(en_code) != len(zh_code):
        problems.append(f"{len(en_code)} English code cells, {len(zh_code)} Chinese")
    for (en_id, en_src), (zh_id, zh_src) in zip(en_code, zh_code, strict=False):
        if en_src != zh_src:
            problems.append(f"code cell {en_id} (Chinese {zh_id}) differs from the English")
    for en_cell, zh_cell in zip(english.cells, chinese.cells, strict=False):
        if en_cell.cell_type != zh_cell.cell_type:
            problems.append(
                f"cell {en_cell.get('id')}: {en_cell.cell_type} in English, "
                f"{zh_cell.cell_type} in Chinese"
            )
    for cell in chinese.cells:
        if cell.cell_type == "markdown" and not CJK.search(cell.source):
            problems.append(f"markdown cell {cell.get('id')} has no Chinese text")
    return problems


def test_every_chinese_edition_has_an_english_original():
    assert PAIRS, "no Chinese editions in notebooks/zh/"
    missing = [zh.name for en, zh in PAIRS if not en.is_file()]
    assert not missing, f"Chinese editions without an English notebook: {missing}"


@pytest.mark.parametrize("english, chinese", PAIRS, ids=lambda p: p.name)
def test_chinese_edition_matches_english(english, chinese):
    en = nbformat.read(english, as_version=4)
    zh = nbformat.read(chinese, as_version=4)
    problems = edition_differences(en, zh)
    assert not problems, (
        f"{chinese.relative_to(ROOT)} is out of step with {english.relative_to(ROOT)}; run "
        f"`python tools/sync_editions.py {english.relative_to(ROOT)}`:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("english, chinese", PAIRS, ids=lambda p: p.name)
def test_chinese_edition_links_resolve(english, chinese):
    # relative links from notebooks/zh/ to a file and, for course notes, an anchor `(label)=`
    zh = nbformat.read(chinese, as_version=4)
    text = "\n".join(c.source for c in zh.cells if c.cell_type == "markdown")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (chinese.parent / path).resolve()
        if not file.is_file():
            broken.append(target)
        elif anchor and f"({anchor})=" not in file.read_text(encoding="utf-8"):
            broken.append(target)
    assert not broken, f"links that lead nowhere in {chinese.name}: {broken}"


# --- the check itself, and tools/sync_editions.py, on hand-made notebooks -----------------
def _pair():
    en = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    en.cells = [
        nbformat.v4.new_markdown_cell("# Title", id="m1"),
        nbformat.v4.new_code_cell("x = 1\nx", id="c1"),
        nbformat.v4.new_markdown_cell("**Reading.** x is 1.", id="m2"),
    ]
    zh = copy.deepcopy(en)
    zh.cells[0].source = "# 标题"
    zh.cells[2].source = "**解读.** x 等于 1。"
    zh.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"})]
    zh.cells[1].execution_count = 1
    return en, zh


def test_edition_check_passes_a_faithful_translation():
    en, zh = _pair()
    assert edition_differences(en, zh) == []


def test_edition_check_fails_on_a_changed_code_cell():
    en, zh = _pair()
    zh.cells[1].source = "x = 1\nx "  # one trailing space
    assert edition_differences(en, zh) == ["code cell c1 (Chinese c1) differs from the English"]


def test_edition_check_fails_on_a_changed_id_or_order():
    en, zh = _pair()
    zh.cells[2].id = "m3"
    assert (
        edition_differences(en, zh)[0]
        == "cell ids differ (English only ['m2'], Chinese only ['m3'])"
    )
    en, zh = _pair()
    zh.cells[0], zh.cells[2] = zh.cells[2], zh.cells[0]
    assert "or the order differs" in edition_differences(en, zh)[0]


def test_edition_check_fails_on_untranslated_markdown():
    en, zh = _pair()
    zh.cells[2].source = en.cells[2].source
    assert edition_differences(en, zh) == ["markdown cell m2 has no Chinese text"]


def test_sync_carries_new_code_and_keeps_translations(tmp_path):
    en, zh = _pair()
    en.cells[1].source = "x = 2\nx"  # the English code changed
    en.cells.insert(2, nbformat.v4.new_code_cell("y = x + 1", id="c2"))  # and gained a cell
    en_path, zh_path = tmp_path / "01_a.ipynb", tmp_path / "zh" / "01_a.ipynb"
    zh_path.parent.mkdir()
    nbformat.write(en, en_path)
    nbformat.write(zh, zh_path)
    assert sync_editions.main([str(en_path), "--check"]) == 1
    assert sync_editions.main([str(en_path)]) == 0
    rebuilt = nbformat.read(zh_path, as_version=4)
    assert edition_differences(en, rebuilt) == []
    assert [c.source for c in rebuilt.cells] == [
        "# 标题",
        "x = 2\nx",
        "y = x + 1",
        "**解读.** x 等于 1。",
    ]
    assert rebuilt.cells[1].outputs == []  # changed code: stale outputs not kept
    # in step now; that the new code runs and prints the same is nbval's check, not this one
    assert sync_editions.main([str(en_path), "--check"]) == 0


def test_sync_keeps_outputs_of_unchanged_code(tmp_path):
    en, zh = _pair()
    en.cells[2].source = "**Reading.** x is one."  # prose changed, code not
    en_path, zh_path = tmp_path / "01_a.ipynb", tmp_path / "zh" / "01_a.ipynb"
    zh_path.parent.mkdir()
    nbformat.write(en, en_path)
    nbformat.write(zh, zh_path)
    assert sync_editions.main([str(en_path), "--check"]) == 0  # Chinese prose is kept by id
    assert sync_editions.main([str(en_path)]) == 0
    rebuilt = nbformat.read(zh_path, as_version=4)
    assert rebuilt.cells[1].outputs[0]["data"]["text/plain"] == "1"


def test_sync_refuses_new_english_markdown_without_translation(tmp_path, capsys):
    en, zh = _pair()
    en.cells.append(nbformat.v4.new_markdown_cell("## Key ideas\n\n- new", id="m9"))
    en_path, zh_path = tmp_path / "01_a.ipynb", tmp_path / "zh" / "01_a.ipynb"
    zh_path.parent.mkdir()
    nbformat.write(en, en_path)
    nbformat.write(zh, zh_path)
    before = zh_path.read_bytes()
    assert sync_editions.main([str(en_path)]) == 2
    err = capsys.readouterr().err
    assert "m9: no Chinese text for '## Key ideas'" in err
    assert zh_path.read_bytes() == before  # nothing written
    translations = tmp_path / "new.md"
    translations.write_text("<!-- cell m9 -->\n## 要点\n\n- 新的\n", encoding="utf-8")
    assert sync_editions.main([str(en_path), "--translations", str(translations)]) == 0
    assert nbformat.read(zh_path, as_version=4).cells[-1].source == "## 要点\n\n- 新的"


def test_sync_refuses_english_text_and_unknown_ids_in_translations(tmp_path):
    en, zh = _pair()
    translations = tmp_path / "t.md"
    translations.write_text(
        "<!-- cell m1 -->\n# Title again\n<!-- cell c1 -->\n代码\n<!-- cell zz -->\n中文\n",
        encoding="utf-8",
    )
    with pytest.raises(sync_editions.EditionError) as err:
        sync_editions.sync(en, zh, sync_editions.read_translations(translations))
    message = str(err.value)
    assert "m1: the translation has no Chinese characters" in message
    assert "c1: not a markdown cell of the English edition" in message
    assert "zz: not a markdown cell of the English edition" in message
