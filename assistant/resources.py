"""Files that ship inside the package: the prompts and the starting corpus.

They live in the repository's top-level `prompts/` and `corpus/` folders and are packaged
as `lmcs_prompts` and `lmcs_corpus` (see pyproject.toml), so `pip install .` carries them and
the import system finds them in a wheel and in a source checkout alike.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

# The checkout (or site-packages) folder holding the packages; the data folders sit beside them
# in a source checkout.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
_ROOT = PROJECT_ROOT


def _folder(package: str, checkout_name: str) -> Path:
    """The installed data package's folder (they are namespace packages: data, no code), else
    the checkout's own folder when the project is not installed."""
    try:
        spec = importlib.util.find_spec(package)
    except (ModuleNotFoundError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return _ROOT / checkout_name


def prompts_dir() -> Path:
    return _folder("lmcs_prompts", "prompts")


def bundled_corpus_dir() -> Path:
    return _folder("lmcs_corpus", "corpus")
