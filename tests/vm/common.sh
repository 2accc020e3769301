# Sourced by the VM scenarios (run.sh in the payload): the CHECK lines the host test reads,
# and the system bus with the project's policy. Starting the daemon is left to each
# scenario (its options differ).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
ctl=/payload/levitate-installctl

# check NAME COMMAND...: prints `CHECK NAME ok` or `CHECK NAME FAIL`.
check() {
    name=$1
    shift
    if "$@"; then echo "CHECK $name ok"; else echo "CHECK $name FAIL"; fi
}

# Waits (up to 30 s) until the daemon answers.
wait_for_daemon() {
    for _ in $(seq 150); do $ctl status >/dev/null 2>&1 && break; sleep 0.2; done
}

mkdir -p /run/dbus /etc/dbus-1/system.d
cp /payload/org.levitateos.Installer1.conf /etc/dbus-1/system.d/
dbus-daemon --system --fork
