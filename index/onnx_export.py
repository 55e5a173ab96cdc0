"""The one-time export of the embedding model from torch to ONNX (`index.embed.load_embedder` calls it
when no ONNX copy is cached): checked against torch before it is kept."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import _MAX_DIFF, _PROBES, OnnxEmbedder, SentenceTransformerEmbedder


def export_onnx(model: SentenceTransformerEmbedder, target: Path) -> Path:
    """Export the transformer of `model` to `target`, and keep it only if it matches torch.

    Written to a temporary file first and renamed, so a reader never sees half a file.
    Raises ValueError if the exported network's vectors differ from torch's.
    """
    import torch

    transformer: Any = model._model[0].auto_model
    transformer.eval()

    class _Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = model._model.tokenizer(_PROBES[:2], padding=True, return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".onnx")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shapes fixed by the example input
            torch.onnx.export(
                _Hidden(),
                tuple(sample[n] for n in names),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
        onnx_model = OnnxEmbedder(tmp, model.model_path)
        diff = float(np.abs(onnx_model.embed_documents(_PROBES) - model.embed_documents(_PROBES)).max())
        if diff > _MAX_DIFF:
            raise ValueError(f"the ONNX copy differs from the model by {diff:.2g}; not used")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
