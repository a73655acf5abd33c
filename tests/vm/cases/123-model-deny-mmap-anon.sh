# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's anonymous mmap with PROT_EXEC outside its model,
# in the kernel (lsm/mmap_file; a file's mapping is recorded only: docs/model.md, "mmap with
# PROT_EXEC in the kernel").  A workload that makes one anonymous readable and executable private
# mapping, as a JIT does, is learned and exported; enforced in a new container it runs again (the
# kernel's coefficient of the mmap CELL equals canisterd's, the model holding only canisterd's),
# while the container's root mapping anonymous memory with other protections (RWX) or other flags
# (shared; private with MAP_NORESERVE) gets EPERM from the BPF LSM hook, recorded as forensics
# with res=0.  Learning never denies: the same mappings go through.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*mmap_file \(anonymous\)' \
	"what lsm mode denies"

# mmap_in ARGS...: mmap-anon in a new container (cn run ARGS -- mmap-anon ...); its exit status
# (the errno) in $status, its lines in $said.
mmap_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

# Learned: one anonymous r-x private mapping.
mmap_in --id 2301 --model learn -- mmap-anon rx private
expect_eq "$status" 0 "the learning run ($said)"
cn model 2301 events >"$T_TMP/learned.jsonl" || fail "events"
# Anonymous (type 1), PROT_READ|PROT_EXEC asked and applied (5), MAP_PRIVATE|MAP_ANONYMOUS (34).
grep -qE '"mmap_file": \{ "type": "1", "reqprot": "5", "prot": "5", "flags": "34" \}' \
	"$T_TMP/learned.jsonl" ||
	fail "the anonymous mapping was not learned: $(cat "$T_TMP/learned.jsonl")"
cn model 2301 export "$T_TMP/anon.model" || fail "export failed"

# The learned workload, enforced, runs: its mapping is in the model.
mmap_in --id 2302 --model "$T_TMP/anon.model" --model-enforce -- mmap-anon rx private
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_eq "$(cn model 2302 forensics)" "" "forensics of the learned workload"

# attack ID WHAT PROT FLAGS: the enforced container's root maps anonymous memory outside the model.
attack()
{
	mmap_in --id "$1" --model "$T_TMP/anon.model" --model-enforce -- mmap-anon "$3" "$4"
	expect_eq "$status" "$EPERM" "$2, enforced ($said)"
	# The flags as a pattern: "+noreserve" with its '+' taken literally.
	expect_match "$said" "^$3 ${4%%+*}(\\+noreserve)?: mmap: Operation not permitted\$" \
		"what the workload saw ($2)"
	expect_record "type=CONTAINER_MODEL .* op=mmap_file contid=$1 .*event=mmap_file coefficient=[0-9a-f]{64} mode=enforce res=0" \
		"the denied mapping's record ($2)" 60
	denied=$(cn model "$1" counts | awk '$1 == "denied" { print $2 }')
	[ "${denied:-0}" -ge 1 ] || fail "$2: the denial is not counted: $(cn model "$1" counts)"
}

attack 2303 "an RWX mapping" rwx private
attack 2304 "a shared mapping" rx shared
attack 2305 "a private mapping with MAP_NORESERVE" rx private+noreserve

# Learning never denies: the same mappings go through.
mmap_in --id 2311 --model learn -- mmap-anon rwx private rx shared rx private+noreserve
expect_eq "$status" 0 "the other mappings while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
