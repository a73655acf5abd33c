# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the cgroup rule for nested containers, moves within one parent and clone3: a container M nested in N (recorded in cgroup A) whose first process is in B, outside A, takes A: it writes A's sub-cgroups, and not B's limits, a sub-cgroup of B nor a mkdir in B, nor may it start a child by clone3's CLONE_INTO_CGROUP from B into A's sub-cgroup (the kernel asks for their common ancestor's cgroup.procs); a container M2 nested in N from A/sub takes A/sub: A's pids.max, a mkdir in A and A's sibling sub-cgroup are refused, its own sub-cgroup is its; a container in P/y may not move a host process from P/x into its cgroup or its sub-cgroup (the kernel asks for P's cgroup.procs, neither's), nor start a child by clone3 in P/x or in another container's cgroup (the destination's cgroup.procs), and may do both into its own sub-cgroup.  Each refusal is recorded (op=cgroup-write) and leaves the host process, the limits and the directories as they were, and no child of clone3 runs.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

# canisterd reads a registered process's cgroup under /sys/fs/cgroup: the guest's init mounts none.
CG2=/sys/fs/cgroup
CG2_MOUNTED=
# Everything beneath R, so that no move's common ancestor is the root cgroup (canisterd's, which
# identity's guard refuses before the rule is asked).
R=$CG2/c148
A=$R/na
B=$R/nb
P=$R/p
# shellcheck disable=SC2317 # called from the EXIT trap
undo_cgroups()
{
	touch "$T_TMP/done" "$T_TMP/n-go" "$T_TMP/n-in-b"
	kill_started
	if [ -d "$R" ]; then
		# Only what this case made, deepest first; the case's shell never entered R.
		echo 1 >"$R/cgroup.kill" 2>/dev/null
		for dir in "$A/sub/m2" "$A/sub" "$A/m" "$A/m2x" "$A/sib/x" "$A/sib" "$A" "$B/bsub" \
			"$B/m" "$B" "$P/y/s" "$P/y" "$P/x" "$P" "$R"; do
			[ ! -d "$dir" ] || poll_until 10 rmdir "$dir" 2>/dev/null
		done
	fi
	[ -z "$CG2_MOUNTED" ] || umount "$CG2" 2>/dev/null
}
trap 'undo_cgroups; t_cleanup' EXIT

if ! grep -q " $CG2 cgroup2 " /proc/mounts; then
	mount -t cgroup2 none "$CG2" || fail "cannot mount cgroup2 at $CG2"
	CG2_MOUNTED=1
fi
mkdir "$R" || fail "cannot create $R"
echo +pids >"$CG2/cgroup.subtree_control" 2>/dev/null
echo +pids >"$R/cgroup.subtree_control" 2>/dev/null
mkdir "$A" "$A/sub" "$A/sib" "$B" "$B/bsub" "$P" "$P/x" "$P/y" "$P/y/s" ||
	fail "cannot create cgroups"
[ -e "$A/pids.max" ] || fail "no pids controller in this kernel's cgroup v2"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# sh -c "$IN_CGROUP" DIR COMMAND...: COMMAND run in cgroup DIR (the shell moves itself there, then
# execs: a command started so in the background is $!).
# shellcheck disable=SC2016 # expanded by the inner shell
IN_CGROUP='echo $$ >"$0/cgroup.procs" && exec "$@"'

# try COMMAND: one word per attempt, "ok" or the error's text (sourced by the containers' shells).
# shellcheck disable=SC2016 # expanded by the containers' shells
echo 'try() { if out=$( (eval "$1") 2>&1); then echo ok; else echo "${out##*: }"; fi; }' \
	>"$T_TMP/try.sh"
# outcome FILE: FILE's words on one line, EPERM's text as "refused".
outcome() { sed 's/Operation not permitted/refused/g' "$1" | tr '\n' ' '; }

# 1. The nested rule.  N (1480) is registered in A, as its runtime put it there (--cgroup none
# from A); its first process O, once delegated, moves itself into A/sub (its own sub-cgroup) and
# nests M2 (1482) there; host root then moves O into B, outside A, and O nests M (1481) there.
# M2 may write A/sub and beneath; M, whose own cgroup B is not within N's, takes A.  Each try
# that must pass would be refused, and each refused one (but A's pids.max) would pass, had the
# nested container been given the other cgroup.
cat >"$T_TMP/m2.sh" <<SCRIPT
. "$T_TMP/try.sh"
try "echo 100 >$A/pids.max"
try "mkdir $A/m2x"
try "echo 5 >$A/sib/cgroup.max.descendants"
try "mkdir $A/sib/x"
try "mkdir $A/sub/m2"
try "echo 5 >$A/sub/m2/cgroup.max.descendants"
SCRIPT
cat >"$T_TMP/m.sh" <<SCRIPT
. "$T_TMP/try.sh"
sed -n 's/^0:://p' /proc/self/cgroup >"$T_TMP/m.cgroup"
try "mkdir $A/m"
try "echo 7 >$A/m/cgroup.max.descendants"
try "echo 7 >$A/sib/cgroup.max.descendants"
try "clone-into $A/m touch $T_TMP/leak-m"
try "echo 100 >$B/pids.max"
try "echo 1 >$B/cgroup.max.descendants"
try "echo 1 >$B/bsub/cgroup.max.descendants"
try "mkdir $B/m"
SCRIPT
cat >"$T_TMP/n.sh" <<SCRIPT
echo \$\$ >"$T_TMP/n.pid"
sh "$T_AWAIT" "$T_TMP/n-go" 600 || exit 1
if echo \$\$ >"$A/sub/cgroup.procs"; then echo ok; else echo refused; fi >"$T_TMP/n-sub"
"$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1482 -- sh "$T_TMP/m2.sh" \
	>"$T_TMP/m2.out" 2>"$T_TMP/m2.err"
echo \$? >"$T_TMP/m2.status"
sh "$T_AWAIT" "$T_TMP/n-in-b" 600 || exit 1
"$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1481 -- sh "$T_TMP/m.sh" \
	>"$T_TMP/m.out" 2>"$T_TMP/m.err"
echo \$? >"$T_TMP/m.status"
exec sh "$T_AWAIT" "$T_TMP/done" 600
SCRIPT
sh -c "$IN_CGROUP" "$A" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1480 -- \
	sh "$T_TMP/n.sh" >"$T_TMP/n.out" 2>"$T_TMP/n.err" &
started $!
wait_for_file "$T_TMP/n.pid"
O=$(cat "$T_TMP/n.pid")
grep -qx "$O" "$A/cgroup.procs" || fail "N's first process is not in A"
cn delegate "$O" >/dev/null || fail "delegate"
touch "$T_TMP/n-go"
wait_for_file "$T_TMP/m2.status" 300
expect_eq "$(cat "$T_TMP/n-sub")" ok "N's root moving itself into its own sub-cgroup A/sub"
expect_eq "$(cat "$T_TMP/m2.status")" 0 "M2's run: $(cat "$T_TMP/m2.err")"
expect_eq "$(outcome "$T_TMP/m2.out")" "refused refused refused refused ok ok " \
	"M2's root (nested, in A/sub): A's pids.max, a mkdir in A, A's sibling's limit, a mkdir there, a sub-cgroup of its own and its limit"
expect_eq "$(cat "$A/pids.max")" max "A's pids.max after M2"
expect_eq "$(cat "$A/sib/cgroup.max.descendants")" max "A/sib's cgroup.max.descendants after M2"
if [ -e "$A/m2x" ] || [ -e "$A/sib/x" ]; then fail "M2 made a cgroup in A or in A/sib"; fi
expect_record "op=cgroup-write contid=1482[^ ]* by=[^ ]* pid=[0-9]+ target=\"na/pids.max\" right=signal" \
	"the record of M2's refused write of A's pids.max"
expect_record "op=cgroup-write contid=1482[^ ]* by=[^ ]* pid=[0-9]+ target=\"sib/cgroup.max.descendants\" right=signal" \
	"the record of M2's refused write of A's sibling's limit"

echo "$O" >"$B/cgroup.procs" || fail "host root moving N's first process into B"
touch "$T_TMP/n-in-b"
wait_for_file "$T_TMP/m.status" 300
expect_eq "$(cat "$T_TMP/m.status")" 0 "M's run: $(cat "$T_TMP/m.err")"
expect_eq "$(cat "$T_TMP/m.cgroup")" "/c148/nb" "M's first process's cgroup"
expect_eq "$(outcome "$T_TMP/m.out")" "ok ok ok refused refused refused refused refused " \
	"M's root (nested, in B outside A): a sub-cgroup of A and its limit, A's sibling's limit, clone3 into A's sub-cgroup, B's pids.max, B's cgroup.max.descendants, B's sub-cgroup's limit, a mkdir in B"
expect_eq "$(cat "$A/sib/cgroup.max.descendants")" 7 "A/sib's cgroup.max.descendants written by M"
expect_eq "$(cat "$B/pids.max") $(cat "$B/cgroup.max.descendants") $(cat "$B/bsub/cgroup.max.descendants")" \
	"max max max" "B's pids.max, cgroup.max.descendants and B/bsub's after M"
[ ! -e "$B/m" ] || fail "M made a cgroup in B"
[ ! -e "$T_TMP/leak-m" ] || fail "M's child of clone3 ran in A/m"
expect_record "op=cgroup-write contid=1481[^ ]* by=[^ ]* pid=[0-9]+ target=\"nb/pids.max\" right=signal" \
	"the record of M's refused write of B's pids.max"
expect_record "op=cgroup-write contid=1481[^ ]* by=[^ ]* pid=[0-9]+ target=\"bsub/cgroup.max.descendants\" right=signal" \
	"the record of M's refused write of B's sub-cgroup's limit"
expect_record "op=cgroup-write contid=1481[^ ]* by=[^ ]* pid=[0-9]+ target=\"c148/cgroup.procs\" right=signal" \
	"the record of M's refused clone3 from B into A's sub-cgroup (R, the common ancestor)"

# 2 and 3. A host process H in P/x; container Y (1483) registered in P/y.  A move of H from P/x
# into P/y, or into P/y/s, asks for write access to P's cgroup.procs (their common ancestor), which
# is neither the host's nor Y's: refused.  clone3(CLONE_INTO_CGROUP) asks first for the
# destination's cgroup.procs, as a write there would, then the common ancestor's: a child in P/x,
# or in N's cgroup A, is refused at the first (M's clone3 above, from B into A/m, at the second),
# before it runs (it would touch a file); into Y's own sub-cgroup P/y/s it starts there, and Y
# moves its own shell there.
sh -c "$IN_CGROUP" "$P/x" sh "$T_AWAIT" "$T_TMP/done" 600 &
H=$!
started $H
poll_until "$T_WAIT" grep -qx "$H" "$P/x/cgroup.procs" || fail "the host process never entered P/x"
cat >"$T_TMP/y.sh" <<SCRIPT
. "$T_TMP/try.sh"
try "clone-into $P/x touch $T_TMP/leak-x"
try "clone-into $A touch $T_TMP/leak-a"
try "clone-into $P/y/s grep -qx 0::/c148/p/y/s /proc/self/cgroup"
try "echo $H >$P/y/cgroup.procs"
try "echo $H >$P/y/s/cgroup.procs"
try "echo \$\$ >$P/y/s/cgroup.procs"
sed -n 's/^0:://p' /proc/self/cgroup >"$T_TMP/y.cgroup"
SCRIPT
timeout 300 sh -c "$IN_CGROUP" "$P/y" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1483 -- \
	sh "$T_TMP/y.sh" >"$T_TMP/y.out" 2>"$T_TMP/y.err" || fail "Y's run: $(cat "$T_TMP/y.err")"
expect_eq "$(outcome "$T_TMP/y.out")" "refused refused ok refused refused ok " \
	"Y's root (in P/y): clone3 into P/x, into A, into P/y/s; H moved into P/y, into P/y/s; its own shell into P/y/s"
grep -qx "$H" "$P/x/cgroup.procs" || fail "the host process left P/x"
kill -0 "$H" || fail "the host process was killed"
if [ -e "$T_TMP/leak-x" ] || [ -e "$T_TMP/leak-a" ]; then fail "a child of clone3 ran in P/x or in A"; fi
expect_eq "$(cat "$T_TMP/y.cgroup")" /c148/p/y/s "Y's shell after its own move"
expect_record "op=cgroup-write contid=1483 by=1483 pid=[0-9]+ target=\"x/cgroup.procs\" right=signal" \
	"the record of the refused clone3 into the host's cgroup P/x"
expect_record "op=cgroup-write contid=1483 by=1483 pid=[0-9]+ target=\"na/cgroup.procs\" right=signal" \
	"the record of the refused clone3 into another container's cgroup"
expect_record "op=cgroup-write contid=1483 by=1483 pid=[0-9]+ target=\"p/cgroup.procs\" right=signal" \
	"the record of a refused move of the host process through P"
stop_daemon
