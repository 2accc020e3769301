#!/usr/bin/env python3
"""The adapter's held-out split as a request set for `score_intents.py`, so that the
interpreter alone and the default configuration are measured on the same 300 requests as
the model alone (`evaluate.py --set`).

    python3 as_intents.py --split DIR/heldout.jsonl --out OUTDIR

writes OUTDIR/heldout-intents.jsonl and OUTDIR/machines/generated.json. The split asks for
no disk layout (its intents are settings, accounts, steps and refusals), so every request is
read on one machine: the disks of the first prompt. Then:

    python3 ../shared/eval/score_intents.py --set OUTDIR/heldout-intents.jsonl \
        --machines OUTDIR/machines [--daemon-arg=--llm=off]

Each expectation is the generated answer's tool call as an action: the fields the call
names, compared as the scorer compares them.
"""

import argparse
import json
import os
import re

CALL = re.compile(r"<tool_call>(.*)</tool_call>", re.S)


def action_of(answer):
    call = json.loads(CALL.search(answer).group(1))
    out = {"action": call["name"]}
    out.update(call.get("arguments") or {})
    return out


def machine_of(system):
    disks = json.loads(system.split("DISKS: ", 1)[1])
    return {
        "firmware": "uefi",
        "memory": "8G",
        "disks": [
            {"path": d["path"], "size": f"{d['size_gib']}G", "model": d["model"]}
            for d in disks
        ],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    machines_dir = os.path.join(args.out, "machines")
    os.makedirs(machines_dir, exist_ok=True)
    written = False
    with open(args.split) as f, open(os.path.join(args.out, "heldout-intents.jsonl"), "w") as out:
        for i, line in enumerate(filter(str.strip, f)):
            ex = json.loads(line)
            if not written:
                with open(os.path.join(machines_dir, "generated.json"), "w") as m:
                    json.dump(machine_of(ex["system"]), m)
                written = True
            row = {
                "id": f"g{i:03d}",
                "machine": "generated",
                "text": ex["user"],
                "expect": [action_of(ex["answer"])],
            }
            out.write(json.dumps(row) + "\n")
    print(f"{i + 1} requests in {args.out}")


if __name__ == "__main__":
    main()
