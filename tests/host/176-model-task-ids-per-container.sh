# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: a container that executes more programs than canisterd's TASK_ID table
# holds forgets only its own tasks, never another container's.  canisterd kept one table of 16,384
# tasks for all containers and forgot them all when it was full; a task it forgot has its TASK_ID
# derived again from /proc/PID/exe and its credentials, which for a set-id program are those after
# the exec, not those the gate saw before it: another TASK_ID.  The victim here is a sealed
# container's setgid bash, long-lived, that opens a file and connects (learned actions) on
# request; the attacker, another container with a domain, executes 9,000 short programs (18,000
# TASK_IDs).  The victim's learned actions made forensics after the storm (its events now took
# the derived TASK_ID; and an event of a task gone by then could not be completed at all, and was
# dropped).  Now each container has its own table: the victim's actions are judged with the TASK_ID
# its exec gave, no forensics, nothing dropped or looked for in /proc, and the attacker's own
# table says what it had to forget (`canister model N counts`, `canister status`).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

STORM=$(command -v "${CANISTER_TOOLS:+$CANISTER_TOOLS/}exec-storm") || fail "no exec-storm (make test-host builds it)"
BASH=$(command -v bash) || fail "no bash"
BUSYBOX=$(command -v busybox) || fail "no busybox (busybox-static)"
PORT=7760
# Two TASK_IDs an exec (the forked child's, derived; the program's): more than the 16,384 the
# shared table held.
EXECS=9000

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# The victim's program: bash, setgid to nogroup, run by root with -p (keeps the effective gid).
cp "$BASH" "$T_TMP/sgbash" && chgrp 65534 "$T_TMP/sgbash" && chmod 2755 "$T_TMP/sgbash" ||
	fail "cannot make a setgid bash"
echo data >"$T_TMP/data"
mkfifo "$T_TMP/req" "$T_TMP/rep" || fail "mkfifo"
# On each request line: an open of DATA (the gate's) and a connect to PORT (observed; nobody
# listens), then the answer.  The FIFOs are no regular files: not modelled.
VICTIM="
exec 3<>\"$T_TMP/req\" 4<>\"$T_TMP/rep\"
while read -r cmd <&3; do
	[ \"\$cmd\" = stop ] && exit 0
	: <\"$T_TMP/data\" || exit 1
	: 2>/dev/null </dev/tcp/127.0.0.1/$PORT
	echo \"done \$cmd\" >&4
done
exit 2
"
exec 5<>"$T_TMP/req" 6<>"$T_TMP/rep"

# victim ID [ARGS...]: the victim in container ID (ARGS: its model), in the background.
victim()
{
	v_id=$1
	shift
	cn run --id "$v_id" "$@" -- "$T_TMP/sgbash" -p -c "$VICTIM" >"$T_TMP/victim-$v_id.out" 2>&1 &
	victim_pid=$!
}

# ask WHAT: one round of the victim's actions, answered within 60 s.
ask()
{
	echo "$1" >&5
	# One request at a time: the FIFO holds one line when head reads it.
	answer=$(timeout 60 head -n 1 <&6) || fail "the victim did not answer round $1: $(cat "$T_TMP"/victim-*.out)"
	expect_eq "$answer" "done $1" "the victim's answer"
}

stop_victim()
{
	echo stop >&5
	wait "$victim_pid" || fail "the victim failed: $(cat "$T_TMP"/victim-*.out)"
}

# Learned: two rounds.
victim 1761 --model learn
ask 1
ask 2
stop_victim
cn model 1761 export "$T_TMP/victim.model" || fail "export failed"
grep -q socket_connect "$T_TMP/victim.model" || cn model 1761 events | grep -q '"socket_connect"' ||
	fail "the victim's connect was not learned"

# Sealed, in another container: a round before the storm makes no forensics.
victim 1762 --model "$T_TMP/victim.model"
ask 3
expect_eq "$(cn model 1762 forensics)" "" "the sealed victim's forensics before the storm"

# The attack: the attacker's root executes short programs, two at a time.
cn run --id 1763 --model learn -- "$BUSYBOX" sh -c \
	"'$STORM' $((EXECS / 2)) '$BUSYBOX' true & '$STORM' $((EXECS / 2)) '$BUSYBOX' true; wait" \
	>"$T_TMP/storm.out" 2>&1 &
storm=$!
# The victim goes on acting while the storm runs, and after it.
round=4
while kill -0 "$storm" 2>/dev/null; do
	ask $round
	round=$((round + 1))
done
wait "$storm" || fail "the storm failed: $(cat "$T_TMP/storm.out")"
grep -c "^execs $((EXECS / 2))$" "$T_TMP/storm.out" | grep -qx 2 || fail "the storm: $(cat "$T_TMP/storm.out")"
# Read now: an ended container's domain (and its table) leaves memory after model_ended_grace.
attacker_counts=$(cn model 1763 counts) || fail "the attacker's counts"
forgotten=$(echo "$attacker_counts" | awk '$1 == "task_ids_forgotten" { print $2 }')
ask $round
ask $((round + 1))
# A view reads what the ring holds first: every record of the victim's rounds is judged by now.
counts=$(cn model 1762 counts) || fail "counts"
expect_eq "$(cn model 1762 forensics)" "" "the sealed victim's forensics after another container's storm"
expect_eq "$(echo "$counts" | awk '$1 ~ /^(forensic_events|observed_dropped|task_id_misses|task_ids_forgotten)$/ { print $1, $2 }')" \
	'forensic_events 0
observed_dropped 0
task_id_misses 0
task_ids_forgotten 0' "the victim's forensics, events dropped, TASK_IDs looked for in /proc, forgotten"
stop_victim

# The attacker's own table forgot its own oldest tasks, and says so.
[ "${forgotten:-0}" -gt 0 ] || fail "the attacker's table forgot nothing: $attacker_counts"
expect_match "$(cn status)" "TASK_IDs: [0-9]+ tasks remembered \(a table per container\); $forgotten forgotten for want of room, by 1 containers' own tables" \
	"the status says which tables forgot"
exit 0
