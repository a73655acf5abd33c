# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the model observers' BPF LSM variant (tests/tools/model-observe --mode lsm, no canisterd model; record only) reports a wanted container's signals (to a sibling: not crossing; to a host process, granted host-admin: crossing; one by rt_sigqueueinfo with a made-up si_code), ptrace attach, TCP socket create/bind/listen/connect/accept, setuid and setgid, a tmpfs mount in its own mount namespace, a capability used and a PROT_EXEC mapping, from the LSM hooks of their names; a host process and an unwanted container doing the same give nothing; the trace variant on this kernel reports capable unavailable (no cap_capable tracepoint there) and loads the rest.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

MODEL_PIN="$T_BPFFS/canister-test-model-$$"
EVENTS="$T_TMP/events.jsonl"
observer=
host_pid=

# shellcheck disable=SC2317 # called from the EXIT trap
stop_all()
{
	for done_file in "$T_TMP"/done-*; do
		[ -f "$done_file" ] && kill -TERM "$(cut -d' ' -f2 "$done_file")" 2>/dev/null
	done
	[ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null
	if [ -n "$observer" ]; then
		kill -TERM "$observer" 2>/dev/null
		wait "$observer" 2>/dev/null
	fi
	rmdir "$MODEL_PIN" 2>/dev/null
}
trap 'stop_all; t_cleanup' EXIT

ip link set lo up || fail "cannot bring the loopback up"
mkdir -p /mnt
start_daemon
mkdir "$MODEL_PIN" || fail "cannot make $MODEL_PIN"
head -c 4096 /dev/urandom >"$T_TMP/lib.bin"
lib_digest=$(sha256sum "$T_TMP/lib.bin" | cut -d' ' -f1)
sleep 600 &
host_pid=$!

# workload TAG PORT [ID]: tests/tools/model-workload, on the host or as container ID, which
# is granted host-admin first (lsm mode's isolation refuses its signal to the host otherwise).
workload()
{
	wl_tag=$1 wl_port=$2 wl_id=${3:-}
	wl_cmd="model-workload $host_pid $wl_port $T_TMP/lib.bin $T_TMP/done-$wl_tag"
	if [ -n "$wl_id" ]; then
		cn run --id "$wl_id" -- sh -c "echo \$\$ >'$T_TMP/pid-$wl_tag';
			sh '$T_AWAIT' '$T_TMP/go-$wl_tag' && exec $wl_cmd" >"$T_TMP/$wl_tag.out" 2>&1 &
		wait_for_file "$T_TMP/pid-$wl_tag"
		cn grant "$wl_id" host-admin >/dev/null || fail "grant $wl_id host-admin"
		touch "$T_TMP/go-$wl_tag"
	else
		$wl_cmd >"$T_TMP/$wl_tag.out" 2>&1 &
	fi
	wait_for_line "$T_TMP/done-$wl_tag" '^(ok|failed)' "the $wl_tag workload"
	grep -q '^ok ' "$T_TMP/done-$wl_tag" || fail "the $wl_tag workload failed: $(cat "$T_TMP/$wl_tag.out")"
}

model-observe --mode lsm --identity-pin "$T_PIN" --pin "$MODEL_PIN" --contid 1071 \
	--ready "$T_TMP/ready" >"$EVENTS" 2>"$T_TMP/observe.err" &
observer=$!
poll_until "$T_WAIT" test -e "$T_TMP/ready" || fail "no observers: $(cat "$T_TMP/observe.err")"
for hook in task_kill ptrace_access_check socket_create socket_bind socket_connect socket_listen \
	socket_accept capable task_fix_setuid task_fix_setgid sb_mount move_mount mmap_file \
	file_mprotect; do
	# A connect by TCP Fast Open has no socket_connect hook: socket_sendmsg judges it too.
	want="lsm/$hook"
	[ "$hook" = socket_connect ] && want="$want, lsm/socket_sendmsg"
	grep -qx "available $hook: $want" "$T_TMP/observe.err" ||
		fail "$hook not observed by its LSM hook: $(grep " $hook: " "$T_TMP/observe.err")"
done

workload host 7070
workload unwanted 7072 1072
workload wanted 7071 1071
wait_for_line "$EVENTS" '"socket_bind": \{ "family": "2", "type": "1", "protocol": "6", "port": "7081"' \
	"the wanted container's last bind"

# has PATTERN WHAT: a line of the events matches PATTERN (grep -E); else the lines of the
# event's type, and what model-observe said, are shown.
has()
{
	grep -Eq -- "$1" "$EVENTS" && return 0
	has_type=$(printf '%s' "$1" | sed -n 's/^"\([a-z_]*\)".*/\1/p')
	grep -F "\"$has_type\": {" "$EVENTS" | cut -c1-600 | head -5 >&2
	grep -v '^available' "$T_TMP/observe.err" | head -20 >&2
	fail "$2: no event matching '$1'"
}
expect_eq "$(grep -Ev '"contid": "1071"' "$EVENTS" | head -3)" "" "only container 1071 is reported"
has '"task_kill": \{ "target": "[0-9a-f]{64}", "signal": "18", "cross_container": "0" \}' \
	"SIGCONT to the sibling"
has '"task_kill": \{ "target": "[0-9a-f]{64}", "signal": "18", "cross_container": "1" \}' \
	"SIGCONT to the host process, crossing"
has '"task_kill": \{ "target": "[0-9a-f]{64}", "signal": "28", "cross_container": "0" \}' \
	"the attack: SIGWINCH to the sibling by rt_sigqueueinfo with a made-up si_code"
has '"ptrace_access_check": \{ "target": "[0-9a-f]{64}", "mode": "18" \}' "ptrace attach"
has '"socket_create": \{ "family": "2", "type": "1", "protocol": "0", "kern": "0" \}' "socket()"
has '"socket_bind": \{ "family": "2", "type": "1", "protocol": "6", "port": "7071", "addr": "127.0.0.1" \}' \
	"the listener's bind"
has '"socket_listen": \{ "family": "2", "type": "1", "protocol": "6", "backlog": "64" \}' "listen"
has '"socket_connect": \{ "family": "2", "type": "1", "protocol": "6", "port": "7071", "addr": "127.0.0.1" \}' \
	"the connect"
has '"socket_accept": \{ "family": "2", "type": "1", "protocol": "6", "port": "7071", "addr": "127.0.0.1" \}' \
	"the accept, the listener's address"
has '"COE": \{ "uid": "0", "euid": "0", [^}]*\}, "task_fix_setuid": \{ "uid": "1000", "euid": "1000", [^}]*"flags": "2" \}' \
	"setreuid: root's COE, the new ids"
has '"task_fix_setgid": \{ "gid": "1000", "egid": "1000", [^}]*"flags": "2" \}' "setregid"
has '"sb_mount": \{ "path": \{ "pathname": "/mnt" \}, "dev_name": "cnt135", "type": "tmpfs", "flags": "0" \}' \
	"the tmpfs mount"
has '"capable": \{ "cap": "21",' "CAP_SYS_ADMIN used"
has "\"mmap_file\": \\{ \"type\": \"0\", \"reqprot\": \"5\", \"prot\": \"5\", \"flags\": \"2\", \"file\": \\{ .*\"pathname\": \"$T_TMP/lib.bin\" \\}, \"digest\": \"$lib_digest\"" \
	"the PROT_EXEC mapping, with the file's digest"

# The kernel keeps each forked process's origin (the tp_btf programs beside the LSM ones).
grep -qx 'origins: kept' "$T_TMP/observe.err" ||
	fail "origins on 6.1 (lsm): $(grep '^origins' "$T_TMP/observe.err")"
kill -TERM "$observer"
wait "$observer" || fail "model-observe exited with $?: $(tail -3 "$T_TMP/observe.err")"
observer=
grep -Eq '^counts emitted=[1-9][0-9]* over_budget=0 ring_full=0 stash_full=0 decoded=[1-9][0-9]* malformed=0' \
	"$T_TMP/observe.err" || fail "counters: $(grep '^counts' "$T_TMP/observe.err")"
expect_eq "$(ls -A "$MODEL_PIN")" "" "the observers' pins removed at close"

# The trace variant on this kernel (6.1), which has no cap_capable tracepoint (newer than 6.1):
# capable is reported unavailable with the kernel's reason, the rest load and run.
model-observe --identity-pin "$T_PIN" --contid 1071 --ready "$T_TMP/ready-trace" \
	>/dev/null 2>"$T_TMP/observe-trace.err" &
observer=$!
poll_until "$T_WAIT" test -e "$T_TMP/ready-trace" ||
	fail "the trace variant did not load: $(cat "$T_TMP/observe-trace.err")"
grep -Eq '^unavailable capable: unavailable: the kernel refuses tp_btf/cap_capable \(.+\)$' \
	"$T_TMP/observe-trace.err" || fail "capable on 6.1: $(grep ' capable: ' "$T_TMP/observe-trace.err")"
grep -qx 'origins: kept' "$T_TMP/observe-trace.err" ||
	fail "origins on 6.1 (trace): $(grep '^origins' "$T_TMP/observe-trace.err")"
expect_eq "$(grep -c '^available ' "$T_TMP/observe-trace.err")" 13 \
	"every other event is observed by the trace variant: $(grep '^unavailable' "$T_TMP/observe-trace.err")"
kill -TERM "$observer"
wait "$observer" || fail "model-observe (trace) exited with $?"
observer=
exit 0
