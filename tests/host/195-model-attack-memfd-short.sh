# SPDX-License-Identifier: GPL-2.0-only
# canister: a root in a container under an enforced behaviour model runs short programs from a
# memfd (issue 15), each ending at once (busybox's true): the file gate never sees such an exec
# (the kernel's own tmpfs of memfds refuses fanotify marks), and canisterd learns of it from
# identity's exec event.  Every one is recorded (op=exec, coefficient=none, res=1), also when
# the program ended before canisterd read the event: identity's exec program says the
# executable was reached through a kernel-internal mount.  Before, canisterd read /proc/PID/exe
# to tell, and a program that had ended by then ran unrecorded (host 162 waits on a FIFO for
# that reason; docs/model.md, "Execs the gate never sees").
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_exec_start

BT="$CANISTER_TOOLS/backstop-try"
RUNS=12
# busybox picks its applet by the name of argv[0]: the memfd's program runs as true.
ln -s /dev/stdin "$T_TMP/true"
# Learned: the workload's opens of busybox (its bytes for the memfd); its memfd exec is not
# learned (no CELL: counted as unlearned), so each is forensics once the model is enforced.
cn run --id 1951 --model learn -- sh -c "$BT memfd-exec $T_TMP/true </bin/busybox" ||
	fail "the learning run failed"
cn model 1951 export "$T_TMP/work.model" || fail "export failed"

cn run --id 1952 --model "$T_TMP/work.model" --model-enforce -- sh -c "
	i=0
	while [ \$i -lt $RUNS ]; do
		$BT memfd-exec $T_TMP/true </bin/busybox || exit 1
		i=\$((i + 1))
	done" || fail "the memfd programs did not all run"
records() { grep -Ec "type=CONTAINER_MODEL .* op=exec contid=1952 .* event=bprm_set_creds coefficient=none mode=enforce res=1" "$T_AUDIT"; }
all_recorded() { [ "$(records)" -ge "$RUNS" ]; }
wait_until 30 "$RUNS records of the memfd execs" all_recorded
expect_eq "$(records)" "$RUNS" "the memfd execs' records"

# A program deleted while open, executed through /proc/self/fd on a filesystem the gate marks: the
# gate saw that exec, so the kernel's "no link left" is no unseen exec (the TASK_ID table holds
# it as seen; canisterd reads the record at once, so /proc still shows the program, and the
# table is looked up by stat()'s numbers; the record's own are used only when canisterd reads it
# after the process ended or moved on, which no case here can force).  A memfd program run after
# it is the marker: its record comes after any the unlinked program's exec would have made.
unlinked="(cp /bin/true $T_TMP/gone && exec 9<$T_TMP/gone && rm $T_TMP/gone && /proc/self/fd/9) &&
	$BT memfd-exec $T_TMP/true </bin/busybox"
cn run --id 1953 --model learn -- sh -c "$unlinked" || fail "the unlinked program's learning run"
cn model 1953 export "$T_TMP/unlinked.model" || fail "export failed"
cn run --id 1954 --model "$T_TMP/unlinked.model" --model-enforce -- sh -c "$unlinked" ||
	fail "the unlinked program, enforced"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1954 .* event=bprm_set_creds coefficient=none mode=enforce res=1" \
	"the marker's record"
expect_eq "$(grep -c "op=[a-z_-]* contid=1954 " "$T_AUDIT")" 1 "records of container 1954 (the marker's only)"
expect_eq "$(cn model 1954 counts | awk '$1 == "forensic_events" { print $2 }')" 1 "1954's forensic events"
exit 0
