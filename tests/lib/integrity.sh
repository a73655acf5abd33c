# SPDX-License-Identifier: GPL-2.0-only
# canister: what the integrity cases share (sourced after harness.sh).
#
# integrity_setup POLICY: canisterd's config with integrity on and POLICY (its text) as the
# default policy; $FS a tmpfs of its own for the files containers run, $LISTS integrity_dir.
# The case's trap unmounts $FS (integrity_cleanup).  Uses integrity_config, below.
integrity_setup()
{
	command -v evmctl >/dev/null || fail "evmctl is missing: install the Debian package ima-evm-utils"
	FS=$T_TMP/fs
	mkdir -p "$FS"
	mount -t tmpfs none "$FS" || fail "cannot mount a tmpfs"
	integrity_config "$1" 10000
}

# integrity_cleanup MOUNT...: a case's EXIT trap (trap 'integrity_cleanup "$FS"' EXIT):
# stops canisterd, then unmounts each MOUNT and cleans up (t_cleanup) whether or not the stop
# succeeded: a stop that fails (fail exits, and an exit in a trap ends it) must not leave the
# case's filesystems mounted.  The case still fails when the stop did.
integrity_cleanup()
{
	ic_status=$?
	kill_started
	stop_daemon_status
	ic_stop=$?
	for ic_mount in "$@"; do
		umount "$ic_mount" 2>/dev/null
	done
	t_cleanup
	if [ "$ic_stop" -ne 0 ]; then
		echo "$T_NAME: canisterd exited with status $ic_stop on SIGTERM" >&2
		ic_status=1
	fi
	exit "$ic_status"
}

# integrity_config POLICY DEADLINE_MS: only the config (no evmctl, no $FS: the VM has neither).
integrity_config()
{
	LISTS=$T_TMP/integrity
	printf '%s' "$1" >"$T_TMP/policy"
	chmod 600 "$T_TMP/policy"
	cat >>"$T_CONF" <<CONF
integrity = on
integrity_policy = $T_TMP/policy
integrity_dir = $LISTS
integrity_deadline_ms = $2
CONF
}

# integrity_counter NAME: integrity's counter NAME in `canister status --json` (grep and cut:
# the VM has no jq).
integrity_counter()
{
	cn status --json | grep -o "\"$1\":[0-9]*" | cut -d: -f2
}

# integrity_listed LIST FILE [N]: LIST (an ascii list) exists and names FILE at least N times
# (default 1); entries of a mapping are recorded after it, so cases wait for them with this.
integrity_listed()
{
	[ -e "$1" ] && [ "$(awk -v f="$2" '$5 == f' "$1" | wc -l)" -ge "${3:-1}" ]
}

# integrity_verify DIR WHAT: stock evmctl replays DIR's binary list into each bank's PCR 10
# alone, then both (docs/integrity.md: 1.4 given both reports the last bank only).
integrity_verify()
{
	for iv_pcrs in "--pcrs sha1,$1/pcrs-sha1" "--pcrs sha256,$1/pcrs-sha256" \
		"--pcrs sha1,$1/pcrs-sha1 --pcrs sha256,$1/pcrs-sha256"; do
		# shellcheck disable=SC2086 # the options split on purpose
		evmctl ima_measurement --ignore-violations $iv_pcrs "$1/binary_runtime_measurements" \
			>"$T_TMP/evmctl.out" 2>&1 ||
			fail "$2: evmctl refused the list with $iv_pcrs: $(cat "$T_TMP/evmctl.out")"
		grep -q 'Matched per TPM bank calculated digest(s)' "$T_TMP/evmctl.out" ||
			fail "$2: evmctl did not match $iv_pcrs: $(cat "$T_TMP/evmctl.out")"
	done
}
