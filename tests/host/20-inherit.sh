# SPDX-License-Identifier: GPL-2.0-only
# The first slice, trace mode: a grandchild of CMD reports the contid; a process outside reports unset.
. "$(dirname "$0")/../lib/harness.sh"

start_daemon
cn run --id 42 -- sh -c 'sh -c "echo \$\$ >'"$T_TMP"'/gc.pid; exec sleep 30" & echo $$ >'"$T_TMP"'/c.pid; wait' &
runner=$!
wait_for_file "$T_TMP/gc.pid"
wait_for_file "$T_TMP/c.pid"
grandchild=$(cat "$T_TMP/gc.pid")
child=$(cat "$T_TMP/c.pid")

expect_eq "$(cn get "$child")" 42 "CMD's contid"
expect_eq "$(cn get "$grandchild")" 42 "grandchild's contid"
expect_eq "$(cn get $$)" unset "a process outside"
expect_eq "$(cn get 1)" unset "init"
expect_eq "$(cn --json get "$grandchild")" "{\"pid\":$grandchild,\"contid\":\"42\",\"chain\":[\"42\"],\"delegated\":false}" "get --json"
# canister run itself stays outside: it is the orchestrator, not the workload.
expect_eq "$(cn get "$runner")" unset "the canister run process"

# Threads answer for their thread group.
tid=$(ls /proc/"$grandchild"/task | head -n 1)
expect_eq "$(cn get "$tid")" 42 "a thread id of the grandchild"

# Exit status of CMD is canister run's exit status.
cn run --id 43 -- sh -c 'exit 7'
expect_eq $? 7 "exit status passed through"

# When the container's processes exit, their labels go; a dead pid is ESRCH, not a stale label.
kill "$grandchild"
wait "$runner"
out=$(cn get "$grandchild" 2>&1) && fail "get of an exited process succeeded: $out"
expect_match "$out" "^canister: no process $grandchild\$" "exited process"
labelled=$(cn status --json | jq -r .counters.labelled_processes)
expect_eq "$labelled" 0 "labelled processes after every container process exited"

# Without --id, canisterd picks a free contid and canister run says which.
cn run -- sh -c 'echo $$ >'"$T_TMP"'/auto.pid; exec sleep 30' 2>"$T_TMP/auto.err" &
runner=$!
wait_for_file "$T_TMP/auto.pid"
auto=$(cn get "$(cat "$T_TMP/auto.pid")")
kill "$(cat "$T_TMP/auto.pid")"
wait "$runner"
expect_match "$auto" '^[0-9]+$' "allocated contid"
expect_match "$(cat "$T_TMP/auto.err")" "runs in container $auto\$" "allocation announced"
stop_daemon
