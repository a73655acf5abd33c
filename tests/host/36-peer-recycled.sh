# SPDX-License-Identifier: GPL-2.0-only
# A caller's pid recycled before canisterd identifies it: a labelled process connects, asks for a
# delegation, hands the connection to its child and exits; a privileged host process is given its
# pid (ns_last_pid) before canisterd accepts.  The request must not be judged as that process's.
. "$(dirname "$0")/../lib/harness.sh"

[ -w /proc/sys/kernel/ns_last_pid ] || fail "/proc/sys/kernel/ns_last_pid is not writable (root, CONFIG_CHECKPOINT_RESTORE)"

# A stopped canisterd must not outlive a failed case: the EXIT trap's SIGTERM would wait forever.
resume_daemon()
{
	[ -n "$T_DAEMON_PID" ] && kill -CONT "$T_DAEMON_PID" 2>/dev/null
	return 0
}
fail_resumed()
{
	resume_daemon
	fail "$@"
}

taker=
kill_taker()
{
	# The taker's pid is the recycled one: it is ours while its start time is.
	if [ -n "$taker" ] && [ "$(started_at "$taker")" = "$taker_started" ]; then
		kill "$taker" 2>/dev/null
	fi
	taker=
}

# recycle ROUND: one attack against the running daemon; sets $reply and $child.
recycle()
{
	dir=$T_TMP/$1
	mkdir -p "$dir"
	cn run --id 36 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}peer-handoff" "$T_SOCK" "$dir" >"$dir/out" 2>&1 &
	runner=$!
	wait_until "the labelled caller starts" test -e "$dir/ready"
	# canisterd stops answering: the connection waits in the listen queue, as on a busy daemon.
	kill -STOP "$T_DAEMON_PID"
	touch "$dir/stopped"
	poll_until "$T_WAIT" test -s "$dir/pid" || fail_resumed "the caller did not connect: $(cat "$dir/out")"
	caller=$(cat "$dir/pid")
	child=$(cat "$dir/child")
	wait "$runner"
	poll_until "$T_WAIT" test ! -e "/proc/$caller" || fail_resumed "caller pid $caller did not go away"
	# A host process with CAP_AUDIT_CONTROL, in no container, takes the caller's pid.
	# (Its output goes to a file: sleep keeps the descriptor open.)
	tool pid-take "$caller" sleep 600 >"$dir/taker" </dev/null ||
		fail_resumed "could not give pid $caller to a host process"
	taker=$(cat "$dir/taker")
	taker_started=$(started_at "$taker")
	resume_daemon
	wait_for_file "$dir/reply"
	reply=$(cat "$dir/reply")
	kill_taker
}

# The path of kernels without SO_PEERPIDFD (Debian 12's 6.1), taken on this one.
CANISTERD_NO_PEERPIDFD=1 start_daemon
expect_match "$(cn status)" "peer_pidfd +unavailable +SO_PEERPIDFD not used \(CANISTERD_NO_PEERPIDFD=1\)" \
	"fallback path announced"
recycle fallback
expect_match "$reply" '"ok":false' "fallback: the recycled pid's request was refused: $reply"
expect_match "$reply" "pid $caller does not hold the connection" "fallback: the reason"
no_record "op=delegate opid=$child .*res=1" "fallback: a delegation granted to the attacker's child"
expect_match "$(cn status --json | jq -r .counters.control_unidentified)" '^[1-9]' "fallback: counted"
kill "$child" 2>/dev/null
stop_daemon

# SO_PEERPIDFD kernels: the connecting process is gone, whoever has its pid now.
start_daemon
if cn status | grep -Eq "peer_pidfd +available"; then
	recycle peerpidfd
	expect_match "$reply" '"ok":false' "SO_PEERPIDFD: refused: $reply"
	expect_match "$reply" "exited before it could be identified" "SO_PEERPIDFD: the reason"
	no_record "op=delegate opid=$child .*res=1" "SO_PEERPIDFD: a delegation granted"
	kill "$child" 2>/dev/null
fi

# A caller that stays is served on both paths (the hold check finds its end).
expect_match "$(tool register-self "$T_SOCK")" "^refused: Invalid cross-device link" "an ordinary caller"
stop_daemon
