# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's mprotect that makes anonymous memory executable
# outside its model, in the kernel (lsm/file_mprotect; docs/model.md, "mprotect adding
# PROT_EXEC").  Without it the denial of an anonymous mmap(PROT_EXEC) (VM 123) is worth nothing:
# map RW (no event), write the code, mprotect it R-X, call it.  A workload that does just that
# once, as a JIT does, is learned and exported; enforced in a new container it runs again (by
# mprotect and by pkey_mprotect: the same event), while the container's root making such memory
# RWX, execute-only, or R-X by READ_IMPLIES_EXEC gets EPERM from the BPF LSM hook, recorded as
# forensics with res=0, and never runs its code; under a model that never made memory
# executable, the JIT's own R-X mprotect is denied and its code never runs.  Learning never
# denies.  An mprotect without PROT_EXEC is no event.  Host 182 is the same in trace mode.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*file_mprotect \(anonymous\)' \
	"what lsm mode denies"

# mpx ARGS...: mprotect-exec in a new container (cn run ARGS -- mprotect-exec ...); its exit
# status (the errno) in $status, its lines in $said.
mpx()
{
	status=0
	said=$(cn run "$@") || status=$?
}

# Learned: RW memory made R-X once, and made RW again (no PROT_EXEC: no event).
mpx --id 1321 --model learn -- mprotect-exec rx rw
expect_eq "$status" 0 "the learning run ($said)"
cn model 1321 events >"$T_TMP/learned.jsonl" || fail "events"
# Anonymous (type 1), PROT_READ|PROT_EXEC asked (5) and applied (5).
grep -qE '"file_mprotect": \{ "type": "1", "reqprot": "5", "prot": "5" \}' \
	"$T_TMP/learned.jsonl" || fail "the mprotect was not learned: $(cat "$T_TMP/learned.jsonl")"
expect_eq "$(grep -c '"file_mprotect"' "$T_TMP/learned.jsonl")" 1 \
	"file_mprotect events (rw is none)"
cn model 1321 export "$T_TMP/jit.model" || fail "export failed"

# The learned workload, enforced, runs, by mprotect and by pkey_mprotect: the same event.
mpx --id 1322 --model "$T_TMP/jit.model" --model-enforce -- mprotect-exec rx pkey:rx
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_match "$said" 'pkey:rx: ran 42' "the learned code ran"
expect_eq "$(cn model 1322 forensics)" "" "forensics of the learned workload"

# attack ID MODEL WHAT STEP: the enforced container's root makes RW memory executable with STEP
# (mprotect-exec's) outside MODEL: EPERM, a res=0 record, a denial counted, the code never run.
attack()
{
	mpx --id "$1" --model "$2" --model-enforce -- mprotect-exec "$4"
	expect_eq "$status" "$EPERM" "$3, enforced ($said)"
	expect_match "$said" "$4: mprotect: Operation not permitted" "what the workload saw ($3)"
	case $said in *ran*) fail "$3: the code ran: $said" ;; esac
	expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=$1 .*event=file_mprotect coefficient=[0-9a-f]{64} mode=enforce res=0" \
		"the denied mprotect's record ($3)" 60
	denied=$(cn model "$1" counts | awk '$1 == "denied" { print $2 }')
	[ "${denied:-0}" -ge 1 ] || fail "$3: the denial is not counted: $(cn model "$1" counts)"
}

attack 1323 "$T_TMP/jit.model" "RW made RWX" rwx
attack 1324 "$T_TMP/jit.model" "RW made execute-only" x
attack 1325 "$T_TMP/jit.model" "RW made R-X by READ_IMPLIES_EXEC" implies:r

# A model that never made memory executable: the JIT's payload cannot run.
mpx --id 1326 --model learn -- mprotect-exec rw
expect_eq "$status" 0 "the second learning run ($said)"
cn model 1326 events | grep -q '"file_mprotect"' && fail "an mprotect to RW was an event"
cn model 1326 export "$T_TMP/rw.model" || fail "export failed"
attack 1327 "$T_TMP/rw.model" "map RW, write, mprotect R-X, call it" rx

# Learning never denies: the same steps go through.
mpx --id 1328 --model learn -- mprotect-exec rwx x implies:r rx
expect_eq "$status" 0 "the other mprotects while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
