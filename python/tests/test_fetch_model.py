"""Tests of fetch_model.py. The Hugging Face Hub cannot be reached from this machine, so
the download itself runs against a stand-in `hf` command (a script on PATH that writes the
requested file, as the real one does); the parsing, the preflight, the checksum and the
manifest are the real code."""
import hashlib
import json
import os
import stat
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "fetch_model.py")


def run(args, path_dirs):
    env = dict(os.environ, PATH=os.pathsep.join(path_dirs))
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, env=env)


def fake_cli(dir, name, content=b"GGUF fake weights"):
    path = os.path.join(dir, name)
    with open(path, "w") as f:
        f.write(f"""#!{sys.executable}
import os, sys
args = sys.argv[1:]
assert args[0] == "download", args
repo, file = args[1], args[2]
rev = args[args.index("--revision") + 1]
out = args[args.index("--local-dir") + 1]
os.makedirs(os.path.dirname(os.path.join(out, file)), exist_ok=True)
open(os.path.join(out, file), "wb").write({content!r})
open(os.path.join(out, "called"), "w").write(" ".join([os.path.basename(sys.argv[0]), repo, file, rev]))
""")
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)


def test_without_any_cli_it_says_what_to_install(tmp_path):
    r = run(["hf:org/repo/model.gguf@abc123", "--out", str(tmp_path / "m")], [str(tmp_path)])
    assert r.returncode == 1
    assert "pip install -U huggingface_hub" in r.stderr


def test_an_unpinned_or_malformed_spec_is_refused(tmp_path):
    fake_cli(str(tmp_path), "hf")
    for spec in ["hf:org/repo/model.gguf", "org/repo/model.gguf@1", "hf:org/model.gguf@1", "hf:org/repo/../x@1"]:
        r = run([spec, "--out", str(tmp_path / "m")], [str(tmp_path)])
        assert r.returncode == 1, spec
        assert "hf:" in r.stderr or "revision" in r.stderr


def test_prefers_hf_and_falls_back_to_huggingface_cli(tmp_path):
    both = tmp_path / "both"
    only_old = tmp_path / "old"
    both.mkdir()
    only_old.mkdir()
    fake_cli(str(both), "hf")
    fake_cli(str(both), "huggingface-cli")
    fake_cli(str(only_old), "huggingface-cli")
    for bindir, expected in [(both, "hf"), (only_old, "huggingface-cli")]:
        out = tmp_path / f"m-{expected}"
        r = run(["hf:org/repo/sub/model.gguf@v1.0", "--out", str(out)], [str(bindir)])
        assert r.returncode == 0, r.stderr
        assert (out / "called").read_text().startswith(expected + " org/repo sub/model.gguf v1.0")
        m = json.loads((out / "manifest.json").read_text())
        assert m["sha256"] == hashlib.sha256(b"GGUF fake weights").hexdigest()
        assert m["file"].endswith("sub/model.gguf") and m["backend"] == "llama"
        assert m["source"] == "hf:org/repo/sub/model.gguf@v1.0"


def test_a_checksum_mismatch_fails(tmp_path):
    fake_cli(str(tmp_path), "hf")
    r = run(["hf:org/repo/model.gguf@v1", "--out", str(tmp_path / "m"), "--sha256", "0" * 64], [str(tmp_path)])
    assert r.returncode == 1 and "expected" in r.stderr
    assert not (tmp_path / "m" / "manifest.json").exists()


def test_a_fetched_model_becomes_a_variant_beside_nano(tmp_path):
    """--variant adds the model to the daemon's catalogue; the single-model manifest found
    there stays as "nano"; fetching again replaces the variant instead of listing it twice."""
    fake_cli(str(tmp_path), "hf")
    catalogue = tmp_path / "default" / "manifest.json"
    catalogue.parent.mkdir()
    nano = {"name": "SmolLM2-135M-Instruct", "file": "/opt/m.gguf", "sha256": "b" * 64, "backend": "llama"}
    catalogue.write_text(json.dumps(nano))
    adapter = tmp_path / "lora.gguf"
    adapter.write_bytes(b"lora")
    args = ["hf:org/repo/qwen-1.5b.gguf@v1", "--out", str(tmp_path / "small"), "--variant", "small-1.5b",
            "--manifest", str(catalogue), "--vram", "2000000000", "--adapter", str(adapter)]
    for _ in range(2):
        r = run(args, [str(tmp_path)])
        assert r.returncode == 0, r.stderr
    m = json.loads(catalogue.read_text())
    assert [v["name"] for v in m["variants"]] == ["nano", "small-1.5b"]
    assert m["variants"][0]["model"] == "SmolLM2-135M-Instruct" and m["variants"][0]["sha256"] == "b" * 64
    small = m["variants"][1]
    size = len(b"GGUF fake weights")
    assert small["sha256"] == hashlib.sha256(b"GGUF fake weights").hexdigest()
    assert (small["size"], small["ram"], small["vram"], small["gpu_layers"]) == (size, size + size // 4 + (256 << 20), 2000000000, -1)
    assert small["model"] == "qwen-1.5b" and small["source"] == "hf:org/repo/qwen-1.5b.gguf@v1"
    assert small["adapter"] == {"path": str(adapter), "sha256": hashlib.sha256(b"lora").hexdigest()}
    r = run(["hf:org/repo/x.gguf@v1", "--out", str(tmp_path / "x"), "--variant", "Big One", "--manifest", str(catalogue)],
            [str(tmp_path)])
    assert r.returncode == 1 and "variant name" in r.stderr
    r = run(["hf:org/repo/x.gguf@v1", "--out", str(tmp_path / "x"), "--variant", "x"], [str(tmp_path)])
    assert r.returncode == 2 and "--manifest" in r.stderr
