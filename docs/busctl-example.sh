#!/usr/bin/env bash
# A whole conversation with the installer over plain busctl: list disks, propose a plan,
# read it, confirm it, follow the job. Run it as root against a daemon in simulate mode:
#   levitate-installerd --simulate tests/machines/two-disks.json &
#   bash docs/busctl-example.sh
# It honours DBUS_SYSTEM_BUS_ADDRESS (a private bus in tests).
set -euo pipefail
bus() { busctl ${DBUS_SYSTEM_BUS_ADDRESS:+--address=$DBUS_SYSTEM_BUS_ADDRESS} "$@"; }
N=org.levitateos.Installer1
ROOT=/org/levitateos/Installer1

# Disks: a(stssbbssa(suttssssss)s), printed as JSON for readability.
bus --json=pretty call $N $ROOT $N.Manager ListDisks 'a{sv}' 0 | head -n 20

# Propose: an array of (kind, {field: variant}) actions plus options.
# Here: use all of /dev/sdb, and set the host name.
plan=$(bus call $N $ROOT $N.Manager Propose 'a(sa{sv})a{sv}' 2 \
    partition 2 disk s /dev/sdb wipe b true \
    set_hostname 1 name s busctl-box \
    0 | awk '{print $2}' | tr -d '"')
echo "plan: $plan"

# Transparent first: what will happen, and what it destroys.
bus get-property $N "$plan" $N.Plan Summary
bus get-property $N "$plan" $N.Plan Destroys
bus get-property $N "$plan" $N.Plan Steps

# Confirm (polkit: the plan's Authorization property) and follow the job's properties.
job=$(bus call $N "$plan" $N.Plan Confirm 'a{sv}' 0 | awk '{print $2}' | tr -d '"')
echo "job: $job"
for _ in $(seq 1 600); do
    state=$(bus get-property $N "$job" $N.Job State | awk '{print $2}' | tr -d '"')
    [ "$state" != running ] && break
    bus get-property $N "$job" $N.Job Progress CurrentStep | tr '\n' ' '; echo
    sleep 0.2
done
bus get-property $N "$job" $N.Job State Message
[ "$state" = succeeded ]
