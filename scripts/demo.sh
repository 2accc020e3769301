#!/usr/bin/env bash
# The main job, with the embedded language model running, against daemons on a private system
# bus, as conversations (levitate-installctl say):
# 1. a whole installation of the simulated machine tests/machines/two-disks.json (a 500 GB
#    SSD and a 1 TB HDD): every step planned exactly and reported with progress;
# 2. a real installation in sandbox mode: a sparse 16 GiB image that the daemon attaches as a
#    loop device and offers as the only disk gets the reference live root
#    (scripts/live-root.sh) installed by the same conversation: partitioned, copied,
#    configured, a user with sudo, GRUB for BIOS; then the installed image boots under QEMU
#    and is shown reaching its login prompt, where the user logs in. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x "$HOME/.cargo/bin/cargo" ] && PATH="$HOME/.cargo/bin:$PATH"
machine=${1:-tests/machines/two-disks.json}
cargo build --release --locked --workspace
work=$(mktemp -d)
cleanup() {
    if [ -n "${daemon:-}" ]; then
        kill "$daemon" 2>/dev/null || true
        wait "$daemon" 2>/dev/null || true
    fi
    [ -n "${bus:-}" ] && kill "$bus" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
. scripts/private-bus.sh
start_private_bus
start_daemon() {
    target/release/levitate-installerd "$@" --log stderr 2>>"$work/daemon.log" & daemon=$!
    wait_for_installer "$daemon" "$work/daemon.log"
}
start_daemon --simulate "$machine" --simulate-speed 4
ctl() { target/release/levitate-installctl "$@"; }
session=""
# One turn of the conversation: show what the person says and what the installer answers.
say() {
    echo
    echo "you> $*"
    local out
    out=$(ctl --json say ${session:+--session "$session"} "$*")
    session=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"])')
    printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("installer> " + d["reply"].replace("\n", "\n            "))'
}
confirm() {
    ctl plan show
    echo "(confirming)"
    ctl plan confirm --watch
}

# The embedded language model starts beside the daemon; the interpreter answers meanwhile.
wait_for_model() {
    for _ in $(seq 60); do
        state=$(ctl --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["assistant"]["state"])')
        [ "$state" = ready ] && break
        sleep 0.5
    done
}
wait_for_model
ctl status

say "what disks do I have?"
say "use the whole ssd, encrypted, with 8 gig swap"
echo "(the LUKS passphrase goes on stdin, never on a command line)"
printf 'demo passphrase' | ctl plan secret luks
confirm
# The same words install the system, configure it and create the user in both parts.
system_and_user() {
    say "install the system, hostname is levitate-demo and timezone los angeles"
    confirm
    say "language english, us keyboard"
    confirm
    say "create user vince with sudo and set password"
    printf 'demo password' | ctl plan secret password:vince
    confirm
}
system_and_user
say "install the bootloader"
confirm
say "what have I set so far?"
say "done, without reboot"
confirm
ctl status
ctl disks
echo "part 1: conversational installation of the simulated machine finished"

echo
echo "== part 2: a real installation onto a sandbox image, then booting it =="
kill "$daemon"; wait "$daemon" || true
session=""
live=$(sh scripts/live-root.sh | tail -n 1)
start_daemon --sandbox-image "$work/sandbox.img:16G" --firmware bios --source "$live" \
    --target-root "$work/target" --state-dir "$work/state"
wait_for_model
ctl status
say "what disks do I have?"
say "use the whole disk with 1 gig swap"
confirm
echo "(read back with sfdisk, blkid and findmnt, which share no code with the installer)"
dev=$(ctl --json disks | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["path"])')
sfdisk -l "$dev"
findmnt -R "$work/target"
system_and_user
# The VM below shows its console on a serial port: the kernel is told so. Parameters like
# this one are a field of the action (kernel_args), given here through the API directly.
ctl propose '{"action":"install_bootloader","kernel_args":"console=ttyS0,115200"}'
confirm
say "done, without reboot"
confirm
findmnt -R "$work/target" && { echo "the target is still mounted" >&2; exit 1; }
kill "$daemon"; wait "$daemon" || true
daemon=""
if [ -n "$(losetup --associated "$work/sandbox.img")" ]; then
    echo "the sandbox image is still attached" >&2
    exit 1
fi
if grep -q "demo passphrase\|demo password" "$work/daemon.log"; then
    echo "a secret reached the daemon log" >&2
    exit 1
fi
echo
echo "== the installed system boots (QEMU, its serial console) =="
printf 'demo password' > "$work/password"
python3 scripts/boot-check.py "$work/sandbox.img" --hostname levitate-demo --user vince \
    --password-file "$work/password" --log "$work/console.log" --timeout 600 \
    --expect "timezone=America/Los_Angeles" --expect "hostname=levitate-demo"
grep -m1 "levitate-demo login:" "$work/console.log"
echo "main job finished: the simulated installation, then a real one onto the sandbox image, which booted to its login prompt and let vince in with sudo"
