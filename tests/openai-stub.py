#!/usr/bin/env python3
"""A stand-in for a remote OpenAI-compatible endpoint, over HTTPS, for the end-to-end tests of
the assistant's client (tests/tests/e2e/assistant_remote.rs). Standard library only.

    openai-stub.py --cert CERT --key KEY --mode MODE --record FILE

It listens on a port the kernel chooses on 127.0.0.1 and prints "LISTENING 127.0.0.1 PORT".
Every request is recorded as a JSON line in FILE (path, Authorization header, body), and so is
what the misbehaving modes did. MODE:

    ok      a streamed answer: one tool call, <tool_call>{"name": "unsupported", ...}</tool_call>
    json    the same answer as one JSON body (a server that does not stream)
    flaky   500 to the first request, then as ok
    trickle as ok, but slowly, and then it never ends the stream
    stall   reads the request and never answers
    huge    200 and a body of 1 GiB, without Content-Length; records how much it wrote
"""
import argparse
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = '<tool_call>{"name": "unsupported", "arguments": {"topic": "raid"}}</tool_call>'


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--mode", required=True, choices=["ok", "json", "flaky", "stall", "huge", "trickle"])
    p.add_argument("--record", required=True)
    args = p.parse_args()
    lock = threading.Lock()
    count = [0]

    def record(entry):
        with lock, open(args.record, "a") as f:
            f.write(json.dumps(entry) + "\n")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                count[0] += 1
                n = count[0]
            record({"n": n, "path": self.path, "authorization": self.headers.get("Authorization"),
                    "body": json.loads(body or b"{}")})
            mode = args.mode
            if mode == "flaky":
                mode = "ok" if n > 1 else "error"
            if mode == "error":
                data = json.dumps({"error": {"message": "the stub fails once", "type": "server_error"}}).encode()
                self.send_response(500)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif mode == "stall":
                time.sleep(600)
            elif mode == "huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                block, written = b" " * (1 << 16), 0
                try:
                    while written < (1 << 30):
                        self.wfile.write(block)
                        written += len(block)
                except OSError:
                    pass
                record({"huge_written": written})
            elif mode == "json":
                data = json.dumps({"choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": ANSWER}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in (ANSWER[:20], ANSWER[20:]):
                    chunk = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    self.wfile.flush()
                    if mode == "trickle":
                        time.sleep(0.5)
                if mode == "trickle":
                    time.sleep(600)
                self.wfile.write(b"data: [DONE]\n\n")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(f"LISTENING 127.0.0.1 {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
