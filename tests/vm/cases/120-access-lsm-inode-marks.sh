# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: create and remove rule paths are marks on their inode objects (inode storage), not (device, inode number) keys: a directory that gets a rule directory's device and number after it went (a tmpfs unmounted, another mounted with the same anonymous device, its first directory the same number) does not get its rule, whether the walk meets it in its own mount or past a mount point; a rule directory evicted from the inode cache (cgroup2's kernfs inodes go with `echo 2 >/proc/sys/vm/drop_caches`) keeps its allow and its deny, is remembered while evicted and marked again when a walk meets it; a canisterd restart keeps the marks (the pinned inode storage map); a policy new to the maps at start (canister.conf's default) is marked then.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/access.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/access.sh"

V=/srv/vm120
unmount_all()
{
	for m in "$V/b/other/sub" "$V/b" "$V/a" "$V/cg"; do
		umount "$m" 2>/dev/null
	done
}
trap 'touch "$T_TMP/done"; kill_started; rmdir "$V"/cg/open/hole/* "$V"/cg/open/* "$V/cg/open" "$V"/cg/c* 2>/dev/null; unmount_all; rm -rf "$V"; t_cleanup' EXIT
rm -rf "$V"
mkdir -p "$V/a" "$V/b" "$V/cg" || fail "cannot make $V"
mount -t tmpfs vm120a "$V/a" || fail "mount a tmpfs on $V/a"
mkdir "$V/a/open" || fail "mkdir $V/a/open"
old_id=$(stat -c '%d %i' "$V/a/open")
mount -t cgroup2 none "$V/cg" || fail "mount cgroup2 on $V/cg"
mkdir -p "$V/cg/open/hole" || fail "mkdir $V/cg/open/hole"
cat >"$T_TMP/fs.policy" <<POLICY
fs handle create
fs allow create beneath $V/a/open
fs allow create beneath $V/cg/open
fs deny create beneath $V/cg/open/hole
POLICY
eperm='Operation not permitted'
state()
{
	tool bpf-array-read "$T_PIN/access_fs_state" "$1"
}

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
cn run --id 1200 -- sh -c "echo ready >'$T_TMP/1200.ready'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
wait_for_file "$T_TMP/1200.ready"
cn policy load 1200 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1200"
expect_eq "$(fs_try 1200 "touch $V/a/open/x" "mkdir $V/cg/open/c1" "mkdir $V/cg/open/hole/c2" "mkdir $V/cg/c3" "touch $V/b/y")" \
	"ok;ok;$eperm;$eperm;$eperm;" "the rule paths as loaded: granted, the hole and elsewhere refused"

# The reuse: the rule directory's filesystem goes, and another directory gets its device and
# inode number (tmpfs numbers from 1 in each mount; the anonymous device is the lowest free).
rm -f "$V/a/open/x"
umount "$V/a" || fail "umount $V/a"
mount -t tmpfs vm120b "$V/b" || fail "mount a tmpfs on $V/b"
mkdir "$V/b/other" || fail "mkdir $V/b/other"
new_id=$(stat -c '%d %i' "$V/b/other")
[ "$new_id" = "$old_id" ] ||
	fail "precondition: $V/b/other is $new_id, not the rule directory's $old_id (device and number)"
expect_eq "$(fs_try 1200 "touch $V/b/other/y")" "$eperm;" \
	"a directory with the unmounted rule directory's device and inode number, in its own mount"
# The same directory met past a mount point, where the walk finds rules by number.
mkdir "$V/b/other/sub" && mount -t tmpfs vm120c "$V/b/other/sub" || fail "mount a tmpfs on $V/b/other/sub"
expect_eq "$(fs_try 1200 "touch $V/b/other/sub/z")" "$eperm;" \
	"beneath a mount point in the directory that took the rule directory's number"
expect_record "op=create contid=1200 by=1200 pid=[0-9]+ (exe=[^ ]+ )?target=\"$V/b/other/y\" right=create cause=not-granted mode=enforce res=0" \
	"the record of the create refused in the directory that took the number"
umount "$V/b/other/sub"

# Eviction: the cgroup directories' inodes go with the dentry cache; the allow and the deny stay.
expect_eq "$(state 0)" 0 "evicted rule inodes before drop_caches"
rmdir "$V/cg/open/c1"
sync
echo 2 >/proc/sys/vm/drop_caches
evicted=$(state 0)
[ "$evicted" -ge 1 ] || fail "drop_caches evicted no rule inode (access_fs_state[0] = $evicted)"
expect_eq "$(fs_try 1200 "mkdir $V/cg/open/hole/c4" "mkdir $V/cg/open/c5" "mkdir $V/cg/c6")" "$eperm;ok;$eperm;" \
	"after drop_caches: the hole still refused, its parent still granted, elsewhere refused"
expect_eq "$(state 0)" 0 "evicted rule inodes once the walks met them again (marked anew)"
expect_eq "$(state 1)" 0 "evictions not remembered"

# A restart keeps the marks (the pinned inode storage) and the rules: the same answers, and
# again after the caches are dropped.
rmdir "$V/cg/open/c5"
stop_daemon
start_daemon
expect_eq "$(fs_try 1200 "mkdir $V/cg/open/hole/c7" "mkdir $V/cg/open/c8" "touch $V/b/other/w")" "$eperm;ok;$eperm;" \
	"after a restart"
rmdir "$V/cg/open/c8"
sync
echo 2 >/proc/sys/vm/drop_caches
expect_eq "$(fs_try 1200 "mkdir $V/cg/open/hole/c9" "mkdir $V/cg/open/c10")" "$eperm;ok;" \
	"after a restart and drop_caches"
rmdir "$V/cg/open/c10"

# A policy bound at start (canister.conf's default, new to the maps): marked by this run's
# marking program before the other programs attach.
cat >"$T_TMP/default.policy" <<POLICY
fs handle create
fs allow create beneath $V/cg/open
POLICY
chmod 0644 "$T_TMP/default.policy"
stop_daemon
echo "access_policy = $T_TMP/default.policy" >>"$T_CONF"
start_daemon
grep -q "cannot attach the rule paths' marking program\|cannot mark the inode" "$T_LOG" &&
	fail "the default's rule paths were not marked at start: $(grep 'mark' "$T_LOG" | tail -3)"
expect_eq "$(fs_try 1201 "mkdir $V/cg/open/d1" "mkdir $V/cg/d2")" "ok;$eperm;" \
	"a container judged by the default policy bound at start"
rmdir "$V/cg/open/d1"
exit 0
