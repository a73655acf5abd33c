# SPDX-License-Identifier: GPL-2.0-only
# canister: swtpms of nested containers: a nested container's entries go into its own list and
# its ancestor's, and extend each one's swtpm; both quote, both check out with tpm2_checkquote,
# each equals its own list's replay, and each one's extends equal its own entries.  A nested
# container its orchestrator gave no TPM still extends the ancestor's.  Then a quote that times
# out (test switch CANISTERD_TEST_QUOTE_DELAY_MS): the caller is told, the late answer is
# discarded by the TPM thread, which frees its wait record, and canisterd stops cleanly.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v swtpm >/dev/null || fail "swtpm is missing: install the Debian package swtpm"
command -v tpm2_checkquote >/dev/null || fail "tpm2_checkquote is missing: install tpm2-tools"
integrity_setup 'measure func=BPRM_CHECK
'
echo "integrity_tpm = swtpm" >>"$T_CONF"
trap 'integrity_cleanup "$FS"' EXIT
for f in a b c d; do cp /bin/true "$FS/$f"; done
for f in b c d; do printf '%s\n' "$f" >>"$FS/$f"; done
mkfifo "$T_TMP/go" "$T_TMP/end0" "$T_TMP/end1" "$T_TMP/end2"

# in_list CONTID FILE: the number of CONTID's entries for FILE.
in_list() { awk -v f="$FS/$2" '$5 == f' "$LISTS/$1/ascii_runtime_measurements" | wc -l; }

# The orchestrator in container 1050, delegated: it runs a, then nested 1051 (b, c) with the
# default swtpm and nested 1052 (d) with none.  Everyone waits on a fifo (read is a shell
# builtin: nothing is executed, so no entry comes while the quotes are made).
cat >"$T_TMP/outer.sh" <<SCRIPT
cn() { "$CANISTER" --socket "$T_SOCK" "\$@"; }
'$FS/a'
echo \$\$ >"$T_TMP/outer.pid"
read x <"$T_TMP/go"
cn run --id 1051 -- sh -c "'$FS/b'; '$FS/c'; echo ok >'$T_TMP/inner1.ready'; read x <'$T_TMP/end1'" &
cn run --id 1052 --integrity-tpm none -- sh -c "'$FS/d'; echo ok >'$T_TMP/inner2.ready'; read x <'$T_TMP/end2'" &
wait
read x <"$T_TMP/end0"
SCRIPT

start_daemon
cn run --id 1050 -- sh "$T_TMP/outer.sh" &
runner=$!
started "$runner"
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate failed"
echo go >"$T_TMP/go"
wait_for_file "$T_TMP/inner1.ready"
wait_for_file "$T_TMP/inner2.ready"

# Each file once in each list whose policy matched: the nested ones in their ancestor's too.
for f in a b c d; do expect_eq "$(in_list 1050 $f)" 1 "1050's entries for $f"; done
for f in b c; do expect_eq "$(in_list 1051 $f)" 1 "1051's entries for $f"; done
for f in a d; do expect_eq "$(in_list 1051 $f)" 0 "1051's entries for $f"; done
expect_eq "$(in_list 1052 d)" 1 "1052's entries for d"
expect_eq "$(cn integrity tpm 1052)" none "the choice of 1052's orchestrator"

integrity_quote 1051 "the nested container"
cp "$IQ_DIR/ak.pem" "$T_TMP/ak-1051"
integrity_quote 1050 "its ancestor, after the nested entries"
# Two swtpms, two AKs: a verifier cannot take one container's quote for the other's.
cmp -s "$IQ_DIR/ak.pem" "$T_TMP/ak-1051" && fail "1050 and 1051 quote with the same AK"
[ "$(swtpm_of 1050)" != "$(swtpm_of 1051)" ] || fail "1050 and 1051 share a swtpm"
no_swtpm 1052 || fail "nested container 1052 chose none and has swtpm $(swtpm_of 1052)"
out=$(cn integrity quote 1052 --nonce 00 --out "$T_TMP/q1052" 2>&1) &&
	fail "a quote of a nested container without a TPM: $out"
expect_match "$out" "container 1052 has no TPM" "the quote of 1052"
# The orchestrator reads its nested containers' lists, and may quote them too.
out=$(cn run --id 1050 -- "$CANISTER" --socket "$T_SOCK" integrity quote 1051 --nonce 0102 --out "$T_TMP/q-inside" 2>&1) ||
	fail "a process of 1050 could not quote nested 1051: $out"
[ -s "$T_TMP/q-inside/quote.msg" ] || fail "the quote from inside wrote no quote.msg"

# A quote that times out.  The test switch holds every quote on the TPM thread for 6 s, past
# the request's 5 s: the caller gets ETIMEDOUT, and the thread, answering later, finds the wait
# record its caller gave up and frees it (before the fix it was leaked: nothing logged this).
stop_daemon
export CANISTERD_TEST_QUOTE_DELAY_MS=6000
start_daemon
unset CANISTERD_TEST_QUOTE_DELAY_MS
grep -q "CANISTERD_TEST_QUOTE_DELAY_MS=6000: test switch on" "$T_LOG" ||
	fail "the test switch was not logged: $(grep integrity: "$T_LOG")"
expect_match "$(cn status)" "warning: test switch CANISTERD_TEST_QUOTE_DELAY_MS=6000 is on" \
	"the test switch in status"
wait_for_line "$T_LOG" "integrity: container 1051: [0-9]+ entries reloaded" "1051's reload"
out=$(cn integrity quote 1051 --nonce 0304 --out "$T_TMP/q-late" 2>&1) &&
	fail "a quote delayed past the wait succeeded: $out"
expect_match "$out" "container 1051: no quote within 5000 ms \\(the TPM thread is busy\\)" \
	"the timed-out quote"
[ ! -e "$T_TMP/q-late/quote.msg" ] || fail "a timed-out quote wrote a quote"
wait_for_line "$T_LOG" \
	"integrity: container 1051: a quote was answered [0-9]+ ms after it was asked, after its caller stopped waiting; discarded" \
	"the late answer discarded by the TPM thread"
cn status >/dev/null || fail "canisterd does not answer after a late quote"
stop_daemon
for c in 1050 1051; do no_swtpm $c || fail "swtpm $(swtpm_of $c) outlived canisterd"; done
for f in end1 end2 end0; do echo go >"$T_TMP/$f"; done
wait "$runner"
