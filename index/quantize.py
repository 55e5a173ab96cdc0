"""An int8 copy of the ONNX model, made by onnxruntime's own dynamic quantization: no new download.

Weights are int8 per output channel; only the matrix multiplications with a weight matrix are
quantized (the token embedding table stays fp32, which kept the smallest cosine higher). On this
corpus's sentences its vectors have a mean cosine of 0.992 to fp32's (smallest 0.988), at 1.6–2×
fp32's sentences/s (2.3× at ingest, in CPU time); quantizing per tensor gave 0.961. Opt-in
(`LMCS_EMBED_PRECISION=int8`; the default is `index.embed.DEFAULT_PRECISION`). On the eval (hybrid,
fp32 → int8, 2026-11-24) it moves single questions both ways, more than the 1 point the speed work
was allowed, so fp32 stays the default:

- v1: hit@1 0.750 both, MRR 0.839 → 0.834, evidence cited 0.796 → 0.818; fact recall, refusals unchanged.
- v2: hit@1 0.765 → 0.741, MRR 0.846 → 0.834, fact recall 0.794 → 0.788, over-abstention 0.082 → 0.094.
- dev2: hit@1 0.625 → 0.661, hit@5 0.946 → 0.929, fact recall 0.851 → 0.833, over-abstention 0.071 → 0.089.
- dev3: hit@1 0.761 → 0.775, fact recall 0.905 → 0.891, evidence cited 0.930 → 0.916.
- v3 (held out, aggregates only): hit@1 0.788 both, MRR 0.884 → 0.887, fact recall 0.800 → 0.788,
  refusals of the unanswerable 0.769 → 0.808. Quote grounding 1.0 everywhere, for both.

Neither of the two middle ways holds either (2026-11-25, hybrid, each dataset against fp32; one
question is 1.2-2.4 points on these sets):

- int8 for documents only, questions in fp32: v2 hit@1 0.765 → 0.741, dev2 abstain recall 0.944 → 0.889.
- per-layer exclusions, documents only: every MatMul but the feed-forward output (whose inputs, after
  GELU, carry the outliers) is mean cosine 0.9972 (smallest 0.9930), 1.6× fp32 in CPU time: dev2
  hit@1 0.625 → 0.607, v3 0.788 → 0.776; only the feed-forward input: 0.9984, 1.1×: v1 hit@1 0.750 →
  0.727, v2 0.765 → 0.741. (All of them: 0.9939, 2.5×.)

(fp32 and int8 in turn in one process, fp32 unchanged from a second fp32 run. Under heavy load the
eval itself moved 2-10 questions a dataset between two fp32 runs of the same code: compare in one go.)

The copy is checked against fp32 before it is kept (`MIN_COSINE` on `CHECK_TEXTS`), and it has
its own model identity (`+int8`), so an index built with fp32 vectors is reported as built with
another model (rebuild it), never searched with int8 query vectors.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SUFFIX = "+int8"
MIN_COSINE = 0.99
CHECK_TEXTS = [
    "What must the Lead Member for Children's Services do?",
    "LMCS",
    "The Lead Member is a participating observer of the Local Safeguarding Children Board.",
    "Corporate parenting: champion the interests of children in care and care leavers.",
    "The DCS and the LMCS share political and professional accountability for the effectiveness, "
    "availability and value for money of children's services.",
    "Meets the Director of Children’s Services every month; chairs the corporate parenting panel.",
    "How often does the fostering panel meet? Monthly.",
    "Ysgol Gymraeg · café · naïve — “quotes” ‘and’ § 19 (2), Children Act 2004.",
]


def int8_path(fp32_path: Path) -> Path:
    """Beside the fp32 copy, named from it: new weights → a new fp32 name → a new int8 name."""
    return fp32_path.with_name(f"{fp32_path.stem}-int8.onnx")


def quantize(fp32_path: Path, model_path: Path | None = None) -> Path:
    """Write the int8 copy of `fp32_path` (to a temporary file, renamed once it passed the check).
    Raises ValueError if its vectors are not close enough to fp32's."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from index.embed import OnnxEmbedder

    target = int8_path(fp32_path)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".quantize-", suffix=".onnx")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.getLogger().disabled = True  # onnxruntime logs "consider pre-processing" on the root logger
            try:
                quantize_dynamic(
                    str(fp32_path),
                    str(tmp),
                    weight_type=QuantType.QInt8,
                    per_channel=True,
                    op_types_to_quantize=["MatMul"],
                    extra_options={"MatMulConstBOnly": True},
                )
            finally:
                logging.getLogger().disabled = False
        ours = OnnxEmbedder(tmp, model_path).embed_documents(CHECK_TEXTS)
        theirs = OnnxEmbedder(fp32_path, model_path).embed_documents(CHECK_TEXTS)
        cosine = float(np.mean(np.sum(ours * theirs, axis=1)))
        if cosine < MIN_COSINE:
            raise ValueError(f"the int8 copy's vectors have a mean cosine of {cosine:.4f} to fp32's; not used")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("Made an int8 copy of the embedding model at %s (mean cosine to fp32 %.4f)", target, cosine)
    return target
