#!/usr/bin/env bash
# Try the installer on this machine without touching its disks: a private system bus, the
# daemon in sandbox mode on a fresh sparse image (attached as a loop device, the only disk it
# offers) with the embedded model, and the TUI. On exit, Ctrl-C included, everything goes:
# the client, the daemon (which unmounts its target, turns off its swap and detaches the
# image), the bus, the image and the working directory.
#
#   scripts/try.sh [--size 20G] [-- DAEMON-OPTIONS...]     e.g. -- --source / --firmware bios
#
# Needs root (the loop device). Environment:
#   TRY_BIN=DIR     the binaries to run (default: cargo build --release --locked, then its
#                   target/release, CARGO_TARGET_DIR honoured)
#   TRY_CLIENT=CMD  run CMD instead of the TUI, with the binaries on its PATH, e.g.
#                   TRY_CLIENT="levitate-installctl status"; its status is the script's
# Messages go to stderr; stdout is the client's.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "try.sh: $*" >&2; }
size=20G
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2; shift 2 ;;
        --) shift; break ;;
        *) say "unknown option $1 (daemon options go after --)"; exit 2 ;;
    esac
done
if [ "$(id -u)" -ne 0 ]; then
    say "run as root: the sandbox image is attached as a loop device"
    exit 1
fi
if [ -z "${TRY_BIN:-}" ]; then
    [ -x "$HOME/.cargo/bin/cargo" ] && PATH="$HOME/.cargo/bin:$PATH"
    cargo build --release --locked --workspace >&2
    TRY_BIN="${CARGO_TARGET_DIR:-target}/release"
fi
bin=$(cd "$TRY_BIN" && pwd)
work=$(mktemp -d /var/tmp/levitate-try.XXXXXX)
image="$work/sandbox.img"
daemon="" bus="" client="" client_started=no

# stop PID TENTHS [TARGET...]: SIGTERM to PID (and the TARGETs), up to TENTHS tenths of a
# second for it to go, then SIGKILL. Polled, not waited for: bash's `wait` in a trap that
# interrupted another `wait` can hang even when the child is gone.
stop() {
    local pid=$1 tenths=$2
    shift 2
    kill -TERM -- "$pid" "$@" 2>/dev/null || true
    for _ in $(seq "$tenths"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL -- "$pid" "$@" 2>/dev/null || true
}

cleanup() {
    local status=$?
    # A second Ctrl-C must not cut the cleaning short; every wait below is bounded.
    trap - EXIT
    trap '' INT TERM
    # A reader of our output that went away must not stop the cleaning.
    trap '' PIPE
    # A signal between the client's fork and `client=$!` finds $! set already.
    [ -z "$client" ] && [ "$client_started" = yes ] && client=$!
    # The client's session too, for what it started.
    [ -n "$client" ] && stop "$client" 50 "-$client"
    # SIGTERM: the daemon releases the sandbox itself; SIGKILL only if it hangs.
    [ -n "$daemon" ] && stop "$daemon" 300
    # Whatever a daemon that died hard left behind.
    if findmnt -R "$work/target" >/dev/null 2>&1; then
        umount -R "$work/target" || umount -R -l "$work/target" || true
    fi
    if [ -e "$image" ]; then
        for dev in $(losetup --associated "$image" 2>/dev/null | cut -d: -f1); do
            swapoff "$dev" "$dev"p* 2>/dev/null || true
            losetup --detach "$dev" || true
        done
    fi
    [ -n "$bus" ] && stop "$bus" 50
    rm -rf "$work"
    say "cleaned up ($work removed)"
    exit "$status"
}
trap cleanup EXIT
# A signal ends the script; the EXIT trap cleans up.
trap 'exit 130' INT
trap 'exit 143' TERM

say "working in $work"
. scripts/private-bus.sh
start_private_bus
say "private bus at $DBUS_SYSTEM_BUS_ADDRESS"
"$bin/levitate-installerd" --sandbox-image "$image:$size" --target-root "$work/target" \
    --state-dir "$work/state" --log stderr "$@" 2>"$work/daemon.log" &
daemon=$!
wait_for_installer "$daemon" "$work/daemon.log"
say "daemon $daemon ready in sandbox mode on a fresh $size image (log: $work/daemon.log)"
PATH="$bin:$PATH"
if [ -n "${TRY_CLIENT:-}" ]; then
    # In the background, so that a signal reaches the trap at once instead of after the
    # client; in a session of its own, so that the trap can stop all of it.
    client_started=yes
    setsid bash -c "$TRY_CLIENT" &
    client=$!
    set +e
    wait "$client"
    status=$?
    set -e
    client=""
    exit "$status"
fi
# The TUI handles Ctrl-C itself (it quits); the trap then cleans up.
levitate-installer
