# SPDX-License-Identifier: GPL-2.0-only
# canister: a process that strays outside its sealed model and ends before canisterd judges the
# event leaves no untrusted mark behind (issue 15).  An observed event (a signal, trace mode)
# reaches canisterd through a ring buffer, after the fact: here canisterd is stopped while the
# container's shell sends itself a signal its model never saw and exits.  Once canisterd runs
# again the signal is forensics, but `model N untrusted` lists no process: before the fix the
# kernel's mark went in for the dead pid, listed for good and inherited by whatever process took
# the number next, until that process forked.  A zombie counts as ended.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_config 'measure func=BPRM_CHECK
' 10000
# A stopped canisterd is let run again before anything else is cleaned up.
trap 'kill -CONT "$T_DAEMON_PID" 2>/dev/null; integrity_cleanup' EXIT
start_daemon
expect_eq "$(cn status --json | jq -r .model.observed)" true "observers running (status --json)"

# strayer ID MODEL...: container ID's shell writes its pid, opens go.fifo, reads one word and,
# if it is "kill", sends itself SIGUSR2 (a builtin, caught); then it exits.
strayer()
{
	id=$1
	shift
	rm -f "$T_TMP/shell" "$T_TMP/go.fifo"
	mkfifo "$T_TMP/go.fifo"
	cn run --id "$id" "$@" -- sh -c "trap : USR2; echo \$\$ >\"$T_TMP/shell\"
		read word <\"$T_TMP/go.fifo\"; [ \"\$word\" != kill ] || kill -USR2 \$\$; exit 0" \
		>"$T_TMP/run-$id.out" 2>&1 &
	runner=$!
	started "$runner"
	wait_for_file "$T_TMP/shell"
	shell=$(cat "$T_TMP/shell")
	# Opens once the shell's read has opened its end.
	exec 7>"$T_TMP/go.fifo"
}

strayer 1931 --model learn
echo learn >&7
exec 7>&-
wait "$runner" || fail "the learning run failed: $(cat "$T_TMP/run-1931.out")"
cn model 1931 export "$T_TMP/1931.model" || fail "export failed"

strayer 1932 --model "$T_TMP/1931.model"
expect_eq "$(cn model 1932 counts | awk '$1 == "mode" { print $2 }')" seal "1932's mode"
# From here until SIGCONT only builtins: with canisterd stopped an exec would wait on its gate.
kill -STOP "$T_DAEMON_PID"
echo kill >&7
exec 7>&-
wait "$runner"
status=$?
kill -CONT "$T_DAEMON_PID"
expect_eq "$status" 0 "the straying shell's exit ($(cat "$T_TMP/run-1932.out"))"
[ ! -e "/proc/$shell" ] || fail "the shell $shell is still there"

expect_record "type=CONTAINER_MODEL .* op=task_kill contid=1932 pid=$shell .* mode=seal res=1" \
	"the signal's forensics record"
# The record is written after the marks are set: both judged.
[ "$(cn model 1932 forensics | wc -l)" -ge 1 ] || fail "no forensics entry for the signal"
expect_eq "$(cn model 1932 untrusted)" "" "untrusted processes once the straying shell ended"
exit 0
