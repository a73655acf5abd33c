# SPDX-License-Identifier: GPL-2.0-only
# canister: the gate's reader thread runs two nice levels above canisterd, and only it: relative to
# the nice value canisterd was started with, never below -20, and left as canisterd's (said in
# status) when canisterd may not raise a priority (no CAP_SYS_NICE); the container's execs are
# still answered by that thread and measured once.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

trap 'integrity_cleanup "$FS"' EXIT
integrity_setup 'measure func=BPRM_CHECK
'
X=$FS/true
cp /bin/busybox "$X" || fail "cannot copy /bin/busybox"

# nice_of TASK_DIR: a thread's nice value (field 19 of stat; after the command's parentheses, 17).
nice_of() { sed 's/^.*) //' "$1/stat" | awk '{ print $17 }'; }
# threads: "TID NICE" for each of canisterd's threads.
threads() { for t in /proc/"$T_DAEMON_PID"/task/*; do echo "${t##*/} $(nice_of "$t")"; done; }
reader_line() { cn status | sed -n 's/^  reader: //p'; }
switches() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$T_DAEMON_PID/task/$1/status"; }
fast() { cn status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["integrity"]["fast"])'; }
entries() { awk -v f="$X" '$5 == f' "$LISTS/$1/ascii_runtime_measurements" | wc -l; }
# The reader has set its own value before it polls: the status line says so once it has.
reader_set() { [ -n "$(reader_line)" ] && [ "$(reader_line)" != "not started" ]; }

# (1) canisterd started at nice 3 (an administrator's Nice=): the reader alone runs at 1.
renice -n 3 -p $$ >/dev/null || fail "cannot renice the case's shell"
start_daemon
wait_until 10 "the reader's priority set" reader_set
expect_eq "$(reader_line)" "nice 1, canisterd's 3: the opener it answers seldom preempts it" \
	"the reader's status line at nice 3"
expect_eq "$(threads | awk '$2 == 1' | wc -l)" 1 "threads at nice 1"
expect_eq "$(threads | awk '$2 != 1 && $2 != 3' | wc -l)" 0 "threads at neither 1 nor 3"
[ "$(threads | awk '$2 == 3' | wc -l)" -ge 2 ] || fail "canisterd's other threads are not at its nice 3: $(threads)"
reader=$(threads | awk '$2 == 1 { print $1 }')

# That thread is the one that answers the gate: woken for the container's execs, answered at
# once from the second exec on (a version 2 s old is remembered), one entry in the list.
settled() { [ $(($(date +%s) - $(stat -c %Z "$X"))) -gt 2 ]; }
wait_until 10 "$X 2 s old" settled
before_switches=$(switches "$reader")
before_fast=$(fast)
# (Each exec waits for its answer, so each is a wake-up of the reader unless it was still busy
# with another process's event: half of them at least.)
cn run --id 1591 -- sh -c "i=0; while [ \$i -lt 40 ]; do '$X' || exit 1; i=\$((i + 1)); done" ||
	fail "container 1591's execs failed"
[ $(($(switches "$reader") - before_switches)) -ge 20 ] ||
	fail "the nice 1 thread was woken $(($(switches "$reader") - before_switches)) times for 40 gated execs"
[ $(($(fast) - before_fast)) -ge 35 ] || fail "only $(($(fast) - before_fast)) of 40 execs answered at once"
expect_eq "$(entries 1591)" 1 "entries for 40 execs of one file"
stop_daemon

# (2) Without CAP_SYS_NICE canisterd cannot raise a thread above its own value: the reader stays
# at 3, status says why, and the gate answers and measures as before.
cat >"$T_TMP/no-sys-nice" <<SCRIPT
#!/bin/sh
exec capsh --drop=cap_sys_nice -- -c 'exec "\$0" "\$@"' "$CANISTERD" "\$@"
SCRIPT
chmod 755 "$T_TMP/no-sys-nice"
real_canisterd=$CANISTERD
CANISTERD=$T_TMP/no-sys-nice
start_daemon
CANISTERD=$real_canisterd
# CAP_SYS_NICE is capability 23: canisterd must run without it for this part to mean anything.
cap_eff=$(awk '/^CapEff:/ { print $2 }' "/proc/$T_DAEMON_PID/status")
[ $((0x$cap_eff >> 23 & 1)) -eq 0 ] || fail "canisterd still holds CAP_SYS_NICE (CapEff $cap_eff)"
wait_until 10 "the reader's priority set" reader_set
expect_match "$(reader_line)" "^nice 3 as canisterd: cannot raise it to 1: (Permission denied|Operation not permitted)$" \
	"the reader's status line without CAP_SYS_NICE"
expect_eq "$(threads | awk '$2 != 3' | wc -l)" 0 "threads not at canisterd's nice 3 without CAP_SYS_NICE"
cn run --id 1592 -- sh -c "'$X' && '$X'" || fail "container 1592's execs failed"
expect_eq "$(entries 1592)" 1 "entries of a container without the reader's priority"
stop_daemon

# (3) canisterd at nice -20: nothing is above it; every thread stays at -20, and status says so.
renice -n -20 -p $$ >/dev/null || fail "cannot renice the case's shell to -20"
start_daemon
wait_until 10 "the reader's priority set" reader_set
expect_eq "$(reader_line)" "nice -20 as canisterd: no higher priority exists" "the reader's status line at -20"
expect_eq "$(threads | awk '$2 != -20' | wc -l)" 0 "threads not at -20"
exit 0
