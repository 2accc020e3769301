#!/usr/bin/env python3
"""Latency of `Session.Say` in the default configuration (the embedded model, and its adapter
when the manifest names one), as a person meets it: through `levitate-installctl say`.

Starts a private bus and the daemon in simulate mode with the provisioned model, waits until
the assistant is ready, then says every request of the given sets once, each in a fresh
session, timing the whole client call.

    scripts/bench-say.py [--bindir target/debug] [--machine tests/machines/two-disks.json]
                         [--set tests/intents-extra.jsonl ...] [--daemon-arg ARG ...]

Prints `SAY n=N p50_ms=.. p95_ms=.. max_ms=..` and the slowest requests.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <listen>unix:path={sock}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
"""


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bindir", default=os.path.join(ROOT, "target", "debug"))
    ap.add_argument("--machine", default=os.path.join(ROOT, "tests", "machines", "two-disks.json"))
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--daemon-arg", action="append", default=[])
    ap.add_argument("--ready-timeout", type=float, default=180)
    a = ap.parse_args()
    sets = a.set or [os.path.join(ROOT, "tests", "intents-extra.jsonl")]
    texts = []
    for s in sets:
        for line in open(s):
            if line.strip():
                row = json.loads(line)
                texts.append(row.get("text") or row.get("user"))

    tmp = tempfile.mkdtemp(prefix="levitate-bench-say-")
    sock = os.path.join(tmp, "bus")
    with open(os.path.join(tmp, "bus.conf"), "w") as f:
        f.write(BUS_CONF.format(sock=sock))
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={tmp}/bus.conf", "--nofork", "--nopidfile"])
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={sock}")
    while not os.path.exists(sock):
        time.sleep(0.05)
    log = open(os.path.join(tmp, "daemon.log"), "w")
    daemon = subprocess.Popen([os.path.join(a.bindir, "levitate-installerd"), "--simulate", a.machine,
                               "--state-dir", os.path.join(tmp, "state")] + a.daemon_arg,
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    ctl = os.path.join(a.bindir, "levitate-installctl")
    try:
        deadline = time.time() + a.ready_timeout
        assistant = {}
        while time.time() < deadline:
            r = subprocess.run([ctl, "--json", "status"], env=env, capture_output=True, text=True)
            if r.returncode == 0:
                assistant = json.loads(r.stdout).get("assistant") or {}
                if assistant.get("state") in ("ready", "remote", "disabled") or str(assistant.get("state", "")).startswith("failed"):
                    break
            time.sleep(0.5)
        print(f"assistant: {json.dumps(assistant)}")
        if assistant.get("state") != "ready":
            print("bench-say: the embedded model is not ready; the numbers would not be the default configuration's", file=sys.stderr)
            return 1
        times, slow = [], []
        for text in texts:
            t0 = time.time()
            r = subprocess.run([ctl, "--json", "say", text], env=env, capture_output=True, text=True)
            took = time.time() - t0
            times.append(took)
            slow.append((took, text, r.returncode))
        print(f"SAY n={len(times)} p50_ms={statistics.median(times) * 1000:.0f} "
              f"p95_ms={pct(times, 0.95) * 1000:.0f} max_ms={max(times) * 1000:.0f}")
        for took, text, rc in sorted(slow, reverse=True)[:5]:
            print(f"  slowest {took * 1000:.0f} ms (exit {rc}): {text}")
        return 0
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
        bus.terminate()
        bus.wait(5)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
