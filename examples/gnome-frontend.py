#!/usr/bin/python3
"""A small LevitateOS installer frontend written the way a GNOME one would be.

It talks to `org.levitateos.Installer1` on the system bus with GDBus from PyGObject
(Debian's `python3-gi`), asynchronously from a GLib main loop, and uses nothing a GTK
application would not have: no CLI, no JSON. What a window would show, it prints.

For each request given on the command line it converses (`Session.Say`), shows the plan
(summary, steps, what it erases, warnings), hands over the secrets the plan asks for
(read from the terminal, or one line each from standard input: never from argv), confirms,
and follows the job through signals alone (`PropertiesChanged`, `Job.Log`,
`Job.Completed`): it never polls a property while the job runs.

Authorization the way a GUI does it: a mutating call is first made without
`ALLOW_INTERACTIVE_AUTHORIZATION`. If the daemon answers
`org.freedesktop.DBus.Error.InteractiveAuthorizationRequired`, the frontend says so (a GUI
would show an "Unlock" button) and calls again with the flag, so that polkit's agent asks
for a password. `--never-interact` stops there instead.

Exit status: 0 every job succeeded (or nothing to do), 1 a job failed or was cancelled,
2 usage, 3 not authorized, 4 any other error from the daemon.
"""

import argparse
import getpass
import sys
import time

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = "org.levitateos.Installer1"
ROOT = "/org/levitateos/Installer1"
MANAGER = BUS_NAME + ".Manager"
SESSION = BUS_NAME + ".Session"
PLAN = BUS_NAME + ".Plan"
JOB = BUS_NAME + ".Job"
JOB_PREFIX = ROOT + "/Job/"
PROPERTIES = "org.freedesktop.DBus.Properties"
IAR = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
NOT_AUTHORIZED = BUS_NAME + ".Error.NotAuthorized"
NO_OBJECT = "/"
# polkit may wait up to 300 s for a person at the dialog (docs/DBUS.md).
INTERACTIVE_TIMEOUT_MS = 310_000
TIMEOUT_MS = 60_000


def human_size(n):
    for unit, name in ((1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= unit:
            return f"{n / unit:.1f} {name}"
    return f"{n} B"


class Failed(Exception):
    """A call failed: the D-Bus error name and its message."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Frontend:
    def __init__(self, conn, args):
        self.conn = conn
        self.args = args
        self.loop = GLib.MainLoop()
        self.status = 0
        self.requests = list(args.request)
        self.session = None
        # Job signals are subscribed to before Confirm, for every job path, and kept by
        # path until Confirm says which job is ours: a short job may end before the reply.
        self.job = None
        self.early = []
        self.last_line = None
        self.subscriptions = [
            conn.signal_subscribe(
                BUS_NAME, PROPERTIES, "PropertiesChanged", None, JOB,
                Gio.DBusSignalFlags.NONE, self.on_signal),
            conn.signal_subscribe(
                BUS_NAME, JOB, None, None, None, Gio.DBusSignalFlags.NONE, self.on_signal),
        ]
        self.job_props = {}

    # -- plumbing -------------------------------------------------------------------------

    def call(self, path, iface, method, args, reply_type, done, interactive=False):
        """An asynchronous method call; `done(result)` gets the reply's tuple or a Failed."""
        flags = Gio.DBusCallFlags.NONE
        if interactive:
            flags |= Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION

        def finish(conn, res):
            try:
                done(conn.call_finish(res).unpack())
            except GLib.Error as e:
                name = Gio.DBusError.get_remote_error(e) or "org.freedesktop.DBus.Error.Failed"
                # GDBus prefixes the message with the error's name; a person needs it once.
                prefix = f"GDBus.Error:{name}: "
                message = e.message[len(prefix):] if e.message.startswith(prefix) else e.message
                done(Failed(name, message))

        self.conn.call(
            BUS_NAME, path, iface, method, args,
            GLib.VariantType(reply_type) if reply_type else None,
            flags, INTERACTIVE_TIMEOUT_MS if interactive else TIMEOUT_MS, None, finish)

    def call_authorized(self, path, iface, method, args, reply_type, done, what):
        """Calls without interaction first; on InteractiveAuthorizationRequired says so and
        calls again allowing polkit's dialog (unless --never-interact)."""

        def first(result):
            if isinstance(result, Failed) and result.name == IAR:
                print(f"authorization: {what} needs authentication ({result.message})")
                if self.args.never_interact:
                    done(result)
                    return
                print("authorization: asking polkit's agent for a password")
                self.call(path, iface, method, args, reply_type, done, interactive=True)
                return
            done(result)

        self.call(path, iface, method, args, reply_type, first)

    def get_all(self, path, iface, done):
        self.call(path, PROPERTIES, "GetAll", GLib.Variant("(s)", (iface,)), "(a{sv})",
                  lambda r: done(r if isinstance(r, Failed) else r[0]))

    def fail(self, result, status=4):
        print(f"error: {result.name}: {result.message}")
        if result.name in (IAR, NOT_AUTHORIZED):
            status = 3
        self.status = status
        self.quit()

    def quit(self):
        for s in self.subscriptions:
            self.conn.signal_unsubscribe(s)
        self.subscriptions = []
        self.loop.quit()

    def read_line(self, prompt, secret=False):
        if sys.stdin.isatty():
            return getpass.getpass(prompt) if secret else input(prompt)
        print(prompt, end="", flush=True)
        line = sys.stdin.readline()
        print()
        if not line:
            return None
        return line.rstrip("\n")

    # -- the flow ---------------------------------------------------------------------------

    def start(self):
        self.get_all(ROOT, MANAGER, self.on_manager)

    def on_manager(self, props):
        if isinstance(props, Failed):
            return self.fail(props)
        print(f"installer {props['Version']} ({props['Mode']}, {props['Firmware']}),"
              f" instance {props.get('InstanceId', '?')}")
        self.call(ROOT, MANAGER, "OpenSession", GLib.Variant("(a{sv})", ({},)), "(o)",
                  self.on_session)

    def on_session(self, result):
        if isinstance(result, Failed):
            return self.fail(result)
        self.session = result[0]
        self.next_request()

    def next_request(self):
        if not self.requests:
            self.call(self.session, SESSION, "Close", GLib.Variant("(a{sv})", ({},)), None,
                      lambda _r: self.quit())
            return
        text = self.requests.pop(0)
        print(f"you: {text}")
        self.call(self.session, SESSION, "Say", GLib.Variant("(sa{sv})", (text, {})),
                  "(sa(sa{sv})o)", self.on_reply)

    def on_reply(self, result):
        if isinstance(result, Failed):
            return self.fail(result)
        reply, actions, plan = result
        print(f"installer: {reply}")
        for kind, fields in actions:
            if kind == "clarify" and fields.get("choices"):
                print("  choices: " + " | ".join(fields["choices"]))
        if plan == NO_OBJECT:
            return self.next_request()
        self.plan = plan
        self.get_all(plan, PLAN, self.on_plan)

    def on_plan(self, props):
        if isinstance(props, Failed):
            return self.fail(props)
        print(f"plan: {props['Summary']}")
        for i, (stage, description, destructive) in enumerate(props["Steps"], 1):
            print(f"  {i}. [{stage}] {description}{'  (destroys data)' if destructive else ''}")
        for d in props["Destroys"]:
            print(f"  ERASES: {d}")
        for w in props["Warnings"]:
            print(f"  warning: {w}")
        # Structured forms, for translations: (id, English text, parameters).
        for ident, _text, params in props.get("DestroyDetails", []):
            print(f"  erase id={ident} " + " ".join(f"{k}={v}" for k, v in sorted(params.items())))
        print(f"  needs polkit {props['Authorization']}; proposed by uid {props.get('Proposer', '?')}")
        self.secrets = [(ident, prompt) for ident, prompt, provided in props["Secrets"]
                        if not provided]
        self.next_secret()

    def next_secret(self):
        if not self.secrets:
            return self.confirm()
        ident, prompt = self.secrets.pop(0)
        secret = self.read_line(f"{prompt}: ", secret=True)
        if secret is None:
            print(f"error: no answer for {prompt}")
            self.status = 2
            return self.quit()
        data = GLib.Variant("(saya{sv})", (ident, secret.encode(), {}))
        del secret
        self.call_authorized(self.plan, PLAN, "SetSecret", data, None, self.on_secret,
                             "handing over a secret")

    def on_secret(self, result):
        if isinstance(result, Failed):
            return self.fail(result)
        self.next_secret()

    def confirm(self):
        if not self.args.yes:
            answer = self.read_line("Confirm this plan? [y/N] ")
            if (answer or "").strip().lower() not in ("y", "yes"):
                print("plan rejected")
                self.call(self.plan, PLAN, "Reject", GLib.Variant("(a{sv})", ({},)), None,
                          lambda _r: self.next_request())
                return
        self.call_authorized(self.plan, PLAN, "Confirm", GLib.Variant("(a{sv})", ({},)), "(o)",
                             self.on_confirmed, "confirming the plan")

    def on_confirmed(self, result):
        if isinstance(result, Failed):
            return self.fail(result)
        self.job = result[0]
        self.job_props = {}
        print(f"job started: {self.job}")
        early, self.early = self.early, []
        for path, member, params in early:
            if path == self.job:
                self.job_signal(member, params)

    # -- following the job: signals only ---------------------------------------------------

    def on_signal(self, _conn, _sender, path, iface, member, params):
        if not path.startswith(JOB_PREFIX):
            return
        if self.job is None:
            self.early.append((path, member if iface == JOB else "PropertiesChanged", params))
        elif path == self.job:
            self.job_signal(member if iface == JOB else "PropertiesChanged", params)

    def job_signal(self, member, params):
        if member == "PropertiesChanged":
            _iface, changed, _invalidated = params.unpack()
            self.job_props.update(changed)
            self.show_progress()
        elif member == "Log":
            step, line = params.unpack()
            print(f"  log [{step}] {line}")
        elif member == "Completed":
            success, message = params.unpack()
            self.finished(success, message)

    def show_progress(self):
        p = self.job_props
        step = p.get("CurrentStep")
        if not step:
            return
        line = step
        total = p.get("TotalBytes", 0)
        if total:
            line += f" ({human_size(p.get('Bytes', 0))} of {human_size(total)}"
            end = p.get("ExpectedEndTime", 0)
            if end:
                left = max(0, int(end / 1e6 - time.time()))
                line += f", {left} s left"
            line += ")"
        if p.get("ProgressValid", True) and "Progress" in p:
            line += f" {int(p['Progress'] * 100)}%"
        if line != self.last_line:
            self.last_line = line
            print(f"  progress: {line}")

    def finished(self, success, message):
        print(f"job {'succeeded' if success else 'failed'}: {message}")
        if not success:
            self.status = 1
            name = self.job_props.get("ErrorName")
            if name:
                print(f"  error name: {name}")
            for ident, state, error, text in self.job_props.get("StepResults", []):
                if state == "failed":
                    print(f"  failed step {ident}: {error}: {text}")
            return self.quit()
        self.job = None
        self.next_request()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("request", nargs="+", help="what to ask the installer, one request each")
    ap.add_argument("--yes", action="store_true", help="confirm plans without asking")
    ap.add_argument("--never-interact", action="store_true",
                    help="do not retry with polkit's dialog when authentication is needed")
    args = ap.parse_args()
    try:
        conn = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    except GLib.Error as e:
        print(f"error: cannot reach the system bus: {e.message}")
        return 4
    fe = Frontend(conn, args)
    GLib.idle_add(lambda: fe.start() and False)
    fe.loop.run()
    return fe.status


if __name__ == "__main__":
    sys.exit(main())
