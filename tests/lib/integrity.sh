# SPDX-License-Identifier: GPL-2.0-only
# canister: what the integrity cases share (sourced after harness.sh).
#
# integrity_setup POLICY: canisterd's config with integrity on and POLICY (its text) as the
# default policy; $FS a tmpfs of its own for the files containers run, $LISTS integrity_dir.
# The case's trap unmounts $FS.  Uses integrity_config, below.
integrity_setup()
{
	command -v evmctl >/dev/null || fail "evmctl is missing: install the Debian package ima-evm-utils"
	FS=$T_TMP/fs
	mkdir -p "$FS"
	mount -t tmpfs none "$FS" || fail "cannot mount a tmpfs"
	integrity_config "$1" 10000
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

# ima_cert DIR NAME KEYSPEC [openssl req options]: a self-signed certificate for appraisal,
# DIR/NAME.key, DIR/NAME.pem and DIR/NAME.der, subject "CN=canister $T_NAME NAME".
ima_cert()
{
	ic_dir=$1 ic_name=$2 ic_spec=$3
	shift 3
	openssl req -x509 -newkey "$ic_spec" -nodes -keyout "$ic_dir/$ic_name.key" \
		-out "$ic_dir/$ic_name.pem" -days 2 -subj "/CN=canister ${T_NAME%%-*} $ic_name" "$@" \
		2>"$T_TMP/openssl.err" || fail "openssl req $ic_name: $(cat "$T_TMP/openssl.err")"
	openssl x509 -in "$ic_dir/$ic_name.pem" -outform DER -out "$ic_dir/$ic_name.der" ||
		fail "DER of $ic_name"
}
