# SPDX-License-Identifier: GPL-2.0-only
# A fork racing with registration never leaves a child unlabelled: all of the family or EBUSY.
. "$(dirname "$0")/../lib/harness.sh"

start_daemon

# Each round forks a target that forks a child after a random spin, while the
# tool registers the target; the spins sweep the fork across the registration.
caught=0
for spin in 100 200 300 400; do
	out=$(tool registration-race "$T_SOCK" 1500 "$spin") || fail "spin $spin: $out"
	echo "spin up to ${spin}us: $out"
	expect_match "$out" "violations=0\$" "no child left out (spin $spin)"
	n=$(printf '%s\n' "$out" | sed -n 's/.*refused_forked_during=\([0-9]*\).*/\1/p')
	caught=$((caught + n))
done
# The window between the check for children and the label was hit, and each time refused.
[ "$caught" -gt 0 ] || fail "no fork landed inside a registration; the race was not exercised"
expect_record "op=set .*errno=EBUSY reason=[0-9A-F]+ res=0\$" "EBUSY records"

# Nothing is left behind: every registered family was killed, every refused one
# rolled back, so no container and no label remains once the exits are read.
nothing_left()
{
	[ "$(cn status --json | jq -r '.counters.containers, .counters.labelled_processes' | tr '\n' ' ')" = "0 0 " ]
}
poll_until "$T_WAIT" nothing_left || fail "left behind: $(cn status --json | jq -c '.counters') $(cn ps)"
stop_daemon
