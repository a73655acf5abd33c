# SPDX-License-Identifier: GPL-2.0-only
# Log files: the host log rotates by size as auditd's does (max_log_file, num_logs) with every
# record whole; a sink whose disk is full counts what it cannot write and says so once it can.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free
KEY="canister-$T_NAME-$$"
HOST_LOG="$T_TMP/host.log"
SMALL="$T_TMP/small"
t_files_cleanup()
{
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	if mountpoint -q "$SMALL"; then
		umount "$SMALL"
	fi
	t_cleanup
}
trap t_files_cleanup EXIT

printf -- '-a always,exit -F arch=b64 -S execve -k %s\n' "$KEY" >"$T_TMP/audit.rules"
chmod 600 "$T_TMP/audit.rules"
mkdir "$SMALL"
mount -t tmpfs -o size=256k,mode=0755 canister-test "$SMALL" || fail "cannot mount a small tmpfs"
cat >>"$T_CONF" <<CONF
kernel_audit = on
host_log = $HOST_LOG
audit_rules = $T_TMP/audit.rules
max_log_file = 1
num_logs = 3
flush = incremental_async
freq = 20
audit_sink = 71 log=$SMALL/sink71.log max_log_file=0
CONF
start_daemon

# --- Rotation: enough execve events for more than three MiB of host log.
storm()
{
	"$CANISTER" --socket "$T_SOCK" run --id "$1" -- sh -c "i=0; while [ \$i -lt $2 ]; do /bin/true; i=\$((i + 1)); done" ||
		fail "storm in $1"
}
rotations() { cn --json status | jq -r .kernel_audit.rotations; }
storm 70 6000
poll_until 120 test -e "$HOST_LOG.2" || fail "host log never rotated twice: $(ls -l "$T_TMP")"
# A third rotation, which would make a fourth file if num_logs were not kept.
rotated=$(rotations)
storm 70 2000
rotated_again() { [ "$(rotations)" -gt "$rotated" ]; }
wait_until 120 "a rotation after the second storm" rotated_again
[ -e "$HOST_LOG.3" ] && fail "num_logs = 3 kept a fourth file"
# The files rotated away are whole; the one being written is checked once canisterd stops.
for f in "$HOST_LOG.1" "$HOST_LOG.2"; do
	size=$(stat -c %s "$f")
	[ "$size" -le $((1024 * 1024 + 16384)) ] || fail "$f is $size bytes, above max_log_file"
	[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || fail "$f does not end with a whole line"
	grep -v '^type=[A-Z_]*\(\[[0-9]*\]\)\? msg=audit([0-9]*\.[0-9]*:[0-9]*): ' "$f" >"$T_TMP/bad" &&
		fail "$f holds a broken line: $(head -c 300 "$T_TMP/bad")"
	ausearch -if "$f" -k "$KEY" >/dev/null 2>&1 || fail "ausearch cannot read $f"
done
expect_match "$(cn --json status | jq -r .kernel_audit.rotations)" "^[2-9]|^[1-9][0-9]" "rotations counted"
expect_eq "$(cn --json status | jq -r .kernel_audit.rotation_failures)" 0 "no failed rotation"

# --- Disk full: fill the sink's file system, run events in 71, then make room.
dd if=/dev/zero of="$SMALL/filler" bs=4k 2>/dev/null
storm 71 200
sink71() { cn --json audit list | jq -r ".[] | select(.contid == \"71\") | .$1"; }
# Each of the storm's 201 execve events (sh, then 200 of /bin/true) is counted as lost.
lost_all() { [ "$(sink71 disk_full_lost)" -ge 201 ]; }
poll_until "$T_WAIT" lost_all || fail "only $(sink71 disk_full_lost) of 201 events counted as lost to the full disk"
grep -q "type=CONTAINER_LOST" "$SMALL/sink71.log" 2>/dev/null && fail "a lost record while the disk is still full"
expect_match "$(cat "$T_LOG")" "audit sink 71 .*No space left on device" "the full disk is logged"
rm -f "$SMALL/filler"
storm 71 1
wait_for_line "$SMALL/sink71.log" "type=CONTAINER_LOST" "a CONTAINER_LOST record once the disk had room"
# Nothing was lost after the disk had room, so the count is final now (the writer publishes it
# after the record it wrote).
lost=$(grep "type=CONTAINER_LOST" "$SMALL/sink71.log" | sed -n 's/.* lost=\([0-9]*\) .*/\1/p')
expect_match "$(grep "type=CONTAINER_LOST" "$SMALL/sink71.log")" "sink=71 lost=[0-9]+ reason=disk_full\$" \
	"the lost record"
[ "$lost" -ge 201 ] || fail "the lost record counts $lost events, fewer than the storm's 201"
lost_counted() { [ "$(sink71 disk_full_lost)" = "$lost" ]; }
poll_until "$T_WAIT" lost_counted ||
	fail "the lost record says lost=$lost, canister audit list disk_full_lost=$(sink71 disk_full_lost)"
grep -v '^type=[A-Z_]*\(\[[0-9]*\]\)\? msg=audit([0-9]*\.[0-9]*:[0-9]*): ' "$SMALL/sink71.log" >"$T_TMP/bad" &&
	fail "the sink log holds a broken line: $(head -c 300 "$T_TMP/bad")"
ausearch -if "$SMALL/sink71.log" >/dev/null 2>&1 || fail "ausearch cannot read the sink log"

stop_daemon
[ "$(tail -c 1 "$HOST_LOG" | od -An -c | tr -d ' ')" = '\n' ] || fail "$HOST_LOG does not end with a whole line"
grep -v '^type=[A-Z_]*\(\[[0-9]*\]\)\? msg=audit([0-9]*\.[0-9]*:[0-9]*): ' "$HOST_LOG" >"$T_TMP/bad" &&
	fail "$HOST_LOG holds a broken line: $(head -c 300 "$T_TMP/bad")"
ausearch -if "$HOST_LOG" -k "$KEY" >/dev/null 2>&1 || fail "ausearch cannot read $HOST_LOG"
kernel_audit_restored
exit 0
