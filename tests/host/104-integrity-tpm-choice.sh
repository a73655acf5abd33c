# SPDX-License-Identifier: GPL-2.0-only
# canister: integrity_tpm per container: the config's value is the default; `canister run
# --integrity-tpm`, `canister integrity tpm N none|swtpm` (before the first exec, as a policy)
# choose otherwise.  A container with none beside one with a swtpm: no swtpm and no quote for the
# first, a quote that checks out for the second.  A choice changed before the first exec stops
# the swtpm that was started and gives a new one that replays the list.  The choices survive a
# restart under another default.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v swtpm >/dev/null || fail "swtpm is missing: install the Debian package swtpm"
command -v tpm2_checkquote >/dev/null || fail "tpm2_checkquote is missing: install tpm2-tools"
integrity_setup 'measure func=BPRM_CHECK
'
echo "integrity_tpm = swtpm" >>"$T_CONF"
trap 'integrity_cleanup "$FS"' EXIT
for f in a b; do cp /bin/true "$FS/$f"; done
mkfifo "$T_TMP/go0" "$T_TMP/go1" "$T_TMP/go2" "$T_TMP/go5" "$T_TMP/go6" "$T_TMP/go7"
: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"

# listed CONTID N: container CONTID's list has N entries at least.
listed() { [ "$(cat "$LISTS/$1/ascii_runtime_measurements" 2>/dev/null | wc -l)" -ge "$2" ]; }

start_daemon
grep -q "integrity: measuring.*a swtpm per container" "$T_LOG" ||
	fail "canisterd did not start with a swtpm per container by default: $(cat "$T_LOG")"

# 1040 chose none, 1041 has the default (swtpm).  Each runs a (1041 b too) and stays alive.
cn run --id 1040 --integrity-tpm none -- sh -c "'$FS/a'; read x <'$T_TMP/go0'" &
started $!
cn run --id 1041 -- sh -c "'$FS/a'; '$FS/b'; read x <'$T_TMP/go1'" &
started $!
# boot_aggregate, sh, a (and b)
wait_until "container 1040's entries" listed 1040 3
wait_until "container 1041's entries" listed 1041 4
expect_eq "$(cn integrity tpm 1040)" none "integrity tpm prints 1040's choice"
expect_eq "$(cn integrity tpm 1041)" swtpm "integrity tpm prints 1041's (the default)"
expect_eq "$(cat "$LISTS/1040/integrity_tpm")" none "1040's saved choice"
integrity_quote 1041 "beside a container without a TPM"
# The quote was queued behind every extend queued before it: a swtpm for 1040 would exist now.
no_swtpm 1040 || fail "container 1040 chose none and has swtpm $(swtpm_of 1040)"
[ ! -e "$LISTS/1040/tpm" ] || fail "container 1040 chose none and has a TPM state directory"
integrity_verify "$LISTS/1040" "container 1040's list (measured all the same)"
out=$(cn integrity quote 1040 --nonce 0011 --out "$T_TMP/q1040" 2>&1) &&
	fail "a quote of a container without a TPM: $out"
expect_match "$out" "container 1040 has no TPM \\(its integrity_tpm is none" "the refused quote"
[ ! -e "$T_TMP/q1040/quote.msg" ] || fail "a refused quote wrote a quote"

# After the first exec the choice is taken: refused, and nothing changes.
pid_1041=$(swtpm_of 1041)
out=$(cn integrity tpm 1041 none 2>&1) && fail "a TPM choice after the first exec: $out"
expect_match "$out" "container 1041 has run already .*its TPM is chosen before its first exec" \
	"the refusal after the first exec"
expect_eq "$(cn integrity tpm 1041)" swtpm "1041's choice after the refusal"
expect_eq "$(swtpm_of 1041)" "$pid_1041" "1041's swtpm after the refusal"
# Bad words: a usage error, nothing sent or registered.
out=$(cn integrity tpm 1041 tpm 2>&1)
expect_eq "$?" 2 "the exit status of a bad TPM word"
expect_eq "$out" "canister: integrity tpm: 'tpm' is no TPM choice (none or swtpm)" "a bad TPM word"
out=$(cn run --id 1049 --integrity-tpm SWTPM -- true 2>&1)
expect_eq "$?" 125 "run --integrity-tpm with a bad word"
expect_eq "$out" "canister: --integrity-tpm: 'SWTPM' is no TPM choice (none or swtpm)" \
	"run --integrity-tpm's bad word"
[ ! -e "$LISTS/1049" ] || fail "a list for a container that never ran"
# A process in a container chooses no TPM, not even its own container's.
out=$(cn run --id 1048 -- "$CANISTER" --socket "$T_SOCK" integrity tpm 1048 none 2>&1) &&
	fail "a container chose its own TPM: $out"
expect_match "$out" "only the host's audit administrator or the orchestrator that registered container 1048 may set its policy or its TPM" \
	"a container's own choice"

# Before the first exec the choice can change: a shell registered with `canister set` waits.
sh -c "read x <'$T_TMP/go2'; '$FS/b'; read x <'$T_TMP/go2'" &
waiter=$!
started "$waiter"
wait_until "the waiting shell's exec" execed "$waiter" go2
cn set "$waiter" 1042 >/dev/null || fail "cannot register the waiting shell"
# Printing the choice makes its list, and its swtpm starts with the boot_aggregate.
expect_eq "$(cn integrity tpm 1042)" swtpm "1042's default choice"
wait_until "container 1042's first swtpm" has_swtpm 1042
first=$(swtpm_of 1042)
out=$(cn integrity tpm 1042 none 2>&1) || fail "none before the first exec was refused: $out"
wait_until "container 1042's swtpm stopped by its choice of none" no_swtpm 1042
wait_for_line "$T_LOG" "integrity: container 1042: swtpm $first stopped: its TPM is now none" \
	"the log line of the stop"
cn --json integrity tpm 1042 swtpm >"$T_TMP/1042.json" || fail "swtpm before the first exec was refused"
expect_eq "$(cat "$T_TMP/1042.json")" '{"contid":"1042","tpm":"swtpm"}' "integrity tpm --json"
echo go >"$T_TMP/go2"
wait_until "container 1042's entry for b" grep -q " $FS/b\$" "$LISTS/1042/ascii_runtime_measurements"
# A new swtpm (PCR 10 cleared) replayed the list from its boot_aggregate: extends = entries.
integrity_quote 1042 "after a choice changed before the first exec"
[ "$(swtpm_of 1042)" != "$first" ] || fail "1042's swtpm was not a new one"
echo go >"$T_TMP/go2"
wait "$waiter" || fail "the registered shell failed"

# The OCI hook: the annotation org.canister.integrity-tpm chooses before the workload's first
# exec (the hook runs before it).  A value that is no choice registers nothing.
hook_state() # PID CONTID TPM: a runtime's state document with the two annotations
{
	printf '{"ociVersion":"1.0.2","id":"c%s","status":"creating","bundle":"/b","pid":%d,"annotations":{"org.canister.contid":"%s","org.canister.integrity-tpm":"%s"}}' \
		"$2" "$1" "$2" "$3"
}
sh -c "read x <'$T_TMP/go7'; '$FS/b'; read x <'$T_TMP/go7'" &
workload=$!
started "$workload"
wait_until "the workload's exec" execed "$workload" go7
out=$(hook_state "$workload" 1047 tpm2 | "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime 2>&1) &&
	fail "the hook accepted integrity-tpm tpm2: $out"
expect_eq "$out" "canister-oci-hook: state annotation \"org.canister.integrity-tpm\": 'tpm2' is no TPM choice (none or swtpm)" \
	"the hook's bad annotation"
expect_eq "$(cn get "$workload")" unset "nothing registered from a bad annotation"
hook_state "$workload" 1047 none | "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "the hook refused integrity-tpm none"
expect_eq "$(cn integrity tpm 1047)" none "the hook's choice"
echo go >"$T_TMP/go7"
wait_until "container 1047's entry for b" grep -q " $FS/b\$" "$LISTS/1047/ascii_runtime_measurements"
out=$(cn integrity quote 1047 --nonce 00 --out "$T_TMP/q1047" 2>&1) &&
	fail "a quote of the hook's container without a TPM: $out"
no_swtpm 1047 || fail "container 1047 chose none through the hook and has swtpm $(swtpm_of 1047)"
echo go >"$T_TMP/go7"
wait "$workload" || fail "the hook's workload failed"

# A restart under the default none: each container keeps the choice its list was measured with.
stop_daemon
sed -i 's/^integrity_tpm = swtpm$/integrity_tpm = none/' "$T_CONF"
start_daemon
grep -q "integrity: measuring.*a swtpm for containers that choose one" "$T_LOG" ||
	fail "canisterd did not start with integrity_tpm = none: $(grep integrity: "$T_LOG")"
wait_for_line "$T_LOG" "integrity: container 1041: [0-9]+ entries reloaded" "1041's reload"
wait_for_line "$T_LOG" "integrity: container 1040: [0-9]+ entries reloaded" "1040's reload"
expect_eq "$(cn integrity tpm 1041)" swtpm "1041's choice under the default none"
expect_eq "$(cn integrity tpm 1040)" none "1040's choice after the restart"
integrity_quote 1041 "after a restart under the default none"
no_swtpm 1040 || fail "container 1040 has swtpm $(swtpm_of 1040) after the restart"
out=$(cn integrity quote 1040 --nonce 0011 --out "$T_TMP/q1040" 2>&1) &&
	fail "a quote of 1040 after the restart: $out"
# Under the default none: a new container has no TPM unless it asks for one.
cn run --id 1045 -- sh -c "'$FS/a'; read x <'$T_TMP/go5'" &
started $!
cn run --id 1046 --integrity-tpm swtpm -- sh -c "'$FS/a'; read x <'$T_TMP/go6'" &
started $!
wait_until "container 1045's entries" listed 1045 3
wait_until "container 1046's entries" listed 1046 3
expect_eq "$(cn integrity tpm 1045)" none "1045's default choice"
integrity_quote 1046 "a container that chose a swtpm under the default none"
no_swtpm 1045 || fail "container 1045 has swtpm $(swtpm_of 1045) under the default none"
out=$(cn integrity quote 1045 --nonce 0011 --out "$T_TMP/q1045" 2>&1) &&
	fail "a quote of 1045 under the default none: $out"
expect_match "$out" "container 1045 has no TPM" "the quote of 1045"

stop_daemon
for c in 1041 1042 1046; do no_swtpm $c || fail "swtpm $(swtpm_of $c) outlived canisterd"; done
for f in go0 go1 go5 go6; do echo go >"$T_TMP/$f"; done
