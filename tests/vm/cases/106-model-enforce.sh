# SPDX-License-Identifier: GPL-2.0-only
# canister: behaviour models in lsm mode (the stock Debian kernel): the same enforce case as host
# 129 at the fanotify gate.  A workload learned, exported and enforced for a new container runs;
# a program the model never saw is denied (126) and recorded; the kernel marks children.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
mkdir -p "$T_TMP/bin"
cp /bin/busybox "$T_TMP/bin/prog"
printf 'data\n' >"$T_TMP/data"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_match "$(cn status)" '^model: 0 domains' "the model line"

WORK="cat '$T_TMP/data' >/dev/null"
cn run --id 1061 --model learn -- sh -c "$WORK" || fail "the learning run failed"
learned=$(cn model 1061 counts | awk '$1 == "learned" { print $2 }')
[ "$learned" -ge 1 ] || fail "nothing learned"
cn model 1061 export "$T_TMP/work.model" || fail "export failed"
cn run --id 1062 --model "$T_TMP/work.model" --model-enforce -- sh -c "$WORK" ||
	fail "the learned workload did not run under its enforced model"
expect_eq "$(cn model 1062 forensics)" "" "forensics of the learned workload"

status=0
cn run --id 1063 --model "$T_TMP/work.model" --model-enforce -- sh -c "$WORK; '$T_TMP/bin/prog' true" \
	>/dev/null 2>&1 || status=$?
expect_eq "$status" 126 "a program outside the model, enforced"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1063 .* target=\"$T_TMP/bin/prog\" event=bprm_set_creds coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied exec's record" 60
expect_match "$(cn status)" 'children marked by kernel$' "who marks children"
exit 0
