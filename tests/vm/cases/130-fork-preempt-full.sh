# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode, on a fully preemptible guest: labelled processes that fork as fast as they
# can, several at once, while unlabelled processes on the same virtual CPU fork too (each of their
# forks looks task storage up in lsm/task_alloc) and canisterd restarts under them, never have a
# fork refused.  On 6.1 a task-storage call holds a per-CPU busy count while it runs preemptible;
# a task preempted inside one made every other task-storage call on that CPU fail, and the
# labelled parent's fork with it (ENOSPC from lsm/task_alloc, VM 102 in a CI run booted
# preempt=full).  On 641145b, before the slot moved to fork_slots: "fork-hard: 23399 forks, 306
# failed (the first: No space left on device)" in container 1301.
# vm-kernel-args: preempt=full
# vm-case-timeout: 2400
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

# The lsm programs' verification under TCG took more than 300 s on a host loaded to 6.
T_DAEMON_WAIT=900
# Forks each forker makes before the restart, and again after the new canisterd answers.
ROUND=400
LABELLED="1301 1302 1303"
UNLABELLED="h1 h2"

trap 'touch "$T_TMP/stop"; kill_started; t_cleanup' EXIT
start_daemon

for id in $LABELLED; do
	cn run --id "$id" -- fork-hard "$T_TMP/stop" "$T_TMP/$id.count" >"$T_TMP/$id.out" 2>&1 &
	started $!
	eval "pid_$id=\$!"
done
for h in $UNLABELLED; do
	fork-hard "$T_TMP/stop" "$T_TMP/$h.count" >"$T_TMP/$h.out" 2>&1 &
	started $!
done

# forked_past N: every forker has counted at least N forks.
forked_past()
{
	for f in $LABELLED $UNLABELLED; do
		[ "$(cat "$T_TMP/$f.count" 2>/dev/null || echo 0)" -ge "$1" ] 2>/dev/null || return 1
	done
}
wait_until 300 "$ROUND forks in each forker" forked_past "$ROUND"

stop_daemon
start_daemon
# Counted from the highest count at the restart: every forker forks ROUND more after it.
past=0
for f in $LABELLED $UNLABELLED; do
	n=$(cat "$T_TMP/$f.count")
	[ "$n" -le "$past" ] || past=$n
done
wait_until 300 "$ROUND more forks in each forker after the restart" forked_past $((past + ROUND))

touch "$T_TMP/stop"
for id in $LABELLED; do
	eval "pid=\$pid_$id"
	status=0
	wait "$pid" || status=$?
	expect_eq "$status" 0 "container $id's forker: $(cat "$T_TMP/$id.out")"
	expect_match "$(cat "$T_TMP/$id.out")" "^fork-hard: [0-9]+ forks, none failed$" \
		"container $id's forks"
done
exit 0
