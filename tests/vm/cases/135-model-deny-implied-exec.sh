# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode judges an mmap by the protection the kernel applies (docs/model.md, "mmap
# with PROT_EXEC in the kernel"): under the READ_IMPLIES_EXEC personality mmap(PROT_READ |
# PROT_WRITE) of anonymous memory is mapped RWX, and the mmap_file hook judged only the protection
# asked for (no PROT_EXEC: no event), so a payload mapped RW, wrote code and called it.  Now the
# CELL holds both (reqprot 3, prot 7): a workload that does it is learned and runs enforced; the
# container's root doing it under a model without it gets EPERM, a res=0 record, and its code
# never runs.  Learning never denies.
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

# A model without it: one anonymous r-x private mapping.
run_in --id 1351 --model learn -- mmap-anon rx private
expect_eq "$status" 0 "the first learning run ($said)"
cn model 1351 export "$T_TMP/rx.model" || fail "export failed"

# The attack: RW asked, RWX mapped by the personality; the code never runs.
run_in --id 1352 --model "$T_TMP/rx.model" --model-enforce -- mmap-anon implies:rw private
expect_eq "$status" "$EPERM" "RW made RWX by READ_IMPLIES_EXEC, enforced ($said)"
expect_match "$said" '^implies:rw private: mmap: Operation not permitted$' "what the workload saw"
case $said in *ran*) fail "the code ran: $said" ;; esac
expect_record "type=CONTAINER_MODEL .* op=mmap_file contid=1352 .*event=mmap_file coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied mapping's record" 60

# Learned: the same mapping, its CELL as asked (3) and as applied (7).
run_in --id 1353 --model learn -- mmap-anon implies:rw private
expect_eq "$status" 0 "the learning run ($said)"
expect_match "$said" 'implies:rw private: ran 42' "the code ran while learning"
cn model 1353 events >"$T_TMP/learned.jsonl" || fail "events"
grep -qE '"mmap_file": \{ "type": "1", "reqprot": "3", "prot": "7", "flags": "34" \}' \
	"$T_TMP/learned.jsonl" || fail "not learned: $(cat "$T_TMP/learned.jsonl")"
cn model 1353 export "$T_TMP/implied.model" || fail "export failed"

# The learned workload, enforced, runs.
run_in --id 1354 --model "$T_TMP/implied.model" --model-enforce -- mmap-anon implies:rw private
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_match "$said" 'implies:rw private: ran 42' "the learned code ran"
expect_eq "$(cn model 1354 forensics)" "" "forensics of the learned workload"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
