# SPDX-License-Identifier: GPL-2.0-only
# canister: the integrity capability end to end: canisterd with integrity on measures what a
# container executes, once per file until it changes, into lists stock evmctl verifies; a host
# process's exec adds nothing; canisterd stops cleanly with the gate on.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=BPRM_CHECK
'
trap 'integrity_cleanup "$FS"' EXIT
cp /bin/true "$FS/a"
cp /bin/true "$FS/b"
cp /bin/true "$FS/host"

start_daemon
grep -q "integrity: measuring" "$T_LOG" || fail "canisterd did not start measuring: $(cat "$T_LOG")"

# entries FILE: how many entries of the container's sha1 ascii list name FILE.
L=$LISTS/700
entries() { awk -v f="$1" '$5 == f' "$L/ascii_runtime_measurements" | wc -l; }

# a twice and b once: one entry each.  Then a changes and runs again: a second entry for it.
cn run --id 700 -- sh -c "'$FS/a'; '$FS/a'; '$FS/b'" || fail "the container's execs failed"
expect_eq "$(entries "$FS/a")" 1 "a file executed twice"
expect_eq "$(entries "$FS/b")" 1 "another file"
printf '\n' >>"$FS/a"
cn run --id 700 -- sh -c "'$FS/a'; '$FS/a'" || fail "the changed file did not run"
expect_eq "$(entries "$FS/a")" 2 "a file executed again after it changed"
expect_eq "$(awk -v f="$FS/a" '$5 == f { print $4 }' "$L/ascii_runtime_measurements" | tail -1)" \
	"sha256:$(sha256sum "$FS/a" | cut -d' ' -f1)" "the changed file's digest"
expect_eq "$(awk -v f="$FS/b" '$5 == f { print $4 }' "$L/ascii_runtime_measurements")" \
	"sha256:$(sha256sum "$FS/b" | cut -d' ' -f1)" "a file's digest"
expect_eq "$(head -1 "$L/ascii_runtime_measurements" | cut -d' ' -f5)" boot_aggregate "the first entry"
expect_eq "$(cat "$L/runtime_measurements_count")" \
	"$(wc -l <"$L/ascii_runtime_measurements")" "the count"
expect_eq "$(cat "$L/policy")" "measure func=BPRM_CHECK " "the policy as IMA prints it"

# A host process's exec: allowed, and in no list.
"$FS/host" || fail "a host exec with the gate on failed"
[ "$(ls "$LISTS")" = 700 ] || fail "lists of other containers: $(ls "$LISTS")"
expect_eq "$(entries "$FS/host")" 0 "a host exec"

integrity_verify "$L" "the list"
# ... and refuses it with one byte of a digest changed.
cp "$L/binary_runtime_measurements" "$T_TMP/changed"
printf '\377' | dd of="$T_TMP/changed" bs=1 seek=100 conv=notrunc 2>/dev/null
evmctl ima_measurement --ignore-violations --pcrs "sha256,$L/pcrs-sha256" "$T_TMP/changed" \
	>"$T_TMP/evmctl.out" 2>&1 && fail "evmctl accepted a changed list"

# The CLI.  list, list --binary and pcrs are the files under integrity_dir, byte for byte.
cn integrity list 700 >"$T_TMP/list" || fail "integrity list failed"
cmp -s "$T_TMP/list" "$L/ascii_runtime_measurements" || fail "integrity list differs from the file"
cn integrity list 700 --bank sha256 >"$T_TMP/list256" || fail "integrity list --bank sha256 failed"
cmp -s "$T_TMP/list256" "$L/ascii_runtime_measurements_sha256" || fail "the sha256 list differs"
cn integrity list 700 --binary >"$T_TMP/bin" || fail "integrity list --binary failed"
cmp -s "$T_TMP/bin" "$L/binary_runtime_measurements" || fail "integrity list --binary differs"
cn integrity pcrs 700 >"$T_TMP/pcrs1" || fail "integrity pcrs failed"
cn integrity pcrs 700 --bank sha256 >"$T_TMP/pcrs256" || fail "integrity pcrs --bank sha256 failed"
expect_eq "$(wc -l <"$T_TMP/pcrs1")" 24 "the PCR file's lines"
evmctl ima_measurement --ignore-violations --pcrs "sha1,$T_TMP/pcrs1" \
	--pcrs "sha256,$T_TMP/pcrs256" "$T_TMP/bin" >"$T_TMP/evmctl.out" 2>&1 ||
	fail "evmctl refused what the CLI wrote: $(cat "$T_TMP/evmctl.out")"
grep -q 'Matched per TPM bank calculated digest(s)' "$T_TMP/evmctl.out" ||
	fail "evmctl did not match the CLI's PCRs: $(cat "$T_TMP/evmctl.out")"
expect_eq "$(cn integrity policy 700)" "measure func=BPRM_CHECK " "integrity policy N prints it"
out=$(cn integrity list 700 --binary --json 2>&1) && fail "list --json accepted: $out"
out=$(cn integrity list 799 2>&1) && fail "the list of no container: $out"
case $out in *"no container 799 and no list of one"*) ;; *) fail "no container 799: $out" ;; esac

# A policy before the workload's first exec: a registered shell waits on a fifo, then runs b.
mkfifo "$T_TMP/go" "$T_TMP/end"
sh -c "read x <'$T_TMP/go'; '$FS/b'; read x <'$T_TMP/end'" &
waiter=$!
started "$waiter"
wait_until "the waiting shell's exec" execed "$waiter" "$T_TMP/go"
cn set "$waiter" 701 >/dev/null || fail "cannot register the waiting shell"
printf 'measure func=BPRM_CHECK\nmeasure func=NO_SUCH_HOOK\n' >"$T_TMP/bad"
out=$(cn integrity policy 701 "$T_TMP/bad" 2>&1)
expect_eq "$?" 1 "the exit status of a refused policy file"
case $out in *"$T_TMP/bad:2: "*) ;; *) fail "a bad policy's message lacks FILE:LINE: $out" ;; esac
expect_eq "$(cn integrity policy 701)" "measure func=BPRM_CHECK " "the policy after a refusal"
printf '# measure what root runs\nmeasure func=BPRM_CHECK uid=0\n' >"$T_TMP/own"
cn integrity policy 701 "$T_TMP/own" || fail "a policy before the first exec was refused"
expect_eq "$(cn integrity policy 701)" "measure func=BPRM_CHECK uid=0 " "the container's own policy"
expect_eq "$(cat "$LISTS/701/policy")" "measure func=BPRM_CHECK uid=0 " "the policy file"
expect_eq "$(cn integrity list 701 | wc -l)" 1 "a list before the first exec"
echo go >"$T_TMP/go"
# The shell's child has run b once its list names it; the shell (the container) lives on.
b_listed() { [ "$(awk -v f="$FS/b" '$5 == f' "$LISTS/701/ascii_runtime_measurements" | wc -l)" = 1 ]; }
wait_until 10 "b listed after the policy" b_listed
expect_eq "$(awk -v f="$FS/b" '$5 == f' "$LISTS/701/ascii_runtime_measurements" | wc -l)" 1 \
	"the exec after the policy"
out=$(cn integrity policy 701 "$T_TMP/own" 2>&1) && fail "a policy after the first exec: $out"
case $out in *"has run already"*) ;; *) fail "the refusal after the first exec: $out" ;; esac
echo end >"$T_TMP/end"
wait "$waiter" || fail "the registered shell failed"

# canister run --ima-policy: the new container's own policy, from its first exec on.
printf 'dont_measure func=BPRM_CHECK\n' >"$T_TMP/none.policy"
cn run --id 702 --ima-policy "$T_TMP/none.policy" -- sh -c "'$FS/b'" || fail "run --ima-policy failed"
expect_eq "$(cat "$LISTS/702/policy")" "dont_measure func=BPRM_CHECK " "run --ima-policy: the policy file"
expect_eq "$(cut -d' ' -f5 "$LISTS/702/ascii_runtime_measurements")" boot_aggregate \
	"run --ima-policy: nothing measured under dont_measure, the shell included"
# ... and one that does not parse: canister's own failure, nothing registered.
printf 'measure func=BPRM_CHECK\nmeasure func=NO_SUCH_HOOK\n' >"$T_TMP/bad.policy"
out=$(cn run --id 703 --ima-policy "$T_TMP/bad.policy" -- true 2>&1)
expect_eq "$?" 125 "run --ima-policy with a bad policy"
case $out in *"$T_TMP/bad.policy:2: "*) ;; *) fail "run --ima-policy's message lacks FILE:LINE: $out" ;; esac
no_record "contid=703 " "run --ima-policy with a bad policy"
[ ! -e "$LISTS/703" ] || fail "a list for a container that never ran"

# MMAP_CHECK needs BPF LSM: in trace mode it is said to be unavailable, and a
# container's executable mapping (a file opened and mapped, never executed) is in no list.
grep -q "integrity: MMAP_CHECK unavailable in trace mode" "$T_LOG" ||
	fail "canisterd did not say MMAP_CHECK is unavailable: $(grep integrity: "$T_LOG")"
printf 'measure func=MMAP_CHECK\n' >"$T_TMP/mmap.policy"
cp /bin/true "$FS/lib.so"
cn run --id 704 --ima-policy "$T_TMP/mmap.policy" -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}mmap-exec" "$FS/lib.so" >/dev/null ||
	fail "the container's mapping failed"
expect_eq "$(cut -d' ' -f5 "$LISTS/704/ascii_runtime_measurements")" boot_aggregate \
	"a mapping in trace mode: fanotify sees none"

# canister status has the section.
cn status >"$T_TMP/status" || fail "status failed"
grep -q '^integrity' "$T_TMP/status" || fail "no integrity section in status: $(cat "$T_TMP/status")"
cn status --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["integrity"]; assert s["on"] and s["judged"] >= 3 and s["containers"] and s["listed"] >= 1, s' ||
	fail "no integrity section in status --json"

stop_daemon
grep -q "integrity: stopped" "$T_LOG" || fail "the gate did not stop: $(tail "$T_LOG")"
