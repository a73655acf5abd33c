# SPDX-License-Identifier: GPL-2.0-only
# canister: helpers for shell test cases (host and VM layers); POSIX sh, so busybox runs it too.
#
# A case script sources this file, calls start_daemon, asserts, and exits 0 on
# success.  Each case gets its own temporary directory, bpffs pin path and
# control socket, and the EXIT trap stops its daemon and removes its pins, so
# cases never see each other's state or the host's real configuration.
#
# The runner exports CANISTERD and CANISTER (binaries under test).

: "${CANISTERD:?CANISTERD must name the canisterd binary}"
: "${CANISTER:?CANISTER must name the canister binary}"
: "${T_BPFFS:=/sys/fs/bpf}"
: "${T_DAEMON_WAIT:=60}"

T_NAME=$(basename "$0" .sh)
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/canister-$T_NAME.XXXXXX") || exit 1
T_PIN="$T_BPFFS/canister-test-$T_NAME-$$"
T_SOCK="$T_TMP/control.sock"
T_CONF="$T_TMP/canister.conf"
T_LOG="$T_TMP/daemon.log"
T_AUDIT="$T_TMP/audit.log"
T_DAEMON_PID=

cat >"$T_CONF" <<CONF
# written by tests/lib/harness.sh for $T_NAME
pin_path = $T_PIN
control_socket = $T_SOCK
audit_log = $T_AUDIT
log_level = debug
CONF

fail()
{
	echo "$T_NAME: $*" >&2
	if [ -s "$T_LOG" ]; then
		echo "--- daemon log ($T_LOG) ---" >&2
		tail -n 30 "$T_LOG" >&2
	fi
	exit 1
}

# cn ARGS...: the CLI, talking to this case's daemon.
cn()
{
	"$CANISTER" --socket "$T_SOCK" "$@"
}

# tool NAME ARGS...: a test tool from tests/tools ($CANISTER_TOOLS on the host, $PATH in the VM).
tool()
{
	name=$1
	shift
	"${CANISTER_TOOLS:+$CANISTER_TOOLS/}$name" "$@"
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq()
{
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_match TEXT PATTERN WHAT (grep -E pattern)
expect_match()
{
	printf '%s\n' "$1" | grep -Eq -- "$2" || fail "$3: '$2' not found in: $1"
}

# start_daemon [ARGS...]: starts canisterd in the foreground with this case's
# config and waits until `canister status` answers.
start_daemon()
{
	"$CANISTERD" -f -c "$T_CONF" "$@" >>"$T_LOG" 2>&1 &
	T_DAEMON_PID=$!
	waited=0
	while ! cn status >/dev/null 2>&1; do
		if ! kill -0 "$T_DAEMON_PID" 2>/dev/null; then
			wait "$T_DAEMON_PID"
			T_DAEMON_PID=
			fail "canisterd exited during start-up"
		fi
		waited=$((waited + 1))
		[ "$waited" -le $((T_DAEMON_WAIT * 10)) ] || fail "canisterd did not answer within ${T_DAEMON_WAIT}s"
		sleep 0.1
	done
}

# stop_daemon: SIGTERM and wait; fails the case if the daemon does not exit cleanly.
stop_daemon()
{
	[ -n "$T_DAEMON_PID" ] || return 0
	kill -TERM "$T_DAEMON_PID" 2>/dev/null
	wait "$T_DAEMON_PID"
	status=$?
	T_DAEMON_PID=
	[ "$status" -eq 0 ] || fail "canisterd exited with status $status on SIGTERM"
}

# wait_for_file PATH [SECONDS]: waits until PATH exists and is not empty.
wait_for_file()
{
	waited=0
	while [ ! -s "$1" ]; do
		waited=$((waited + 1))
		[ "$waited" -le $((${2:-20} * 10)) ] || fail "$1 did not appear"
		sleep 0.1
	done
}

# expect_record PATTERN WHAT [SECONDS]: waits until canister's audit log has a
# line matching PATTERN (grep -E); records of exits arrive asynchronously.
expect_record()
{
	waited=0
	while ! grep -Eq -- "$1" "$T_AUDIT" 2>/dev/null; do
		waited=$((waited + 1))
		if [ "$waited" -gt $((${3:-10} * 10)) ]; then
			echo "--- audit log ($T_AUDIT) ---" >&2
			tail -n 20 "$T_AUDIT" >&2 2>/dev/null
			fail "$2: no record matching '$1'"
		fi
		sleep 0.1
	done
}

# no_record PATTERN WHAT: the audit log has no line matching PATTERN.
no_record()
{
	! grep -Eq -- "$1" "$T_AUDIT" 2>/dev/null || fail "$2: unexpected record: $(grep -E -- "$1" "$T_AUDIT")"
}

t_cleanup()
{
	if [ -n "$T_DAEMON_PID" ]; then
		kill -TERM "$T_DAEMON_PID" 2>/dev/null
		wait "$T_DAEMON_PID" 2>/dev/null
	fi
	"$CANISTERD" --unload -c "$T_CONF" >/dev/null 2>&1
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

# kernel_audit_free: fail unless the kernel audit stream is free for canisterd (no living audit
# daemon holds it); sets T_AUDIT_WAS_ENABLED, which the case checks is restored at the end.
kernel_audit_free()
{
	command -v auditctl >/dev/null || fail "auditctl (Debian auditd) is missing; scripts/install-deps installs it"
	_status=$(auditctl -s) || fail "auditctl -s: kernel audit unavailable"
	_holder=$(printf '%s\n' "$_status" | awk '$1 == "pid" { print $2 }')
	if [ "${_holder:-0}" != 0 ] && kill -0 "$_holder" 2>/dev/null; then
		fail "audit daemon pid $_holder already owns the kernel audit stream; this case needs it free"
	fi
	T_AUDIT_WAS_ENABLED=$(printf '%s\n' "$_status" | awk '$1 == "enabled" { print $2 }')
}

# kernel_audit_restored: after stop_daemon, the kernel's audit pid is 0 again and its enabled
# flag what kernel_audit_free found.
kernel_audit_restored()
{
	expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" 0 "audit pid released"
	expect_eq "$(auditctl -s | awk '$1 == "enabled" { print $2 }')" "$T_AUDIT_WAS_ENABLED" "enabled flag restored"
}
