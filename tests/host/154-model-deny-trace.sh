# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode denies no observed event, also for an enforced model (its tracepoints
# cannot): `canister status` says so ("observed events denied: none"); a workload that learned
# to connect to one port, enforced in a new container, connects to another port all the same
# (ECONNREFUSED: nobody listens), and the connect is recorded as forensics with mode=enforce
# res=1.  VM 111 is the same workload in lsm mode, where it is denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

CONNECT="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-connect"
command -v "$CONNECT" >/dev/null || fail "no $CONNECT (make test-host builds it)"
CONNECT=$(command -v "$CONNECT")
ECONNREFUSED=111

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon
expect_match "$(cn status)" '^mode: trace$' "mode"
expect_match "$(cn status)" \
	'^  observed events denied: none \(recorded only: forensics, the process untrusted\)$' \
	"what trace mode denies"
expect_eq "$(cn status --json | jq -r .model.denied_in_kernel)" none "denied_in_kernel (--json)"

status=0
cn run --id 1541 --model learn -- "$CONNECT" 7541 >/dev/null || status=$?
expect_eq "$status" "$ECONNREFUSED" "the learning run's connect"
cn model 1541 events | grep -q '"type": *"socket_connect"' || fail "the connect was not learned"
cn model 1541 export "$T_TMP/connect.model" || fail "export failed"

status=0
said=$(cn run --id 1542 --model "$T_TMP/connect.model" --model-enforce -- "$CONNECT" 7542) ||
	status=$?
expect_eq "$status" "$ECONNREFUSED" "a connect outside the enforced model, in trace mode ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1542 .*event=socket_connect coefficient=[0-9a-f]{64} mode=enforce res=1" \
	"the connect's forensics record" 30
denied=$(cn model 1542 counts | awk '$1 == "denied" { print $2 }')
expect_eq "$denied" 0 "denials counted in trace mode"
exit 0
