# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's capability uses, setid calls and mounts outside its
# model, in the kernel.  A workload that mounts a tmpfs on one directory (CAP_SYS_ADMIN, sb_mount),
# sets its gid and uid to one id (CAP_SETGID, CAP_SETUID, task_fix_setgid, task_fix_setuid) is
# learned and exported; enforced in a new container the same steps pass (the kernel's coefficients
# equal canisterd's), while the attacks of the container's root, each in a new enforced container,
# get EPERM from the BPF LSM hook and are recorded as forensics with res=0: a mount on another
# directory, a setuid or setgid to another id, a device node made (CAP_MKNOD, never learned).  The
# same attacks pass while learning.  A CAP_OPT_NOAUDIT probe is never judged (not tested here: no
# system call of a container makes one on demand).
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*capable task_fix_setuid task_fix_setgid sb_mount' \
	"what lsm mode denies"
mkdir -p "$T_TMP/learned" "$T_TMP/other" || fail "mkdir"

# cred_in ARGS... -- STEPS: model-cred in a new container; its errno in $status, its lines in $said.
cred_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

LEARNED="mount $T_TMP/learned setgid 3000 setuid 3000"
# shellcheck disable=SC2086 # the steps are words
cred_in --id 1801 --model learn -- model-cred $LEARNED
expect_eq "$status" 0 "the learning run ($said)"
learned() { cn model 1801 events | grep -q '"type": *"task_fix_setuid"'; }
wait_until 60 "the setuid learned" learned
cn model 1801 events >"$T_TMP/learned.jsonl" || fail "events"
for event in capable sb_mount task_fix_setgid; do
	grep -q "\"type\": *\"$event\"" "$T_TMP/learned.jsonl" ||
		fail "no $event learned: $(cat "$T_TMP/learned.jsonl")"
done
cn model 1801 export "$T_TMP/cred.model" || fail "export failed"

# shellcheck disable=SC2086
cred_in --id 1802 --model "$T_TMP/cred.model" --model-enforce -- model-cred $LEARNED
expect_eq "$status" 0 "the learned steps, enforced ($said)"

# attack ID WHAT EVENT STEPS...: the steps in a new enforced container fail with EPERM at the last,
# recorded as EVENT's forensics with res=0.
attack()
{
	at_id=$1 at_what=$2 at_event=$3
	shift 3
	cred_in --id "$at_id" --model "$T_TMP/cred.model" --model-enforce -- model-cred "$@"
	expect_eq "$status" "$EPERM" "$at_what, enforced ($said)"
	expect_match "$said" 'Operation not permitted$' "what the workload saw of $at_what"
	expect_record "type=CONTAINER_MODEL .* op=$at_event contid=$at_id .*event=$at_event coefficient=[0-9a-f]{64} mode=enforce res=0" \
		"the record of $at_what denied" 60
}
attack 1803 "a mount on another directory" sb_mount mount "$T_TMP/other"
attack 1804 "a setgid to another id" task_fix_setgid setgid 4000
attack 1805 "a setuid to another id" task_fix_setuid setgid 3000 setuid 4000
attack 1806 "a device node" capable mknod "$T_TMP/null"
[ ! -e "$T_TMP/null" ] || fail "the denied device node exists"

# Never denied while learning.
cred_in --id 1807 --model learn -- model-cred mount "$T_TMP/other" setgid 4000 setuid 4000
expect_eq "$status" 0 "the same mount and setid calls while learning ($said)"
cred_in --id 1808 --model learn -- model-cred mknod "$T_TMP/null"
expect_eq "$status" 0 "the same device node while learning ($said)"
[ -c "$T_TMP/null" ] || fail "the learning run's device node is missing"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
