"""Run one benchmark job in a fresh interpreter and measure it from outside.

Wall time from the parent's clock; CPU time and the kernel's peak RSS from `os.wait4` on that
child (so earlier children never leak into the figure); the peak RSS of the whole process tree
(the child and anything it starts) from polling psutil every 20 ms. Peak RSS is the larger of the
two.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Measured", "run_job", "machine", "tree_rss", "stop_process", "dir_size", "write_result", "RESULTS"]

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Measured:
    """Outside figures of one job, and the job's own JSON result."""

    wall_s: float
    cpu_user_s: float
    cpu_sys_s: float
    peak_rss_mb: float
    returncode: int
    result: dict = field(default_factory=dict)
    stderr_tail: str = ""

    @property
    def cpu_s(self) -> float:
        return self.cpu_user_s + self.cpu_sys_s

    def to_dict(self) -> dict:
        return dict(asdict(self), cpu_s=self.cpu_s)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 once it is gone)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server we started: SIGTERM, then SIGKILL if it has not exited within `timeout`."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_job(kind: str, *args: str, env: dict | None = None, timeout: float = 3600) -> Measured:
    """Run `python -m bench.workers KIND ARGS` and measure it; raises when the job fails."""
    with tempfile.TemporaryDirectory(prefix="casegraph-bench-") as tmp:
        out = Path(tmp) / "result.json"
        err_path = Path(tmp) / "stderr.txt"
        cmd = [sys.executable, "-m", "bench.workers", kind, "--json-out", str(out), *args]
        full_env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
                        GRADIO_ANALYTICS_ENABLED="False", TOKENIZERS_PARALLELISM="false", **(env or {}))
        with open(err_path, "wb") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=err, stderr=err)
            peak = [0]
            stop = threading.Event()

            def poll() -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], tree_rss(proc.pid))
                    stop.wait(0.02)

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            deadline = t0 + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.01)
            wall = time.perf_counter() - t0
            stop.set()
            poller.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
        tail = err_path.read_text("utf-8", errors="replace")[-3000:]
        result = json.loads(out.read_text("utf-8")) if out.exists() else {}
    measured = Measured(wall_s=wall, cpu_user_s=usage.ru_utime, cpu_sys_s=usage.ru_stime,
                        peak_rss_mb=max(peak[0] / 2**20, usage.ru_maxrss / 1024), returncode=proc.returncode,
                        result=result, stderr_tail=tail)
    if proc.returncode != 0:
        raise RuntimeError(f"bench job {kind} {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
    return measured


def dir_size(path: str | os.PathLike) -> int:
    """Bytes of all files under a folder."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def machine() -> dict:
    """The machine and moment a result was taken on."""
    import psutil

    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {"cpu": model, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(), "commit": commit,
            "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def write_result(name: str, data: dict, folder: Path = RESULTS) -> Path:
    """Write `bench/results/<name>-<date>.json` with the machine attached; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    info = machine()
    path = folder / f"{name}-{info['date'][:10]}.json"
    path.write_text(json.dumps({"benchmark": name, "machine": info, **data}, indent=1, sort_keys=True,
                               default=str) + "\n", "utf-8")
    return path
