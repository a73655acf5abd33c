# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode denies no capability use, setid call or mount of an enforced model (no
# synchronous gate sees them there): a workload that learned to set its gid and uid to 3000,
# enforced in a new container, sets them to 4000 and makes a device node (CAP_MKNOD) all the
# same, and each is recorded as forensics with mode=enforce res=1.  VM 118 is the same workload
# in lsm mode, where each is denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

CRED="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-cred"
command -v "$CRED" >/dev/null || fail "no $CRED (make test-host builds it)"
CRED=$(command -v "$CRED")

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon
expect_match "$(cn status)" '^mode: trace$' "mode"
expect_eq "$(cn status --json | jq -r .model.denied_in_kernel)" none "denied_in_kernel (--json)"

status=0
said=$(cn run --id 1651 --model learn -- "$CRED" setgid 3000 setuid 3000) || status=$?
expect_eq "$status" 0 "the learning run ($said)"
learned() { cn model 1651 events | grep -q '"type": *"task_fix_setuid"'; }
wait_until 30 "the setuid learned" learned
cn model 1651 export "$T_TMP/cred.model" || fail "export failed"

status=0
said=$(cn run --id 1652 --model "$T_TMP/cred.model" --model-enforce -- \
	"$CRED" setgid 4000 mknod "$T_TMP/null" setuid 4000) || status=$?
expect_eq "$status" 0 "setid calls and a device node outside the enforced model, in trace mode ($said)"
[ -c "$T_TMP/null" ] || fail "the device node is missing"
for event in task_fix_setgid capable task_fix_setuid; do
	expect_record "type=CONTAINER_MODEL .* op=$event contid=1652 .*event=$event coefficient=[0-9a-f]{64} mode=enforce res=1" \
		"the $event forensics record" 30
done
denied=$(cn model 1652 counts | awk '$1 == "denied" { print $2 }')
expect_eq "$denied" 0 "denials counted in trace mode"
exit 0
