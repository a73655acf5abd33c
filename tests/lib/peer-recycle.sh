# SPDX-License-Identifier: GPL-2.0-only
# canister: a caller's pid recycled before canisterd identifies it (sourced by host and VM cases).
#
# recycle ROUND runs one attack against the case's daemon: a labelled process
# (peer-handoff, in container 36) connects while canisterd is stopped, so the
# connection waits in the listen queue as on a busy daemon; it asks for a
# delegation to its child, hands the connection to that child and exits; a
# host process with CAP_AUDIT_CONTROL then takes its pid (pid-take, through
# /proc/sys/kernel/ns_last_pid), and canisterd goes on.  Sets $reply (what
# canisterd answered the child), $caller (the recycled pid) and $child.

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

