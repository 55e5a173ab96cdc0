"""The layout shows the architecture: dependencies point one way and no module grows past a sitting.

faces (assistant.web, assistant.cli) → service, training, records → chain → index
evals → chain/service; the product never imports the eval; index knows nothing of answering.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 340  # "about 300": a module a newcomer reads in one sitting
DATA = {"index/council_names.py"}  # a gazetteer: data, read by lookup, not in one sitting


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


# (package, packages it must never import)
RULES = [
    ("index", ["assistant", "evals"]),
    ("assistant.chain", ["assistant.web", "assistant.cli", "assistant.training", "assistant.service", "evals"]),
    ("assistant.training", ["assistant.web", "assistant.cli", "evals"]),
    ("assistant.service", ["assistant.web", "assistant.cli", "evals"]),
    ("assistant.web", ["assistant.cli", "evals"]),
    ("assistant.cli", ["assistant.web.ask_tab"]),
]


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_dependencies_point_one_way(package, forbidden):
    paths = (
        _modules(package) if (ROOT / package.replace(".", "/")).is_dir() else [ROOT / f"{package.replace('.', '/')}.py"]
    )
    for path in paths:
        for name in _imports(path):
            bad = [f for f in forbidden if name == f or name.startswith(f + ".")]
            assert not bad, f"{path.relative_to(ROOT)} imports {name}"


def test_the_eval_reaches_the_chain_only_through_its_public_entry_points():
    for path in _modules("evals"):
        for name in _imports(path):
            assert not name.startswith(("assistant.web", "assistant.cli")), f"{path.relative_to(ROOT)} imports {name}"


@pytest.mark.parametrize("package", ["assistant", "index"])
def test_no_module_is_too_long_to_read_in_one_sitting(package):
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in _modules(package)}
    long = {rel: n for rel, n in sizes.items() if n > MAX_LINES and rel not in DATA}
    assert not long, long
