# SPDX-License-Identifier: GPL-2.0-only
# A real runtime: runc with canister-oci-hook as createRuntime hook labels the container's init,
# runc exec's processes join by setns, and the container's end is a drop record.
#
# What runc 1.1.5 (Debian 12) does, measured with strace, and what this case relies on:
# - runc create: the hook's state.pid is runc:[2:INIT], already pid 1 of the new pid
#   namespace (and in new mnt/uts/ipc/net ones), with no children but 6 Go threads; at
#   runc start that same pid (its main thread) execs the container process.
# - runc exec: runc:[1:CHILD] setns()es with fds of /proc/INIT/ns/* in the order ipc,
#   uts, net, pid, mnt, then clone(CLONE_PARENT) makes runc:[2:INIT], which execs the
#   command.  The exec'd process's parent is runc exec itself, which stays outside.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"

: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
command -v runc >/dev/null || fail "runc is missing; scripts/install-deps installs it"
[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"

RUNC_ROOT="$T_TMP/runc"
BUNDLE="$T_TMP/bundle"
CID="canister-$T_NAME-$$"
N=80

# rn ARGS...: runc with a private state directory, so nothing touches /run/runc.
rn()
{
	runc --root "$RUNC_ROOT" "$@"
}

# The container must go before t_cleanup removes $T_TMP (its state and bundle) and
# stops the daemon; runc delete -f kills what is left and removes its cgroups.
t_runc_cleanup()
{
	rn delete -f "$CID" >/dev/null 2>&1
	t_cleanup
}
trap t_runc_cleanup EXIT

# host_pid INIT NSPID: the host pid of the process that is NSPID in INIT's pid namespace.
host_pid()
{
	hp_ns=$(stat -L -c %i "/proc/$1/ns/pid")
	for hp_dir in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$hp_dir/ns/pid" 2>/dev/null)" = "$hp_ns" ] || continue
		if [ "$(awk '/^NSpid:/ { print $NF }' "$hp_dir/status" 2>/dev/null)" = "$2" ]; then
			echo "${hp_dir#/proc/}"
			return 0
		fi
	done
	return 1
}

start_daemon

# Bad or truncated state from a runtime: one clear line, exit 1, nothing registered.
sleep 30 &
victim=$!
out=$(printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"/b","pid":%d' "$victim" |
	"$CANISTER_HOOK" --socket "$T_SOCK" createRuntime 2>&1) && fail "the hook accepted a truncated state"
expect_eq "$out" "canister-oci-hook: state is truncated: the JSON object ends before its closing '}'" "truncated state"
out=$(printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"/b","pid":"%d"}' "$victim" |
	"$CANISTER_HOOK" --socket "$T_SOCK" createRuntime 2>&1) && fail "the hook accepted a string pid"
expect_match "$out" '^canister-oci-hook: state member "pid" must be an integer' "pid as a string"
expect_eq "$(cn get "$victim")" unset "nothing registered from bad state"
kill "$victim"
wait "$victim" 2>/dev/null
[ ! -s "$T_AUDIT" ] || fail "bad state reached canisterd: $(cat "$T_AUDIT")"

make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
bundle_annotate "$BUNDLE" org.canister.contid "$N" || fail "cannot annotate the bundle"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"

# create: the hook registers state.pid before the container process exists.  The
# container keeps create's stdio, so it gets files, not this case's output.
rn create -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/create.log" 2>&1 ||
	fail "runc create failed: $(cat "$T_TMP/create.log")"
init=$(rn state "$CID" | jq -r .pid)
expect_eq "$(rn state "$CID" | jq -r .status)" created "runc state after create"
expect_eq "$(cn get "$init")" "$N $CID" "container init after create (runc:[2:INIT], registered by the hook)"
expect_record "op=set opid=$init contid=$N old-contid=-1 name=\"$CID\" .*res=1\$" "registration record"

# start: the same process execs sleep; the label stays with it.
rn start "$CID" || fail "runc start failed"
init_is_sleep() { [ "$(cat "/proc/$init/comm" 2>/dev/null)" = sleep ]; }
wait_until "container init execs sleep" init_is_sleep
expect_eq "$(cn get "$init")" "$N $CID" "container init after start"

# exec, in the foreground: the shell has exited by the time we look, and its
# background child was reparented to the container's init.  Its output is the
# child's pid inside the container.
nspid=$(rn exec "$CID" sh -c 'sleep 100 >/dev/null 2>&1 & echo $!' </dev/null) ||
	fail "runc exec failed"
bg=$(host_pid "$init" "$nspid") || fail "no host pid for pid $nspid of the container"
expect_eq "$(cn get "$bg")" "$N $CID" "child of a runc exec shell"
expect_record "op=join opid=[0-9]+ contid=$N old-contid=-1 name=\"$CID\" .*res=1\$" "join record for runc exec"

# exec, still running: runc writes the host pid of the process it runs; runc exec
# itself, that process's parent, never enters the namespaces and stays outside.
rn exec --pid-file "$T_TMP/exec.pid" "$CID" sh -c 'sleep 100 & wait' </dev/null >/dev/null 2>&1 &
runc_exec=$!
wait_for_file "$T_TMP/exec.pid"
execd=$(cat "$T_TMP/exec.pid")
expect_eq "$(cn get "$execd")" "$N $CID" "the process runc exec runs"
expect_eq "$(cn get "$runc_exec")" unset "runc exec itself"
has_child() { [ -n "$(cat "/proc/$execd/task/"*/children 2>/dev/null)" ]; }
wait_until "runc exec's shell forks" has_child
for c in $(cat "/proc/$execd/task/"*/children); do
	expect_eq "$(cn get "$c")" "$N $CID" "child of the process runc exec runs"
done

# kill and delete: the pid namespace goes with its init, so every process of the
# container exits, and canisterd records the container's drop.  sleep as pid 1
# ignores SIGTERM from outside, hence KILL.
rn kill "$CID" KILL || fail "runc kill failed"
stopped() { [ "$(rn state "$CID" | jq -r .status)" = stopped ]; }
wait_until "container stops" stopped
wait "$runc_exec"
rn delete "$CID" || fail "runc delete failed"
expect_record "type=CONTAINER_OP .*op=drop .*old-contid=$N name=\"$CID\" res=1\$" "drop record"
expect_eq "$(cn status --json | jq -r .counters.labelled_processes)" 0 "labelled processes after delete"
stop_daemon
