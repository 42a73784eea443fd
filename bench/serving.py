"""The server as ``make bench`` measures it: ``skr-fee serve`` on loopback, its processes' memory, a call's body.

Part of bench/run.py; Linux only (reads /proc).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from skr_fee.server.run import wait_until_up

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    out = [pid]
    for child in Path("/proc").iterdir():
        if child.name.isdigit():
            try:
                stat = (child / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) in out:
                    out.append(int(child.name))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _memory_mb(pids, field: str) -> float:
    """The sum of one /proc/PID/status field (VmRSS, VmHWM) over ``pids``, in MB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def peak_rss_mb(pids) -> float:
    return _memory_mb(pids, "VmHWM")


def rss_mb(pids) -> float:
    return _memory_mb(pids, "VmRSS")


def call_body(args):
    return {"client": "Office.js", "version": "0.37.8", "func_name": "SKR_FEE", "args": args,
            "caller_address": "[Bok1.xlsx]Blad1!B2", "session_id": "bench", "culture_info_name": "sv-SE",
            "date_format": "yyyy-mm-dd", "runtime": "1.4"}


@contextlib.contextmanager
def serving(tmp: Path, workers: int):
    """``skr-fee serve`` on loopback with its workers, for as long as the block runs: (url, process)."""
    port = free_port()
    log = open(tmp / f"server-{port}.log", "w")
    proc = subprocess.Popen([str(BIN / "skr-fee"), "serve", "--no-tls", "--port", str(port), "--workers", str(workers)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc)
        yield url, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
