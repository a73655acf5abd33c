# SPDX-License-Identifier: GPL-2.0-only
# canister: a marking helper stuck for good in FUSE holds no fanotify group of the gate's, so a
# canisterd that dies meanwhile takes the gate's marks with it.  A container's namespace has a
# tmpfs of its own (the file this case opens: never the host's root filesystem, so that a
# failing run blocks opens there alone) and a tmpfs reachable only through a FUSE mount whose
# server took the request and never answers (tests/tools/fuse-hang): the helper's walk to it
# sleeps uninterruptibly.  canisterd is then killed (a crash: a clean stop flushes the marks
# first).  A group the helper held would outlive it, and with FILE_CHECK on, an open of the
# container's file would wait for a reader that is gone until the FUSE server goes; here it
# completes within seconds.  Then the FUSE server goes and the helper with it: none is left.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v unshare >/dev/null || fail "unshare is missing"
command -v ps >/dev/null || fail "ps is missing"
command -v timeout >/dev/null || fail "timeout is missing"
[ -c /dev/fuse ] || fail "/dev/fuse is missing"
integrity_setup "measure func=BPRM_CHECK
measure func=FILE_CHECK
"
hang=
# fuse-hang first: on a failing run the open (and the helper) wait until it goes.  The case's
# status goes on to integrity_cleanup.
trap 'st=$?; [ -z "$hang" ] || kill "$hang" 2>/dev/null; (exit "$st"); integrity_cleanup "$FS"' EXIT
OWN=$T_TMP/own
STALL=$T_TMP/stall
mkdir -p "$OWN"
start_daemon

# The namespace's own tmpfs comes first in its table, so its helper marks it before it walks
# into FUSE.
marks_stall 1720 "mount -t tmpfs none '$OWN' && echo data >'$OWN/file' &&"
helper_started=$(started_at "$helper")

# The container's file, through fuse-hang's root (its namespace), read by a child: while
# canisterd runs, the gate answers.
FILE=/proc/$hang/root$OWN/file
timeout 10 cat "$FILE" >"$T_TMP/read.before" 2>&1
[ "$(cat "$T_TMP/read.before")" = data ] || fail "the container's file read $(cat "$T_TMP/read.before") while canisterd runs"

# After canisterd's death, a group left behind would hold every exec and open on the filesystems
# the gate marked, this shell's too: from the kill on, the case runs no program until fuse-hang
# is gone.  Everything it needs then is started before: a reader that opens the file when told
# (shell builtins alone), and a watchdog that ends fuse-hang 5 s after the kill at the latest
# (its sleep already running), which releases whatever waits.
mkfifo "$T_TMP/go"
sh -c 'read -r _ <"$1" && read -r line <"$2" && printf "%s\n" "$line" >"$3"' reader \
	"$T_TMP/go" "$FILE" "$T_TMP/read.after" &
reader=$!
started "$reader"
(
	sleep 5
	kill "$hang"
) &
watchdog=$!
started "$watchdog"
watchdog_sleeps() { [ "$(ps -o comm= --ppid "$watchdog")" = sleep ]; }
wait_until 10 "the watchdog's sleep running" watchdog_sleeps
started "$(ps -o pid= --ppid "$watchdog")"

kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
echo go >"$T_TMP/go"
wait "$reader"
# fuse-hang still there: the read did not need the watchdog.
kill -0 "$hang" 2>/dev/null && [ "$(cat "$T_TMP/read.after")" = data ] ||
	fail "a read of the container's file did not complete within 5 s of canisterd's death with a marking helper stuck in FUSE (it completed once fuse-hang was killed): the helper held the gate's fanotify group"

# The FUSE server goes: the helper's walk fails, it dies and its new parent reaps it.
kill "$watchdog"
kill "$hang"
helper_gone() { [ "$(started_at "$helper")" != "$helper_started" ]; }
wait_until 10 "the stuck marking helper (pid $helper) gone once FUSE let it go" helper_gone
exit 0
