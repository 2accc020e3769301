#!/usr/bin/env bash
# The main job: a whole installation as a conversation (levitate-installctl say), with the
# embedded language model running, against a daemon on a private system bus. Until the real disk executors land, the daemon runs the simulated
# machine tests/machines/two-disks.json (a 500 GB SSD and a 1 TB HDD): every step is planned
# exactly and reported with progress, and nothing is written to any disk.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x "$HOME/.cargo/bin/cargo" ] && PATH="$HOME/.cargo/bin:$PATH"
machine=${1:-tests/machines/two-disks.json}
cargo build --release --locked --workspace
work=$(mktemp -d)
cleanup() {
    [ -n "${daemon:-}" ] && kill "$daemon" 2>/dev/null || true
    [ -n "${bus:-}" ] && kill "$bus" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/system.d"
cp systemd/org.levitateos.Installer1.conf "$work/system.d/"
sed -e "s|@SOCKET@|$work/bus|" -e "s|@POLICY_DIR@|$work/system.d|" tests/system-bus.conf.in > "$work/bus.conf"
dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile & bus=$!
for _ in $(seq 100); do [ -S "$work/bus" ] && break; sleep 0.05; done
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
target/release/levitate-installerd --simulate "$machine" --simulate-speed 4 --log stderr --llm-port 18765 2>"$work/daemon.log" & daemon=$!
for _ in $(seq 200); do
    timeout 5 busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" status org.levitateos.Installer1 >/dev/null 2>&1 && break
    kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.log" >&2; exit 1; }
    sleep 0.05
done
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
for _ in $(seq 60); do
    state=$(ctl --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["assistant"])')
    [ "$state" = ready ] && break
    sleep 0.5
done
ctl status

say "what disks do I have?"
say "use the whole ssd, encrypted, with 8 gig swap"
echo "(the LUKS passphrase goes on stdin, never on a command line)"
printf 'demo passphrase' | ctl plan secret luks
confirm
say "install the system, hostname is levitate-demo and timezone los angeles"
confirm
say "language english, us keyboard"
confirm
say "create user vince with sudo and set password"
printf 'demo password' | ctl plan secret password:vince
confirm
say "install the bootloader"
confirm
say "what have I set so far?"
say "done, without reboot"
confirm
ctl status
ctl disks
if grep -q "demo passphrase\|demo password" "$work/daemon.log"; then
    echo "a secret reached the daemon log" >&2
    exit 1
fi
echo "main job: conversational installation of the simulated machine finished"
