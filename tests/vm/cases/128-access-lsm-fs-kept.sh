# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: what a create or remove decision is drawn from is read as it stands, for a cache of answers to keep to (none is built: see docs/access.md): a directory moved by the host beneath a deny after a create there was granted is refused there (and its file's removal too), granted again when moved back; a policy dropped with its container and the opposite one loaded under the same container id (the same generation in the maps) is answered by its own rules; and a deny-remove rule holds after its filesystem is remounted, by the container's root (the attack: remount, then unlink) and by the host's (size, ro then rw): a remount keeps the superblock, its inodes and their marks.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/access.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/access.sh"

V=/srv/vm128
trap 'touch "$T_TMP/done" "$T_TMP/done1"; kill_started; umount "$V/t" 2>/dev/null; rm -rf "$V"; t_cleanup' EXIT
rm -rf "$V"
mkdir -p "$V/t" || fail "cannot make $V"
# A filesystem of its own, mounted at its root (where a cache of answers could be kept).
mount -t tmpfs vm128 "$V/t" || fail "mount a tmpfs on $V/t"
mkdir -p "$V/t/open/deep/a" "$V/t/open/d2" "$V/t/locked/sub" || fail "mkdir beneath $V/t"
echo pre >"$V/t/open/deep/a/pre"
echo pre >"$V/t/locked/pre"
echo pre >"$V/t/locked/sub/pre"
cat >"$T_TMP/fs.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath $V/t/open
fs deny create,remove beneath $V/t/locked
POLICY
# The same paths the other way round.
cat >"$T_TMP/swapped.policy" <<POLICY
fs handle create,remove
fs deny create,remove beneath $V/t/open
fs allow create,remove beneath $V/t/locked
POLICY
eperm='Operation not permitted'

# container ID DONE: a process of container ID that lives until the file DONE appears.  The
# ready file of an earlier container of the same id goes first, or the wait would not wait.
container()
{
	rm -f "$T_TMP/$1.ready"
	cn run --id "$1" -- sh -c "echo ready >'$T_TMP/$1.ready'; exec sh '$T_AWAIT' '$2' 600" &
	started $!
	wait_for_file "$T_TMP/$1.ready"
}

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
container 1280 "$T_TMP/done1"
cn policy load 1280 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1280"
# Twice each: a cache would keep the first answer and read it for the second.
expect_eq "$(fs_try 1280 "touch $V/t/open/deep/a/x" "touch $V/t/open/deep/a/y" "rm $V/t/open/deep/a/x" \
	"rm $V/t/open/deep/a/y" "touch $V/t/open/d2/x" "rm $V/t/open/d2/x" \
	"touch $V/t/locked/sub/x" "touch $V/t/locked/sub/y")" \
	"ok;ok;ok;ok;ok;ok;$eperm;$eperm;" "as loaded: granted beneath open, refused beneath locked, asked twice"

# The host moves the directory just decided beneath the deny: the deny decides.
mv "$V/t/open/deep" "$V/t/locked/deep" || fail "mv $V/t/open/deep $V/t/locked/deep"
expect_eq "$(fs_try 1280 "touch $V/t/locked/deep/a/x" "rm $V/t/locked/deep/a/pre")" "$eperm;$eperm;" \
	"a directory moved beneath the deny after a create there was granted"
[ -e "$V/t/locked/deep/a/pre" ] && [ ! -e "$V/t/locked/deep/a/x" ] ||
	fail "the moved directory changed: $(ls -l "$V/t/locked/deep/a")"
# And back: granted again.
mv "$V/t/locked/deep" "$V/t/open/deep" || fail "mv $V/t/locked/deep back"
expect_eq "$(fs_try 1280 "touch $V/t/open/deep/a/x" "rm $V/t/open/deep/a/x")" "ok;ok;" \
	"the directory moved back beneath the allow"

# The container goes and its policy with it; a container of the same id loads the swapped policy
# (the same generation, 1, in the maps): its own rules answer, not the old ones.
touch "$T_TMP/done1"
wait_for_line "$T_LOG" 'access: container 1280 was dropped: its policy goes' "the policy dropped with its container"
container 1280 "$T_TMP/done"
cn policy load 1280 "$T_TMP/swapped.policy" >/dev/null || fail "policy load 1280 (swapped)"
expect_eq "$(fs_try 1280 "touch $V/t/open/d2/x" "touch $V/t/open/deep/a/x" "touch $V/t/locked/sub/x" \
	"rm $V/t/locked/sub/x")" \
	"$eperm;$eperm;ok;ok;" "the swapped policy under the same container id"
cn policy load 1280 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1280 (again)"

# Remounts: the filesystem stays (the same superblock and inodes), so do the marks and the deny.
# The container's root tries (the guard may refuse its mounts: the unlink is tried regardless).
expect_eq "$(fs_try 1280 "mount -o remount,size=8m $V/t; rm $V/t/locked/pre" \
	"mount -o remount,ro $V/t; mount -o remount,rw $V/t; rm $V/t/locked/sub/pre")" \
	"$eperm;$eperm;" "the container's root remounts the rule's filesystem, then unlinks beneath the deny"
mount -o remount,size=16m "$V/t" || fail "the host's remount of $V/t"
mount -o remount,ro "$V/t" && mount -o remount,rw "$V/t" || fail "the host's ro/rw remount of $V/t"
expect_eq "$(fs_try 1280 "rm $V/t/locked/pre" "rm $V/t/open/deep/a/pre")" "$eperm;ok;" \
	"after the host's remounts: refused beneath the deny, granted beneath the allow"
[ -e "$V/t/locked/pre" ] && [ -e "$V/t/locked/sub/pre" ] ||
	fail "a file beneath the deny went: $(ls -l "$V/t/locked" "$V/t/locked/sub")"
expect_record "op=remove contid=1280 by=1280 pid=[0-9]+ (exe=[^ ]+ )?target=\"$V/t/locked/pre\" right=remove cause=not-granted mode=enforce res=0" \
	"the record of the refused unlink after the remount"
exit 0
