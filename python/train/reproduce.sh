#!/bin/sh
# Reproduces the intent adapter from nothing but PyPI: a venv with the training packages,
# the generated data, LoRA training of the embedded model on the CPU, conversion to a GGUF
# LoRA adapter with llama.cpp's own converter (from the vendored llama.cpp of the
# llama-cpp-python source package the installer runs), and the held-out measurement.
#
#   sh python/train/reproduce.sh [WORKDIR]        (default /var/tmp/levitate-train)
#
# Needs scripts/setup.sh first (the embedded model and the installer's venv). The result is
# WORKDIR/out/levitate-intent-lora.gguf; compare its measurement with the committed one, then
# copy it to python/train/levitate-intent-lora.gguf and update ADAPTER_SHA256 in
# python/provision.py.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/var/tmp/levitate-train}
venv=${TRAIN_VENV:-$work/venv}
model=$(/opt/levitate-installer/venv/bin/python3 -c 'import sys; sys.path.insert(0, "'"$here"'/python"); from llm_server import embedded_model_path; print(embedded_model_path() or "")')
[ -n "$model" ] || { echo "reproduce.sh: the embedded model is missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$work"
[ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/python/train/requirements.txt"
llama_version=$(sed -n 's/^llama-cpp-python==//p' "$here/python/requirements.txt")
if [ ! -f "$work/llama.cpp/convert_lora_to_gguf.py" ]; then
    PATH="$venv/bin:$PATH" "$venv/bin/pip" download -q --no-binary :all: --no-deps \
        --no-build-isolation "llama-cpp-python==$llama_version" -d "$work/sdist"
    tar xzf "$work/sdist/llama_cpp_python-$llama_version.tar.gz" -C "$work/sdist"
    rm -rf "$work/llama.cpp"
    mv "$work/sdist/llama_cpp_python-$llama_version/vendor/llama.cpp" "$work/llama.cpp"
fi
python3 "$here/python/train/generate.py" --out "$work/data" --train "${TRAIN_EXAMPLES:-2400}" --heldout 300
start=$(date +%s)
"$venv/bin/python3" "$here/python/train/train.py" --data "$work/data" --base "$model" \
    --out "$work/out" --layers 12 --rank 8 --batch 8 --threads "$(nproc)"
echo "TRAINING seconds=$(( $(date +%s) - start ))"
PYTHONPATH="$work/llama.cpp/gguf-py" "$venv/bin/python3" "$work/llama.cpp/convert_lora_to_gguf.py" \
    --base "$work/out/base-config" --outtype f16 \
    --outfile "$work/out/levitate-intent-lora.gguf" "$work/out/peft"
sha256sum "$work/out/levitate-intent-lora.gguf"
for adapter in "" "$work/out/levitate-intent-lora.gguf"; do
    echo "== held-out split, adapter: ${adapter:-none}"
    /opt/levitate-installer/venv/bin/python3 "$here/python/train/evaluate.py" --model "$model" \
        ${adapter:+--adapter "$adapter"} --set "$work/data/heldout.jsonl"
done
