# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a deny-remove rule holds when the container's root, in a mount namespace of its own (where the guard lets it mount), unmounts the rule path's filesystem and puts another there with the same names (the attack: the marks went with the old filesystem's inodes): the remove is refused (EPERM, recorded) while canisterd binds the policy again and after it did; an allowed create works again once bound; the second filesystem gone too and a fresh tmpfs mounted there, the rule directory made anew is refused, as is every create and remove of the container while the deny path does not resolve (bound to its ancestor, the bare mount point, a mount over it would hide it), until the policy is loaded again (then the deny binds to the new root).
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

V=/srv/vm136
trap 'touch "$T_TMP/done" "$T_TMP/loaded" "$T_TMP/rebound1" "$T_TMP/closed" "$T_TMP/rebound2"; kill_started; rm -rf "$V"; t_cleanup' EXIT
rm -rf "$V"
mkdir -p "$V/m" "$V/prep" || fail "cannot make $V"
cat >"$T_TMP/fs.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath /
fs deny create,remove beneath $V/m/locked
POLICY
eperm='Operation not permitted'

# The container's shell: its steps, each waiting for the case's file; what it tells goes into
# files made here beforehand.  try COMMAND... prints
# "ok" or the error's last words for each, followed by ";", into the file named first.
for file in before attack after bound1 new closed.out bound2; do
	: >"$T_TMP/$file"
done
cat >"$T_TMP/container.sh" <<'SCRIPT'
V=$1 T=$2
try()
{
	out_file=$1
	shift
	got=$(for command in "$@"; do
		if out=$( (eval "$command") 2>&1); then echo ok; else echo "${out##*: }"; fi
	done | tr '\n' ';')
	# Into a file the case made: while the container is refused, it creates nothing.
	printf '%s' "$got" >"$out_file"
}
# Two filesystems of its own: the rule path's, and one prepared with the same names.
if mount -t tmpfs vm136 "$V/m" && mount -t tmpfs vm136prep "$V/prep" &&
	mkdir -p "$V/m/locked" "$V/m/open" "$V/prep/locked" "$V/prep/open" &&
	echo pre >"$V/m/locked/pre" && echo pre >"$V/prep/locked/pre"; then
	echo ready >"$T/ready"
else
	echo "cannot mount: $(grep vm136 /proc/self/mounts)" >"$T/ready"
	exit 1
fi
sh "$T/await" "$T/loaded" 600
try "$T/before" "rm $V/m/locked/pre" "touch $V/m/open/a"
# The attack: the rule path's filesystem unmounted (its inodes and their marks go), the prepared
# one put in its place; remove beneath the deny, and make a directory there.
umount "$V/m" && mount --bind "$V/prep" "$V/m" || echo "umount and bind: failed" >"$T/attack"
grep vm136 /proc/self/mountinfo >>"$T/attack"
try "$T/after" "rm $V/m/locked/pre" "mkdir $V/m/locked/d"
sh "$T/await" "$T/rebound1" 600
try "$T/bound1" "touch $V/m/open/b" "rm $V/m/open/b" "rm $V/m/locked/pre"
# Again with a fresh tmpfs, the prepared one gone (with its marks, bound since): the rule
# directory is made anew (it does not exist at the binding).
umount "$V/m" && umount "$V/prep" && mount -t tmpfs vm136new "$V/m" ||
	echo "umount and mount: failed" >"$T/new"
try "$T/new" "mkdir -p $V/m/locked && echo x >$V/m/locked/f && rm $V/m/locked/f"
sh "$T/await" "$T/closed" 600
try "$T/closed.out" "touch $V/y"
sh "$T/await" "$T/rebound2" 600
try "$T/bound2" "mkdir $V/m/locked" "touch $V/m/x" "touch $V/y" "rm $V/y"
sh "$T/await" "$T/done" 600
SCRIPT

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
# The registered process itself is in the new mount namespace: the policy resolves its paths there.
cn run --id 1360 -- unshare -m --propagation private sh "$T_TMP/container.sh" "$V" "$T_TMP" &
started $!
wait_for_file "$T_TMP/ready"
expect_eq "$(cat "$T_TMP/ready")" ready "the container's root mounts its tmpfs"
cn policy load 1360 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1360"
touch "$T_TMP/loaded"
wait_for_file "$T_TMP/before"
expect_eq "$(cat "$T_TMP/before")" "$eperm;ok;" "as loaded: refused beneath the deny, granted beside it"

wait_for_file "$T_TMP/after"
[ "$(cat "$T_TMP/after")" = "$eperm;$eperm;" ] ||
	fail "beneath the deny after the container's root unmounted its filesystem and bind-mounted another there: got '$(cat "$T_TMP/after")' (the container's mounts: $(cat "$T_TMP/attack"); canisterd: $(grep -E 'access: |rule path' "$T_LOG" | grep -v libbpf | tail -8))"
wait_for_line "$T_LOG" "access: rules of container 1360's policy lost their filesystem \(unmounted\); re-binding" \
	"the log line of the lost filesystem"
wait_for_line "$T_LOG" "access: container 1360's policy re-bound after its filesystem went" "the re-binding"
expect_record "op=remove contid=1360 by=1360 pid=[0-9]+ (exe=[^ ]+ )?target=\"$V/m/locked/pre\" right=remove cause=not-granted mode=enforce res=0" \
	"the record of a refused remove"
# A repeat of the same remove may be folded into the first record: the create after the unmount
# has a record of its own.
expect_record "op=create contid=1360 by=1360 pid=[0-9]+ (exe=[^ ]+ )?target=\"$V/m/locked/d\" right=create cause=not-granted mode=enforce res=0" \
	"the record of the create refused after the unmount"
touch "$T_TMP/rebound1"
wait_for_file "$T_TMP/bound1"
expect_eq "$(cat "$T_TMP/bound1")" "ok;ok;$eperm;" "bound again: granted beside the deny, refused beneath it"

wait_for_file "$T_TMP/new"
expect_eq "$(cat "$T_TMP/new")" "$eperm;" "the rule directory made anew on a fresh tmpfs"
# The deny path does not resolve on the fresh tmpfs: bound to its ancestor, the bare mount point,
# a mount over it would hide it: the container stays refused (the rest too) until a load.
wait_for_line "$T_LOG" "access: 1 deny rule path\(s\) of container 1360's policy do not resolve after their filesystem went" \
	"the container kept refused while its deny path does not resolve"
touch "$T_TMP/closed"
wait_for_file "$T_TMP/closed.out"
expect_eq "$(cat "$T_TMP/closed.out")" "$eperm;" "a create beside the rules while the deny path does not resolve"
cn policy load 1360 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1360 (again)"
touch "$T_TMP/rebound2"
wait_for_file "$T_TMP/bound2"
expect_eq "$(cat "$T_TMP/bound2")" "$eperm;$eperm;ok;ok;" \
	"loaded again with the rule directory missing: its nearest ancestor denies, the rest is granted"
grep -q "container 1360's create and remove stay refused" "$T_LOG" && fail "a re-binding failed: $(grep 'access: ' "$T_LOG" | tail -5)"
exit 0
