"""The project installs as a package: the wheel carries the prompts and the corpus, and a new
virtualenv with nothing but the wheel (and the dependencies) builds an index and answers."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow


def run(*args, cwd=None, env=None, timeout=600) -> subprocess.CompletedProcess:
    out = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{args}\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    return out


def test_the_wheel_installed_in_a_new_virtualenv_answers_a_question(tmp_path, model_cache):
    wheels = tmp_path / "wheels"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(wheels),
        str(PROJECT_ROOT),
    )
    wheel = next(wheels.glob("lmcs_assistant-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "lmcs_prompts/abstain.txt" in names and "lmcs_corpus/manifest.toml" in names
    assert "lmcs_corpus/wigan-childrens-portfolio-2024-25.txt" in names
    # every package of the source tree is in the wheel (a subpackage left out fails only when installed)
    packages = {str(p.parent.relative_to(PROJECT_ROOT)) for p in PROJECT_ROOT.glob("*/**/__init__.py")}
    packages = {p for p in packages if p.split("/")[0] in {"assistant", "index"}}
    assert {f"{p}/__init__.py" for p in packages} <= set(names)

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    # The dependencies come from this test run's environment (a .pth line), the project from the wheel alone.
    site = Path(
        run(
            str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).stdout.strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel))

    away = tmp_path / "elsewhere"  # not the checkout: nothing can be imported from it
    away.mkdir()
    env = {**os.environ, "LMCS_DATA_DIR": str(away / "data"), "LMCS_MODEL_CACHE": str(model_cache)}
    env.pop("PYTHONPATH", None)
    lmcs = str(venv / "bin" / "lmcs")
    assert run(lmcs, "--version", cwd=away, env=env).stdout.startswith("lmcs 0.")
    where = run(str(venv / "bin" / "python"), "-c", "import assistant; print(assistant.__file__)", cwd=away, env=env)
    assert str(venv) in where.stdout  # the installed copy, not the checkout
    run(lmcs, "ingest", cwd=away, env=env)
    answer = run(lmcs, "ask", "Which section of the Children Act 2004 requires a lead member?", cwd=away, env=env)
    assert "Section 19" in answer.stdout
