"""The adapter's training data: what the generator writes is what the daemon asks and what its
grammar allows, and the held-out split is unseen by training."""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "train"))

import evaluate  # noqa: E402
import generate  # noqa: E402

DAEMON_LLM = os.path.join(HERE, "..", "..", "daemon", "src", "llm", "mod.rs")


def daemon_system_prompt():
    """The format string of `Assistant::choose`'s system prompt, as Rust reads it."""
    src = open(DAEMON_LLM).read()
    m = re.search(r'let system = format!\(\s*"(.*?)",\s*serde_json', src, re.S)
    assert m, "the system prompt of Assistant::choose moved"
    # A backslash at the end of a line joins it with the next, leading spaces dropped.
    return re.sub(r"\\\n\s*", "", m.group(1))


def test_the_system_prompt_is_the_daemons():
    assert generate.SYSTEM == daemon_system_prompt()


def grammar_rules():
    g = evaluate.daemon_grammar()
    topics = re.search(r'unsupported ::= .*?\(([^)]*)\)', g).group(1)
    return set(re.findall(r'"([a-z_]+)"', topics))


def test_every_answer_is_one_the_grammar_allows():
    train, held = generate.generate(3, 400, 150)
    topics = grammar_rules()
    value = re.compile(r"^[a-zA-Z0-9 ._/:+-]{1,40}$")
    tools = {"help", "status", "list_disks", "undo", "copy_system", "install_bootloader",
             "set_hostname", "set_timezone", "set_locale", "set_keyboard", "create_user",
             "set_password", "add_to_group", "unsupported"}
    for row in train + held:
        assert row["answer"].startswith("<tool_call>") and row["answer"].endswith("</tool_call>")
        call = evaluate.parse_call(row["answer"])
        assert call["name"] in tools, row
        for k, v in call["arguments"].items():
            if k == "sudo":
                assert isinstance(v, bool)
            elif k == "topic":
                assert v in topics, row
            else:
                assert value.match(v), row
        assert row["system"].startswith(generate.SYSTEM.split("{}")[0])
        disks = json.loads(row["system"].split("DISKS: ", 1)[1])
        assert 1 <= len(disks) <= 3


def test_the_held_out_split_is_unseen():
    train, held = generate.generate(5, 600, 200)
    seen_templates = {r["template"] for r in train}
    seen_answers = {r["answer"] for r in train}
    seen_texts = {r["user"].lower() for r in train}
    assert held
    for r in held:
        # An unseen template, or an unseen value (then the answer itself is new), or both;
        # bare intents have no value, so their template is new.
        assert r["template"] not in seen_templates or r["answer"] not in seen_answers, r
    overlap = [r for r in held if r["user"].lower() in seen_texts]
    # main() drops these; generate() itself may make a few by chance.
    assert len(overlap) < len(held) / 10


def test_generation_is_reproducible():
    assert generate.generate(9, 50, 20) == generate.generate(9, 50, 20)
    assert generate.generate(9, 50, 20) != generate.generate(10, 50, 20)


def test_the_held_out_split_reads_as_a_request_set(tmp_path):
    import as_intents

    _, held = generate.generate(5, 50, 40)
    split = tmp_path / "heldout.jsonl"
    split.write_text("".join(json.dumps(ex) + "\n" for ex in held))
    sys.argv = ["as_intents.py", "--split", str(split), "--out", str(tmp_path / "set")]
    as_intents.main()
    rows = [json.loads(l) for l in open(tmp_path / "set" / "heldout-intents.jsonl")]
    machine = json.load(open(tmp_path / "set" / "machines" / "generated.json"))
    assert len(rows) == len(held) and machine["disks"]
    for row, ex in zip(rows, held):
        assert row["text"] == ex["user"] and row["machine"] == "generated"
        (want,) = row["expect"]
        assert want["action"] == ex["intent"]
        call = json.loads(re.search(r"<tool_call>(.*)</tool_call>", ex["answer"]).group(1))
        assert {k: v for k, v in want.items() if k != "action"} == (call.get("arguments") or {})
