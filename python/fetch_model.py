#!/usr/bin/env python3
"""Fetches a model from the Hugging Face Hub for an ISO build and writes its manifest.

    fetch_model.py hf:ORG/REPO/FILE@REVISION --out DIR [--sha256 HEX] [--format tool_call]
    fetch_model.py hf:ORG/REPO/FILE@REVISION --out DIR --variant NAME --manifest FILE
                   [--ram BYTES] [--vram BYTES] [--gpu-layers N] [--adapter FILE]

The revision must be pinned (a commit hash or tag), so two builds fetch the same bytes. The
download uses the Hugging Face CLI: `hf` when installed, else `huggingface-cli`; with neither,
it says exactly what to install. The file's sha256 is computed (and checked against --sha256
when given), and DIR/manifest.json is written for the daemon, which verifies it again before
every start. Nothing is downloaded at install time: the ISO ships DIR.

With --variant, the model becomes the variant NAME of the catalogue FILE (the daemon's
manifest, /opt/levitate-installer/models/default/manifest.json), added or replaced there;
a single-model manifest found there is kept as the variant "nano". The daemon runs the
largest installed variant whose memory need fits the machine: --ram (default: the file's
size and a quarter, and 256 MiB) on the CPU, or --vram (default: as --ram; 0: never) on a
GPU with --gpu-layers offloaded (default -1, all). --adapter adds a LoRA adapter file
(GGUF), recorded with its sha256.
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


VARIANT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


def default_ram(size):
    """What the daemon assumes a variant needs without a "ram" (daemon/src/llm/manifest.rs)."""
    return size + size // 4 + (256 << 20)


def read_catalogue(path):
    """The catalogue in PATH: {"variants": [...]}; a single-model manifest becomes "nano"."""
    if not os.path.exists(path):
        return {"variants": []}
    with open(path) as f:
        m = json.load(f)
    if "variants" in m:
        return m
    single = dict(m)
    single["model"] = single.pop("name", "nano")
    single["name"] = "nano"
    return {"variants": [single]}


def add_variant(manifest_path, name, fetched, ram=None, vram=None, gpu_layers=-1, adapter=None):
    """Adds (or replaces) the variant NAME for the fetched model in the catalogue; atomic."""
    if not VARIANT_NAME.match(name):
        raise FetchError(f"variant name {name!r}: use 1 to 32 of a-z 0-9 . _ -, starting with a letter or digit")
    size = os.path.getsize(fetched["file"])
    ram = default_ram(size) if ram is None else ram
    entry = {
        "name": name,
        "model": os.path.splitext(fetched["name"])[0],
        "file": fetched["file"],
        "sha256": fetched["sha256"],
        "size": size,
        "ram": ram,
        "vram": ram if vram is None else vram,
        "gpu_layers": gpu_layers,
        "backend": fetched["backend"],
        "format": fetched["format"],
        "context": fetched["context"],
        "source": fetched["source"],
    }
    if adapter:
        if not os.path.isfile(adapter):
            raise FetchError(f"the adapter {adapter} is not a file")
        entry["adapter"] = {"path": os.path.abspath(adapter), "sha256": sha256(adapter)}
    catalogue = read_catalogue(manifest_path)
    catalogue["variants"] = [v for v in catalogue["variants"] if v.get("name") != name] + [entry]
    os.makedirs(os.path.dirname(os.path.abspath(manifest_path)), exist_ok=True)
    tmp = manifest_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(catalogue, f, indent=2)
        f.write("\n")
    os.replace(tmp, manifest_path)
    return entry


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("spec", help="hf:ORG/REPO/FILE@REVISION")
    p.add_argument("--out", required=True)
    p.add_argument("--sha256")
    p.add_argument("--format", default="tool_call", choices=["tool_call", "function_gemma", "openai"])
    p.add_argument("--variant", help="add the model to --manifest as this variant (small-1.5b, medium-3b)")
    p.add_argument("--manifest", help="the daemon's catalogue to add the variant to")
    p.add_argument("--ram", type=int, help="bytes of RAM the variant needs on the CPU")
    p.add_argument("--vram", type=int, help="bytes of GPU memory it needs offloaded (0: never offloaded)")
    p.add_argument("--gpu-layers", type=int, default=-1, help="layers offloaded to a GPU with room (-1: all)")
    p.add_argument("--adapter", help="a LoRA adapter file (GGUF) applied over the model")
    args = p.parse_args(argv)
    if bool(args.variant) != bool(args.manifest):
        p.error("--variant and --manifest go together")
    try:
        m = fetch(args.spec, args.out, args.sha256, args.format)
        if args.variant:
            add_variant(args.manifest, args.variant, m, args.ram, args.vram, args.gpu_layers, args.adapter)
            print(f"fetch_model.py: variant {args.variant} added to {args.manifest}")
    except FetchError as e:
        print(f"fetch_model.py: {e}", file=sys.stderr)
        return 1
    print(f"fetch_model.py: {m['file']} (sha256 {m['sha256']}); manifest in {args.out}/manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
