# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode, a full labels map: a labelled process's fork fails with ENOSPC, nothing runs unlabelled.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

counter() { cn status --json | tr -d ' \n' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

echo "labels_max = 16" >>"$T_CONF"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_eq "$(counter labels_capacity)" 16 "labels_max applied"

# Container 9's first process takes one slot, so its 16th child finds none:
# the fork itself fails, before the child exists.
out=$(cn run --id 9 -- fork-many 20 "$T_TMP/ready" 2>&1) && fail "20 forks into a map of 16 succeeded"
expect_match "$out" '^fork-many: fork 15: No space left on device$' "the 16th fork fails with ENOSPC"

# Nothing ran unlabelled; the refusal is counted and recorded with the container.
expect_eq "$(counter inherit_failed)" 0 "children that ran unlabelled"
[ "$(counter fork_refused)" -ge 1 ] || fail "fork_refused is $(counter fork_refused)"
expect_record 'op=fork opid=[0-9]+ contid=9 old-contid=-1 errno=ENOSPC reason=[0-9A-F]+ res=0' "fork record"
expect_match "$(cn status --json)" 'forks of labelled processes were refused \(ENOSPC\)' "status warning"

# The children died with their parent: every slot, reserved or used, comes back.
empty() { [ "$(counter labels_used)" = 0 ]; }
wait_until "every slot given back" empty
got=$(cn run --id 10 -- sh -c 'sh -c "canister --socket '"$T_SOCK"' get \$\$"') || fail "run after the map emptied: $got"
expect_eq "$got" 10 "a grandchild labelled once there is room again"

# Forks racing for the last slots from four containers at once: some are
# refused, none runs unlabelled, and the count comes back to zero exactly.
i=0
racers=
while [ $i -lt 4 ]; do
	cn run --id $((30 + i)) -- sh -c "echo \$\$ >$T_TMP/race$i.pid; exec fork-many 8 $T_TMP/race$i" \
		>"$T_TMP/race$i.out" 2>&1 &
	racers="$racers $!"
	i=$((i + 1))
done
# A racer that got all its children waits for them; one refused exits.
settled()
{
	for n in 0 1 2 3; do
		[ -e "$T_TMP/race$n" ] || ! kill -0 "$(echo $racers | cut -d' ' -f$((n + 1)))" 2>/dev/null || return 1
	done
}
wait_until "every racer done or refused" settled
for n in 0 1 2 3; do
	[ ! -e "$T_TMP/race$n" ] || kill -KILL "$(cat "$T_TMP/race$n.pid")"
done
for racer in $racers; do
	wait "$racer"
done
# A racer whose registration found the map already full never ran: that is ENOSPC too.
cat "$T_TMP"/race*.out | grep -v '^fork-many: fork [0-9]*: No space left on device$' |
	grep -v '^canister: the labels map is full ([0-9]* processes)$' | grep . &&
	fail "a racing fork failed otherwise than with ENOSPC"
grep -q 'No space left on device' "$T_TMP"/race*.out || fail "36 processes fitted a map of 16"
expect_eq "$(counter inherit_failed)" 0 "racing children that ran unlabelled"
wait_until "every slot given back after the race" empty

# The slot count is guarded as the labels are: a labelled root raising the
# capacity (or filling it) would undo all of the above.
for map in labels_room fork_room; do
	got=$(cn run --id 12 -- bpf-obj-get "$T_PIN/$map")
	expect_eq "$got" "refused: Operation not permitted" "labelled root opening the $map map"
done
got=$(bpf-obj-get "$T_PIN/labels_room") || fail "host root refused labels_room: $got"

# Host processes are never refused: their forks take no slot.
sh -c 'true' || fail "an unlabelled fork was refused"
stop_daemon
