"""Many users at once against a real `lmcs serve`, through gradio_client.

    python -m evals.load                      # 20 users, 200 questions, the seed corpus
    python -m evals.load --users 50 --total 500

Used by `make bench` (BENCHMARKS.md) and by tests/test_load.py (0 errors, verbatim quotes,
the same answers as asked one at a time).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evals.metrics import percentile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    data_dir: Path, env: dict[str, str] | None = None, timeout: float = 120, log: Path | None = None
) -> Iterator[tuple[str, int]]:
    """`lmcs serve` in its own process on a free loopback port: yields (url, pid).
    Its output goes to `log` if given."""
    import httpx

    port = _free_port()
    out = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=out,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(proc, lambda: httpx.get(url, timeout=2).status_code < 500, "lmcs serve", timeout)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if log:
            out.close()  # type: ignore[union-attr]


def wait_until_up(proc: subprocess.Popen, up: Any, name: str, timeout: float) -> None:  # type: ignore[type-arg]
    """Until `up()` says the server `proc` answers; RuntimeError if it exits or `timeout` passes first."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with code {proc.returncode}")
        try:
            if up():
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.2)


def run_load(
    url: str | Sequence[str],
    questions: list[str],
    users: int = 20,
    total: int = 200,
    auth: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """`users` clients ask `total` questions between them, all starting together. Given several
    server URLs, client n asks the server at n modulo their number (a sticky load balancer's split).

    Returns latency percentiles (ms, per question, as each user sees it), the error count
    with a few examples, wall time, throughput, and every (question, result) pair.
    """
    from gradio_client import Client

    urls = [url] if isinstance(url, str) else list(url)
    clients = [Client(urls[n % len(urls)], auth=auth, verbose=False) for n in range(users)]  # connected before timing
    mine = [[questions[i % len(questions)] for i in range(u, total, users)] for u in range(users)]
    start = threading.Barrier(users + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    results: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []

    def user(n: int) -> None:
        start.wait()
        for q in mine[n]:
            began = time.perf_counter()
            try:
                out = clients[n].predict(q, api_name="/ask")
            except Exception as exc:  # a failed request is counted, not fatal to the run
                with lock:
                    errors.append(f"{q!r}: {type(exc).__name__}: {exc}")
                continue
            ms = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(ms)
                results.append((q, out))
                if not isinstance(out, dict) or out.get("error"):
                    errors.append(f"{q!r}: {out!r:.200}")

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {
        "users": users,
        "questions": total,
        "errors": len(errors),
        "error_examples": errors[:5],
        "p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "wall_s": round(wall, 2),
        "per_second": round(len(latencies) / wall, 1) if wall else None,
        "results": results,
    }


def main() -> None:
    from evals.dataset import load_dataset

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--total", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, help="An index to serve (default: the seed corpus, built now)")
    args = parser.parse_args()
    questions = [i.question for i in load_dataset("v1")]
    with tempfile.TemporaryDirectory(prefix="lmcs-load-") as tmp:
        data = args.data_dir or Path(tmp) / "data"
        if args.data_dir is None:
            subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "--data-dir", str(data)], check=True)
        with serving(data) as (url, _):
            report = run_load(url, questions, args.users, args.total)
    report.pop("results")
    print(report)


if __name__ == "__main__":
    main()
