# SPDX-License-Identifier: GPL-2.0-only
# The binaries under test carry Debian's hardening: PIE, full RELRO with BIND_NOW,
# stack protector, _FORTIFY_SOURCE (the Makefile's default; dpkg-buildflags' in the package).
. "$(dirname "$0")/../lib/harness.sh"

# hardened BINARY: readelf's view, then hardening-check's (devscripts) where it is installed.
hardened()
{
	command -v readelf >/dev/null || fail "readelf (binutils) is missing"
	expect_match "$(readelf -hW "$1")" 'Type: +DYN ' "$1: position independent"
	dyn=$(readelf -dW "$1")
	expect_match "$dyn" '\(FLAGS_1\) .*PIE' "$1: PIE flag"
	expect_match "$dyn" '\(BIND_NOW\)|\(FLAGS\) .*BIND_NOW|\(FLAGS_1\) .*NOW' "$1: BIND_NOW"
	expect_match "$(readelf -lW "$1")" 'GNU_RELRO' "$1: RELRO segment"
	syms=$(readelf --dyn-syms -W "$1")
	expect_match "$syms" ' __stack_chk_fail' "$1: stack protector"
	expect_match "$syms" ' __[a-z_]+_chk' "$1: fortified functions"
	if command -v hardening-check >/dev/null; then
		# Control-flow protection is not in Debian 12's default flags.
		hardening-check --nocfprotection "$1" >"$T_TMP/hc" 2>&1 ||
			fail "hardening-check $1: $(cat "$T_TMP/hc")"
	fi
}

for bin in "$CANISTERD" "$CANISTER" "${CANISTER_HOOK:-$(dirname "$CANISTER")/canister-oci-hook}"; do
	hardened "$bin"
done
