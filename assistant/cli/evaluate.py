"""`lmcs eval`: the eval suite on a fresh index of the corpus."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.common import fail
from assistant.settings import Settings


def eval_(
    config: Annotated[
        list[str] | None,
        typer.Option(help="Configurations to compare: hybrid, dense, bm25, llm (default: all; llm when configured)"),
    ] = None,
    dataset: Annotated[str, typer.Option(help="Dataset version in evals/datasets/, or a .jsonl path")] = "v1",
    write: Annotated[bool, typer.Option(help="Write reports and chart to evals/reports/")] = True,
) -> None:
    """Run the eval suite on a fresh index of the corpus and compare configurations."""
    from evals.run import CONFIGS, LLM_CONFIG
    from evals.run import main as run_eval

    known = (*CONFIGS, LLM_CONFIG)
    chosen = tuple(config or (CONFIGS + ((LLM_CONFIG,) if Settings().has_llm else ())))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise fail(f"unknown configuration(s): {', '.join(unknown)} (choose from {', '.join(known)})", code=2)
    run_eval(chosen, dataset, write=write)
