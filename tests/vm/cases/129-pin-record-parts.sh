# SPDX-License-Identifier: GPL-2.0-only
# canister: the record of the pins of lsm mode with integrity (the appraisal backstop too),
# access and a model's programs pinned, the largest this tree makes, survives restarts:
# canisterd restarted twice adopts every map (the same id in the record) and pins every link
# again, and refuses nothing.  Past a symlink's 4,000 bytes the record goes on in parts
# (pinned, pinned_2, ...), and a reader that took only the first part read a record cut within
# an entry and refused the restart (VM 111 in the CI run on af0e978).
#
# Three starts of canisterd in lsm mode, each loading every BPF object under TCG: a start took
# over 120 s beside seven other helpers' builds (load 14 on 2 cores).
# vm-case-timeout: 1500
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"
# shellcheck disable=SC2034 # start_daemon's (harness.sh)
T_DAEMON_WAIT=400

# Integrity with the appraisal backstop (its maps and links) besides measurement: without it the
# record of lsm mode with a model held 3,900 bytes, one part.
backstop_config

# record: the entries of the record's parts, one a line, sorted (kind:name:id).
record()
{
	part=1
	path=$T_PIN/pinned
	while [ -L "$path" ]; do
		readlink "$path"
		part=$((part + 1))
		path=$T_PIN/pinned_$part
	done | tr -d '\n' | tr ' ' '\n' | grep -v '^canister-pins-' | sort
}

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
# A container with a model, whose state the restarts keep too.
cn run --id 1291 --model learn -- true || fail "the model's container failed"
# The record of this tree's pins fits one part still (3,900 bytes, 115 pins, on 2026-12-06):
# then the case checks the restarts alone; past 4,000 bytes, also that each part but the last
# is full and that the joined record names every pin.
if [ -L "$T_PIN/pinned_2" ]; then
	expect_eq "$(($(readlink "$T_PIN/pinned" | tr -d '\n' | wc -c)))" 4000 \
		"the first part's length"
fi
record >"$T_TMP/record.0"
entries=$(wc -l <"$T_TMP/record.0")
echo "the record: $entries pins in $(ls -d "$T_PIN"/pinned* | wc -l) parts"
grep -q '^map:labels:[0-9]*$' "$T_TMP/record.0" || fail "the joined record lacks the labels map"

for round in 1 2; do
	stop_daemon
	start_daemon
	grep -q 'not what canisterd pinned\|not a record canisterd wrote\|holds pins but no record' "$T_LOG" &&
		fail "restart $round: a pin was refused: $(grep 'pinned\|record' "$T_LOG" | tail -n 3)"
	record >"$T_TMP/record.$round"
	# Every map the first run pinned is adopted (the same id, in the record), and every link
	# pinned again (a start attaches anew, then replaces the pin: another id).
	kept=$(grep '^map:' "$T_TMP/record.0" | grep -vxF -f "$T_TMP/record.$round")
	expect_eq "$kept" "" "restart $round: maps of the first run not in the record with their ids"
	for entry in $(sed 's/^[a-z]*:\([^:]*\):.*/\1/' "$T_TMP/record.0"); do
		[ -e "$T_PIN/$entry" ] || fail "restart $round: the pin $entry is gone"
		grep -q "^[a-z]*:$entry:[0-9]*\$" "$T_TMP/record.$round" ||
			fail "restart $round: the pin $entry is not in the record"
	done
	expect_eq "$(cn run --id $((1291 + round)) --model learn -- sh -c 'echo ran')" ran \
		"restart $round: a container runs"
done
exit 0
