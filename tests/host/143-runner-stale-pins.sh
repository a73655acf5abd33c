# SPDX-License-Identifier: GPL-2.0-only
# The host runner blames a case only for the pins, temporary files and mounts it leaves itself:
# those of the same case left by an earlier run that was killed (its shell is gone) are removed
# before the case runs, with a line saying so. Before this, a run cut off at its time limit
# failed the next run's case.
. "$(dirname "$0")/../lib/harness.sh"

# A pid that is no longer alive names the killed run's shell.
sh -c 'echo $$ >"$1"' sh "$T_TMP/pid"
dead=$(cat "$T_TMP/pid")
kill -0 "$dead" 2>/dev/null && fail "pid $dead is alive again; run the case once more"
stale="$T_BPFFS/canister-test-10-status-$dead"
mkdir "$stale" || fail "could not make $stale on bpffs"
# And its temporary directory, with a tmpfs mounted in it as the integrity cases do.
stale_tmp=$(mktemp -d "${TMPDIR:-/tmp}/canister-10-status-$dead.XXXXXX") || fail "no temporary directory"
mkdir "$stale_tmp/fs" || fail "cannot make $stale_tmp/fs"
mount -t tmpfs none "$stale_tmp/fs" || fail "cannot mount a tmpfs"
# The harness's own cleanup too: a trap of the case replaces t_cleanup.
trap 'rm -rf "$stale"; umount "$stale_tmp/fs" 2>/dev/null; rm -rf "$stale_tmp"; t_cleanup' EXIT

out=$(CANISTER_HOST_CASES=10-status tests/host/run 2>&1) || true
expect_match "$out" "^PASS host/10-status\$" "the case with stale pins of a killed run"
expect_match "$out" "removing $stale, left by an earlier run that was killed" "the line naming them"
expect_match "$out" "removing $stale_tmp/fs, left by an earlier run that was killed" "the line naming its mount"
expect_match "$out" "removing $stale_tmp, left by an earlier run that was killed" "the line naming its files"
[ -e "$stale" ] && fail "the stale pins are still at $stale"
[ -e "$stale_tmp" ] && fail "the stale temporary directory is still at $stale_tmp"
exit 0
