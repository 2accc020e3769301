#!/bin/sh
# Runs inside the test VM (tests/tests/vm.rs) as PID 1's child, with this machine's kernel
# features a normal live system has: device-mapper and FAT. Disks: vda = the VM's root
# (must be refused), vdb = this payload, mounted (must be refused), vdc = blank target,
# vdd = a "Windows" disk laid out below. Prints `CHECK name ok|FAIL` lines; the host test
# asserts on them and then reads the target image back with its own tools.
set -u
. /payload/common.sh
src() { findmnt -n -o SOURCE --mountpoint "$1"; }
fstype() { blkid -p -o value -s TYPE "$1"; }

# The daemon on the real disks.
/payload/levitate-installerd --llm=off --firmware=uefi --log stderr 2>/tmp/daemon.log &
daemon=$!
wait_for_daemon
check daemon-up $ctl status

# A "Windows" disk: ESP, MSR, a basic-data partition standing in for NTFS, free space after.
printf 'label: gpt\nsize=100MiB, type=uefi\nsize=16MiB, type=E3C9E316-0B5C-4DB8-817D-F92DF00215AE\nsize=1GiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n' | sfdisk --quiet /dev/vdd
mkfs.vfat -n SYSTEM /dev/vdd1 >/dev/null
mkfs.vfat -n WINDOWS /dev/vdd3 >/dev/null
mkdir -p /tmp/esp && mount /dev/vdd1 /tmp/esp && mkdir -p /tmp/esp/EFI/Microsoft && echo bootmgr > /tmp/esp/EFI/Microsoft/bootmgfw.efi && umount /tmp/esp
sfdisk --json /dev/vdd > /tmp/vdd-before.json

$ctl --json disks > /tmp/disks.json
check disks-listed python3 -c '
import json; d = {x["path"]: x for x in json.load(open("/tmp/disks.json"))}
assert set(d) >= {"/dev/vda", "/dev/vdb", "/dev/vdc", "/dev/vdd"}, d.keys()
assert "/dev/vdb" in d["/dev/vdb"]["in_use"] and d["/dev/vdc"]["in_use"] == "", d
assert [p["kind"] for p in d["/dev/vdd"]["partitions"]] == ["esp", "msr", ""], d["/dev/vdd"]'

# Refusals: the running root and a mounted disk.
$ctl propose '{"action":"partition","disk":"/dev/vda"}' >/tmp/vda.out 2>&1
check root-disk-refused grep -q "in use" /tmp/vda.out
$ctl propose '{"action":"partition","disk":"/dev/vdb"}' >/tmp/vdb.out 2>&1
cat /tmp/vda.out /tmp/vdb.out
check mounted-disk-refused grep -q "in use.*/payload" /tmp/vdb.out

# Whole disk, UEFI, encrypted root with swap.
$ctl propose '{"action":"partition","disk":"/dev/vdc","scheme":[{"mount":"/","encrypt":true},{"mount":"swap","size":"256M"}]}' >/dev/null
printf 'vm passphrase' | $ctl plan secret luks
check encrypted-install $ctl plan confirm --watch
check esp-mounted test "$(src /mnt/levitate/boot/efi)" = /dev/vdc1
check esp-is-vfat test "$(fstype /dev/vdc1)" = vfat
check esp-writable sh -c 'echo ok > /mnt/levitate/boot/efi/levitate-probe'
check boot-mounted test "$(src /mnt/levitate/boot)" = /dev/vdc2
check root-on-luks test "$(src /mnt/levitate)" = /dev/mapper/luks-root
check root-luks2 sh -c 'cryptsetup luksDump /dev/vdc3 | grep -q "^Version:[[:space:]]*2"'
check root-ext4 test "$(fstype /dev/mapper/luks-root)" = ext4
check swap-on grep -q "^/dev/vdc4 " /proc/swaps
$ctl --json disks > /tmp/disks-after.json
check held-by-luks python3 -c '
import json; d = {x["path"]: x for x in json.load(open("/tmp/disks-after.json"))}
assert d["/dev/vdc"]["details"]["holders"] == ["luks-root"], d["/dev/vdc"]["details"]
assert "held by" in d["/dev/vdc"]["in_use"] or "mounted" in d["/dev/vdc"]["in_use"], d["/dev/vdc"]'
$ctl disks
$ctl propose '{"action":"finish","reboot":false}' >/dev/null
check finish $ctl plan confirm --watch
check target-unmounted sh -c '! findmnt /mnt/levitate >/dev/null'
check luks-closed test ! -e /dev/mapper/luks-root
check swap-off sh -c '! grep -q "^/dev/vdc4 " /proc/swaps'

# Dual boot next to "Windows": the ESP is reused and mounted, Windows is untouched.
$ctl propose '{"action":"partition","disk":"/dev/vdd","wipe":false}' >/dev/null
check dual-boot $ctl plan confirm --watch
check dual-esp-reused test "$(src /mnt/levitate/boot/efi)" = /dev/vdd1
check windows-loader-kept test -f /mnt/levitate/boot/efi/EFI/Microsoft/bootmgfw.efi
check dual-root test "$(src /mnt/levitate)" = /dev/vdd4
sfdisk --json /dev/vdd > /tmp/vdd-after.json
check windows-partitions-unchanged python3 -c '
import json
b = json.load(open("/tmp/vdd-before.json"))["partitiontable"]["partitions"]
a = json.load(open("/tmp/vdd-after.json"))["partitiontable"]["partitions"]
assert a[:3] == b, (a, b)
assert len(a) == 4 and a[3]["start"] >= b[2]["start"] + b[2]["size"], a'
check windows-label-kept test "$(blkid -p -o value -s LABEL /dev/vdd3)" = WINDOWS
$ctl propose '{"action":"finish","reboot":false}' >/dev/null
check dual-finish $ctl plan confirm --watch

kill -TERM $daemon
wait $daemon

# Sandbox mode with an encrypted root, stopped while everything is mounted and open: the
# daemon must release it all and detach its image.
/payload/levitate-installerd --llm=off --firmware=uefi --sandbox-image /var/tmp/sb.img:6G \
    --target-root /mnt/sb --log stderr 2>>/tmp/daemon.log &
daemon=$!
wait_for_daemon
sbdev=$($ctl --json disks | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d[0]["path"] if len(d) == 1 else "")')
check sandbox-only-disk test -n "$sbdev"
$ctl propose "{\"action\":\"partition\",\"disk\":\"$sbdev\",\"scheme\":[{\"mount\":\"/\",\"encrypt\":true}]}" >/dev/null
printf 'sb passphrase' | $ctl plan secret luks
check sandbox-encrypted $ctl plan confirm --watch
check sandbox-root-on-luks test "$(src /mnt/sb)" = /dev/mapper/luks-root
kill -TERM $daemon
wait $daemon
check sandbox-released-mounts sh -c '! findmnt /mnt/sb >/dev/null'
check sandbox-released-luks test ! -e /dev/mapper/luks-root
check sandbox-detached test -z "$(losetup --associated /var/tmp/sb.img)"

# The executor's own test that needs device-mapper and FAT (ignored on the host).
TMPDIR=/var/tmp /payload/daemon-tests --ignored --exact --test-threads=1 \
    stage::disks::tests::vm_fstab_and_crypttab_by_uuid_on_a_real_luks_volume > /tmp/unit.log 2>&1
tail -n 15 /tmp/unit.log
check unit-fstab-crypttab-on-luks grep -q "test result: ok. 1 passed" /tmp/unit.log

check no-secret-in-log sh -c '! grep -q "vm passphrase\|sb passphrase" /tmp/daemon.log'
sync
echo "daemon log tail:"; tail -n 5 /tmp/daemon.log
