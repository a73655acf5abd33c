# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages: make deb builds them, apt installs them, the installed canisterd
# (with this case's config, pins and socket, not through systemd) and canister work,
# the installed library builds the example, and after apt purge nothing of theirs is
# left.  The machine is left as it was found, whatever way the case ends.
. "$(dirname "$0")/../lib/harness.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
PACKAGES="canister libcanister-dev"
APT="apt-get -y -q -o DPkg::Lock::Timeout=300"
export DEBIAN_FRONTEND=noninteractive

for t in dpkg-buildpackage dh apt-get flock; do
	command -v "$t" >/dev/null || fail "$t is missing; scripts/install-deps --test installs it"
done

# One such case at a time across worktrees: they install and purge the same packages.
exec 9>/tmp/canister-deb.lock
if ! flock -n 9; then
	echo "$T_NAME: waiting for /tmp/canister-deb.lock (another worktree's package test)" >&2
	flock -w 250 9 || fail "/tmp/canister-deb.lock still held after 250 s"
fi
for p in $PACKAGES; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv 'not-installed'; then
		fail "$p is already on this machine ($(dpkg-query -W -f='${Status}' "$p")); this case installs and purges it and leaves one it did not install alone"
	fi
done

# What purge may take with it that was there before: canisterd's log directory.
LOGDIR=/var/log/canister
[ ! -e "$LOGDIR" ] || cp -a "$LOGDIR" "$T_TMP/logdir.saved" || fail "cannot save $LOGDIR"

# known: those of PACKAGES dpkg still has a record of (installed, or conffiles left).
known()
{
	for k in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$k" 2>/dev/null | grep -qv 'not-installed' && echo "$k"
	done
}
INSTALLED=
deb_cleanup()
{
	# The daemon first (t_cleanup stops it and unloads its pins with the installed
	# binary), then the packages, then what purge removed that was there before.
	kill_started
	if [ -n "$T_DAEMON_PID" ]; then
		kill -TERM "$T_DAEMON_PID" 2>/dev/null
		wait "$T_DAEMON_PID" 2>/dev/null
		T_DAEMON_PID=
	fi
	[ ! -x "$CANISTERD" ] || "$CANISTERD" --unload -c "$T_CONF" >/dev/null 2>&1
	if [ -n "$INSTALLED" ] && [ -n "$(known)" ]; then
		# shellcheck disable=SC2046 # word lists
		$APT purge $(known) >>"$T_TMP/apt.log" 2>&1 || dpkg --purge $(known) >>"$T_TMP/apt.log" 2>&1 ||
			echo "$T_NAME: could not purge $(known): $(tail -n 5 "$T_TMP/apt.log")" >&2
	fi
	if [ -e "$T_TMP/logdir.saved" ] && [ ! -e "$LOGDIR" ]; then
		cp -a "$T_TMP/logdir.saved" "$LOGDIR"
	fi
	CANISTERD=$root/build/canisterd
	t_cleanup
}
trap deb_cleanup EXIT

tree_before=$(git -C "$root" status --porcelain --ignored 2>/dev/null)
# Build.  Offline: only the build dependencies, all installed by install-deps.
start=$(date +%s)
# No debug symbols package: the case installs only the two.
DEB_BUILD_OPTIONS="noddebs nocheck" make -C "$root" --no-print-directory -s deb DEB_DIR="$T_TMP/deb" >"$T_TMP/make-deb.log" 2>&1 ||
	fail "make deb: $(tail -n 30 "$T_TMP/make-deb.log")"
echo "$T_NAME: make deb took $(($(date +%s) - start)) s"
debs=
for p in $PACKAGES; do
	deb=$(ls "$T_TMP/deb/${p}_"*_amd64.deb 2>/dev/null) || fail "make deb made no $p package: $(ls "$T_TMP/deb")"
	debs="$debs $deb"
done
# The tree is as it was: the package is built in a copy.
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
	expect_eq "$(git -C "$root" status --porcelain --ignored)" "$tree_before" "the source tree after make deb"
fi
# Every path the packages hold, and which of them the machine had before (/usr/bin...).
for deb in $debs; do
	dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' | grep -v '^$'
done | sort -u >"$T_TMP/paths"
while read -r p; do
	if [ -e "$p" ] || [ -L "$p" ]; then echo "$p"; fi
done <"$T_TMP/paths" >"$T_TMP/there-before"
expect_match "$(dpkg-deb -f "$T_TMP/deb/canister_"*.deb Depends)" 'libbpf1.*libjson-c5|libjson-c5.*libbpf1' \
	"canister's Depends computed from its libraries"

# Install.
INSTALLED=1
# shellcheck disable=SC2086
$APT install --no-install-recommends $debs >"$T_TMP/apt.log" 2>&1 || fail "apt-get install: $(tail -n 20 "$T_TMP/apt.log")"
for p in $PACKAGES; do
	expect_eq "$(dpkg-query -W -f='${Status}' "$p")" "install ok installed" "$p installed"
done
dpkg -L $PACKAGES | grep -vx "/\." | sort -u >"$T_TMP/dpkg-L"
for f in /usr/sbin/canisterd /usr/bin/canister /usr/bin/canister-oci-hook /lib/systemd/system/canisterd.service \
	/etc/canister/canister.conf.example /usr/include/canister/canister.h; do
	grep -qx "$f" "$T_TMP/dpkg-L" || fail "$f is not in the packages: $(cat "$T_TMP/dpkg-L")"
done
if ! systemd-analyze verify --man=no /lib/systemd/system/canisterd.service >"$T_TMP/verify" 2>&1 ||
	[ -s "$T_TMP/verify" ]; then
	fail "systemd-analyze verify of the installed unit: $(cat "$T_TMP/verify")"
fi
CANISTER_HOOK=/usr/bin/canister-oci-hook CANISTERD=/usr/sbin/canisterd CANISTER=/usr/bin/canister \
	sh "$root/tests/host/14-hardening.sh" >"$T_TMP/hardening" 2>&1 ||
	fail "the installed binaries are not hardened: $(cat "$T_TMP/hardening")"

# The installed daemon and CLI, with this case's config (kernel_audit stays off: the
# machine's audit settings are not touched).
CANISTERD=/usr/sbin/canisterd
CANISTER=/usr/bin/canister
start_daemon
expect_match "$(cn status)" '^mode: trace$' "installed canister status"
out=$(cn run --id 4242 -- sh -c "canister --socket \"$T_SOCK\" get \$\$") || fail "installed canister run"
expect_eq "$out" 4242 "contid through the installed binaries"
expect_record "op=set opid=[0-9]+ contid=4242 old-contid=-1 .*res=1\$" "set record"

# The installed library: the example builds with its pkg-config file and registers.
flags=$(pkg-config --cflags --libs --static canister) || fail "pkg-config does not know the installed canister"
# shellcheck disable=SC2086 # the flags are words
cc -Wall -Werror -o "$T_TMP/orchestrator" "$root/examples/orchestrator.c" $flags ||
	fail "the example does not build against libcanister-dev"
out=$(CANISTER_SOCKET="$T_SOCK" "$T_TMP/orchestrator" web-7 sh -c "canister --socket \"$T_SOCK\" get \$\$" 2>&1) ||
	fail "orchestrator: $out"
expect_match "$out" "^[0-9]+ web-7\$" "the example's child is in a container"
stop_daemon
"$CANISTERD" --unload -c "$T_CONF" >/dev/null 2>&1 || fail "installed canisterd --unload"

# Remove: the conffile stays (policy), the rest goes.
# shellcheck disable=SC2086
$APT remove $PACKAGES >>"$T_TMP/apt.log" 2>&1 || fail "apt-get remove: $(tail -n 20 "$T_TMP/apt.log")"
expect_eq "$(dpkg-query -W -f='${Status}' canister)" "deinstall ok config-files" "canister after remove"
[ -e /etc/canister/canister.conf.example ] || fail "remove took the conffile"
[ ! -e /usr/sbin/canisterd ] || fail "remove left /usr/sbin/canisterd"

# Purge (libcanister-dev, with no conffiles, is gone already): nothing of theirs is
# left, but what was there before.
expect_eq "$(known)" canister "packages dpkg still knows after remove"
$APT purge canister >>"$T_TMP/apt.log" 2>&1 || fail "apt-get purge: $(tail -n 20 "$T_TMP/apt.log")"
INSTALLED=
[ -z "$(known)" ] || fail "dpkg still knows $(known) after purge"
left=
while read -r p; do
	grep -qxF "$p" "$T_TMP/there-before" && continue
	if [ -e "$p" ] || [ -L "$p" ]; then left="$left $p"; fi
done <"$T_TMP/dpkg-L"
for p in /etc/canister /etc/systemd/system/multi-user.target.wants/canisterd.service \
	/var/lib/systemd/deb-systemd-helper-enabled/canisterd.service.dsh-also \
	/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/canisterd.service \
	/var/lib/dpkg/info/canister.list /var/lib/dpkg/info/libcanister-dev.list; do
	if [ -e "$p" ] || [ -L "$p" ]; then left="$left $p"; fi
done
if [ ! -e "$T_TMP/logdir.saved" ] && [ -e "$LOGDIR" ]; then left="$left $LOGDIR"; fi
[ -z "$left" ] || fail "left after purge:$left"
