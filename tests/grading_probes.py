"""Hostile submissions for ``crmlab grade`` (used by tests/test_grading_*.py and
benchmarks/bench_grading.py).

Each probe is a code cell inserted into a notebook of exercise ``00_why_crm`` (the solution
or the blank student notebook). Probes report what they achieved through the error they
raise on purpose (``raise RuntimeError("key=value ...")``), which the gradebook shows in
the ``status`` column: :func:`report` reads it back. Every probe is bounded (a fixed
number of processes, bytes or seconds), so a failing isolation cannot take the machine
down with it.
"""

from __future__ import annotations

import json
import re
import textwrap

EX = "00_why_crm"
AFTER = "customers.head()"  # the probes go right after this cell (cell 3)

# --- probes (each a code cell) ----------------------------------------------------------------
# no write anywhere outside the submission's scratch space: /proc/sys files (writing the
# same value back) and a file in every folder of the file system
WRITE_EVERYWHERE = """
import os
cwd = os.getcwd()
scratch = ("/tmp", "/dev/shm", cwd)
proc_written = []
for path in ("/proc/sys/vm/swappiness", "/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger"):
    try:
        with open(path, "r+") as fh:
            value = fh.read()
            fh.seek(0)
            fh.write(value)
        proc_written.append(path)
    except OSError:
        pass
outside, inside = [], []
for root, dirs, files in os.walk("/"):
    if root.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    probe = os.path.join(root, ".crmlab-write-probe-MARKER")
    try:
        open(probe, "w").close()
    except OSError:
        continue
    (inside if root.startswith(scratch) else outside).append(root)
raise RuntimeError(
    f"proc_written={len(proc_written)} outside={len(outside)} inside={len(inside)} "
    f"first_outside={(outside or ['-'])[0]}"
)
"""

# secrets of the host are not visible (PATHS: those that exist on the host; /usr/lib is
# the control)
SECRETS = """
import os
PATHS = {paths!r}
seen = [p for p in PATHS if os.path.exists(p)]
try:
    open("/etc/shadow").read()
    seen.append("read")
except OSError:
    pass
raise RuntimeError(f"seen={{len(seen)}} control={{int(os.path.isdir('/usr/lib'))}} {{seen}}")
"""


def host_secrets() -> list[str]:
    """Paths on this machine a submission must not see (those that exist here)."""
    import glob
    import os

    candidates = ["/etc/shadow", "/etc/gshadow", "/etc/ssh", "/etc/hostname", "/home", "/sys"]
    candidates += glob.glob("/dev/zram*") + glob.glob("/dev/[sv]d?") + glob.glob("/dev/nvme*")
    candidates += [os.path.expanduser("~/.bash_history"), os.path.expanduser("~/.ssh")]
    candidates += ["/root/.bashrc", "/root/.profile", "/root/.cache"]
    return sorted(p for p in set(candidates) if os.path.lexists(p))


# 300 sleeping children under the process limit
FORK_300 = """
import subprocess
children = []
for _ in range(300):
    try:
        children.append(subprocess.Popen(["sleep", "30"]))
    except OSError:
        break
raise RuntimeError(f"started={len(children)}")
"""

# three children holding MB_EACH MB each: the memory limit is per submission
MEMORY_CHILDREN = """
import os, time
MB_EACH = {mb}
ready_r, ready_w = os.pipe()
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        try:
            block = b"x" * (MB_EACH * 2**20)  # touched: resident, not just reserved
            os.write(ready_w, b"1")
            time.sleep(30)
        finally:
            os._exit(0)
    kids.append(pid)
os.close(ready_w)
deadline = time.time() + 8
got, dead = 0, set()
import select
while time.time() < deadline and got + len(dead) < 3:
    r, _, _ = select.select([ready_r], [], [], 0.1)
    if r:
        got += len(os.read(ready_r, 3))
    for pid in kids:
        if pid not in dead and os.waitpid(pid, os.WNOHANG)[0]:
            dead.add(pid)
time.sleep(0.5)
for pid in kids:
    if pid not in dead and os.waitpid(pid, os.WNOHANG)[0]:
        dead.add(pid)
alive = 3 - len(dead)
raise RuntimeError(f"held={{min(got, alive)}} allocated={{got}} alive={{alive}}")
"""

# 1.2 GB into /tmp, in files of 16 MB
FILL_TMP = """
import os
written = 0
try:
    for k in range(75):
        with open(f"/tmp/crmlab-fill-MARKER-{k}", "wb") as fh:
            for _ in range(16):
                fh.write(b"\\0" * 2**20)
                written += 1
except OSError:
    pass
raise RuntimeError(f"wrote_mb={written}")
"""

# a blank notebook scanning its own memory for the hidden tests' values
SCAN_MEMORY = r"""
import re
pattern = re.compile(rb"abs\((\w+) - (\d+\.\d+)\)")
found, scanned = {}, 0
with open("/proc/self/maps") as maps:
    regions = [line.split() for line in maps]
with open("/proc/self/mem", "rb", 0) as mem:
    for fields in regions:
        if "r" not in fields[1] or (len(fields) > 5 and fields[5].startswith("[v")):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if end - start > 2**30:
            continue
        try:
            mem.seek(start)
            data = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        scanned += len(data)
        for name, value in pattern.findall(data):
            found[name.decode()] = float(value)
globals().update(found)
raise RuntimeError(f"scanned_mb={scanned // 2**20} found={len(found)}")
"""

# the answers files: replaced by a FIFO, then the kernel exits
ANSWERS_FIFO = """
import os
targets = []
for name in os.listdir("/proc/self/fd"):
    try:
        link = os.readlink(f"/proc/self/fd/{name}")
    except OSError:
        continue
    if "answers" in link:
        targets.append((int(name), link))
os.mkfifo("/tmp/crmlab-fifo-MARKER")
fifo = os.open("/tmp/crmlab-fifo-MARKER", os.O_RDWR)
for fd, link in targets:
    try:
        os.mkfifo(link)
    except OSError:
        pass
    os.dup2(fifo, fd)
top20_share = 0.82226
os._exit(0)
"""

# the answers files: "[" * 100000, then the kernel exits
ANSWERS_DEEP = """
import os
for name in os.listdir("/proc/self/fd"):
    try:
        link = os.readlink(f"/proc/self/fd/{name}")
    except OSError:
        continue
    if "answers" in link:
        os.ftruncate(int(name), 0)
        os.pwrite(int(name), b"[" * 100000, 0)
os._exit(0)
"""

CONTROL_CHARS = r"""raise RuntimeError("bad\x01value \x1b[31mred\x1b[0m \u202egnp.exe")"""

LOOP_FOREVER = "while True:\n    pass"


# --- building notebooks ---------------------------------------------------------------------
def code_cell(source: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": textwrap.dedent(source).strip(),
    }


def insert_after(nb: dict, marker: str, source: str) -> dict:
    """Copy of ``nb`` with a code cell inserted after the first cell containing ``marker``."""
    nb = json.loads(json.dumps(nb))
    for i, cell in enumerate(nb["cells"]):
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if marker in text:
            nb["cells"].insert(i + 1, code_cell(source))
            for c in nb["cells"]:
                c.pop("id", None)
            nb["nbformat_minor"] = 4
            return nb
    raise AssertionError(f"no cell contains {marker!r}")


def with_probe(nb: dict, source: str) -> dict:
    return insert_after(nb, AFTER, source)


def hostile_notebooks(solution: dict, blank: dict, *, memory_mb: int, marker: str) -> dict:
    """File name -> notebook text for every probe of the issue's table that lives inside
    a notebook (the gradebook and command-line rows are built by the tests). ``marker``
    goes into the names of the files the probes try to leave behind, so a test can look
    for them on the host."""
    each = memory_mb * 3 // 8  # three of these exceed memory_mb, two fit in it
    probes = {
        "write_everywhere.ipynb": (blank, WRITE_EVERYWHERE),
        "secrets.ipynb": (blank, SECRETS.format(paths=host_secrets())),
        "fork_300.ipynb": (solution, FORK_300),
        "memory_children.ipynb": (blank, MEMORY_CHILDREN.format(mb=each)),
        "fill_tmp.ipynb": (solution, FILL_TMP),
        "scan_memory.ipynb": (blank, SCAN_MEMORY),
        "answers_fifo.ipynb": (blank, ANSWERS_FIFO),
        "answers_deep.ipynb": (solution, ANSWERS_DEEP),
        "control_chars.ipynb": (solution, CONTROL_CHARS),
    }
    nbs = {
        name: with_probe(nb, src.replace("MARKER", marker)) for name, (nb, src) in probes.items()
    }
    return {name: json.dumps(nb) for name, nb in nbs.items()}


def report(status: str) -> dict[str, str]:
    """``key=value`` pairs from a probe's status (``error: RuntimeError in cell 3: ...``)."""
    return dict(re.findall(r"(\w+)=(\S+)", status))
