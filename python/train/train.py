#!/usr/bin/env python3
"""LoRA training of the embedded model (SmolLM2-135M-Instruct) on the generated conversations.

The base weights are the embedded GGUF itself, dequantized by Transformers: the adapter is
trained on the model it will be applied to, and nothing is fetched from a model hub.

Built for a small CPU: only the top `--layers` decoder layers carry LoRA weights, so the
backward pass stops there (the layers below have nothing to learn and their outputs need no
gradient); sequences are padded on the left, so every answer ends at the last position and
the vocabulary projection is computed for the answer's positions alone.

    python3 train.py --data DIR --base GGUF --out DIR [--layers 8] [--rank 8] [--epochs 1]

writes DIR/peft/ (the adapter as PEFT saves it), DIR/base-config/ (the base model's
config.json, which llama.cpp's converter reads) and DIR/train-log.json (loss per step, time).
"""

import argparse
import json
import os
import random
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

END = "<|im_end|>"


def encode(tok, row):
    prompt = tok.apply_chat_template(
        [{"role": "system", "content": row["system"]}, {"role": "user", "content": row["user"]}],
        tokenize=False, add_generation_prompt=True)
    p = tok(prompt, add_special_tokens=False)["input_ids"]
    a = tok(row["answer"] + END, add_special_tokens=False)["input_ids"]
    return p, a


def batches(rows, size, rng):
    order = list(range(len(rows)))
    rng.shuffle(order)
    for i in range(0, len(order), size):
        yield [rows[j] for j in order[i:i + size]]


def collate(batch, pad_id):
    """Left padding: every answer ends at the last position."""
    width = max(len(p) + len(a) for p, a in batch)
    keep = max(len(a) for _, a in batch) + 1
    ids, mask, labels = [], [], []
    for p, a in batch:
        seq = p + a
        pad = width - len(seq)
        ids.append([pad_id] * pad + seq)
        mask.append([0] * pad + [1] * len(seq))
        labels.append([-100] * (pad + len(p)) + a)
    return (torch.tensor(ids), torch.tensor(mask), torch.tensor(labels), keep)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--base", required=True, help="the embedded model's GGUF file")
    ap.add_argument("--out", required=True)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples only")
    ap.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2)))
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    rng = random.Random(a.seed)
    started = time.time()
    folder, name = os.path.split(os.path.abspath(a.base))
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    n_layers = model.config.num_hidden_layers
    top = list(range(n_layers - a.layers, n_layers))
    model = get_peft_model(model, LoraConfig(
        r=a.rank, lora_alpha=2 * a.rank, lora_dropout=0.0, task_type="CAUSAL_LM",
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
        layers_to_transform=top))
    model.print_trainable_parameters()
    pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id

    rows = [json.loads(line) for line in open(os.path.join(a.data, "train.jsonl"))]
    if a.limit:
        rows = rows[:a.limit]
    data = [encode(tok, r) for r in rows]
    steps_per_epoch = (len(data) + a.batch - 1) // a.batch
    total = max(1, int(steps_per_epoch * a.epochs))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 10) * max(0.05, 1 - s / total))
    model.train()
    log = []
    step = 0
    loaded = time.time() - started
    while step < total:
        for batch in batches(data, a.batch, rng):
            ids, mask, labels, keep = collate(batch, pad_id)
            out = model(input_ids=ids, attention_mask=mask, logits_to_keep=keep)
            # logits[:, i] predicts the token after position width-keep+i.
            logits = out.logits[:, :-1, :]
            target = labels[:, -keep + 1:]
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=-100)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            log.append({"step": step, "loss": round(loss.item(), 4),
                        "seconds": round(time.time() - started, 1)})
            print(f"step {step}/{total} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
            if step >= total:
                break

    os.makedirs(a.out, exist_ok=True)
    model.save_pretrained(os.path.join(a.out, "peft"))
    base_config = os.path.join(a.out, "base-config")
    model.base_model.model.config.save_pretrained(base_config)
    tok.save_pretrained(base_config)
    # What llama.cpp's converter needs to know the architecture; the weights came from a GGUF.
    cfg_path = os.path.join(base_config, "config.json")
    cfg = json.load(open(cfg_path))
    cfg["architectures"] = [type(model.base_model.model).__name__]
    cfg.pop("quantization_config", None)
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=1)
    with open(os.path.join(a.out, "train-log.json"), "w") as f:
        json.dump({"examples": len(data), "steps": step, "batch": a.batch, "layers": a.layers,
                   "rank": a.rank, "lr": a.lr, "threads": a.threads,
                   "load_seconds": round(loaded, 1),
                   "train_seconds": round(time.time() - started - loaded, 1),
                   "log": log}, f, indent=1)
    print(f"trained {step} steps on {len(data)} examples in {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
