# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode judges a private file mapping that is or was written as anonymous memory
# (docs/model.md, "Anonymous memory"): mmap(fd, PROT_READ|PROT_WRITE, MAP_PRIVATE) of any file
# the domain may open (here the program itself, through /proc/self/exe), code written into the
# copy-on-write pages, then mprotect(R-X), or one mmap(RWX, MAP_PRIVATE) of the file, was a
# file's mapping made executable: recorded only (res=1), and the code ran.  Now: a workload
# doing it is learned, its CELLs anonymous (type 1), and runs enforced; the container's root
# doing it under a model that opened and mapped the file but never made memory executable gets
# EPERM, a res=0 record, and its code never runs: made R-X while writable, made R-X after it
# was made read-only again (its written pages), mapped RWX at once.  A private mapping never
# written (ld.so's text of a library) stays a file: made R-X it is learned as type 0 and,
# outside the model, recorded (res=1), never denied.  Host 190 is trace mode.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon

# run_in ARGS...: cn run ARGS; its exit status (the errno) in $status, its lines in $said.
run_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

# Learned: the program's own file mapped private RW, written, made R-X; and mapped RWX.
run_in --id 1401 --model learn -- mprotect-exec privfile:rx privfile-rwx:
expect_eq "$status" 0 "the learning run ($said)"
expect_match "$said" 'privfile-rwx:: ran 42' "the learning run's code ran"
cn model 1401 events >"$T_TMP/learned.jsonl" || fail "events"
grep -qE '"file_mprotect": \{ "type": "1", "reqprot": "5", "prot": "5" \}' \
	"$T_TMP/learned.jsonl" || fail "R-X not learned as anonymous: $(cat "$T_TMP/learned.jsonl")"
grep -qE '"mmap_file": \{ "type": "1", "reqprot": "7", "prot": "7", "flags": "2"' \
	"$T_TMP/learned.jsonl" || fail "RWX not learned as anonymous: $(cat "$T_TMP/learned.jsonl")"
cn model 1401 export "$T_TMP/priv.model" || fail "export failed"

# The learned workload, enforced, runs.
run_in --id 1402 --model "$T_TMP/priv.model" --model-enforce -- \
	mprotect-exec privfile:rx privfile-rwx:
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_match "$said" 'privfile:rx: ran 42' "the learned R-X code ran"
expect_match "$said" 'privfile-rwx:: ran 42' "the learned RWX code ran"
expect_eq "$(cn model 1402 forensics)" "" "forensics of the learned workload"

# The attacks run under a model of the same program that opened its file and mapped it
# private, never executable (so the open is in the model: only the mapping is judged).
run_in --id 1403 --model learn -- mprotect-exec file:r
expect_eq "$status" 0 "the read-only learning run ($said)"
cn model 1403 export "$T_TMP/ro.model" || fail "export failed"
M=$T_TMP/ro.model

# denied ID WHAT OP PATTERN ARGS...: the enforced container's root runs ARGS under $M: EPERM
# (PATTERN), a res=0 OP record, the code never run.
denied()
{
	local id=$1 what=$2 op=$3 pattern=$4

	shift 4
	run_in --id "$id" --model "$M" --model-enforce -- "$@"
	expect_eq "$status" "$EPERM" "$what, enforced ($said)"
	expect_match "$said" "$pattern" "what the workload saw ($what)"
	case $said in *ran*) fail "$what: the code ran: $said" ;; esac
	expect_record "type=CONTAINER_MODEL .* op=$op contid=$id .*event=$op coefficient=[0-9a-f]{64} mode=enforce res=0" \
		"the denial's record ($what)" 60
}

denied 1404 "a private file mapping written and made R-X" file_mprotect \
	'privfile:rx: mprotect: Operation not permitted' mprotect-exec privfile:rx
denied 1405 "the same by pkey_mprotect" file_mprotect \
	'privfile:rx: mprotect: Operation not permitted' mprotect-exec pkey:privfile:rx
denied 1406 "a private file mapping written, made read-only, then R-X" file_mprotect \
	'privfile-cow:rx: mprotect: Operation not permitted' mprotect-exec privfile-cow:rx
denied 1407 "a private file mapping made RWX" file_mprotect \
	'file:rwx: mprotect: Operation not permitted' mprotect-exec file:rwx
denied 1408 "a file mapped private RWX" mmap_file \
	'privfile-rwx:: mmap: Operation not permitted' mprotect-exec privfile-rwx:

# A private mapping never written stays the file's (as ld.so maps every library's text from a
# read-only descriptor: VM_MAYWRITE, never VM_WRITE): learned as type 0; outside the model,
# recorded (res=1), not denied.
run_in --id 1409 --model learn -- mprotect-exec file:rx
expect_eq "$status" 0 "the clean mapping's learning run ($said)"
cn model 1409 events >"$T_TMP/clean.jsonl" || fail "events"
grep -qE '"file_mprotect": \{ "type": "0", "reqprot": "5", "prot": "5"' "$T_TMP/clean.jsonl" ||
	fail "the clean mapping's R-X is not file-backed: $(cat "$T_TMP/clean.jsonl")"
run_in --id 14010 --model "$M" --model-enforce -- mprotect-exec file:rx
expect_eq "$status" 0 "the clean mapping made R-X, enforced ($said)"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=14010 .*event=file_mprotect coefficient=[0-9a-f]{64} mode=enforce res=1" \
	"the clean mapping's record" 60

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
