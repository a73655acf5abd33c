# SPDX-License-Identifier: GPL-2.0-only
# canister: the OCI hook names the state's pid as the runtime's init (exempt from the model until
# it executes the workload) only at the creating stages.  Run later (poststart: status
# "running"), the pid is the workload itself: named, it would go unmodelled until its next exec.
# Here a shell registered through the hook reads a file without executing anything: with status
# "creating" it is runc init's stand-in and its read is not learned; with status "running" the
# read is learned.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"
integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# learned_read CONTID STATUS STAGE: a waiting shell registered by the hook with a learning model,
# then released to read $T_TMP/secret-CONTID; prints whether the model holds that open.
learned_read()
{
	mkfifo "$T_TMP/go-$1"
	echo x >"$T_TMP/secret-$1"
	sh -c "read x <'$T_TMP/go-$1'; read y <'$T_TMP/secret-$1'; echo done >'$T_TMP/done-$1'" &
	lr_pid=$!
	started "$lr_pid"
	wait_until "shell $lr_pid waits" execed "$lr_pid" "go-$1"
	printf '{"ociVersion":"1.0.2","id":"c%s","status":"%s","bundle":"/b","pid":%d,"annotations":{"org.canister.contid":"%s","org.canister.model":"learn"}}' \
		"$1" "$2" "$lr_pid" "$1" | "$CANISTER_HOOK" --socket "$T_SOCK" "$3" >"$T_TMP/hook-$1" 2>&1 ||
		fail "the hook at $3 failed: $(cat "$T_TMP/hook-$1")"
	echo go >"$T_TMP/go-$1"
	wait_for_file "$T_TMP/done-$1"
	wait "$lr_pid"
	cn model "$1" events >"$T_TMP/events-$1" || fail "no model for container $1"
	if grep -q "\"pathname\": *\"$T_TMP/secret-$1\"" "$T_TMP/events-$1"; then echo learned; else echo not; fi
}

expect_eq "$(learned_read 1531 creating createRuntime)" not \
	"the named init's read before any exec (status creating)"
expect_eq "$(learned_read 1532 running poststart)" learned \
	"the workload's read when the hook ran after the start (status running)"
