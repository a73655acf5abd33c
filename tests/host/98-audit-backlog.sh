# SPDX-License-Identifier: GPL-2.0-only
# canister: a canisterd that falls more than 2 s behind the kernel's audit stream (a loaded host,
# here a SIGSTOP) still writes each event once: events end by their EOE or by the stream's own
# time, not by the wall clock between two reads of one event's records.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free

KEY="canister-$T_NAME-$$"
HOST_LOG="$T_TMP/host.log"
t_audit_cleanup()
{
	[ -z "$T_DAEMON_PID" ] || kill -CONT "$T_DAEMON_PID" 2>/dev/null
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	t_cleanup
}
trap t_audit_cleanup EXIT

# execve events have several records each (SYSCALL, EXECVE, CWD, PATH..., PROCTITLE, EOE), so a
# read of the stream's backlog in batches ends inside some of them.
printf -- '-a always,exit -F arch=b64 -S execve -k %s\n' "$KEY" >"$T_TMP/audit.rules"
chmod 600 "$T_TMP/audit.rules"
printf 'kernel_audit = on\nhost_log = %s\naudit_rules = %s\n' "$HOST_LOG" "$T_TMP/audit.rules" >>"$T_CONF"
start_daemon

kill -STOP "$T_DAEMON_PID"
# 300 execs of /bin/true by one shell, queued in the kernel's backlog while canisterd is stopped.
sh -c 'i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i + 1)); done; echo $$' >"$T_TMP/execer.pid"
execer=$(cat "$T_TMP/execer.pid")
# What is tested is the age of the backlog: it must be older than the grouper's 2 s.
queued=$(date +%s)
old_enough() { [ "$(date +%s)" -ge $((queued + 3)) ]; }
wait_until "the backlog 3 s old" old_enough
kill -CONT "$T_DAEMON_PID"

# The last exec's event is in the log once all before it are.
marker() { [ "$(grep -c "type=SYSCALL .* ppid=$execer .*key=\"$KEY\"" "$HOST_LOG" 2>/dev/null)" -ge 300 ]; }
wait_until 60 "the 300 events in the host log" marker
# Each serial is one event: its records together, once.
serials=$(grep "type=SYSCALL .* ppid=$execer .*key=\"$KEY\"" "$HOST_LOG" | sed 's/.*msg=audit([0-9.]*:\([0-9]*\)).*/\1/')
expect_eq "$(printf '%s\n' "$serials" | sort -u | wc -l)" 300 "distinct events"
split=0
for s in $serials; do
	# A split event shows as its SYSCALL apart from its other records: the PROCTITLE follows
	# in the same event (grouped between two SYSCALLs of other events otherwise).
	n=$(ausearch -if "$HOST_LOG" -a "$s" 2>/dev/null | grep -c '^----')
	[ "$n" = 1 ] || split=$((split + 1))
done
expect_eq "$split" 0 "events ausearch reads as more than one"
aged=$(cn --json status | jq -r '.kernel_audit.grouper.aged // .kernel_audit.aged // empty')
echo "98-audit-backlog: grouper aged $aged events" >&2
stop_daemon
