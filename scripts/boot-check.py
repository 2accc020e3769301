#!/usr/bin/env python3
"""Boots an installed disk image under QEMU (TCG) and checks it from its serial console.

    boot-check.py IMAGE --hostname testbox --user vince --password-file pw [--uefi]
                  [--luks-passphrase-file F] [--log boot.log] [--timeout 600]
                  [--check NAME=COMMAND ...] [--expect NAME=VALUE ...]

The disk is attached as virtio (with snapshot=on unless --no-snapshot, so the image is not
changed), the serial console is this program's pseudo-terminal, there is no network.
It answers a LUKS passphrase prompt when one appears (only with --luks-passphrase-file),
waits for "HOSTNAME login:", logs in, runs the checks and prints, on stdout, one line per
check, exactly "CHECK name=value", then "RESULT ok" or "RESULT fail reason=...". Exit code 0
for ok, 1 for fail, 2 for bad arguments. Everything the guest printed goes to the log file
(escape sequences and carriage returns removed); secrets never reach stdout or the log.

Checks, in order: boot_seconds (start of QEMU to the login prompt), sudo_uid
(`sudo -S id -u` with the user's password; must be 0), hostname (must be --hostname),
timezone (/etc/timezone), localtime (readlink /etc/localtime), root_source, root_uuid,
root_fstype (findmnt /), cmdline (/proc/cmdline), then every --check NAME=COMMAND (its
output, lines joined by spaces). `lsblk` goes to the log. --expect NAME=VALUE makes a check
whose value differs a failure. Standard library only.
"""

import argparse
import codecs
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tty

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"

# Escape sequences (CSI, OSC, charset selection, two-byte ones) and stray control characters.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()*+][0-9A-Za-z]|\x1b[=>78cDEHMNOZ]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# When each stage of the boot first showed on the console (seconds after QEMU started).
MILESTONES = [
    ("grub", re.compile(r"GNU GRUB|Welcome to GRUB")),
    ("kernel", re.compile(r"Linux version \d")),
    ("initramfs", re.compile(r"Run /init as init process")),
    ("systemd", re.compile(r"systemd\[1\]: systemd \d|Welcome to (?!GRUB)[^\n]*!")),
]


class Failure(Exception):
    """Ends the run with RESULT fail reason=<message>."""


class Console:
    """The guest's serial console: QEMU's stdio on a pseudo-terminal, read like expect."""

    def __init__(self, argv, log, secrets, deadline):
        self.log = log
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self.deadline = deadline
        self.text = ""  # everything received, cleaned; matched against
        self.pos = 0  # where the next wait starts looking
        self.raw_tail = ""  # an escape sequence cut by a read, kept for the next one
        self.log_pending = ""  # held back so that a secret split by a read is still masked
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        master, slave = pty.openpty()
        tty.setraw(slave)
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True, start_new_session=True
        )
        os.close(slave)
        self.fd = master
        os.set_blocking(master, False)
        self.eof = False
        self.started = time.monotonic()
        self.milestones = {}  # name -> seconds

    # --- output ------------------------------------------------------------------------

    def mask(self, s):
        for secret in self.secrets:
            s = s.replace(secret, "********")
        return s

    def _log(self, s, final=False):
        if not self.log:
            return
        self.log_pending += s
        keep = 0 if final or not self.secrets else len(self.secrets[0]) - 1
        cut = max(0, len(self.log_pending) - keep)
        for secret in self.secrets:  # never cut through a secret
            start = self.log_pending.find(secret, max(0, cut - len(secret) + 1))
            if 0 <= start < cut < start + len(secret):
                cut = start
        self.log.write(self.mask(self.log_pending[:cut]))
        self.log.flush()
        self.log_pending = self.log_pending[cut:]

    def note(self, s):
        """A line of this program's own in the log (and on stderr)."""
        s = self.mask(s)
        print(s, file=sys.stderr, flush=True)
        if self.log:
            self._log("", final=True)
            self.log.write(f"\n[boot-check] {s}\n")
            self.log.flush()

    def _feed(self, data):
        raw = self.raw_tail + self.decoder.decode(data)
        self.raw_tail = ""
        esc = raw.rfind("\x1b")
        if esc >= 0 and len(raw) - esc < 32 and not ANSI.match(raw, esc):
            raw, self.raw_tail = raw[:esc], raw[esc:]
        clean = CONTROL.sub("", ANSI.sub("", raw).replace("\r", ""))
        before = len(self.text)
        self.text += clean
        for name, rx in MILESTONES:
            if name not in self.milestones and rx.search(self.text, max(0, before - 80)):
                self.milestones[name] = time.monotonic() - self.started
        self._log(clean)

    def pump(self, timeout):
        """Reads what the guest printed within `timeout` seconds."""
        if self.eof:
            time.sleep(min(timeout, 0.2))
            return
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:  # EIO: QEMU closed the terminal
                self.eof = True
                return
            if not data:
                self.eof = True
                return
            self._feed(data)

    # --- input -------------------------------------------------------------------------

    def send(self, s):
        data = s.encode()
        while data:
            try:
                n = os.write(self.fd, data)
                data = data[n:]
            except BlockingIOError:
                self.pump(0.05)

    def sendline(self, s):
        self.send(s + "\r")

    # --- waiting -----------------------------------------------------------------------

    def remaining(self):
        return self.deadline - time.monotonic()

    def expect(self, patterns, timeout, what):
        """Waits for the first of `patterns` (name -> compiled regex) after the last match.

        Returns (name, match). Raises Failure on the overall deadline, on `timeout`, or
        when QEMU exits."""
        end = min(self.deadline, time.monotonic() + timeout)
        while True:
            best = None
            for name, rx in patterns.items():
                m = rx.search(self.text, self.pos)
                if m and (best is None or m.start() < best[1].start()):
                    best = (name, m)
            if best:
                self.pos = best[1].end()
                return best
            if self.proc.poll() is not None and self.eof:
                raise Failure(f"qemu-exited-while-waiting-for-{what}:rc={self.proc.returncode}")
            now = time.monotonic()
            if now >= end:
                raise Failure(f"timeout-waiting-for-{what}")
            self.pump(min(1.0, end - now))

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # Whatever was still buffered, then the held-back tail.
        self.pump(0)
        self._log("", final=True)
        os.close(self.fd)


def read_secret(path):
    with open(path, encoding="utf-8") as f:
        value = f.read().rstrip("\n")
    if not value or "\n" in value:
        raise SystemExit(f"boot-check.py: {path} must hold one non-empty line")
    return value


def qemu_argv(args, tmpdir):
    drive = f"file={args.image},format=raw,if=virtio"
    if args.snapshot:
        drive += ",snapshot=on"
    argv = [
        args.qemu, "-accel", "tcg", "-m", str(args.memory), "-smp", "1", "-nographic",
        "-nic", "none", "-no-reboot", "-drive", drive,
    ]
    # More disks of the same installation (/srv on a second disk), after the first: vdb, ...
    for extra in args.extra_disk:
        argv += ["-drive", f"file={extra},format=raw,if=virtio" + (",snapshot=on" if args.snapshot else "")]
    if args.uefi:
        vars_copy = os.path.join(tmpdir, "OVMF_VARS_4M.fd")
        shutil.copyfile(OVMF_VARS, vars_copy)
        argv[1:1] = ["-machine", "q35"]
        argv += [
            "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
        ]
    return argv


def one_line(s):
    return " ".join(line.strip() for line in s.strip().splitlines() if line.strip())


def run(args, console, checks):
    start = console.started
    host = re.escape(args.hostname)
    fatal = {
        "kernel-panic": re.compile(r"Kernel panic - not syncing[^\n]*"),
        "initramfs-shell": re.compile(r"^\(initramfs\) ?$", re.M),
        "grub-rescue": re.compile(r"grub rescue> ?$", re.M),
        "grub-prompt": re.compile(r"^grub> ?$", re.M),
        "no-bootable-device": re.compile(r"No bootable device|Boot failed: not a bootable disk|No bootable option"),
        "emergency-mode": re.compile(r"You are in emergency mode|Give root password for maintenance"),
    }
    unlock = re.compile(r"(Please unlock disk|[Pp]assphrase)[^\n]*: *$", re.M)
    login = re.compile(rf"^{host} login:", re.M)
    other_login = re.compile(r"^(\S+) login: *$", re.M)
    tries = 0
    while True:
        name, m = console.expect(
            {"login": login, "other-login": other_login, "unlock": unlock, **fatal},
            console.remaining(), "login-prompt",
        )
        if name == "login":
            break
        if name == "other-login":
            raise Failure(f"login-prompt-of-other-host:{m.group(1)}")
        if name == "unlock":
            if args.luks_passphrase is None:
                raise Failure("passphrase-prompt-without-luks-passphrase-file")
            tries += 1
            if tries > 3:
                raise Failure("luks-passphrase-rejected")
            console.note(f"passphrase prompt after {time.monotonic() - start:.0f} s; typing it")
            console.sendline(args.luks_passphrase)
            continue
        raise Failure(name + (" " + one_line(m.group(0)).replace(" ", "_") if name == "kernel-panic" else ""))
    boot_seconds = time.monotonic() - start
    checks.append(("boot_seconds", str(round(boot_seconds))))
    stages = ", ".join(f"{name} {t:.1f} s" for name, t in sorted(console.milestones.items(), key=lambda x: x[1]))
    console.note(f"login prompt after {boot_seconds:.1f} s (first seen: {stages})")

    # Log in. The prompt may be printed again (a late kernel message): answer each one.
    console.sendline(args.user)
    # In the installed system's language: Password, Passwort, Mot de passe, Contraseña...
    console.expect({"password": re.compile(r"(?:[Pp]ass\w*|[Pp]asswort|[Mm]ot de passe|[Cc]ontrase\w+|[Ss]enha|[Hh]asło)\s*: *$", re.M)}, 60, "password-prompt")
    console.sendline(args.password)
    name, _ = console.expect(
        {"shell": re.compile(r"^[^\n]*@[^\n]*[$#] $", re.M), "incorrect": re.compile(r"Login incorrect"), "login": login},
        90, "shell-prompt",
    )
    if name != "shell":
        raise Failure("login-incorrect")
    # A quiet shell: no line editing (readline echoes by itself), no echo, no prompts.
    # The marker is typed with quotes inside, so only its output matches.
    ready = re.compile(r"^__READY__$", re.M)
    for attempt in range(6):
        console.sendline(
            "set +o emacs +o vi 2>/dev/null; stty -echo; PS1=''; PS2=''; unset PROMPT_COMMAND; "
            "export TERM=dumb LC_ALL=C.UTF-8 SYSTEMD_PAGER= PAGER=cat; echo __REA''DY__"
        )
        try:
            console.expect({"ready": ready}, 10, "shell")
            break
        except Failure:
            if attempt == 5:
                raise
    counter = [0]

    def sh(command, timeout=60, stdin_line=None):
        counter[0] += 1
        n = counter[0]
        console.sendline(f"echo __BEG''IN_{n}__; {command}; echo __E''ND_{n}__ $?")
        if stdin_line is not None:
            console.sendline(stdin_line)
        _, m = console.expect(
            {"out": re.compile(rf"^__BEGIN_{n}__\n(.*?)^__END_{n}__ (\d+)$", re.M | re.S)}, timeout, f"command-{n}"
        )
        return m.group(1), int(m.group(2))

    out, rc = sh("sudo -S -p '' id -u", 60, stdin_line=args.password)
    lines = [line for line in out.splitlines() if line.strip()]
    sudo_uid = lines[-1].strip() if rc == 0 and lines else f"failed(rc={rc})"
    checks.append(("sudo_uid", sudo_uid))
    if sudo_uid == "0":  # the credential is cached now: keep kernel messages off the console
        sh("sudo -n dmesg -n 1 2>/dev/null")
    hostname = one_line(sh("hostname")[0])
    checks.append(("hostname", hostname))
    checks.append(("timezone", one_line(sh("cat /etc/timezone 2>/dev/null")[0])))
    checks.append(("localtime", one_line(sh("readlink /etc/localtime")[0])))
    root = dict(re.findall(r'(\w+)="([^"]*)"', sh("findmnt -nP -o SOURCE,UUID,FSTYPE /")[0]))
    checks.extend([(f"root_{k.lower()}", root.get(k, "")) for k in ("SOURCE", "UUID", "FSTYPE")])
    checks.append(("cmdline", one_line(sh("cat /proc/cmdline")[0])))
    console.note("lsblk:\n" + sh("lsblk -o NAME,TYPE,FSTYPE,MOUNTPOINT")[0].rstrip())
    for name, command in args.check:
        checks.append((name, one_line(sh(command, 120)[0])))

    failures = []
    if sudo_uid != "0":
        failures.append("sudo")
    if hostname != args.hostname:
        failures.append("hostname")
    values = dict(checks)
    for name, expected in args.expect:
        if values.get(name) != expected:
            failures.append(name)

    # Power off cleanly when sudo works; otherwise QEMU is killed.
    if sudo_uid == "0":
        console.sendline("sudo -n poweroff")
        end = time.monotonic() + min(60, max(0, console.remaining()))
        while console.proc.poll() is None and time.monotonic() < end:
            console.pump(0.5)
        console.note("powered off" if console.proc.poll() is not None else "poweroff timed out; killing QEMU")
    if failures:
        raise Failure("check-mismatch:" + ",".join(failures))


def pair(s):
    if "=" not in s:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {s!r}")
    name, value = s.split("=", 1)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise argparse.ArgumentTypeError(f"check names are [a-z0-9_]+, got {name!r}")
    return name, value


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("image", help="raw disk image")
    p.add_argument("--uefi", action="store_true", help="boot with OVMF instead of SeaBIOS")
    p.add_argument("--snapshot", action=argparse.BooleanOptionalAction, default=True,
                   help="attach the disk with snapshot=on (default), leaving the image unchanged")
    p.add_argument("--extra-disk", action="append", default=[], metavar="IMAGE",
                   help="another disk of the installation, attached after the first (vdb, ...)")
    p.add_argument("--hostname", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--luks-passphrase-file")
    p.add_argument("--log", help="write the console output here")
    p.add_argument("--timeout", type=float, default=600, help="hard overall limit in seconds")
    p.add_argument("--memory", type=int, default=1024, help="MiB")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--check", type=pair, action="append", default=[], metavar="NAME=COMMAND",
                   help="an extra check: its output becomes CHECK NAME=output")
    p.add_argument("--expect", type=pair, action="append", default=[], metavar="NAME=VALUE",
                   help="fail unless check NAME has exactly VALUE")
    args = p.parse_args()
    if not os.path.exists(args.image):
        p.error(f"{args.image}: no such file")
    if args.uefi and not (os.path.exists(OVMF_CODE) and os.path.exists(OVMF_VARS)):
        p.error(f"--uefi needs {OVMF_CODE} and {OVMF_VARS} (package ovmf)")
    args.password = read_secret(args.password_file)
    args.luks_passphrase = read_secret(args.luks_passphrase_file) if args.luks_passphrase_file else None

    deadline = time.monotonic() + args.timeout
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    checks, reason = [], None
    with tempfile.TemporaryDirectory(prefix="boot-check.") as tmpdir:
        argv = qemu_argv(args, tmpdir)
        console = Console(argv, log, [args.password, args.luks_passphrase], deadline)
        console.note("qemu: " + " ".join(argv))
        try:
            run(args, console, checks)
        except Failure as e:
            reason = str(e)
        except KeyboardInterrupt:
            reason = "interrupted"
        finally:
            console.close()
    for name, value in checks:
        print(console.mask(f"CHECK {name}={value}"))
    result = "RESULT ok" if reason is None else f"RESULT fail reason={reason.replace(' ', '_')}"
    print(console.mask(result), flush=True)
    if log:
        summary = "; ".join(f"{n}={v}" for n, v in checks)
        log.write(console.mask((f"\n[boot-check] {summary}" if summary else "") + f"\n[boot-check] {result}\n"))
        log.close()
    return 0 if reason is None else 1


if __name__ == "__main__":
    sys.exit(main())
