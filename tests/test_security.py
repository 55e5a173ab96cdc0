"""Security: with login on, nothing of the documents or the conversations is served to a
stranger, on any route; and no secret (API key, password) reaches a log or a file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import httpx
import pytest

from evals.load import serving
from tests.conftest import free_port

pytestmark = pytest.mark.slow

PASSWORD = "a long password for alice 7731"
WRONG = "wrong-password-canary-5120"
API_KEY = "sk-canary-1f2e3d4c5b6a79880011"
MARKER = "zebracanary"  # a word only a signed-in user's question contains


def routes(app):
    """Every (path, method) the server answers, including Gradio's mounted API router."""
    for r in app.routes:
        inner = getattr(r, "router", None) or getattr(r, "original_router", None)
        if inner is not None and hasattr(inner, "routes"):
            yield from routes(inner)
        elif getattr(r, "path", None):
            for method in sorted(getattr(r, "methods", None) or {"GET"}):
                if method not in {"HEAD", "OPTIONS"}:
                    yield r.path, method


def fetch(method: str, url: str, body: dict | None) -> tuple[int, str]:
    """Status and the first 256 KB or 3 seconds of the body (some routes are endless streams)."""
    import time

    got = b""
    try:
        with httpx.stream(method, url, json=body, timeout=httpx.Timeout(10, read=3)) as response:
            deadline = time.monotonic() + 3
            for chunk in response.iter_bytes():
                got += chunk
                if len(got) > 256_000 or time.monotonic() > deadline:
                    break
            return response.status_code, got.decode("utf-8", "replace")
    except httpx.ReadTimeout:
        return 0, got.decode("utf-8", "replace")


@pytest.fixture
def users():
    return {"alice": (PASSWORD, True)}


def test_with_login_on_no_route_gives_a_stranger_documents_or_answers(assistant, users, tmp_path, corpus_texts):
    from gradio_client import Client

    from assistant.settings import PROJECT_ROOT
    from assistant.web.app import launch
    from tests.conftest import ui_for

    port = free_port()
    demo = launch(ui_for(assistant, tmp_path / "ui", users), "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    base = f"http://127.0.0.1:{port}"
    try:
        signed_in = Client(f"{base}/", auth=("alice", PASSWORD), verbose=False)
        out = signed_in.predict("What is corporate parenting?", api_name="/ask")
        assert out["citations"], out
        signed_in.predict(f"Who is {MARKER}?", api_name="/ask")  # leaves the marker in the question log
        with pytest.raises(Exception):
            Client(f"{base}/", verbose=False).predict("What is corporate parenting?", api_name="/ask")
        with pytest.raises(Exception):
            Client(f"{base}/", auth=("alice", WRONG), verbose=False)

        # What a stranger must never see: document passages, the answer, the signed-in user's question.
        canaries = [MARKER, *(c["quote"][:60] for c in out["citations"])]
        canaries += [text[200:260] for text in corpus_texts.values()]
        corpus_file = next((PROJECT_ROOT / "corpus").glob("*.txt"))
        body = {"data": ["What is corporate parenting?"], "fn_index": 0, "session_hash": "stranger", "trigger_id": 1}
        seen = []
        for path, method in routes(demo.app):
            url = base + re.sub(r"\{[^}]+\}", "ask", path)
            if "file=" in path:
                url = f"{base}/gradio_api/file={corpus_file}"
            status, text = fetch(method, url, body if method == "POST" else None)
            seen.append((method, path, status))
            for canary in canaries:
                assert canary not in text, f"{method} {path} gave a stranger: {canary!r}"

        # The routes that serve data refuse outright.
        must_refuse = {
            ("GET", "/config"),
            ("GET", "/gradio_api/info"),
            ("POST", "/gradio_api/call/{api_name}"),
            ("POST", "/gradio_api/queue/join"),
            ("POST", "/gradio_api/upload"),
            ("GET", "/gradio_api/file={path_or_url:path}"),
            ("GET", "/openapi.json"),
            ("GET", "/gradio_api/openapi.json"),
        }
        refused = {(m, p) for m, p, status in seen if status in (401, 403)}
        assert must_refuse <= refused, sorted(must_refuse - refused)
        # Nothing that changes state answers a stranger (Gradio left /reset, /cancel and /stream open).
        posts = {(m, p) for m, p, _ in seen if m == "POST" and p.rstrip("/") != "/login"}
        assert len(posts) > 10 and posts <= refused, sorted(posts - refused)
        assert len(seen) > 40, "Gradio's API router was not walked"
    finally:
        demo.close()


def test_no_secret_reaches_the_logs_or_the_data_dir(tmp_path, corpus_data_dir, users):
    from gradio_client import Client

    from assistant.records import Records

    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data)
    for name, (password, admin) in users.items():
        Records.open(None, data_dir=data).users.add(name, password, admin)
    dead_llm = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens: the model call fails and is logged
    env = {
        "LMCS_LLM_BASE_URL": dead_llm,
        "LMCS_LLM_API_KEY": API_KEY,
        "LMCS_LLM_MAX_RETRIES": "0",
    }
    log = tmp_path / "serve.log"
    with serving(data, env=env, log=log) as (url, _):
        answer = Client(url, auth=("alice", PASSWORD), verbose=False).predict(
            "What is corporate parenting?", api_name="/ask"
        )
        assert answer["citations"] and "extractive" in answer["backend"], answer  # fell back, still answered
        with pytest.raises(Exception):
            Client(url, auth=("alice", WRONG), verbose=False)
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "ask",
            "--llm",
            "What is corporate parenting?",
            "--data-dir",
            str(data),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, **env},
    )
    assert cli.returncode == 0, cli.stderr
    said = log.read_text(encoding="utf-8", errors="replace") + cli.stdout + cli.stderr
    assert "language model failed" in said  # the failure is logged...
    stored = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    for secret in (API_KEY, PASSWORD, WRONG):
        assert secret not in said, f"{secret!r} is in the output"  # ...without the key or a password
        assert secret.encode() not in stored, f"{secret!r} is stored in the data dir"
