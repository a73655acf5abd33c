# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a policy's create and remove rule paths are bound to inodes when it is loaded, so what is put on a rule path afterwards does not widen it: a bind mount over the granted /work (by the host, or by the container's root) hides it (a file made there lands elsewhere and is refused), /work renamed away and replaced by a symlink to another directory refuses there while the renamed directory keeps its grant, the container's root cannot make the symlink itself, a canisterd restart keeps the bindings of the load; a rule path that does not exist at load grants nothing, and a deny on one that does not exist binds to its nearest ancestor.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/access.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/access.sh"

W=/work
O=/srv/vm114
trap 'touch "$T_TMP/done"; kill_started; umount "$W" 2>/dev/null; umount "$W" 2>/dev/null; rm -rf "$W" "$W.old" "$O" /later; t_cleanup' EXIT
rm -rf "$W" "$W.old" "$O" /later
mkdir -p "$W" "$O/target" "$W/sub" || fail "cannot make $W and $O"
cat >"$T_TMP/fs.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath $W
fs deny create beneath $W/sub/later
fs allow create,remove beneath /later
POLICY
eperm='Operation not permitted'


start_daemon
cn run --id 1140 -- sh -c "echo ready >'$T_TMP/1140.ready'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
wait_for_file "$T_TMP/1140.ready"
cn policy load 1140 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1140"
grep -q "rule path /later does not resolve" "$T_LOG" || fail "the unresolved allow is not logged"
grep -q "rule path $W/sub/later does not resolve .* its deny is bound to $W/sub" "$T_LOG" ||
	fail "the unresolved deny's binding is not logged"
mkdir /later || fail "mkdir /later"
expect_eq "$(fs_try 1140 "touch $W/a" "mkdir -p $W/x/y && touch $W/x/y/z" "touch $O/target/a" "touch $W/sub/a" "touch /later/a")" \
	"ok;ok;$eperm;$eperm;$eperm;" \
	"before the attacks: $W granted, elsewhere refused, the unresolved deny on its ancestor $W/sub, the allow of a path made after the load on nothing"

# The host bind-mounts another directory over the rule path: what is made there is the other
# directory's, and the mount point's grant does not reach it.
mount --bind "$O/target" "$W" || fail "bind mount over $W"
expect_eq "$(fs_try 1140 "touch $W/b")" "$eperm;" \
	"a file made through a bind mount over the rule path"
[ ! -e "$O/target/b" ] || fail "the refused create through the bind mount made $O/target/b"
expect_record "op=create contid=1140 by=1140 pid=[0-9]+ (exe=[^ ]+ )?target=\"$W/b\" right=create cause=not-granted mode=enforce res=0" \
	"the record of the create refused through the bind mount"
# A restart binds nothing anew: the paths stay bound to the inodes of the load.
stop_daemon
start_daemon
expect_eq "$(fs_try 1140 "touch $W/c")" "$eperm;" "through the bind mount after a restart"
umount "$W" || fail "umount $W"

# The container's root mounts over the rule path itself (the guard refuses the mount on this
# kernel; were it let through, the create beneath would be refused as the host's mount's was).
got=$(fs_try 1140 "mount --bind $O/target $W && touch $W/d")
[ "$got" != "ok;" ] || fail "the container's own bind mount over $W let it make $W/d"
[ ! -e "$O/target/d" ] || fail "a file made through the container's bind mount"
umount "$W" 2>/dev/null

# The container's root cannot put a symlink in the rule path's place: it may rename the
# directory (its removal is granted on the path itself) but not make the new name.
expect_eq "$(fs_try 1140 "mv $W $W.old" "ln -s $O/target $W.new")" "$eperm;$eperm;" \
	"the container's root renaming $W away and making a symlink"
# The host does it: the symlink leads elsewhere, refused; the renamed directory keeps its grant.
mv "$W" "$W.old" && ln -s "$O/target" "$W" || fail "the host replacing $W with a symlink"
expect_eq "$(fs_try 1140 "touch $W/e" "touch $W.old/e")" "$eperm;ok;" \
	"through the symlink now at the rule path, and in the renamed directory"
[ ! -e "$O/target/e" ] || fail "the refused create through the symlink made $O/target/e"
expect_record "op=create contid=1140 by=1140 pid=[0-9]+ (exe=[^ ]+ )?target=\"$O/target/e\" right=create cause=not-granted mode=enforce res=0" \
	"the record names where the file would have been made"
# A load binds anew, without following the symlink: the path binds nothing, and is refused.
cn policy load 1140 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1140 again"
grep -q "rule path $W does not resolve" "$T_LOG" || fail "the symlinked rule path is not logged"
expect_eq "$(fs_try 1140 "touch $W/f" "touch $W.old/f")" "$eperm;$eperm;" \
	"after a new load: the symlink binds nothing, the renamed directory is no rule path"
exit 0
