# SPDX-License-Identifier: GPL-2.0-only
# canister: a container's grandchild inherits its contid; a process outside the container has none.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

run_pid=
gc=

# The container's sleep would outlive a failed case and linger in the guest.
# shellcheck disable=SC2317 # called from the EXIT trap
kill_container()
{
	[ -z "$gc" ] || kill "$gc" 2>/dev/null
	[ -z "$run_pid" ] || kill "$run_pid" 2>/dev/null
}
trap 'kill_container; t_cleanup' EXIT

start_daemon

# The grandchild writes its own pid, then execs sleep, keeping that pid alive
# for the lookups below.
cn run --id 42 -- sh -c "sh -c 'echo \$\$ > $T_TMP/gc.pid; exec sleep 30' & wait" >"$T_TMP/run.out" 2>&1 &
run_pid=$!
wait_for_file "$T_TMP/gc.pid" 60
gc=$(cat "$T_TMP/gc.pid")

got=$(cn get "$gc" 2>&1) || fail "canister get $gc (grandchild) failed: $got"
expect_eq "$got" 42 "contid of the container's grandchild (pid $gc)"

got=$(cn get $$ 2>&1) || fail "canister get $$ (the case's shell) failed: $got"
expect_eq "$got" unset "contid of a process outside any container (pid $$)"

kill "$gc" || fail "cannot kill the grandchild $gc"
gc=
wait "$run_pid"
run_pid=
stop_daemon
exit 0
