#!/usr/bin/env python3
"""Fetches a model from the Hugging Face Hub for an ISO build and writes its manifest.

    fetch_model.py hf:ORG/REPO/FILE@REVISION --out DIR [--sha256 HEX] [--format tool_call]

The revision must be pinned (a commit hash or tag), so two builds fetch the same bytes. The
download uses the Hugging Face CLI: `hf` when installed, else `huggingface-cli`; with neither,
it says exactly what to install. The file's sha256 is computed (and checked against --sha256
when given), and DIR/manifest.json is written for the daemon, which verifies it again before
every start. Nothing is downloaded at install time: the ISO ships DIR.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

SPEC = re.compile(r"^hf:(?P<repo>[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)/(?P<file>[A-Za-z0-9][A-Za-z0-9._/-]*)@(?P<rev>[A-Za-z0-9._-]+)$")


class FetchError(Exception):
    pass


def parse_spec(spec):
    if "@" not in spec:
        raise FetchError(f"{spec!r} has no revision: pin one, like hf:ORG/REPO/FILE@<commit>, so builds are reproducible")
    m = SPEC.match(spec)
    if not m or ".." in m.group("file").split("/"):
        raise FetchError(f"{spec!r} is not hf:ORG/REPO/FILE@REVISION")
    return m.group("repo"), m.group("file"), m.group("rev")


def find_cli():
    for name in ("hf", "huggingface-cli"):
        path = shutil.which(name)
        if path:
            return name, path
    raise FetchError("neither `hf` nor `huggingface-cli` is installed; install the Hugging Face CLI with "
                     "`pip install -U huggingface_hub` (it provides both commands), then run this again")


def download(cli, repo, file, rev, out):
    name, path = cli
    cmd = [path, "download", repo, file, "--revision", rev, "--local-dir", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise FetchError(f"{name} download failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    target = os.path.join(out, file)
    if not os.path.isfile(target):
        raise FetchError(f"{name} reported success but {target} is missing")
    return target


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(spec, out, expected=None, fmt="tool_call"):
    repo, file, rev = parse_spec(spec)
    cli = find_cli()
    os.makedirs(out, exist_ok=True)
    target = download(cli, repo, file, rev, out)
    digest = sha256(target)
    if expected and digest != expected.lower():
        raise FetchError(f"{target} has sha256 {digest}, expected {expected}")
    manifest = {
        "name": os.path.basename(file),
        "file": os.path.abspath(target),
        "sha256": digest,
        "backend": "llama" if file.endswith(".gguf") else "transformers",
        "format": fmt,
        "context": 2048,
        "source": f"hf:{repo}/{file}@{rev}",
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("spec", help="hf:ORG/REPO/FILE@REVISION")
    p.add_argument("--out", required=True)
    p.add_argument("--sha256")
    p.add_argument("--format", default="tool_call", choices=["tool_call", "function_gemma", "openai"])
    args = p.parse_args(argv)
    try:
        m = fetch(args.spec, args.out, args.sha256, args.format)
    except FetchError as e:
        print(f"fetch_model.py: {e}", file=sys.stderr)
        return 1
    print(f"fetch_model.py: {m['file']} (sha256 {m['sha256']}); manifest in {args.out}/manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
