# SPDX-License-Identifier: GPL-2.0-only
# canister status with thousands of privileged labelled processes: one bounded reply, one warning.
. "$(dirname "$0")/../lib/harness.sh"

# Root's processes hold CAP_SYS_ADMIN: each of these is one the trace-mode warning is about.
many=${T_STATUS_MANY:-3000}
first=

# The container's processes go with the case, whichever way it ends (its children die with it).
stop_container()
{
	[ -n "$first" ] || return 0
	kill -KILL "$first" 2>/dev/null
	first=
}
trap 'stop_container; t_cleanup' EXIT

start_daemon
cn run --id 12 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}fork-many" "$many" "$T_TMP/ready" &
runner=$!
wait_for_file "$T_TMP/ready" 120
first=$(cn ps --json | jq -r '.containers[] | select(.contid == "12") | .first_pid')
expect_match "$first" '^[0-9]+$' "the container's first pid"
expect_eq "$(cn ps --json | jq -r '.containers[] | select(.contid == "12") | .processes')" \
	$((many + 1)) "processes in container 12"

# Before: each of them was a warning of its own, and the reply outgrew 64 KiB and never came.
text=$(cn status 2>"$T_TMP/err") || fail "status with $many privileged processes: $(cat "$T_TMP/err")"
json=$(cn status --json 2>"$T_TMP/err") || fail "status --json: $(cat "$T_TMP/err")"
expect_match "$(printf '%s' "$json" | jq -r .counters.labelled_processes)" "^$((many + 1))\$" \
	"labelled processes"

# The scan runs off the main loop; each status asks for a fresh one, and shows the last.
waited=0
until [ "$(cn status --json | jq -r .privileged_scan.privileged)" -ge $((many + 1)) ]; do
	waited=$((waited + 1))
	[ "$waited" -le 600 ] || fail "the scan never counted them: $(cn status --json | jq -c .privileged_scan)"
	sleep 0.1
done
json=$(cn status --json) || fail "status --json after the scan"
size=$(printf '%s' "$json" | wc -c)
[ "$size" -lt 65536 ] || fail "status --json is $size bytes with $many privileged processes"
expect_eq "$(printf '%s' "$json" | jq -r .privileged_scan.done)" true "scan done"
expect_eq "$(printf '%s' "$json" | jq -r .privileged_scan.scanned)" $((many + 1)) "processes scanned"
expect_eq "$(printf '%s' "$json" | jq -r '.privileged_scan.processes | length')" 10 \
	"privileged processes named"
expect_eq "$(printf '%s' "$json" | jq -r '[.privileged_scan.processes[].contid] | unique | join(",")')" \
	12 "their container"
expect_match "$(printf '%s' "$json" | jq -r .privileged_scan.age_ms)" '^[0-9]+$' "the scan's age"

# One warning for all of them: the first ten by pid, and how many more.
warnings=$(printf '%s' "$json" | jq -r '.warnings[] | select(test("could tamper"))')
expect_eq "$(printf '%s\n' "$warnings" | wc -l)" 1 "warnings about privileged processes"
# Each named with why: as many as fit one warning whole, the rest counted.
expect_match "$warnings" "^$((many + 1)) labelled processes could tamper with labels: pid [0-9]+ in container 12 \(CAP_SYS_ADMIN,[^)]*\)(, pid [0-9]+ in container 12 \([^)]*\))* and [0-9]+ more\$" \
	"the summarised warning"
text=$(cn status) || fail "status after the scan"
expect_match "$text" "^privileged scan: $((many + 1)) of $((many + 1)) labelled processes could tamper with labels \(([0-9]+ ms|[0-9dhms ]+) ago, took [0-9]+ ms\)\$" \
	"the scan's line"
expect_eq "$(printf '%s\n' "$text" | grep -c '^warning: .*could tamper')" 1 "warning lines"

stop_container
wait "$runner"
# The count follows the exits; the next scans find nobody.
waited=0
until [ "$(cn status --json | jq -r '.privileged_scan.privileged')" = 0 ]; do
	waited=$((waited + 1))
	[ "$waited" -le 600 ] || fail "the scan still counts them: $(cn status --json | jq -c .privileged_scan)"
	sleep 0.1
done
expect_eq "$(cn status --json | jq -r '.warnings[] | select(test("CAP_SYS_ADMIN"))')" "" \
	"no warning once they are gone"
stop_daemon
