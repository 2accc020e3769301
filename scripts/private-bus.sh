# Sourced by scripts/demo.sh and scripts/test-boot.sh: a private bus of the system kind
# (Debian's system-bus policy plus the project's, on a socket in $work), and a wait for the
# daemon to own its name on it. Needs $work; sets $bus and DBUS_SYSTEM_BUS_ADDRESS.
start_private_bus() {
    mkdir -p "$work/system.d"
    cp systemd/org.levitateos.Installer1.conf "$work/system.d/"
    sed -e "s|@SOCKET@|$work/bus|" -e "s|@POLICY_DIR@|$work/system.d|" tests/system-bus.conf.in > "$work/bus.conf"
    dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile & bus=$!
    for _ in $(seq 100); do [ -S "$work/bus" ] && break; sleep 0.05; done
    export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
}

# wait_for_installer PID LOG: until the daemon answers on the bus; its log when it died.
wait_for_installer() {
    for _ in $(seq 400); do
        timeout 5 busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" status org.levitateos.Installer1 >/dev/null 2>&1 && return 0
        kill -0 "$1" 2>/dev/null || { cat "$2" >&2; exit 1; }
        sleep 0.05
    done
    echo "the installer did not appear on the bus" >&2
    exit 1
}
