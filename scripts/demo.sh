#!/usr/bin/env bash
# The main job: a whole installation, driven the way a frontend drives it, against a daemon
# on a private system bus. Until the real disk executors land, the daemon runs the simulated
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
target/release/levitate-installerd --simulate "$machine" --simulate-speed 4 --log stderr 2>"$work/daemon.log" & daemon=$!
for _ in $(seq 200); do
    timeout 5 busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" status org.levitateos.Installer1 >/dev/null 2>&1 && break
    kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.log" >&2; exit 1; }
    sleep 0.05
done
ctl() { echo "\$ levitate-installctl $*" >&2; target/release/levitate-installctl "$@"; }

ctl status
ctl disks
ctl propose '{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","encrypt":true},{"mount":"swap","size":"8G"}]}'
echo "(the LUKS passphrase goes on stdin, never on a command line)" >&2
printf 'demo passphrase' | ctl plan secret luks
ctl plan confirm --watch
ctl propose '[{"action":"copy_system"},{"action":"set_hostname","name":"levitate-demo"},
  {"action":"set_timezone","zone":"America/Los_Angeles"},{"action":"set_locale","locale":"en_US.UTF-8"},
  {"action":"set_keyboard","layout":"us"},{"action":"create_user","name":"vince","sudo":true},
  {"action":"set_password","user":"vince"},{"action":"install_bootloader"},{"action":"finish","reboot":false}]'
printf 'demo password' | ctl plan secret password:vince
ctl plan confirm --watch
ctl status
ctl disks
if grep -q "demo passphrase\|demo password" "$work/daemon.log"; then
    echo "a secret reached the daemon log" >&2
    exit 1
fi
echo "main job: simulated installation finished"
