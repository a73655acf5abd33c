# SPDX-License-Identifier: GPL-2.0-only
# kill -9 of canisterd as the audit daemon: its guardian deletes the rules canisterd added (its
# own, a config sink's, a sink added at run time) and turns auditing off again if canisterd turned
# it on; and never undoes anything of a canisterd started right after.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free
KEY="canister-$T_NAME-$$"
WKEY="canister-watch-$$"
SKEY="canister-sink91-$$"
RKEY="canister-sink92-$$"
HOST_LOG="$T_TMP/host.log"
mkdir "$T_TMP/watched"
# Our rules only, removed whatever happens; the enabled flag as it was found.
t_kill_cleanup()
{
	if [ -n "$T_DAEMON_PID" ]; then
		kill -TERM "$T_DAEMON_PID" 2>/dev/null
		wait "$T_DAEMON_PID" 2>/dev/null
		T_DAEMON_PID=
	fi
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	auditctl -W "$T_TMP/watched" -p wa -k "$WKEY" >/dev/null 2>&1
	auditctl -d exit,always -F arch=b64 -S uname -F key="$SKEY" >/dev/null 2>&1
	auditctl -d exit,always -F arch=b64 -S getpid -F key="$RKEY" >/dev/null 2>&1
	[ "$(auditctl -s | awk '$1 == "enabled" { print $2 }')" = "$T_AUDIT_WAS_ENABLED" ] ||
		auditctl -e "$T_AUDIT_WAS_ENABLED" >/dev/null
	t_cleanup
}
trap t_kill_cleanup EXIT

# Auditing off to begin with, so that canisterd turns it on and the guardian must turn it off.
auditctl -e 0 >/dev/null || fail "auditctl -e 0"

cat >"$T_TMP/audit.rules" <<RULES
-a always,exit -F arch=b64 -S execve -k $KEY
-w $T_TMP/watched -p wa -k $WKEY
RULES
printf -- '-a always,exit -F arch=b64 -S uname -k %s\n' "$SKEY" >"$T_TMP/sink91.rules"
printf -- '-a always,exit -F arch=b64 -S getpid -k %s\n' "$RKEY" >"$T_TMP/sink92.rules"
chmod 600 "$T_TMP"/*.rules
cat >>"$T_CONF" <<CONF
kernel_audit = on
host_log = $HOST_LOG
audit_rules = $T_TMP/audit.rules
audit_sink = 91 log=$T_TMP/sink91.log rules=$T_TMP/sink91.rules
CONF

enabled()
{
	auditctl -s | awk '$1 == "enabled" { print $2 }'
}

ours()
{
	auditctl -l | grep -c -E "(key=| -k )($KEY|$WKEY|$SKEY|$RKEY)\$"
}

start_daemon
cn audit add 92 --log "$T_TMP/sink92.log" --rules "$T_TMP/sink92.rules" >/dev/null || fail "audit add 92"
expect_eq "$(enabled)" 1 "canisterd turned auditing on"
expect_eq "$(ours)" 4 "canisterd's rules (audit_rules, sink 91's, sink 92's) are loaded"

# --- kill -9: the guardian restores the enabled flag and deletes canisterd's rules.  Signals
# meant for canisterd (`pidof canisterd` names its guardian too) do not end the guardian first.
first=$T_DAEMON_PID
for sig in USR1 HUP TERM INT; do
	pkill -"$sig" -P "$first" -x canister-guard
done
kill -KILL "$first"
wait "$first" 2>/dev/null
T_DAEMON_PID=
waited=0
until [ "$(enabled)" = 0 ] && [ "$(ours)" = 0 ]; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "10 s after kill -9: enabled $(enabled), $(ours) of canisterd's rules left: $(auditctl -l)"
	sleep 0.1
done
expect_match "$(cat "$T_LOG")" "kernel audit guardian: canisterd \(pid $first\) died without restoring the kernel's audit state: deleted 4 of its audit rules \(0 already gone, 0 left for want of time\); auditing turned off again" \
	"the guardian says what it undid"

# --- The guardian holds nothing of canisterd's, and never undoes a canisterd started after.
start_daemon
guardian=$(pgrep -P "$T_DAEMON_PID" -x canister-guard) || fail "no guardian under canisterd $T_DAEMON_PID"
fds=$(ls /proc/"$guardian"/fd | sort -n | tr '\n' ' ')
expect_eq "$fds" "0 1 2 3 " "the guardian's descriptors (its socket, /dev/null, stderr, its lock)"
expect_match "$(readlink /proc/"$guardian"/fd/3)" "^/run/canister/kernel-audit.lock$" "the guardian holds the lock"
second=$T_DAEMON_PID
kill -KILL "$second"
wait "$second" 2>/dev/null
T_DAEMON_PID=
# Started at once: it waits for the killed one's guardian, which must not touch what it loads.
start_daemon
expect_eq "$(enabled)" 1 "auditing on under the canisterd started after a kill -9"
expect_eq "$(ours)" 3 "its rules (audit_rules, sink 91's) are loaded"
waited=0
while kill -0 "$guardian" 2>/dev/null; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "the killed canisterd's guardian never exited"
	sleep 0.1
done
expect_eq "$(enabled)" 1 "the old guardian left the new canisterd's enabled flag"
expect_eq "$(ours)" 3 "the old guardian left the new canisterd's rules"
expect_eq "$(grep -c "canisterd (pid $second) died without restoring" "$T_LOG")" 1 \
	"the second kill -9 was undone too"

# --- SIGUSR1 rotates the host log too.
kill -USR1 "$T_DAEMON_PID"
waited=0
until [ -e "$HOST_LOG.1" ] && grep -q "SIGUSR1 from pid $$: rotated .*host_log ($HOST_LOG)" "$T_LOG"; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "SIGUSR1 did not rotate host_log"
	sleep 0.1
done

# --- A clean stop restores everything itself and disarms its guardian, which undoes nothing.
guardian=$(pgrep -P "$T_DAEMON_PID" -x canister-guard) || fail "no guardian under canisterd $T_DAEMON_PID"
third=$T_DAEMON_PID
stop_daemon
waited=0
while kill -0 "$guardian" 2>/dev/null; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "the guardian outlived a clean stop"
	sleep 0.1
done
grep -q "canisterd (pid $third) died" "$T_LOG" && fail "the guardian undid after a clean stop"
expect_eq "$(ours)" 0 "canisterd's rules after a clean stop"
expect_eq "$(enabled)" 0 "auditing off again after a clean stop"

# --- A canisterd that finds the guardian lock held (a killed one's guardian at work) waits, and
# registers only once it is free.
mkfifo "$T_TMP/release"
flock /run/canister/kernel-audit.lock sh -c "echo held >'$T_TMP/locked'; read go <'$T_TMP/release'" &
holder=$!
wait_for_file "$T_TMP/locked"
"$CANISTERD" -f -c "$T_CONF" >>"$T_LOG" 2>&1 &
T_DAEMON_PID=$!
waited=0
until grep -q "canisterd\[$T_DAEMON_PID\] info: kernel audit: /run/canister/kernel-audit.lock is held" "$T_LOG"; do
	waited=$((waited + 1))
	[ "$waited" -le 300 ] || fail "canisterd did not wait for the guardian lock"
	sleep 0.1
done
expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" 0 "no audit daemon while the lock is held"
expect_eq "$(ours)" 0 "no rule loaded while the lock is held"
echo go >"$T_TMP/release"
wait "$holder"
waited=0
until cn status >/dev/null 2>&1; do
	waited=$((waited + 1))
	[ "$waited" -le 300 ] || fail "canisterd did not start once the lock was free"
	sleep 0.1
done
expect_match "$(cat "$T_LOG")" "canisterd\[$T_DAEMON_PID\] info: kernel audit: waited [0-9]+ ms for the guardian" \
	"the wait is logged"
expect_eq "$(enabled)" 1 "auditing on once the lock was free"
expect_eq "$(ours)" 3 "rules loaded once the lock was free"
stop_daemon
expect_eq "$(ours)" 0 "canisterd's rules after the last clean stop"
expect_eq "$(enabled)" 0 "auditing off again after the last clean stop"
exit 0
