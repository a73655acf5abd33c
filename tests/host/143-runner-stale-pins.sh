# SPDX-License-Identifier: GPL-2.0-only
# The host runner blames a case only for the pins it leaves itself: pins of the same case left by
# an earlier run that was killed (its shell is gone) are removed before the case runs, with a
# line saying so. Before this, a run cut off at its time limit failed the next run's case.
. "$(dirname "$0")/../lib/harness.sh"

# A pid that is no longer alive names the killed run's shell.
sh -c 'echo $$ >"$1"' sh "$T_TMP/pid"
dead=$(cat "$T_TMP/pid")
kill -0 "$dead" 2>/dev/null && fail "pid $dead is alive again; run the case once more"
stale="$T_BPFFS/canister-test-10-status-$dead"
mkdir "$stale" || fail "could not make $stale on bpffs"
trap 'rm -rf "$stale"' EXIT

out=$(CANISTER_HOST_CASES=10-status tests/host/run 2>&1) || true
expect_match "$out" "^PASS host/10-status\$" "the case with stale pins of a killed run"
expect_match "$out" "removing $stale, left by an earlier run that was killed" "the line naming them"
[ -e "$stale" ] && fail "the stale pins are still at $stale"
exit 0
