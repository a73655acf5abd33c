# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: BPF LSM's path hooks enforce a held policy's create and remove rights (loaded by `canister policy load`, so Landlock plays no part): as root in the container, making and removing files and directories beneath the granted /work succeeds, elsewhere (and in a hole beneath /work) fails with EPERM and is recorded with the path; a rename is a remove and a create; host processes are untouched; complain lets all through and records exactly what enforce refuses; a nested container that widens stays bound; the pinned programs refuse with canisterd killed.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/access.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/access.sh"
# shellcheck source=tests/lib/integrity.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

trap 'touch "$T_TMP/done"; kill_started; rm -rf /work /srv/vm113; t_cleanup' EXIT
W=/work
O=/srv/vm113
rm -rf "$W" "$O"
mkdir -p "$W/locked" "$O" || fail "cannot make $W and $O"
echo pre >"$O/pre"
echo pre >"$W/locked/pre"
cat >"$T_TMP/fs.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath $W
fs deny create,remove beneath $W/locked
fs allow create,remove beneath $T_TMP
POLICY
# Widens to everything: the intersection with its parent's grants nothing more.
cat >"$T_TMP/wide.policy" <<'POLICY'
fs handle create,remove
fs allow create,remove beneath /
POLICY
eperm='Operation not permitted'

actions()
{
	fs_try 1130 "touch $W/a" "mkdir $W/d" "rm $W/a" "rmdir $W/d" \
		"touch $O/x" "mkdir $O/d" "mv $O/pre $W/moved" "rm -f $O/pre" "touch $W/locked/x" \
		"rm -f $W/locked/pre" "touch $W/b && mv $W/b $O/b" "ln -s $W $O/link" "mkfifo $O/fifo"
}
enforced="ok;ok;ok;ok;$eperm;$eperm;$eperm;$eperm;$eperm;$eperm;$eperm;$eperm;$eperm;"

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
expect_match "$(cn status)" '^  fs create: canisterd: enforced: BPF LSM path hooks' "the status says BPF LSM decides create"
expect_match "$(cn status)" '^  fs remove: canisterd: enforced: BPF LSM path hooks' "the status says BPF LSM decides remove"
expect_eq "$(tool bpf-obj-get "$T_PIN/access_fs_rules")" ok "host root opening the access_fs_rules map"
expect_eq "$(cn run --id 1139 -- bpf-obj-get "$T_PIN/access_fs_rules")" "refused: Operation not permitted" \
	"labelled root opening the access_fs_rules map"

# The container's first process, which later starts a nested one (the worker writes its steps
# beneath $T_TMP, which the policy grants).
worker_start 1130
cn policy load 1130 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1130 (enforce)"
expect_match "$(cn policy show 1130)" '^# fs create: canisterd: enforced: BPF LSM path hooks, rule paths bound to inodes at load, canisterd running or not' \
	"policy show says BPF LSM enforces create"

expect_eq "$(actions)" "$enforced" \
	"enforce: make and remove beneath $W; elsewhere, in the hole, renames out and in, a symlink, a fifo"
[ -e "$O/pre" ] && [ -e "$W/locked/pre" ] && [ ! -e "$O/x" ] && [ ! -e "$O/b" ] && [ -e "$W/b" ] ||
	fail "enforce changed what it refused: $(ls -l "$O" "$W" "$W/locked")"
for target in "$O/x" "$O/d" "$W/locked/x" "$O/b" "$O/link" "$O/fifo"; do
	expect_record "op=create contid=1130 by=1130 pid=[0-9]+ (exe=[^ ]+ )?target=\"$target\" right=create cause=not-granted mode=enforce res=0" \
		"the record of the refused create of $target"
done
for target in "$O/pre" "$W/locked/pre"; do
	expect_record "op=remove contid=1130 by=1130 pid=[0-9]+ (exe=[^ ]+ )?target=\"$target\" right=remove cause=not-granted mode=enforce res=0" \
		"the record of the refused removal of $target"
done
# Host processes are never a policy's subject.
touch "$O/host" && rm "$O/host" || fail "a host process beside an enforcing container"

# Complain: everything through, recorded exactly as enforce refused (a rename stops at its
# first refusal in enforce: the removal of $O/pre; in complain the create beneath $W is granted).
rm -f "$W/b"
cn policy load 1130 "$T_TMP/fs.policy" --complain >/dev/null || fail "policy load 1130 --complain"
expect_eq "$(actions)" "ok;ok;ok;ok;ok;ok;ok;ok;ok;ok;ok;ok;ok;" "complain"
# The marker's record comes last (one ring buffer, one reader): the others are in.
expect_eq "$(fs_try 1130 "touch $O/marker")" "ok;" "complain's marker"
expect_record "target=\"$O/marker\" right=create cause=not-granted mode=complain res=1" "the marker's complain record"
pairs()
{
	grep -E "op=(create|remove) contid=1130 .* mode=$1 res=$2" "$T_AUDIT" |
		sed -n 's/.* target="\([^"]*\)" right=\([a-z]*\) .*/\2 \1/p' | grep -v marker | sort -u | tr '\n' ' '
}
expect_eq "$(pairs complain 1)" "$(pairs enforce 0)" "complain records what enforce refuses"

# A nested container (registered by 1130's worker, delegated) that widens stays within 1130's grants.
rm -rf "$W/a" "$W/d" "$W/b" "$O"/* "$W/moved" "$W/locked"/*
cn policy load 1130 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1130 (enforce again)"
cn delegate "$(cat "$T_TMP/worker.pid")" >/dev/null || fail "delegate container 1130's worker"
# Its own policy (everything allowed), loaded by its orchestrator (the delegated worker) with
# canister run: the rule paths are resolved in the nested container's root.
nested=$(worker_step 1 "'$CANISTER' --socket '$T_SOCK' run --id 1131 --policy '$T_TMP/wide.policy' -- sh -c 'touch $O/n 2>&1; touch $W/n && echo ok' 2>&1 | grep -v '^canister: policy'")
expect_match "$nested" "$O/n: $eperm" "a nested container that widens, outside $W"
expect_match "$nested" '^ok$' "a nested container, beneath $W"
expect_record "op=create contid=1131,\\^1130 by=1130 pid=[0-9]+ (exe=[^ ]+ )?target=\"$O/n\" right=create cause=not-granted mode=enforce res=0" \
	"the nested refusal names the refusing level"

# canisterd killed: the pinned programs and maps go on refusing.
kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
# The worker is already in the container: nothing to register without canisterd.
expect_eq "$(worker_step 2 "touch $W/k && echo ok; touch $O/k 2>&1")" "ok
touch: $O/k: $eperm" "enforce with canisterd killed"
start_daemon
expect_record "op=create contid=1130 by=1130 pid=[0-9]+ (exe=[^ ]+ )?target=\"$O/k\" right=create cause=not-granted mode=enforce res=0" \
	"the record of a refusal made while canisterd was gone"
# A restart keeps the rule paths bound: still the same answers.
expect_eq "$(fs_try 1130 "rm $W/k" "touch $O/k2")" "ok;$eperm;" "enforce after a restart"
exit 0
