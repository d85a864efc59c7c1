"""Real-browser tests: headless Chromium (driven by Playwright) through JupyterLab and the
website, as a reader would meet them.

- JupyterLab, on copies of notebook 00 and exercise 00 (the student notebook and its data)
  in a temporary folder: open, save without a change (the file must stay byte for byte the
  same: the kernel metadata is the one Lab writes), clear every output through the Edit
  menu, run every cell through the Run menu, then fail on any error output, any cell not
  run in order, any image that does not load, and fewer figures than the notebook stores.
- The website (built by the ``site`` fixture): the notebook 00 page (text, its figures,
  Chinese drawn by a CJK font) and the exercise 04 page (text, formulas drawn as MathML).

Screenshots go to ``build/browser/`` (CI keeps them as artefacts). Needs a Chromium
(Debian: ``apt-get install chromium fonts-noto-cjk``, which ``.ci/run`` does) or
``$CRMLAB_CHROMIUM``; without one the tests are skipped with the reason printed, and with
``CRMLAB_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead. No Chromium, Jupyter
or kernel process outlives the tests: the fixtures check, and kill and fail if one does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "browser"
NOTEBOOK = ROOT / "notebooks" / "00_why_crm.ipynb"
EXERCISE = ROOT / "exercises" / "00_why_crm" / "student"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
HAN = re.compile(r"[\u4e00-\u9fff]")
CJK_FAMILY = re.compile(r"CJK|Han|PingFang|YaHei|Hei|WenQuanYi|Source Han", re.I)


def _chromium() -> str | None:
    if os.environ.get("CRMLAB_CHROMIUM"):
        return os.environ["CRMLAB_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return bool(out.stdout.strip())


def _unavailable(reason: str):
    message = f"real-browser tests not run: {reason}"
    if os.environ.get("CRMLAB_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _reap(processes: list, what: str) -> None:
    """Wait for ``processes`` to end; kill survivors and fail, naming them."""
    import psutil

    _, alive = psutil.wait_procs(processes, timeout=20)
    if alive:
        names = ", ".join(f"{p.pid} {p.name()}" for p in alive if p.is_running())
        for p in alive:
            p.kill()
        psutil.wait_procs(alive, timeout=5)
        pytest.fail(f"{what} left processes running (now killed): {names}", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable and not os.access(executable, os.X_OK):
        _unavailable(f"CRMLAB_CHROMIUM={executable} is not an executable file")
    if not executable:
        _unavailable(
            "no Chromium found; install Debian's chromium and fonts-noto-cjk "
            "(apt-get install chromium fonts-noto-cjk) or set CRMLAB_CHROMIUM"
        )
    if not _has_cjk_font():
        _unavailable("no Chinese font (fc-list :lang=zh is empty); install fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements.txt)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    before = {p.pid for p in _descendants(os.getpid())}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()
    _reap([p for p in _descendants(os.getpid()) if p.pid not in before], "Chromium/Playwright")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a temporary folder with copies of notebook 00 and exercise 00."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    (root / "exercise").mkdir(parents=True)
    shutil.copy2(NOTEBOOK, root / NOTEBOOK.name)
    for path in EXERCISE.iterdir():
        shutil.copy2(path, root / "exercise" / path.name)
    settings = base / "settings" / "@jupyterlab"
    # every cell in the page (no virtual scrolling) and no news pop-up over the notebook
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env |= {
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
    }
    port = _free_port()
    log = open(base / "lab.log", "wb")  # noqa: SIM115 (closed at teardown)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(base / 'lab.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not answer within 120 s")
                time.sleep(0.5)
        yield url, root
    finally:
        children = _descendants(server.pid)  # kernels
        server.send_signal(signal.SIGTERM)  # Lab shuts its kernels down, then exits
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
        _reap(children, "JupyterLab")


def _menu(page, top: str, item: str) -> None:
    page.locator(f'.lm-MenuBar-item:has-text("{top}")').click()
    page.locator(f'.lm-Menu-item:visible:has-text("{item}")').first.click()


def _platform_fonts(page, selector: str) -> dict[str, int]:
    """Fonts Chromium used to draw the text of the first ``selector``: {family: glyphs}."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    document = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": document, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"]: f["glyphCount"] for f in fonts}


def _assert_chinese_drawn(page, selector: str) -> None:
    text = page.locator(selector).first.inner_text()
    han = len(HAN.findall(text))
    assert han > 0, f"no Chinese in {text!r}"
    fonts = _platform_fonts(page, selector)
    cjk = sum(n for family, n in fonts.items() if CJK_FAMILY.search(family))
    assert cjk >= han, f"Chinese of {text!r} not drawn by a CJK font: {fonts}"


def _stored(notebook: Path) -> tuple[int, int]:
    """(code cells, PNG figures) stored in a notebook file."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    pngs = sum("image/png" in o.get("data", {}) for c in code for o in c.get("outputs", []))
    return len(code), pngs


def _images(page, scope: str) -> list[tuple[bool, int]]:
    return page.evaluate(
        f"[...document.querySelectorAll({scope!r})].map(i => [i.complete, i.naturalWidth])"
    )


@pytest.mark.parametrize(
    "relpath, original",
    [
        (NOTEBOOK.name, NOTEBOOK),
        (f"exercise/{EXERCISE.parent.name}.ipynb", EXERCISE / f"{EXERCISE.parent.name}.ipynb"),
    ],
    ids=["notebook-00", "exercise-00"],
)
def test_lab_saves_unchanged_and_runs_every_cell(browser, lab, relpath, original):
    url, root = lab
    n_code, n_png = _stored(original)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{url}/lab/tree/{relpath}?reset")
        idle = f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]'
        page.wait_for_selector(idle, timeout=120_000)
        _assert_chinese_drawn(page, f"{PANEL} .jp-RenderedMarkdown h1")

        # a save without a change leaves the file byte for byte as committed
        path = root / relpath
        mtime = path.stat().st_mtime_ns
        page.locator(f"{PANEL} .jp-Notebook").click()
        page.keyboard.press("Control+s")
        # the server writes in place (after a backup copy): wait until Lab says it is done
        page.locator('.jp-StatusBar-TextItem:text("Saving completed")').wait_for(timeout=30_000)
        assert path.stat().st_mtime_ns != mtime, "Lab did not save the notebook"
        assert path.read_bytes() == original.read_bytes(), "saving in Lab changed the file"

        _menu(page, "Edit", "Clear Outputs of All Cells")
        page.wait_for_function(
            f"document.querySelectorAll('{PANEL} .jp-OutputArea-output').length === 0",
            timeout=20_000,
        )
        _menu(page, "Run", "Run All Cells")
        page.wait_for_function(
            f"""() => {{
                const panel = document.querySelector('{PANEL}');
                const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
                const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                return status && status.dataset.status === 'idle' && prompts.length > 0
                    && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
            }}""",
            timeout=240_000,
            polling=500,
        )
        page.screenshot(path=SHOTS / f"lab-{relpath.replace('/', '-')}.png")

        prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        assert [p.strip() for p in prompts] == [f"[{i}]:" for i in range(1, n_code + 1)]
        errors = page.locator(
            f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        )
        assert errors.count() == 0, errors.all_inner_texts()[:3]
        images = _images(page, f"{PANEL} .jp-OutputArea-output img")
        assert len(images) == n_png
        assert all(done and width > 0 for done, width in images), images
    finally:
        page.close()


def test_site_notebook_page_shows_text_figures_and_chinese(browser, site):
    notebook = ROOT / "notebooks" / "00_why_crm.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    heading = "".join(nb["cells"][0]["source"]).splitlines()[0].removeprefix("# ")
    _, n_png = _stored(notebook)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "notebooks" / "00_why_crm.html").as_uri())
        page.wait_for_load_state("load")
        assert page.locator("article h1").first.inner_text().rstrip("#").strip() == heading
        assert "Learning objectives" in page.locator("article").inner_text()
        _assert_chinese_drawn(page, "article h1")
        images = _images(page, "article img")
        assert len(images) == n_png > 0
        assert all(done and width > 0 for done, width in images), images
        page.screenshot(path=SHOTS / "site-00_why_crm.png", full_page=True)
    finally:
        page.close()


def test_site_exercise_page_shows_text_and_formulas(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "exercises" / "04_churn" / "student" / "04_churn.html").as_uri())
        page.wait_for_load_state("load")
        text = page.locator("article").inner_text()
        assert "Kaplan-Meier" in text and "grader.check" in text
        # formulas are MathML drawn by the browser: each takes room on the page
        sizes = page.evaluate(
            "[...document.querySelectorAll('article math')]"
            ".map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert len(sizes) > 0
        assert all(w > 0 and h > 0 for w, h in sizes), sizes
        page.locator("article math").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "site-04_churn.png")
    finally:
        page.close()
