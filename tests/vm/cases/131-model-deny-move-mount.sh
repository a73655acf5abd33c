# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode judges the new mount API's attach (move_mount(), after open_tree() or
# fsmount()), which runs no sb_mount hook, at lsm/move_mount.  A workload that binds a directory on
# itself by open_tree(OPEN_TREE_CLONE) and move_mount() is learned and exported; enforced in a new
# container the same bind passes (the kernel's coefficient equals canisterd's), while the attacks
# of the container's root, each in a new enforced container, get EPERM from the hook at
# move_mount() and are recorded as forensics with res=0: a clone of /proc attached (another
# filesystem), a new tmpfs made by fsopen() and fsmount() and attached (a whole filesystem, never
# learned).  The same attacks pass while learning.  With the hook a no-op the attacks would pass.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*sb_mount move_mount' \
	"what lsm mode denies"
mkdir -p "$T_TMP/learned" || fail "mkdir"

# steps_in ARGS... -- STEPS: model-cred in a new container; its errno in $status, its lines in $said.
steps_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

steps_in --id 1311 --model learn -- model-cred bind "$T_TMP/learned"
expect_eq "$status" 0 "the learning run ($said)"
learned() { cn model 1311 events | grep -q '"type": *"move_mount"'; }
wait_until 60 "the move_mount learned" learned
cn model 1311 events >"$T_TMP/learned.jsonl" || fail "events"
grep -q '"move_mount": { "type": "[a-z0-9_]*", "whole": "0" }' "$T_TMP/learned.jsonl" ||
	fail "the learned move_mount is not a clone of a subtree: $(grep move_mount "$T_TMP/learned.jsonl")"
cn model 1311 export "$T_TMP/bind.model" || fail "export failed"

steps_in --id 1312 --model "$T_TMP/bind.model" --model-enforce -- model-cred bind "$T_TMP/learned"
expect_eq "$status" 0 "the learned bind, enforced ($said)"

# attack ID WHAT STEP: the step in a new enforced container fails with EPERM at move_mount(),
# recorded as move_mount's forensics with res=0.
attack()
{
	steps_in --id "$1" --model "$T_TMP/bind.model" --model-enforce -- model-cred "$3" "$T_TMP/learned"
	expect_eq "$status" "$EPERM" "$2, enforced ($said)"
	expect_match "$said" 'Operation not permitted$' "what the workload saw of $2"
	expect_record "type=CONTAINER_MODEL .* op=move_mount contid=$1 .*event=move_mount coefficient=[0-9a-f]{64} mode=enforce res=0" \
		"the record of $2 denied" 60
}
attack 1313 "a clone of /proc attached" bindproc
attack 1314 "a new tmpfs attached by fsmount" fsmount

# Never denied while learning.
steps_in --id 1315 --model learn -- model-cred bindproc "$T_TMP/learned" fsmount "$T_TMP/learned"
expect_eq "$status" 0 "the same attaches while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
