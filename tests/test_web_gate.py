"""The HTTP layer of a real `lmcs serve` (issue #18): uploads bounded in size and type and for
administrators only, no state-changing route or API schema for a stranger, session cookies
marked Secure behind HTTPS, and nothing left in the temp folder after the server stops."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from evals.load import serving

pytestmark = pytest.mark.slow

ADMIN, ADMIN_PW = "alice", "a long password for alice 7731"
PLAIN, PLAIN_PW = "bob", "a long password for bob 5512"
LIMIT = 1_000_000  # LMCS_MAX_FILE_BYTES for these servers: small, so the tests send little
TEXT = b"The Lead Member for Children's Services holds the Director to account.\n"


def data_dir_with_users(root: Path, corpus_data_dir: Path, users: dict[str, tuple[str, bool]]) -> Path:
    from assistant.records import Records

    data = root / "data"
    shutil.copytree(corpus_data_dir, data)
    for name, (password, admin) in users.items():
        Records.open(None, data_dir=data).users.add(name, password, admin)
    return data


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_data_dir):
    """`lmcs serve` with login on (an admin and a plain user), its temp folder inside the test's."""
    root = tmp_path_factory.mktemp("web-gate")
    data = data_dir_with_users(root, corpus_data_dir, {ADMIN: (ADMIN_PW, True), PLAIN: (PLAIN_PW, False)})
    tmp = root / "tmp"
    tmp.mkdir()
    env = {"LMCS_MAX_FILE_BYTES": str(LIMIT), "TMPDIR": str(tmp)}
    with serving(data, env=env, log=root / "serve.log") as (url, _):
        yield SimpleNamespace(url=url.rstrip("/"), tmp=tmp, log=root / "serve.log")


def signed_in(url: str, name: str, password: str, **headers: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30, headers=headers)
    response = client.post("/login", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return client


def upload(client: httpx.Client, name: str, body: bytes) -> httpx.Response:
    try:
        return client.post("/gradio_api/upload", files=[("files", (name, body, "application/octet-stream"))])
    except httpx.TransportError as exc:  # the server may stop reading a refused body: that is a refusal too
        return httpx.Response(499, text=f"connection closed: {exc!r}")


def test_only_an_administrator_uploads_and_only_documents_of_a_bounded_size(server):
    before = files_under(server.tmp)
    stranger = httpx.Client(base_url=server.url, timeout=30)
    assert upload(stranger, "policy.txt", TEXT).status_code in (401, 403)

    bob = signed_in(server.url, PLAIN, PLAIN_PW)
    refused = upload(bob, "policy.txt", TEXT)
    assert refused.status_code == 403, refused.text  # a plain user has no upload in the page
    big_exe = b"MZ" + os.urandom(60_000_000)  # the 60 MB .exe
    assert upload(bob, "setup.exe", big_exe).status_code in (403, 499)

    alice = signed_in(server.url, ADMIN, ADMIN_PW)
    too_big = upload(alice, "big.txt", b"x" * (LIMIT + 1))
    assert too_big.status_code in (413, 499), too_big.text
    assert upload(alice, "setup.exe", big_exe).status_code in (413, 499)
    wrong_type = upload(alice, "setup.exe", b"MZ" + b"\0" * 1000)
    assert wrong_type.status_code == 415, wrong_type.text
    assert "PDF" in wrong_type.text  # says what may be uploaded
    mixed = httpx.Client(base_url=server.url, timeout=30, cookies=alice.cookies).post(
        "/gradio_api/upload",
        files=[("files", ("notes.md", TEXT, "text/markdown")), ("files", ("run.sh", b"#!/bin/sh\n", "text/plain"))],
    )
    assert mixed.status_code == 415, mixed.text
    # None of the refused bodies was kept anywhere in the server's temp folder.
    assert files_under(server.tmp) == before, files_under(server.tmp)

    ok = upload(alice, "policy.txt", TEXT)
    assert ok.status_code == 200, ok.text
    (stored,) = ok.json()
    assert Path(stored).read_bytes() == TEXT and Path(stored).suffix == ".txt"
    assert Path(stored).is_relative_to(server.tmp)  # in this server's own temp folder, not /tmp/gradio


def test_a_stranger_can_change_nothing_on_any_route(server):
    """Walk every route the server documents to a signed-in user: a stranger's POST is refused."""
    alice = signed_in(server.url, ADMIN, ADMIN_PW)
    schema = alice.get("/openapi.json")
    assert schema.status_code == 200
    posts = [path for path, ops in schema.json()["paths"].items() if "post" in ops]
    assert {"/gradio_api/reset", "/gradio_api/cancel", "/gradio_api/upload"} <= set(posts)
    bodies = {
        "/gradio_api/reset": {"event_id": "x"},
        "/gradio_api/cancel": {"session_hash": "s", "fn_index": 0, "event_id": "x"},
    }
    stranger = httpx.Client(base_url=server.url, timeout=10)
    answered = {}
    for path in posts:
        if path.rstrip("/") == "/login":
            continue
        url = re.sub(r"\{[^}]+\}", "x", path)
        answered[path] = stranger.post(url, json=bodies.get(path.rstrip("/"), {})).status_code
    assert answered and all(code in (401, 403) for code in answered.values()), answered
    # A signed-in user may still reset and cancel their own events.
    assert alice.post("/gradio_api/reset", json=bodies["/gradio_api/reset"]).status_code == 200


def test_a_stranger_sees_the_login_page_and_no_api_schema(server):
    stranger = httpx.Client(base_url=server.url, timeout=10)
    for path in ("/openapi.json", "/docs", "/redoc", "/gradio_api/info", "/gradio_api/openapi.json", "/config"):
        response = stranger.get(path)
        assert response.status_code in (401, 403, 404), (path, response.status_code)
        assert '"/ask"' not in response.text and "named_endpoints" not in response.text, path
    page = stranger.get("/")
    assert page.status_code == 200 and '"auth_required":true' in page.text.replace(" ", "")
    assert '"/ask"' not in page.text  # the API description Gradio embeds in the page
    # Signed in, the page and the schema are whole.
    alice = signed_in(server.url, ADMIN, ADMIN_PW)
    assert '"/ask"' in alice.get("/").text
    assert "/ask" in alice.get("/gradio_api/info").text


def cookie_flags(response: httpx.Response) -> dict[str, set[str]]:
    """Each session cookie set by the response → its attributes, lower-cased, without values."""
    out = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name.startswith("access-token"):
            out[name] = {part.strip().lower() for part in rest.split(";")[1:]}
    return out


def test_session_cookies_are_secure_when_served_over_https(server):
    plain = signed_in(server.url, ADMIN, ADMIN_PW)
    login = plain.post("/login", data={"username": ADMIN, "password": ADMIN_PW})
    flags = cookie_flags(login)
    assert flags and all("httponly" in f and "samesite=lax" in f for f in flags.values()), flags
    # Behind a TLS proxy on this host (X-Forwarded-Proto from a trusted address, uvicorn's default: loopback).
    proxied = httpx.post(
        server.url + "/login",
        data={"username": ADMIN, "password": ADMIN_PW},
        headers={"X-Forwarded-Proto": "https"},
    )
    flags = cookie_flags(proxied)
    assert flags and all({"secure", "httponly", "samesite=lax"} <= f for f in flags.values()), flags


def test_without_login_the_page_is_unchanged_and_nothing_is_left_after_stop(tmp_path, corpus_data_dir):
    """Local single-user use: API and uploads as before (documents only). After the server stops,
    its temp folder (uploads, exports) is gone; while it runs, only its owner can read it."""
    data = data_dir_with_users(tmp_path, corpus_data_dir, {})
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"LMCS_MAX_FILE_BYTES": str(LIMIT), "TMPDIR": str(tmp)}
    killed = tmp / "lmcs-serve-4194303-left"  # a server killed outright (no such pid) left its folder
    (killed / "gradio").mkdir(parents=True)
    (killed / "gradio" / "export.md").write_bytes(TEXT)
    running = tmp / f"lmcs-serve-{os.getpid()}-running"  # a server still running keeps its own
    running.mkdir()
    with serving(data, env=env, log=tmp_path / "serve.log") as (url, _):
        assert not killed.exists() and running.is_dir()
        running.rmdir()
        local = httpx.Client(base_url=url.rstrip("/"), timeout=30)
        assert "/ask" in local.get("/gradio_api/info").text
        assert '"/ask"' in local.get("/").text
        assert upload(local, "setup.exe", b"MZ" + b"\0" * 1000).status_code == 415
        ok = upload(local, "policy.txt", TEXT)
        assert ok.status_code == 200, ok.text
        (stored,) = ok.json()
        assert Path(stored).is_relative_to(tmp)
        made = ours(tmp)  # one folder for this server, readable by its owner only
        assert len(made) == 1, [(p, list(p.iterdir()) if p.is_dir() else "file") for p in made]
        own = made[0]
        assert own.stat().st_mode & 0o777 == 0o700, oct(own.stat().st_mode)
    assert ours(tmp) == [], files_under(tmp)
    assert not any(TEXT in p.read_bytes() for p in files_under(tmp))  # the upload is nowhere


def ours(tmp: Path) -> list[Path]:
    """What is in a TMPDIR but hidden files, which this host's shell environment writes into any TMPDIR."""
    return [p for p in tmp.iterdir() if not p.name.startswith(".")]


@pytest.mark.parametrize("how", ["LMCS_HTTPS=1 behind a TLS proxy", "TLS on the server itself"])
def test_session_cookies_are_secure_when_the_operator_serves_https(how, tmp_path, corpus_data_dir):
    import subprocess
    import sys
    import time

    from tests.conftest import free_port

    data = data_dir_with_users(tmp_path, corpus_data_dir, {ADMIN: (ADMIN_PW, True)})
    port, env, args = free_port(), {**os.environ, "TMPDIR": str(tmp_path)}, []
    if how.startswith("LMCS_HTTPS"):
        env["LMCS_HTTPS"] = "1"
        url = f"http://127.0.0.1:{port}"
    else:
        key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
        self_signed = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        where = ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]
        subprocess.run(["openssl", *self_signed, *where], check=True, capture_output=True)
        args = ["--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]
        url = f"https://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--data-dir", str(data), *args]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(url + "/", verify=False, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "lmcs serve did not start"
                time.sleep(0.3)
        login = httpx.post(url + "/login", data={"username": ADMIN, "password": ADMIN_PW}, verify=False)
        assert login.status_code == 200, login.text
        flags = cookie_flags(login)
        assert flags and all({"secure", "httponly", "samesite=lax"} <= f for f in flags.values()), flags
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_megabyte_questions_are_refused_at_once_and_another_users_question_is_unaffected(server):
    """Issue #18: a 400 KB question took 58 s while another user's 0.08 s question waited 25 s."""
    import threading
    import time

    from gradio_client import Client

    alice = Client(server.url + "/", auth=(ADMIN, ADMIN_PW), verbose=False)
    bob = Client(server.url + "/", auth=(PLAIN, PLAIN_PW), verbose=False)
    started = time.perf_counter()
    assert bob.predict("What is corporate parenting?", api_name="/ask")["citations"]
    alone = time.perf_counter() - started

    refusals: list[tuple[float, dict]] = []

    def flood() -> None:
        began = time.perf_counter()
        out = alice.predict("What is corporate parenting? " + "x" * 1_000_000, api_name="/ask")
        refusals.append((time.perf_counter() - began, out))

    threads = [threading.Thread(target=flood) for _ in range(4)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    answer = bob.predict("What is corporate parenting?", api_name="/ask")
    beside = time.perf_counter() - started
    for t in threads:
        t.join(60)
    print(f"alone {alone:.2f} s, beside four 1 MB questions {beside:.2f} s, refusals {sorted(s for s, _ in refusals)}")
    assert answer["citations"] and beside < alone + 2.0, (alone, beside)
    assert len(refusals) == 4 and all("error" in out for _, out in refusals), refusals
    assert max(seconds for seconds, _ in refusals) < 5.0, [seconds for seconds, _ in refusals]
