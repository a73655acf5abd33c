# SPDX-License-Identifier: GPL-2.0-only
# canisterd's own log in the background: rotates by size (log_max_file, log_num_logs) with whole
# lines, SIGUSR1 rotates it and audit_log now, and a rotation that fails keeps the log going.
. "$(dirname "$0")/../lib/harness.sh"

LOG="$T_TMP/log/canisterd.log"
DAEMON=
t_daemon_log_cleanup()
{
	[ -n "$DAEMON" ] && kill -TERM "$DAEMON" 2>/dev/null
	t_cleanup
}
trap t_daemon_log_cleanup EXIT

cat >>"$T_CONF" <<CONF
log_file = $LOG
log_max_file = 4K
log_num_logs = 3
CONF
out=$("$CANISTERD" -c "$T_CONF" 2>&1) || fail "canisterd in the background failed: $out"
DAEMON=$(cn status --json | jq -r .daemon.pid) || fail "no answer right after start"

inode()
{
	stat -c %i "$1" 2>/dev/null
}

# until_true WHAT CONDITION: runs `cn status` (two debug lines in the log each time) until the
# shell CONDITION holds; fails after 2000 rounds (about 300 KiB of log).
until_true()
{
	rounds=0
	until eval "$2"; do
		rounds=$((rounds + 1))
		[ "$rounds" -le 2000 ] || fail "$1: $(ls -li "$T_TMP/log")"
		cn status >/dev/null || fail "canisterd stopped answering"
	done
}

whole_lines()
{
	for f in "$LOG" "$LOG.1" "$LOG.2"; do
		[ -e "$f" ] || continue
		[ ! -s "$f" ] || [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
			fail "$f does not end with a whole line"
		grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z canisterd\[[0-9]+\] (error|warning|info|debug): ' \
			"$f" >"$T_TMP/bad" && fail "$f holds a broken line: $(head -c 300 "$T_TMP/bad")"
	done
	return 0
}

# --- By size: LOG.1, then LOG.2; a third rotation moves LOG.1 on to LOG.2 and keeps three files.
until_true "the log never rotated" '[ -e "$LOG.1" ]'
until_true "the log never rotated twice" '[ -e "$LOG.2" ]'
# (Its first line tells it from the next LOG.2: an inode number may be reused.)
second=$(head -n 1 "$LOG.2")
until_true "the log never rotated a third time" '[ "$(head -n 1 "$LOG.2")" != "$second" ]'
[ -e "$LOG.3" ] && fail "log_num_logs = 3 kept a fourth file"
for f in "$LOG.1" "$LOG.2"; do
	size=$(stat -c %s "$f")
	[ "$size" -ge 4096 ] || fail "$f was rotated at $size bytes, below log_max_file"
	[ "$size" -le $((4096 + 2048)) ] || fail "$f is $size bytes, more than a line above log_max_file"
done
whole_lines

# --- SIGUSR1: LOG and audit_log start afresh now, whatever their sizes; the fresh LOG says so.
cn run --id 7 -- true || fail "canister run"
expect_record "op=drop .*old-contid=7" "a record in audit_log before SIGUSR1"
live=$(inode "$LOG")
audit=$(inode "$T_AUDIT")
kill -USR1 "$DAEMON"
waited=0
until grep -q "SIGUSR1 from pid $$: rotated log_file ($LOG), audit_log ($T_AUDIT)" "$LOG" 2>/dev/null; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "SIGUSR1 did not rotate: $(ls -li "$T_TMP/log"; tail -n 3 "$LOG")"
	sleep 0.1
done
expect_eq "$(inode "$LOG.1")" "$live" "SIGUSR1: the live log became LOG.1"
expect_eq "$(inode "$T_AUDIT.1")" "$audit" "SIGUSR1: audit_log became audit_log.1"
grep -q "old-contid=7" "$T_AUDIT.1" || fail "the records are in audit_log.1"
# Fresh, not necessarily empty: a record made after the signal (the capability scanner's of
# container 7's process, say) belongs there.  None of the records before it may be.
again=$(grep -Fxf "$T_AUDIT.1" "$T_AUDIT")
[ -z "$again" ] || fail "audit_log after SIGUSR1 holds records of audit_log.1: $again"
kill -0 "$DAEMON" || fail "canisterd died of SIGUSR1"

# --- A rotation that fails (a directory where LOG.1 must go to LOG.2) is said once, the log
# goes on in the same file past log_max_file, and the rotation is made once it can be.
rm -f "$LOG.2"
mkdir "$LOG.2"
touch "$LOG.2/keep"
until_true "a failed rotation was not logged" \
	'grep -q "cannot rotate $LOG: Is a directory; still writing to it" "$LOG"'
size=$(stat -c %s "$LOG")
until_true "the log stopped after a failed rotation" '[ "$(stat -c %s "$LOG")" -gt $((size + 4096)) ]'
expect_eq "$(grep -c "cannot rotate" "$LOG")" 1 "a failing rotation is said once"
rm -r "$LOG.2"
failed=$(inode "$LOG")
until_true "the rotation was not retried" '[ "$(inode "$LOG.1")" = "$failed" ]'
until_true "the recovery was not logged" 'grep -q "rotated $LOG after [0-9]* failed attempts" "$LOG"'
whole_lines

kill -TERM "$DAEMON"
waited=0
while kill -0 "$DAEMON" 2>/dev/null; do
	waited=$((waited + 1))
	[ $waited -lt 300 ] || fail "canisterd ignored SIGTERM"
	sleep 0.1
done
DAEMON=
grep -q "stopped; the labels stay pinned" "$LOG" || fail "clean stop not logged"
exit 0
