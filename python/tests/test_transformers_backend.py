"""The optional Transformers backend. It needs `pip install -r python/requirements-transformers.txt`
and a checkpoint directory in LEVITATE_HF_CHECKPOINT; where either is missing the test is
reported as skipped (never as passed)."""
import os

import pytest


def test_transformers_backend_answers():
    pytest.importorskip("transformers")
    checkpoint = os.environ.get("LEVITATE_HF_CHECKPOINT")
    if not checkpoint:
        pytest.skip("LEVITATE_HF_CHECKPOINT names no checkpoint directory")
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from llm_server import BadRequest, TransformersBackend

    b = TransformersBackend(checkpoint, threads=1, ctx=2048)
    text, finish, _ = b.complete([{"role": "user", "content": "Say hi."}], 8, 0.0, None, None, None)
    assert isinstance(text, str) and finish == "stop"
    with pytest.raises(BadRequest):
        b.complete([{"role": "user", "content": "x"}], 8, 0.0, None, "root ::= \"a\"", None)
