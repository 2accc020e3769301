#!/usr/bin/env bash
# Proof that installs boot: the daemon installs the reference live root
# (scripts/live-root.sh) through its D-Bus API (levitate-installctl, on a private system bus)
# onto a sandbox disk image, then the image boots under QEMU (TCG) and is checked from its
# serial console (scripts/boot-check.py): HOSTNAME login:, the created user logs in with
# the password, sudo works, the time zone and host name are the ones asked for, and / is
# the installed root filesystem (by UUID). Finally the image, the daemon's log and the
# step journal are searched for the test password: nothing may be found.
#
#   scripts/test-boot.sh VARIANT     VARIANT: bios-gpt-ext4 (default) | bios-mbr-xfs
#
# As root, on this host (sandbox mode: the image is the only disk the daemon touches).
# Prints "BOOT variant=V install_seconds=S boot_seconds=S" and "RESULT ok" at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x "$HOME/.cargo/bin/cargo" ] && PATH="$HOME/.cargo/bin:$PATH"
variant=${1:-bios-gpt-ext4}
case "$variant" in
bios-gpt-ext4)
    layout='"table":"gpt","scheme":[{"mount":"/","fs":"ext4"},{"mount":"swap","size":"512M"}]'
    fstype=ext4 swaps=1 ;;
bios-mbr-xfs)
    layout='"table":"mbr","scheme":[{"mount":"/","fs":"xfs"}]'
    fstype=xfs swaps=0 ;;
*) echo "test-boot.sh: unknown variant $variant" >&2; exit 2 ;;
esac
bin=${LEVITATE_BIN:-target/debug}
for b in levitate-installerd levitate-installctl; do
    [ -x "$bin/$b" ] || { echo "test-boot.sh: $bin/$b is missing: build the workspace first" >&2; exit 1; }
done
image=$(sh scripts/live-root.sh | tail -n 1)
live_machine_id=$(unsquashfs -cat "$image" etc/machine-id 2>/dev/null | tr -d '\n')
work=$(mktemp -d /var/tmp/levitate-boot.XXXXXX)
daemon="" bus=""
cleanup() {
    [ -n "$daemon" ] && { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; }
    [ -n "$bus" ] && kill "$bus" 2>/dev/null || true
    # The daemon detaches its image on exit; make sure, whatever happened.
    for dev in $(losetup --associated "$work/disk.img" 2>/dev/null | cut -d: -f1); do
        umount --recursive "$work/target" 2>/dev/null || true
        losetup -d "$dev" 2>/dev/null || true
    done
    if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT
. scripts/private-bus.sh
start_private_bus
"$bin/levitate-installerd" --sandbox-image "$work/disk.img:6G" --firmware bios \
    --target-root "$work/target" --state-dir "$work/state" --source "$image" \
    --llm off --log stderr 2>"$work/daemon.log" & daemon=$!
wait_for_installer "$daemon" "$work/daemon.log"
ctl() { timeout 900 "$bin/levitate-installctl" "$@"; }
disk=$(ctl --json disks | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["path"])')
password="levitate-boot-$RANDOM-secret"
printf '%s' "$password" > "$work/password"
started=$(date +%s)
ctl propose "[{\"action\":\"partition\",\"disk\":\"$disk\",$layout},
  {\"action\":\"copy_system\"},
  {\"action\":\"set_hostname\",\"name\":\"testbox\"},
  {\"action\":\"set_timezone\",\"zone\":\"Europe/Berlin\"},
  {\"action\":\"set_locale\",\"locale\":\"de_DE.UTF-8\"},
  {\"action\":\"set_keyboard\",\"layout\":\"de\"},
  {\"action\":\"create_user\",\"name\":\"vince\",\"sudo\":true},
  {\"action\":\"set_password\",\"user\":\"vince\"},
  {\"action\":\"install_bootloader\",\"kernel_args\":\"console=ttyS0,115200\"},
  {\"action\":\"finish\",\"reboot\":false}]"
ctl plan secret password:vince < "$work/password"
ctl plan confirm --watch
installed=$(( $(date +%s) - started ))
kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=""
# The root filesystem's UUID, read from the image by blkid at the partition's offset.
read -r start num < <(sfdisk --json "$work/disk.img" | python3 -c '
import json,sys
parts=json.load(sys.stdin)["partitiontable"]["partitions"]
root=[p for p in parts if p.get("type","").lower() not in ("21686148-6449-6e6f-744e-656564454649","0657fd6d-a4ab-43c4-84e5-0933c84b4f4f","82")][-1]
print(root["start"], root["node"])')
uuid=$(blkid -p -O $((start * 512)) -s UUID -o value "$work/disk.img")
[ -n "$uuid" ] || { echo "test-boot.sh: no filesystem UUID on the root partition" >&2; exit 1; }
booted=$(date +%s)
python3 scripts/boot-check.py "$work/disk.img" --hostname testbox --user vince \
    --password-file "$work/password" --log "$work/console.log" --timeout 600 \
    --expect "root_uuid=$uuid" --check "root_uuid=findmnt -no UUID /" \
    --expect "root_fstype=$fstype" --check "root_fstype=findmnt -no FSTYPE /" \
    --expect "timezone=Europe/Berlin" --check "timezone=cat /etc/timezone" \
    --expect "hostname=testbox" --check "hostname=hostname" \
    --expect "sudo_uid=0" \
    --expect "live_user=absent" --check "live_user=id live >/dev/null 2>&1 && echo present || echo absent" \
    --expect "locale=LANG=de_DE.UTF-8" --check "locale=cat /etc/default/locale" \
    --expect "live_sudo_rule=absent" --check "live_sudo_rule=test -e /etc/sudoers.d/live && echo present || echo absent" \
    --expect "password_changed=set" --check "password_changed=sudo -n awk -F: '\$1==\"vince\" {print (\$3>0 ? \"set\" : \"zero\")}' /etc/shadow" \
    --expect "password_hash=yescrypt" --check "password_hash=sudo -n awk -F: '\$1==\"vince\" {print (index(\$2, \"\$y\$\")==1 ? \"yescrypt\" : \"other\")}' /etc/shadow" \
    --expect "root_locked=L" --check "root_locked=sudo -n passwd -S root | cut -d' ' -f2" \
    --expect "machine_id=fresh" --check "machine_id=test \"\$(cat /etc/machine-id)\" != \"$live_machine_id\" && echo fresh || echo copied" \
    --expect "swap=$swaps" --check "swap=tail -n +2 /proc/swaps | wc -l" \
    --expect "install_log=present" --check "install_log=grep -q copy_system /var/log/levitate-installer.log && echo present || echo absent" \
    | tee "$work/boot.out"
boot=$(( $(date +%s) - booted ))
grep -q '^RESULT ok' "$work/boot.out" || { tail -n 40 "$work/console.log" >&2; exit 1; }
# No secret anywhere: the whole image, the daemon's log, the step journal, the console.
for f in "$work/disk.img" "$work/daemon.log" "$work/console.log" $(find "$work/state" -type f); do
    if grep -a -q -F "$password" "$f"; then
        echo "test-boot.sh: the password was found in $f" >&2
        exit 1
    fi
done
echo "CHECK secret_in_image=absent"
echo "BOOT variant=$variant install_seconds=$installed boot_seconds=$boot"
echo "RESULT ok"
