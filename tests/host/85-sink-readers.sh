# SPDX-License-Identifier: GPL-2.0-only
# A sink's readers are fed without being waited for: one that never reads is dropped (its socket
# took nothing for 5 s, or it fell 1 MiB behind) and counted, while the sink's log and a reader
# that reads get every event.
. "$(dirname "$0")/../lib/harness.sh"

command -v python3 >/dev/null || fail "python3 is missing"
kernel_audit_free

KEY="canister-$T_NAME-$$"
SINK_LOG="$T_TMP/sink85.log"
SOCK="$T_TMP/sink85.sock"
FOLLOW_PID=
STUCK_PIDS=
t_readers_cleanup()
{
	for pid in $FOLLOW_PID $STUCK_PIDS; do
		kill "$pid" 2>/dev/null
	done
	auditctl -d exit,always -F arch=b64 -S uname -F key="$KEY" >/dev/null 2>&1
	t_cleanup
}
trap t_readers_cleanup EXIT

printf -- '-a always,exit -F arch=b64 -S uname -k %s\n' "$KEY" >"$T_TMP/sink.rules"
chmod 600 "$T_TMP/sink.rules"
cat >>"$T_CONF" <<CONF
kernel_audit = on
host_log = $T_TMP/host.log
audit_sink = 85 log=$SINK_LOG rules=$T_TMP/sink.rules socket=$SOCK
CONF

# A reader that never reads, until told to: then it reads to the end and prints how many bytes
# it got and whether canisterd closed its socket.
cat >"$T_TMP/stuck.py" <<'PY'
import os, socket, sys, time
path, connected, go = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(path)
open(connected, "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
s.settimeout(10)
got = 0
try:
    while True:
        data = s.recv(1 << 16)
        if not data:
            print(got, "closed")
            break
        got += len(data)
except socket.timeout:
    print(got, "open")
PY

sink()
{
	cn --json audit list | jq -r ".[] | select(.contid == \"85\") | .$1"
}
# wait_sink FIELD VALUE WHAT: waits until the sink's status FIELD is VALUE.
wait_sink()
{
	waited=0
	until [ "$(sink "$1")" = "$2" ]; do
		waited=$((waited + 1))
		[ "$waited" -le 300 ] || fail "$3: $1 is $(sink "$1"), not $2: $(cn --json audit list)"
		sleep 0.1
	done
}
# unames N: the uname SYSCALL records of the sink's rule in FILE.
unames()
{
	grep -c "type=SYSCALL .*syscall=63 .*key=\"$KEY\"" "$1" 2>/dev/null
}
# wait_unames FILE N WHAT: waits until FILE holds N of them.
wait_unames()
{
	waited=0
	until [ "$(unames "$1")" = "$2" ]; do
		waited=$((waited + 1))
		[ "$waited" -le 300 ] || fail "$3: $(unames "$1") uname events in $1, not $2"
		sleep 0.1
	done
}
# storm N: N uname calls in container 85, from one process (tests/tools/uname-storm.c).
storm()
{
	cn run --id 85 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}uname-storm" "$1" || fail "uname storm in 85"
}
# stuck NAME: a reader that never reads connects.
stuck()
{
	python3 "$T_TMP/stuck.py" "$SOCK" "$T_TMP/$1.connected" "$T_TMP/$1.go" >"$T_TMP/$1.out" 2>&1 &
	STUCK_PIDS="$STUCK_PIDS $!"
	wait_for_file_created "$T_TMP/$1.connected"
}
wait_for_file_created()
{
	waited=0
	while [ ! -e "$1" ]; do
		waited=$((waited + 1))
		[ "$waited" -le 300 ] || fail "$1 did not appear"
		sleep 0.1
	done
}
# outcome NAME: what reader NAME got once told to read: "BYTES closed" or "BYTES open".
outcome()
{
	touch "$T_TMP/$1.go"
	waited=0
	while [ ! -s "$T_TMP/$1.out" ]; do
		waited=$((waited + 1))
		[ "$waited" -le 300 ] || fail "reader $1 did not finish"
		sleep 0.1
	done
	cat "$T_TMP/$1.out"
}

start_daemon

# A reader that reads (from the host, as root), and one that never does.
"$CANISTER" audit follow "$SOCK" >"$T_TMP/follow.out" 2>&1 &
FOLLOW_PID=$!
wait_sink readers 1 "the follower is connected"
stuck first
wait_sink readers 2 "the reader that never reads is connected"

# --- More than its socket takes, less than 1 MiB: the sink's log and the follower get every
# event; the reader that never reads is dropped once its socket took nothing for 5 s.
storm 400
wait_unames "$SINK_LOG" 400 "the sink's log is written while a reader does not read"
wait_unames "$T_TMP/follow.out" 400 "the follower gets every event while another reader does not read"
wait_sink readers_dropped 1 "the reader that does not read is dropped"
expect_eq "$(sink readers)" 1 "the follower is still there"
expect_match "$(cat "$T_LOG")" "audit sink 85: a reader was dropped: its socket took nothing for 5 s" \
	"the drop is logged with its reason"
expect_match "$(outcome first)" "^[1-9][0-9]* closed$" "the dropped reader got what its socket held, then the end"

# --- Far more: the reader that never reads falls 1 MiB behind and is dropped at once.
stuck second
wait_sink readers 2 "the second reader that never reads is connected"
storm 3000
wait_unames "$SINK_LOG" 3400 "the sink's log is written while a reader falls behind"
wait_unames "$T_TMP/follow.out" 3400 "the follower gets every event while another reader falls behind"
wait_sink readers_dropped 2 "the reader that fell behind is dropped"
expect_match "$(cat "$T_LOG")" "audit sink 85: a reader was dropped: it fell more than 1 MiB behind" \
	"the drop is logged with its reason"
expect_match "$(outcome second)" "^[1-9][0-9]* closed$" "the reader that fell behind got the end"

# Readers are dropped, never events: the sink lost nothing.
expect_eq "$(sink dropped)" 0 "the sink dropped no event"

# Removing the sink ends the follower: canisterd closes its socket.
cn audit remove 85 || fail "audit remove 85"
wait "$FOLLOW_PID"
FOLLOW_PID=
stop_daemon
kernel_audit_restored
exit 0
