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
mkdir -p "$STALL/sub"
start_daemon

# A namespace with a tmpfs at STALL/sub, then a copy of it where FUSE covers STALL: the
# unshare before fuse-hang is recorded, so canisterd watches the copy's table and marks it
# again when FUSE comes.
cn run --id 1700 -- unshare -m --propagation private sh -c \
	"mount -t tmpfs none '$STALL/sub' && exec unshare -m --propagation private '$CANISTER_TOOLS/fuse-hang' '$STALL' '$T_TMP/hang.pid'" \
	>"$T_TMP/hang.out" 2>&1 &
started $!
wait_for_file "$T_TMP/hang.pid"
hang=$(cat "$T_TMP/hang.pid")
started "$hang"

wait_for_line "$T_LOG" "integrity: container 1700's mount namespace [0-9]+: cannot watch $STALL/sub \\(tmpfs\\): Connection timed out \\(the walk to it did not return" \
	"the tmpfs behind the FUSE mount reported as not watched at the helper's deadline" 30
stuck_helper() { ps -o pid=,stat= --ppid "$T_DAEMON_PID" | awk '$2 ~ /^D/ { print $1; exit }'; }
has_stuck_helper() { [ -n "$(stuck_helper)" ]; }
wait_until 10 "the killed marking helper in an uninterruptible wait" has_stuck_helper
helper=$(stuck_helper)
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
