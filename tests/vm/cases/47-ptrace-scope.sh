# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a labelled process ptraces only its own container and the containers nested in it.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

HOST_PID=
OTHER_PID=
# shellcheck disable=SC2317 # called from the EXIT trap
stop_targets()
{
	for target in $HOST_PID $OTHER_PID; do
		kill "$target" 2>/dev/null
	done
	touch "$T_TMP/done"
}
trap 'stop_targets; t_cleanup' EXIT

start_daemon
refused="refused: Operation not permitted"

# A host process: unlabelled, so no container may trace or inspect it.
sleep 600 &
HOST_PID=$!
got=$(cn run --id 80 -- ptrace-attach "$HOST_PID")
expect_eq "$got" "$refused" "labelled root attaching to a host process"
got=$(cn run --id 80 -- sh -c "cat /proc/$HOST_PID/environ >/dev/null 2>&1 && echo read || echo denied")
expect_eq "$got" denied "labelled root reading a host process's environment"
got=$(cn run --id 80 -- tamper pidfd-getfd "$HOST_PID")
expect_eq "$got" "$refused" "labelled root taking a host process's fd (pidfd_getfd)"
# /proc lists the host process all the same (the pid namespace is shared).
got=$(cn run --id 80 -- sh -c "cat /proc/$HOST_PID/comm")
expect_eq "$got" sleep "labelled root reading a host process's comm"

# A process of another container.
cn run --id 81 -- sh -c "echo \$\$ >$T_TMP/other.pid; exec sleep 600" &
wait_for_file "$T_TMP/other.pid"
OTHER_PID=$(cat "$T_TMP/other.pid")
wait_until "container 81's sleep" sh -c "grep -q sleep /proc/$OTHER_PID/comm"
got=$(cn run --id 80 -- ptrace-attach "$OTHER_PID")
expect_eq "$got" "$refused" "labelled root attaching to another container's process"

# Its own container: allowed, like any root.
got=$(cn run --id 80 -- sh -c 'sleep 600 & ptrace-attach $!; kill $!')
expect_eq "$got" ok "labelled root attaching to a process of its own container"

# Host root still traces containers.
got=$(tool ptrace-attach "$OTHER_PID")
expect_eq "$got" ok "host root attaching to a container's process"

# PTRACE_TRACEME makes the parent a tracer: refused toward canister run (the host) ...
got=$(cn run --id 82 -- tamper traceme)
expect_eq "$got" "$refused" "labelled process asking its host parent to trace it"
# ... allowed toward a parent of the same container (sh runs tamper as its child).
got=$(cn run --id 82 -- sh -c 'tamper traceme; true')
expect_eq "$got" ok "labelled process asking a parent of its container to trace it"

# Nesting: the outer container (a delegated orchestrator) may trace the inner one, not the reverse.
cn run --id 83 --name outer -- sh -c '
	echo $$ >'"$T_TMP"'/outer.pid
	sh '"$T_AWAIT"' '"$T_TMP"'/go || exit 1
	canister --socket '"$T_SOCK"' run --id 84 --name inner -- sh -c "
		echo \$\$ >'"$T_TMP"'/inner.pid
		ptrace-attach $$ >'"$T_TMP"'/inner-to-outer
		sh '"$T_AWAIT"' '"$T_TMP"'/done" &
	sh '"$T_AWAIT"' -s '"$T_TMP"'/inner-to-outer || exit 1
	ptrace-attach "$(cat '"$T_TMP"'/inner.pid)" >'"$T_TMP"'/outer-to-inner
	touch '"$T_TMP"'/done
	wait' &
runner=$!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate"
touch "$T_TMP/go"
wait "$runner"
expect_eq "$(cat "$T_TMP/inner-to-outer")" "$refused" "nested container attaching to its parent container"
expect_eq "$(cat "$T_TMP/outer-to-inner")" ok "container attaching to a container nested in it"

expect_match "$(cat "$T_LOG")" \
	"container 80: refused pid [0-9]+ ptrace of a process outside its container" "refusal logged"
expect_match "$(cat "$T_LOG")" \
	"container 82: refused pid [0-9]+ PTRACE_TRACEME toward a parent outside its container" \
	"TRACEME refusal logged"
stop_daemon
