#!/bin/sh
# Installs Pulse on a Debian server, or removes it: binaries, shipped data, system users and
# groups, systemd units, the example policy. Run it again and it changes nothing.
#
#   deploy/install.sh                      build (release) and install, with agency "commission"
#   deploy/install.sh --agency police      add an agency's instances (its own user and sockets)
#   deploy/install.sh --uninstall          remove everything but the data (/var/lib/pulse) and /etc/pulse
#   --root DIR    install into DIR instead of / (nothing is started; for packaging and tests)
#   --bin DIR     install the binaries already built in DIR instead of building
set -eu

root=/
agencies=""
uninstall=no
bin=""
here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")

usage() { sed -n '2,10p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit "$1"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --root) [ $# -ge 2 ] || usage 64; root=$2; shift 2 ;;
        --agency) [ $# -ge 2 ] || usage 64
            case "$2" in *[!a-z0-9-]*|"") echo "Error: --agency takes a name of lowercase letters, digits and dashes (police, front), not \"$2\"" >&2; exit 64 ;; esac
            agencies="$agencies $2"; shift 2 ;;
        --bin) [ $# -ge 2 ] || usage 64; bin=$2; shift 2 ;;
        --uninstall) uninstall=yes; shift ;;
        -h|--help) usage 0 ;;
        *) echo "Error: unknown option $1" >&2; usage 64 ;;
    esac
done
root=${root%/}
[ "$(id -u)" = 0 ] || { echo "Error: run as root (sudo $0 $*)" >&2; exit 1; }

services="roster report-intake analytics notification"
changed=0
say() { echo "$*"; changed=$((changed + 1)); }

# systemctl: offline under --root (it only writes the symlinks), live otherwise.
systemctl_() {
    if [ -n "$root" ]; then systemctl --root="$root" "$@" >/dev/null 2>&1 || true
    elif [ -d /run/systemd/system ]; then systemctl "$@"
    fi
}

if [ "$uninstall" = yes ]; then
    # Every enabled unit and instance (pulse-roster@police.socket, …), by its links.
    for link in $(find "$root/etc/systemd/system" -path '*.wants/pulse*' -type l 2>/dev/null || true); do
        systemctl_ disable --now "$(basename "$link")"
    done
    systemctl_ stop pulse.target
    for f in "$root"/etc/systemd/system/pulse*; do
        [ -e "$f" ] || continue
        rm -rf "$f" && say "removed ${f#$root}"
    done
    find "$root/etc/systemd/system" -name 'pulse*' -type l -delete 2>/dev/null || true
    [ -d "$root/opt/pulse" ] && rm -rf "$root/opt/pulse" && say "removed /opt/pulse"
    [ -z "$root" ] && [ -d /run/systemd/system ] && systemctl daemon-reload
    echo "Pulse is removed; its data in /var/lib/pulse, /etc/pulse and its system users are kept."
    exit 0
fi

# The binaries: built here unless given.
if [ -z "$bin" ]; then
    (cd "$project" && swift build -c release)
    bin="$project/.build/release"
fi
for b in $services gateway pulse; do
    [ -x "$bin/$b" ] || { echo "Error: $bin/$b is missing; build with swift build -c release, or give --bin DIR" >&2; exit 1; }
done

# Users and groups, in $root's own /etc files.
for f in passwd group shadow gshadow; do
    [ -e "$root/etc/$f" ] || { mkdir -p "$root/etc"; : > "$root/etc/$f"; }
done
prefix=""; [ -n "$root" ] && prefix="--prefix $root"
has_group() { grep -q "^$1:" "$root/etc/group"; }
has_user() { grep -q "^$1:" "$root/etc/passwd"; }
group_() { has_group "$1" || { groupadd $prefix --system "$1" && say "created group $1"; }; }
user_() {
    has_user "$1" || { useradd $prefix --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin "$1" && say "created user $1"; }
}
[ -n "$agencies" ] || agencies=$(ls "$root/var/lib/pulse" 2>/dev/null | grep -v '^gateway$' || true)
[ -n "$agencies" ] || agencies=commission
group_ pulse            # those who may open the gateway's socket
group_ pulse-admins; group_ pulse-analysts; group_ pulse-auditors
user_ pulse-gateway
user_ pulse-metrics     # writes the metrics for node_exporter; an administrator in the example policy
user_ pulse-digest      # writes the monthly digest; an analyst in the example policy
for a in $agencies; do user_ "pulse-$a"; done

# Files, each put only when it differs.
put() { # put MODE SOURCE TARGET
    if ! cmp -s "$2" "$root$3" 2>/dev/null; then
        install -D -m "$1" "$2" "$root$3" && say "installed $3"
    fi
}
for b in $services gateway pulse; do put 0755 "$bin/$b" "/opt/pulse/bin/$b"; done
# The modules' resources (roster's data sets, notification's templates, the text models' data, the digest's map points).
for bundle in Pulse_Roster Pulse_Notification Pulse_Text Pulse_Digest; do
    if [ -d "$bin/$bundle.resources" ]; then
        (cd "$bin" && find "$bundle.resources" -type f) | while read -r f; do put 0644 "$bin/$f" "/opt/pulse/bin/$f"; done
    fi
done
put 0644 "$project/README.md" /opt/pulse/README.md
for f in "$here"/pulse*.service "$here"/pulse*.socket "$here"/pulse*.timer "$here"/pulse.target; do put 0644 "$f" "/etc/systemd/system/$(basename "$f")"; done
put 0644 "$here/policy.example.json" /opt/pulse/policy.example.json
put 0644 "$here/README.md" /opt/pulse/deploy-README.md
if [ ! -e "$root/etc/pulse/policy.json" ]; then
    # A policy the gateway starts with: only accounts and groups this script created.
    mkdir -p "$root/etc/pulse"
    cat > "$root/etc/pulse/policy.json" <<'POLICY'
{"principals": [
  {"group": "pulse-admins", "role": "admin"},
  {"group": "pulse-analysts", "role": "analyst"},
  {"group": "pulse-auditors", "role": "auditor"},
  {"user": "pulse-metrics", "role": "admin"},
  {"user": "pulse-digest", "role": "analyst"}
]}
POLICY
    gid=$(grep '^pulse-gateway:' "$root/etc/group" | cut -d: -f3)
    chown "0:$gid" "$root/etc/pulse/policy.json"
    chmod 0640 "$root/etc/pulse/policy.json"
    say "installed /etc/pulse/policy.json (admins, analysts and auditors by group; officials and partners: see /opt/pulse/policy.example.json)"
fi
[ -d "$root/var/lib/pulse" ] || { install -d -m 0755 "$root/var/lib/pulse" && say "created /var/lib/pulse"; }
# 0711: the backups themselves are 0700; pulse-metrics reads only last-backup.json.
[ -d "$root/var/backups/pulse" ] || { install -d -m 0711 "$root/var/backups/pulse" && say "created /var/backups/pulse (nightly backups, 14 kept)"; }
for a in $agencies; do
    [ -d "$root/var/lib/pulse/$a" ] || { install -d -m 0755 "$root/var/lib/pulse/$a" && say "created /var/lib/pulse/$a"; }
done

# Units: the gateway's socket, and each agency's four sockets.
[ -z "$root" ] && [ -d /run/systemd/system ] && systemctl daemon-reload
units="pulse.target pulse-gateway.socket pulse-backup.timer pulse-metrics.timer pulse-digest.timer"
for a in $agencies; do for s in $services; do units="$units pulse-$s@$a.socket"; done; done
link() { # link WANTED-BY UNIT
    if [ ! -L "$root/etc/systemd/system/$1.wants/$2" ]; then
        mkdir -p "$root/etc/systemd/system/$1.wants"
        ln -s "/etc/systemd/system/$(echo "$2" | sed 's/@[^.]*\./@./')" "$root/etc/systemd/system/$1.wants/$2"
        say "enabled $2 ($1)"
    fi
}
for u in $units; do
    case "$u" in
        *.socket) link sockets.target "$u"; link pulse.target "$u" ;;  # so that starting pulse.target starts them again
        *.timer) link timers.target "$u" ;;
        *) link multi-user.target "$u" ;;
    esac
done
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl start pulse.target pulse-backup.timer pulse-metrics.timer pulse-digest.timer
fi

if [ "$changed" = 0 ]; then
    echo "Pulse is installed as it should be; nothing to change."
else
    cat <<EOF

Pulse is installed ($changed changes). Next:
  1. Edit /etc/pulse/policy.json: who may use Pulse, and as what (/opt/pulse/deploy-README.md,
     /opt/pulse/policy.example.json). Then: systemctl try-reload-or-restart pulse-gateway
  2. Add people to the group pulse so they can open /run/pulse/gateway.sock:  usermod -aG pulse NAME
  3. Check:  /opt/pulse/bin/pulse health    and load the units:  /opt/pulse/bin/pulse units import --ha-tinh
  4. Another agency:  $0 --agency police
EOF
fi
