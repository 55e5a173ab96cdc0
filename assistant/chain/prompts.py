"""Prompts and message templates are plain files in prompts/, rendered with strict variables.

>>> Prompt("t", "Hello $name").render(name="Ada")
'Hello Ada'
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.resources import prompts_dir


class PromptError(KeyError):
    """A template was rendered without one of its variables, or does not exist."""

    def __str__(self) -> str:  # KeyError quotes its message; say it plainly
        return str(self.args[0])


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def variables(self) -> set[str]:
        return {m[1] or m[2] for m in string.Template.pattern.findall(self.text) if m[1] or m[2]}

    def render(self, **values: object) -> str:
        missing = self.variables - values.keys()
        if missing:
            raise PromptError(f"prompt '{self.name}' needs {', '.join(sorted(missing))}")
        return string.Template(self.text).substitute({k: str(v) for k, v in values.items()})


@lru_cache(maxsize=64)
def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    """`load_prompt("abstain")` reads prompts/abstain.txt (packaged as `lmcs_prompts`)."""
    folder = folder or prompts_dir()
    path = Path(folder) / f"{name}.txt"
    if not path.exists():
        raise PromptError(f"no prompt named '{name}' in {folder}")
    return Prompt(name, path.read_text(encoding="utf-8").rstrip("\n"))
