"""The README's shared deployment, on this machine, under load: one `chroma run` server, one
PostgreSQL database, two `lmcs serve` processes with login on, many users split between them.

    python -m evals.shared                    # 20 users, 200 questions, two app servers; prints JSON
    python -m evals.shared --users 4 --total 20

After the load, what an operator checks: feedback given on server A (signed in, in the chat, 👍
with a comment) is in `lmcs feedback export` run as server B; the question log, the users and the
audit log read the same from both servers' settings.

`shared_load()` is for `make bench`; tests/test_shared_deploy.py runs a small one.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.load import _free_port, run_load, serving, wait_until_up
from evals.page import Page
from evals.postgres import postgres_server

USER, PASSWORD = "bench", "a long bench password"  # made here, in a throwaway database
CHROMA = Path(sys.executable).parent / "chroma"


def lmcs(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    """One `lmcs` command as an operator would type it; its output. A new session: no terminal, so a
    password prompt reads stdin."""
    import os

    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        start_new_session=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"lmcs {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def chroma_server(path: Path, timeout: float = 60) -> Iterator[str]:
    """`chroma run` on a free loopback port, its data in `path`; yields its URL."""
    import httpx

    port = _free_port()
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(
            proc, lambda: httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200, "chroma run", timeout
        )
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass
class Deployment:
    env: dict[str, str]  # LMCS_CHROMA_URL and LMCS_DATABASE_URL: what every app server is given
    data_dirs: list[Path]  # each app server's own data dir
    urls: list[str] = field(default_factory=list)
    auth: tuple[str, str] = (USER, PASSWORD)
    timings: dict[str, float] = field(default_factory=dict)

    def seen_by(self, server: int) -> dict[str, Any]:
        """The shared records as app server `server` opens them (its settings, its data dir)."""
        code = (
            "import json, sys\nfrom assistant.settings import Settings\nfrom assistant.service import open_records\n"
            "r = open_records(Settings(data_dir=sys.argv[1]))\n"
            "q = r.questions.rows()\n"
            "print(json.dumps({'questions': len(q), 'asked_by': sorted({x.user for x in q}),"
            " 'feedback': len(r.feedback.rows()),"
            " 'users': [u.name for u in r.users.all_users()],"
            " 'audit': [[e.action, e.actor, e.detail] for e in r.audit.events()]}))"
        )
        import os

        done = subprocess.run(
            [sys.executable, "-c", code, str(self.data_dirs[server])],
            capture_output=True,
            text=True,
            env={**os.environ, **self.env},
            timeout=120,
            check=True,
        )
        return dict(json.loads(done.stdout))

    def feedback_exported_by(self, server: int) -> list[dict[str, str]]:
        """`lmcs feedback export` run with server `server`'s settings: its rows."""
        out = self.data_dirs[server].parent / f"feedback-exported-by-{server}.csv"
        lmcs(["feedback", "export", "--out", str(out), "--data-dir", str(self.data_dirs[server])], self.env)
        with out.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))


@contextmanager
def shared_deployment(root: Path, servers: int = 2) -> Iterator[Deployment]:
    """PostgreSQL and a Chroma server; the seed corpus ingested once; one user added with `lmcs user
    add`; `servers` app servers started as the README says. Everything is stopped at the end."""
    with ExitStack() as stack:
        began = time.perf_counter()
        database = stack.enter_context(postgres_server()).new_database()
        chroma = stack.enter_context(chroma_server(root / "chroma"))
        env = {"LMCS_CHROMA_URL": chroma, "LMCS_DATABASE_URL": database}
        deployment = Deployment(env, [root / f"app-{n}" for n in range(servers)])
        deployment.timings["services_s"] = time.perf_counter() - began
        began = time.perf_counter()
        lmcs(["ingest", "--data-dir", str(root / "ingest")], env)  # from any host: here its own folder
        deployment.timings["ingest_s"] = time.perf_counter() - began
        lmcs(["user", "add", USER, "--data-dir", str(root / "ingest")], env, stdin=f"{PASSWORD}\n{PASSWORD}\n")
        began = time.perf_counter()
        for n, data in enumerate(deployment.data_dirs):
            url, _ = stack.enter_context(serving(data, env, log=root / f"serve-{n}.log"))
            deployment.urls.append(url)
        deployment.timings["servers_start_s"] = time.perf_counter() - began
        yield deployment


def indexed_texts(chroma_url: str) -> dict[str, str]:
    """doc_id → the cleaned text the Chroma server holds: what every citation's offsets point into."""
    from index.chroma import ChromaStore
    from index.chroma_client import make_client

    with tempfile.TemporaryDirectory() as unused:
        store = ChromaStore(make_client(Path(unused), chroma_url), "", 0, chroma_url=chroma_url, check_model=False)
        return store.texts(store.documents(max_age=0))


def shared_load(users: int = 20, total: int = 200, warm: bool = True, keep_results: bool = False) -> dict[str, Any]:
    """The whole shared deployment under `users` concurrent signed-in users asking `total` questions,
    split across two app servers (after every question is asked once on each server if `warm`, as
    the one-server load row does); then the cross-server checks. A dict for BENCHMARKS.md (with
    `keep_results`, also every (question, answer), the indexed texts and the records each saw)."""
    from evals.dataset import load_dataset

    questions = [i.question for i in load_dataset("v1")]
    with tempfile.TemporaryDirectory(prefix="lmcs-shared-") as tmp, shared_deployment(Path(tmp)) as deployment:
        warmed = 0
        if warm:  # BM25, caches and the store settled on each server, as for the one-server row
            for url in deployment.urls:
                run_load(url, questions, users=2, total=len(questions), auth=deployment.auth)
                warmed += len(questions)
        load = run_load(deployment.urls, questions, users, total, auth=deployment.auth)

        # On server A, as a person would: a mistyped password, then sign in, ask, 👍 with a comment.
        note = f"shared-deploy check {uuid.uuid4().hex[:8]}"
        refused = not Page.signs_in(deployment.urls[0], USER, "not the password")
        page = Page(deployment.urls[0], deployment.auth)
        page.ask("What must I do as LMCS?")
        status = page.feedback(up=True, comment=note)
        sessions = [page.signed_in_at(url) for url in deployment.urls]  # Gradio keeps sign-ins per process
        seen = [deployment.seen_by(n) for n in range(len(deployment.urls))]
        exported = deployment.feedback_exported_by(1)
        report: dict[str, Any] = {k: v for k, v in load.items() if k != "results"}
        report |= {
            "servers": len(deployment.urls),
            **{k: round(v, 1) for k, v in deployment.timings.items()},
            "wrong_password_refused_on_a": refused,
            "feedback_status_on_a": status,
            "sign_in_on_a_honoured_by": dict(zip("AB", sessions, strict=False)),
            "feedback_from_a_exported_by_b": [r["comment"] for r in exported].count(note),
            "feedback_user_exported_by_b": next((r["user"] for r in exported if r["comment"] == note), None),
            "warmup_questions": warmed,
            "question_log_rows": [s["questions"] for s in seen],  # warm-up + load + the page's one
            "feedback_rows": [s["feedback"] for s in seen],
            "question_log_users": seen[0]["asked_by"],
            "users_seen": [s["users"] for s in seen],
            "audit_actions": [sorted({a[0] for a in s["audit"]}) for s in seen],
            "same_records_on_both": all(s == seen[0] for s in seen),
        }
        if keep_results:
            report["results"] = load["results"]
            report["texts"] = indexed_texts(deployment.env["LMCS_CHROMA_URL"])
            report["seen"] = seen
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--total", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(shared_load(args.users, args.total), indent=2))


if __name__ == "__main__":
    main()
