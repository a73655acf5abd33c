# SPDX-License-Identifier: GPL-2.0-only
# The trace-mode model cases' common part (host 182, 183, 184, 190, 191): sourced after harness.sh and
# integrity.sh.

# model_trace_start [CLEANUP]: canisterd with a measuring policy, in trace mode (or the case
# fails: these hosts have no BPF LSM); at the exit CLEANUP (a command), then the integrity state's.
model_trace_start()
{
	integrity_config 'measure func=BPRM_CHECK
' 10000
	# shellcheck disable=SC2064 # CLEANUP is the caller's, expanded now
	trap "${1:+$1; }integrity_cleanup" EXIT
	start_daemon
	expect_match "$(cn status)" '^mode: trace$' "mode"
}

# run_in ID ARGS...: cn run --id ID ARGS; exit status in $status, lines in $said.
run_in()
{
	local id=$1

	shift
	status=0
	said=$(cn run --id "$id" "$@") || status=$?
}

# tool_path NAME: the test tool NAME's absolute path (cn run starts it in the container), or the
# case fails.
tool_path()
{
	local t="${CANISTER_TOOLS:+$CANISTER_TOOLS/}$1"

	command -v "$t" >/dev/null || fail "no $t (make test-host builds it)"
	command -v "$t"
}
