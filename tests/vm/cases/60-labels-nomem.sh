# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode, the labels map cannot allocate a child's element (ENOMEM, injected): the child keeps its label pending.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

# No memory limit made Debian's 6.1 refuse an element of the labels map (a
# full memory cgroup of canisterd's, measured: the elements were allocated
# anyway), so the fork tracepoint is told to fail every insertion of a forked
# child's label with ENOMEM, in place of the map (label.bpf.c).  Processes
# canisterd labels itself (cn run's) go into the map; their children do not.
export CANISTERD_TEST_INHERIT_FAILURE=1

counter() { cn status --json | tr -d ' \n' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
procs() { cn ps | awk -v id="$1" '$1 == id { print $3 }'; }
listed() { cn ps | awk -v id="$1" '$1 == id { found = 1 } END { exit !found }'; }
gone() { ! listed "$1"; }
P=
C=

# shellcheck disable=SC2317 # called from the EXIT trap
release()
{
	[ -z "$P$C" ] || kill $P $C 2>/dev/null
}
trap 'release; t_cleanup' EXIT

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_match "$(cn status)" 'warning: test switch CANISTERD_TEST_INHERIT_FAILURE=1 is on' \
	"the test switch shown by canister status"
expect_match "$(cat "$T_LOG")" 'CANISTERD_TEST_INHERIT_FAILURE=1: test switch on' \
	"the test switch in the daemon log"

# 1. Children whose insertion failed are still refused what the daemon guard
# refuses containers, and recorded as pending (res=1: they are labelled).
got=$(cn run --id 80 -- fork-guarded 20 "$T_DAEMON_PID" 2>&1)
expect_eq "$got" "refused 20 allowed 0 of 20" "children with a pending label asking the guard"
expect_record 'op=inherit opid=[0-9]+ contid=80 old-contid=-1 errno=ENOMEM reason=[0-9A-F]+ res=1$' \
	"record of a child whose label is pending"
wait_until "container 80 dropped with its last process" gone 80

# 2. A pending child, its container's last process: canisterd's lookups find
# its label (by pidfd), the count holds it, a restart of canisterd (which
# checks every container's count against the labels) keeps the container.
mkfifo "$T_TMP/a" "$T_TMP/b" || fail "mkfifo"
cat >"$T_TMP/c81.sh" <<EOF
# Container 81's first process, in the labels map; its child P runs builtins
# only, so it neither forks nor execs (either moves its label into the map)
# until it has read a line from a.  Then it forks C and waits.
( read -r x <$T_TMP/a; ( read -r y <$T_TMP/b ) & echo \$! >$T_TMP/c.pid; wait ) &
echo \$! >$T_TMP/p.pid
EOF
cn run --id 81 -- sh "$T_TMP/c81.sh" || fail "cn run 81"
P=$(cat "$T_TMP/p.pid")
expect_eq "$(cn get "$P" 2>&1)" 81 "canister get of a pending child (pid $P)"
expect_eq "$(procs 81)" 1 "processes of container 81: the pending child"
expect_eq "$(counter labelled_processes)" 0 "labels map entries (the child's is pending)"
expect_eq "$(counter labels_used)" 1 "slots held: the pending child's"

stop_daemon
start_daemon
expect_eq "$(cn get "$P" 2>&1)" 81 "canister get of the pending child after a restart"
expect_eq "$(procs 81)" 1 "processes of container 81 after a restart"
no_record 'op=drop opid=[0-9]+ contid=-1 old-contid=81 ' "container 81 dropped while its process lives"

# 3. The pending child forks: the retry puts its label in the map; its own
# child is pending in turn.
echo go >"$T_TMP/a"
wait_for_file "$T_TMP/c.pid"
C=$(cat "$T_TMP/c.pid")
expect_eq "$(cn get "$P" 2>&1)" 81 "canister get of the child after its fork (pid $P)"
expect_eq "$(cn get "$C" 2>&1)" 81 "canister get of its pending child (pid $C)"
expect_eq "$(counter labelled_processes)" 1 "labels map entries: the child's, moved there by its fork"
expect_eq "$(counter labels_used)" 2 "slots held: the child's entry, the grandchild's pending label"
expect_eq "$(procs 81)" 2 "processes of container 81"
listed 81 || fail "container 81 dropped while its processes live"
echo go >"$T_TMP/b"
wait_until "container 81 dropped with its last process" gone 81
expect_record 'op=drop opid=[0-9]+ contid=-1 old-contid=81 res=1$' "drop of container 81"
P=
C=

# 4. A pending child execs from a thread other than its leader: it keeps its
# label (the guard refuses its children, canisterd names its container).
cn run --id 82 -- thread-exec sh -c "canister --socket $T_SOCK get \$\$; fork-guarded 3 $T_DAEMON_PID" \
	>"$T_TMP/te.out" 2>&1 || fail "thread-exec: $(cat "$T_TMP/te.out")"
expect_eq "$(cat "$T_TMP/te.out")" "82
refused 3 allowed 0 of 3" "a pending child after an exec from its second thread"
wait_until "container 82 dropped with its last process" gone 82

# 5. A drop record is never stamped before the container's last exit.  An
# earlier version of this case, which stopped canisterd while the container
# ran, saw container 80 "dropped" 0.1 s after op=set, its process alive: the
# drop was decided after the last exit, when canisterd read its backlog, but
# stamped with the time of the backlog's first exit of the container, which
# asked for the check.  Routine exits are read on the tick, so a batch of
# them did the same.
# (Files and $T_AWAIT, not FIFOs: this shell's blocking open of a FIFO failed
# with EINTR when a background child's SIGCHLD came first.)
cn run --id 84 -- sh -c "sh $T_AWAIT $T_TMP/go1; sh -c :; echo >$T_TMP/early; sh $T_AWAIT $T_TMP/go2" &
runner=$!
wait_until "container 84 registered" listed 84
kill -STOP "$T_DAEMON_PID"
touch "$T_TMP/go1"
wait_for_file "$T_TMP/early"
second=$(date +%s)
later() { [ "$(date +%s)" -gt "$second" ]; }
wait_until "the next second" later
second=$(date +%s)
touch "$T_TMP/go2"
wait "$runner"
kill -CONT "$T_DAEMON_PID"
expect_record 'op=drop opid=[0-9]+ contid=-1 old-contid=84 res=1$' "drop of container 84"
stamp=$(sed -n 's/.*msg=audit(\([0-9]*\)\.[0-9]*:[0-9]*): op=drop .* old-contid=84 .*/\1/p' "$T_AUDIT")
[ -n "$stamp" ] && [ "$stamp" -ge "$second" ] ||
	fail "container 84's drop stamped at $stamp, before its last exit (not before $second)"

# 6. Nothing leaked, nothing released twice; the census said when each container emptied.
empty() { [ "$(counter labels_used)" = 0 ]; }
wait_until "every slot given back" empty
expect_eq "$(cn ps | awk 'NR > 1' | wc -l)" 0 "containers left"
stop_daemon
