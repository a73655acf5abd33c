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
# The rule takes every execve on the host, and the check below execs 600 times: on a loaded host
# (CI builds beside it) the host log passes the default 8 MiB while the check reads it, and a
# serial looked up after the rotation is in host.log.1, not missing nor split.  The log does not
# rotate here (max_log_file = 0: never).
printf 'kernel_audit = on\nhost_log = %s\naudit_rules = %s\nmax_log_file = 0\n' "$HOST_LOG" \
	"$T_TMP/audit.rules" >>"$T_CONF"
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

# The execer's events: its SYSCALLs with the key, stamped before it ended (a process that
# later gets its pid is not its child, and a loaded host cycles pids fast).
ours()
{
	awk -v ppid=" ppid=$execer " -v key="key=\"$KEY\"" -v ended="$queued" '
		/^type=SYSCALL / && index($0, ppid) && index($0, key) &&
		match($0, /msg=audit\([0-9]+\.[0-9]+:[0-9]+\)/) {
			split(substr($0, RSTART + 10, RLENGTH - 11), f, /[.:]/)
			if (f[1] <= ended)
				print f[3]
		}' "$HOST_LOG" 2>/dev/null
}
# The last exec's event is in the log once all before it are.
marker() { [ "$(ours | wc -l)" -ge 300 ]; }
wait_until 60 "the 300 events in the host log" marker
aged=$(cn --json status | jq -r '.kernel_audit.grouper.aged // .kernel_audit.aged // empty')
echo "98-audit-backlog: grouper aged $aged events" >&2
# Whatever of an event canisterd still held (a part split off waits for its age) is written by
# the stop; the log is checked once nothing more comes into it.
stop_daemon
ours >"$T_TMP/serials"
expect_eq "$(sort -u "$T_TMP/serials" | wc -l)" 300 "distinct events"
# canisterd writes each event's records together, once: a serial in two runs of lines was
# written as two events.
awk 'match($0, /msg=audit\([0-9.]+:[0-9]+\)/) {
		s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); sub(/\)/, "", s)
		if (s != last) { runs[s]++; last = s }
	}
	END { for (s in runs) print s, runs[s] }' "$HOST_LOG" >"$T_TMP/runs"
pieces=$(awk 'NR == FNR { ours[$1] = 1; next } ($1 in ours) && $2 > 1' "$T_TMP/serials" \
	"$T_TMP/runs" | wc -l)
expect_eq "$pieces" 0 "events written in more than one piece"
# And ausearch reads each as one event: a part split off after the stream moved on more than
# 2 s is an event of its own to it.  One pass over the log: per serial, the events it prints.
ausearch -if "$HOST_LOG" -m SYSCALL,EXECVE,CWD,PATH,PROCTITLE 2>/dev/null | awk '
	/^----/ { if (s != "") events[s]++; s = ""; next }
	s == "" && match($0, /msg=audit\([0-9.]+:[0-9]+\)/) {
		s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); sub(/\)/, "", s)
	}
	END { if (s != "") events[s]++; for (s in events) print s, events[s] }' >"$T_TMP/events"
read_as() { awk 'NR == FNR { n[$1] = $2; next } { print n[$1] + 0 }' "$T_TMP/events" "$T_TMP/serials"; }
expect_eq "$(read_as | grep -cx 0)" 0 "events ausearch does not find in the host log"
expect_eq "$(read_as | grep -vcx '[01]')" 0 "events ausearch reads as more than one"
