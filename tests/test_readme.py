"""The README's two commands exist and do what it says."""

from __future__ import annotations

import subprocess

from assistant.settings import PROJECT_ROOT


def dry_run(target: str) -> str:
    result = subprocess.run(["make", "-n", target], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_readme_shows_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def test_make_run_builds_the_index_then_serves():
    commands = dry_run("run")
    assert commands.index("lmcs ingest") < commands.index("lmcs serve")


def test_make_test_runs_pytest():
    assert "pytest" in dry_run("test")


def test_ci_runs_make_test():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_torch_is_pinned_before_everything_else():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert makefile.index("torch==2.13.0") < makefile.index("-e '.[dev]'")
