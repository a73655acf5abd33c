# SPDX-License-Identifier: GPL-2.0-only
# canister: integrity_tpm = swtpm: a container's swtpm follows its list; a quote of its PCR 10
# checks out with stock tpm2_checkquote and equals the replay of the list; a changed nonce fails;
# the swtpm goes when the container is dropped, and every swtpm goes when canisterd stops; after
# a restart a live container's swtpm is started again on its state (the same AK), PCR 10 replays
# the whole reloaded list with its canister_restart entry, and a quote checks out again.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v swtpm >/dev/null || fail "swtpm is missing: install the Debian package swtpm"
command -v tpm2_checkquote >/dev/null || fail "tpm2_checkquote is missing: install tpm2-tools"
integrity_setup 'measure func=BPRM_CHECK
'
echo "integrity_tpm = swtpm" >>"$T_CONF"
trap 'integrity_cleanup "$FS"' EXIT
for f in a b c e; do cp /bin/true "$FS/$f"; done
printf '\n' >>"$FS/e"
mkfifo "$T_TMP/go" "$T_TMP/go2" "$T_TMP/go3"
# pcr10 BANK: PCR 10 of the software PCR file canisterd published.
pcr10() { awk '$1 == "PCR-10:" { print $2 }' "$LISTS/710/pcrs-$1"; }
listed() { [ "$(cat "$LISTS/710/ascii_runtime_measurements" 2>/dev/null | wc -l)" -ge "$1" ]; }

start_daemon
grep -q "integrity: measuring.*a swtpm per container" "$T_LOG" ||
	fail "canisterd did not start with a swtpm per container: $(cat "$T_LOG")"

# Three files run, then the container waits (alive) for the quote.
cn run --id 710 -- sh -c "'$FS/a'; '$FS/b'; '$FS/c'; read x <'$T_TMP/go'" &
runner=$!
started "$runner"
# boot_aggregate, sh, a, b, c
wait_until "the container's five entries" listed 5
[ -n "$(swtpm_of 710)" ] || fail "no swtpm for container 710"
[ -s "$LISTS/710/tpm/ak.pem" ] || fail "the AK's public key is not kept in $LISTS/710/tpm"

nonce=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
cn integrity quote 710 --nonce "$nonce" --out "$T_TMP/q" >"$T_TMP/quote.out" ||
	fail "integrity quote failed: $(cat "$T_TMP/quote.out")"
for f in quote.msg quote.sig ak.pem pcrs.out; do
	[ -s "$T_TMP/q/$f" ] || fail "integrity quote wrote no $f"
done
cmp -s "$T_TMP/q/ak.pem" "$LISTS/710/tpm/ak.pem" || fail "the quote's AK is not the one kept"
tpm2_checkquote -u "$T_TMP/q/ak.pem" -m "$T_TMP/q/quote.msg" -s "$T_TMP/q/quote.sig" \
	-f "$T_TMP/q/pcrs.out" -g sha256 -q "$nonce" >"$T_TMP/check.out" 2>&1 ||
	fail "tpm2_checkquote refused the quote: $(cat "$T_TMP/check.out")"

# The quoted PCR 10 is the list's replay: the software PCRs evmctl checks against the list.
integrity_verify "$LISTS/710" "container 710's list"
entries=$(wc -l <"$LISTS/710/ascii_runtime_measurements")
q() { awk -v k="$1:" '$1 == k { print $2 }' "$T_TMP/quote.out"; }
expect_eq "$(q pcr10_sha256)" "$(pcr10 sha256)" "the TPM's PCR 10 (sha256) against the list's"
expect_eq "$(q pcr10_sha1)" "$(pcr10 sha1)" "the TPM's PCR 10 (sha1) against the list's"
grep -qi "10: 0x$(pcr10 sha256)" "$T_TMP/check.out" ||
	fail "tpm2_checkquote did not show the list's PCR 10: $(cat "$T_TMP/check.out")"
expect_eq "$(q extends)" "$entries" "extends against the list's entries"
# The TPM's own count: libtpms adds one per bank an extend changes (two banks).
counter=$(q pcr_update_counter)
at_start=$(awk '$1 == "pcr_update_counter:" { print $3 }' "$T_TMP/quote.out" | tr -d '(')
expect_eq "$((counter - at_start))" "$((2 * entries))" "the TPM's PCR update counter"

# Another nonce: the same files do not verify.
other=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
tpm2_checkquote -u "$T_TMP/q/ak.pem" -m "$T_TMP/q/quote.msg" -s "$T_TMP/q/quote.sig" \
	-f "$T_TMP/q/pcrs.out" -g sha256 -q "$other" >"$T_TMP/check2.out" 2>&1 &&
	fail "tpm2_checkquote accepted another nonce"
# A nonce that is no hex, and a container without a TPM (none is running as 719).
out=$(cn integrity quote 710 --nonce xyz --out "$T_TMP/q" 2>&1) && fail "a bad nonce passed: $out"
out=$(cn integrity quote 719 --nonce "$nonce" --out "$T_TMP/q9" 2>&1) &&
	fail "a quote of no container: $out"

cp /bin/true "$FS/d"
# The container is dropped when its last process exits: its swtpm goes with it.
echo go >"$T_TMP/go"
wait "$runner"
wait_until "container 710's swtpm stopped after its drop" no_swtpm 710
grep -q "container 710 dropped: its swtpm" "$T_LOG" || fail "no log line for the drop's swtpm"

# A container alive when canisterd stops: its swtpm stops with canisterd.
cn run --id 711 -- sh -c "'$FS/d'; read x <'$T_TMP/go2'; '$FS/e'; read x <'$T_TMP/go3'" &
runner=$!
started "$runner"
# Its list holds d's entry (queued for the TPM before it was written) before it is quoted.
wait_until "container 711's entry for d" grep -q " $FS/d\$" "$LISTS/711/ascii_runtime_measurements"
wait_until "container 711's swtpm" has_swtpm 711
integrity_quote 711 "before the restart"
cp "$IQ_DIR/ak.pem" "$T_TMP/ak-711-before"
tpm2_print -t TPMS_ATTEST "$IQ_DIR/quote.msg" >"$T_TMP/attest-before" ||
	fail "tpm2_print cannot read the quote"
entries_before=$(wc -l <"$LISTS/711/ascii_runtime_measurements")
stop_daemon
no_swtpm 711 || fail "swtpm $(swtpm_of 711) outlived canisterd"

# Restarted: the live container's list is reloaded with a canister_restart entry, and its swtpm
# is started again on the same state directory.  swtpm's startup-clear leaves PCR 10 zero, so
# canisterd extends it with the whole reloaded list again: PCR 10 is the replay of the list,
# the restart entry (0xff in each bank) included, and the AK (a primary key of the same
# endorsement seed) is the one a verifier saw before.
start_daemon
wait_for_line "$T_LOG" "integrity: container 711: [0-9]+ entries reloaded, canister_restart added" \
	"container 711's reload"
wait_until "container 711's swtpm after the restart" has_swtpm 711
expect_eq "$(wc -l <"$LISTS/711/ascii_runtime_measurements")" "$((entries_before + 1))" \
	"container 711's entries after the reload"
expect_match "$(tail -1 "$LISTS/711/ascii_runtime_measurements")" " canister_restart\$" \
	"container 711's last entry after the reload"
integrity_quote 711 "after the restart"
cmp -s "$IQ_DIR/ak.pem" "$T_TMP/ak-711-before" ||
	fail "container 711's AK changed across the restart"
cmp -s "$IQ_DIR/ak.pem" "$LISTS/711/tpm/ak.pem" || fail "the quote's AK is not the one kept"
tpm2_print -t TPMS_ATTEST "$IQ_DIR/quote.msg" >"$T_TMP/attest-after" ||
	fail "tpm2_print cannot read the quote after the restart"
# The quote itself says that its TPM was reset: swtpm keeps resetCount in its state, and each
# start (TPM2_Startup(CLEAR) after a reset) adds one.  The signer (the AK's name) is the same.
attested() { awk -v k="$1:" '$1 == k { print $2 }' "$2"; }
expect_eq "$(attested resetCount "$T_TMP/attest-after")" \
	"$(($(attested resetCount "$T_TMP/attest-before") + 1))" "the quote's resetCount after the restart"
expect_eq "$(attested qualifiedSigner "$T_TMP/attest-after")" \
	"$(attested qualifiedSigner "$T_TMP/attest-before")" "the quote's signer after the restart"
# It goes on: a new file's entry extends the same swtpm, and the quote follows.
echo go >"$T_TMP/go2"
wait_until "container 711's entry for e" grep -q " $FS/e\$" "$LISTS/711/ascii_runtime_measurements"
integrity_quote 711 "after an exec following the restart"
expect_eq "$(wc -l <"$LISTS/711/ascii_runtime_measurements")" "$((entries_before + 2))" \
	"container 711's entries after e"
stop_daemon
no_swtpm 711 || fail "swtpm $(swtpm_of 711) outlived the second canisterd"
echo go >"$T_TMP/go3"
wait "$runner"
