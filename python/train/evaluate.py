#!/usr/bin/env python3
"""The model alone, with and without the adapter, on generated conversations.

Each example is sent exactly as the daemon sends it (`Assistant::choose`: the system prompt
with the machine's disks, the request, the daemon's grammar, temperature 0, 48 tokens), with
llama-cpp-python as the model server runs it. The grammar is read from the daemon's source,
so what is measured is what runs. An answer is right when its one call has the expected name
and arguments.

    python3 evaluate.py --model GGUF [--adapter GGUF] --set FILE.jsonl [--threads 1]

prints one line per intent and `accuracy N/M = P%` with p50/p95 latency; `--json FILE`
writes the details.

    python3 evaluate.py --model GGUF [--adapter GGUF] --intents SET.jsonl --machines DIR \
        --scorer score_intents.py

measures the model alone on a set of requests in the scorer's format (machine, text,
expected actions): the machine's disks go into the prompt as the daemon puts them, the one
call becomes an action, and the scorer's own comparison judges it. Requests that need an
action outside the grammar (partitioning ...) count as failures: the model cannot answer them.
"""

import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DAEMON_LLM = os.path.join(HERE, "..", "..", "daemon", "src", "llm", "mod.rs")


def daemon_grammar(path=DAEMON_LLM):
    src = open(path).read()
    m = re.search(r'const GRAMMAR: &str = r#"(.*?)"#;', src, re.S)
    if not m:
        raise SystemExit(f"no GRAMMAR in {path}")
    return m.group(1)


def parse_call(text):
    m = re.search(r"<tool_call>(.*?)</tool_call>", text, re.S)
    if not m:
        return None
    try:
        return json.loads(m.group(1))
    except json.JSONDecodeError:
        return None


SUFFIX = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def size_bytes(text):
    text = str(text).strip().upper()
    if text and text[-1] in SUFFIX:
        return int(float(text[:-1]) * SUFFIX[text[-1]])
    return int(text)


def machine_prompt(machine_file):
    """The system prompt the daemon builds for a machine (sorted keys, compact JSON)."""
    import generate
    m = json.load(open(machine_file))
    disks = [{"path": d["path"], "size_gib": size_bytes(d["size"]) >> 30, "model": d.get("model", "")[:40]}
             for d in m["disks"]]
    return generate.SYSTEM.format(json.dumps(disks, separators=(",", ":"), sort_keys=True))


def call_to_action(call):
    """The action a call names, in the canonical JSON form."""
    if not call:
        return None
    action = {"action": call.get("name")}
    action.update(call.get("arguments") or {})
    return action


def intents_rows(path, machines):
    rows = []
    for line in open(path):
        if line.strip():
            case = json.loads(line)
            rows.append({"system": machine_prompt(os.path.join(machines, case["machine"] + ".json")),
                         "user": case["text"], "case": case, "intent": case["id"]})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--adapter")
    ap.add_argument("--set")
    ap.add_argument("--intents")
    ap.add_argument("--machines")
    ap.add_argument("--scorer")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json")
    a = ap.parse_args()

    from llama_cpp import Llama, LlamaGrammar

    kwargs = {"model_path": a.model, "n_ctx": 2048, "n_threads": a.threads, "verbose": False}
    if a.adapter:
        kwargs["lora_path"] = a.adapter
    llm = Llama(**kwargs)
    grammar = LlamaGrammar.from_string(daemon_grammar(), verbose=False)
    scorer = None
    if a.intents:
        sys.path.insert(0, HERE)
        spec = importlib.util.spec_from_file_location("score_intents", a.scorer)
        scorer = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(scorer)
        rows = intents_rows(a.intents, a.machines)
    else:
        rows = [json.loads(line) for line in open(a.set)]
    if a.limit:
        rows = rows[:a.limit]
    per_intent, times, details = {}, [], []
    for r in rows:
        t0 = time.time()
        out = llm.create_chat_completion(
            messages=[{"role": "system", "content": r["system"]}, {"role": "user", "content": r["user"]}],
            max_tokens=48, temperature=0.0, grammar=grammar)
        times.append(time.time() - t0)
        got = parse_call(out["choices"][0]["message"]["content"] or "")
        if scorer:
            want = r["case"].get("expect")
            action = call_to_action(got)
            ok = scorer.case_passes(r["case"], [action] if action else [])
            r = dict(r, intent="all")
        else:
            want = parse_call(r["answer"])
            ok = got == want
        s = per_intent.setdefault(r["intent"], [0, 0])
        s[0] += ok
        s[1] += 1
        details.append({"user": r["user"], "want": want, "got": got, "ok": ok})
    right = sum(v[0] for v in per_intent.values())
    for intent, (k, n) in sorted(per_intent.items()):
        print(f"{intent:20s} {k}/{n}")
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"latency per request: median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"accuracy {right}/{len(rows)} = {100 * right / len(rows):.1f}%")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"adapter": a.adapter, "accuracy": right / len(rows), "details": details}, f, indent=1)


if __name__ == "__main__":
    main()
