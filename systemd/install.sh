#!/bin/sh
# Installs the installer's binaries and system files.
#   systemd/install.sh [--destdir DIR] [--prefix /usr] [--bindir target/release] [--live]
# --live also installs the polkit rule that lets the group levitate-live do everything
# without a password (for the live ISO only) and creates that group.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
destdir="" prefix=/usr bindir="$here/../target/release" live=no
# polkit reads rules from /etc; a test install under another prefix keeps them there too.
rulesdir=/etc/polkit-1/rules.d
while [ $# -gt 0 ]; do
    case "$1" in
        --destdir) destdir=$2; shift 2 ;;
        --prefix) prefix=$2; [ "$prefix" = /usr ] || rulesdir="$prefix/etc/polkit-1/rules.d"; shift 2 ;;
        --bindir) bindir=$2; shift 2 ;;
        --live) live=yes; shift ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
for b in levitate-installerd levitate-installctl levitate-installer; do
    [ -x "$bindir/$b" ] || { echo "install.sh: $bindir/$b is missing; run 'cargo build --release' first" >&2; exit 1; }
done
d="$destdir$prefix"
install -D -m 0755 "$bindir/levitate-installerd" "$d/libexec/levitate-installerd"
install -D -m 0755 "$bindir/levitate-installctl" "$d/bin/levitate-installctl"
install -D -m 0755 "$bindir/levitate-installer" "$d/bin/levitate-installer"
install -D -m 0644 "$here/levitate-installerd.service" "$d/lib/systemd/system/levitate-installerd.service"
sed -i "s|/usr/libexec/levitate-installerd|$prefix/libexec/levitate-installerd|" "$d/lib/systemd/system/levitate-installerd.service"
install -D -m 0644 "$here/org.levitateos.Installer1.service" "$d/share/dbus-1/system-services/org.levitateos.Installer1.service"
install -D -m 0644 "$here/org.levitateos.Installer1.conf" "$d/share/dbus-1/system.d/org.levitateos.Installer1.conf"
install -D -m 0644 "$here/org.levitateos.installer.policy" "$d/share/polkit-1/actions/org.levitateos.installer.policy"
install -D -m 0644 "$here/../dbus/org.levitateos.Installer1.xml" "$d/share/dbus-1/interfaces/org.levitateos.Installer1.xml"
# The daemon finds the model server at <prefix>/share beside <prefix>/libexec.
install -D -m 0644 "$here/../python/llm_server.py" "$d/share/levitate-installer/llm_server.py"
install -D -m 0644 "$here/../docs/assistant.toml" "$d/share/doc/levitate-installer/assistant.toml"
if [ "$live" = yes ]; then
    install -D -m 0644 "$here/50-levitate-live.rules" "$destdir$rulesdir/50-levitate-live.rules"
    if [ -z "$destdir" ] && [ -z "${LEVITATE_INSTALL_NO_GROUP:-}" ] && ! getent group levitate-live >/dev/null; then
        groupadd --system levitate-live
    fi
fi
echo "installed under ${destdir:-/}$prefix"
