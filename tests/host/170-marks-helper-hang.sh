# SPDX-License-Identifier: GPL-2.0-only
# canister: a marking helper (integrity's marks, core/in_root.h) stuck for good in a filesystem
# that does not answer is killed at its 2 s deadline and reaped once that filesystem lets it go,
# while canisterd answers.  A container's namespace holds a tmpfs reachable only through a FUSE
# mount whose server took the request and never answers (tests/tools/fuse-hang): the helper's
# walk to it sleeps uninterruptibly, SIGKILL or not (host 97 has the FUSE mount that never
# answers FUSE_INIT, where SIGKILL ends the walk).  The pass reports the tmpfs as not watched
# (timed out), `canister status` answers, and the helper, asleep in FUSE, is canisterd's child
# until the FUSE server goes: then it is reaped (no zombie in /proc).  The server goes before
# canisterd stops: a helper asleep there holds the gate's fanotify group open.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v unshare >/dev/null || fail "unshare is missing"
command -v ps >/dev/null || fail "ps is missing"
[ -c /dev/fuse ] || fail "/dev/fuse is missing"
integrity_setup "measure func=BPRM_CHECK
"
trap 'integrity_cleanup "$FS"' EXIT
STALL=$T_TMP/stall
start_daemon

marks_stall 1700 ""
timeout 5 "$CANISTER" --socket "$T_SOCK" status >/dev/null ||
	fail "canister status did not answer while a marking helper was stuck"

# The FUSE server goes: its requests fail, the helper dies and is reaped.
kill "$hang"
reaped() { [ ! -e "/proc/$helper" ] || [ "$(awk '{ print $4 }' "/proc/$helper/stat")" != "$T_DAEMON_PID" ]; }
wait_until 10 "the stuck marking helper (pid $helper) reaped, not left a zombie" reaped
timeout 5 "$CANISTER" --socket "$T_SOCK" status >/dev/null || fail "canister status did not answer"
stop_daemon_within 15
grep -q "integrity: stopped" "$T_LOG" || fail "the gate did not stop: $(tail "$T_LOG")"
exit 0
