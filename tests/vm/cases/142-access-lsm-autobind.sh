# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: listen() on a TCP socket never bound takes an ephemeral port without bind(), so without socket_bind; it is decided as the bind to port 0 it is (socket_listen): a policy handling bind that grants no port 0 refuses it with EACCES, as it refuses bind(port 0) (main's build let the listen through), over IPv4 and IPv6, and records it as op=autobind target="tcp:0" right=bind; complain lets it through and records it; a policy granting port 0 lets it through; a bind to a granted port then listen() is untouched.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

ip link set lo up || fail "cannot bring the loopback up"
cat >"$T_TMP/net.policy" <<'POLICY'
net handle bind
net allow bind 7000-7100
POLICY
cat >"$T_TMP/ephemeral.policy" <<'POLICY'
net handle bind
net allow bind 0
net allow bind 7000-7100
POLICY
denied='Permission denied'
steps='tcp-try autobind; tcp-try bind 0; tcp-try bindlisten 7010; tcp-try autobind 6'

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
worker_start 1420

# Enforce: the autobind refused as the explicit bind to port 0 is, with its errno; a granted bind
# then listen() as before.
cn policy load 1420 "$T_TMP/net.policy" >/dev/null || fail "policy load 1420 (enforce)"
expect_eq "$(worker_step 1 "$steps")" "listen: $denied
bind: $denied
ok
listen: $denied" "enforce"
expect_record 'op=autobind contid=1420 by=1420 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:0" right=bind cause=not-granted mode=enforce res=0' \
	"the record of the refused autobind"
expect_record 'op=bind contid=1420 by=1420 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:0" right=bind cause=not-granted mode=enforce res=0' \
	"the record of the refused bind to port 0"
# Host processes are never a policy's subject.
expect_eq "$(tool tcp-try autobind)" ok "a host process's autobind"

# Complain: through, and recorded (the marker's record comes last: one ring buffer, one reader).
cn policy load 1420 "$T_TMP/net.policy" --complain >/dev/null || fail "policy load 1420 --complain"
expect_eq "$(worker_step 2 "$steps; tcp-try bind 7999")" "ok
ok
ok
ok
ok" "complain"
expect_record 'target="tcp:7999" right=bind cause=not-granted mode=complain res=1' "the marker's complain record"
grep -qE 'op=autobind contid=1420 by=1420 .*target="tcp:0" right=bind cause=not-granted mode=complain res=1' "$T_AUDIT" ||
	fail "no complain record of the autobind"
grep -qE 'op=bind contid=1420 by=1420 .*target="tcp:0" right=bind cause=not-granted mode=complain res=1' "$T_AUDIT" ||
	fail "no complain record of the bind to port 0"

# A policy granting port 0 grants the ephemeral port either way.
cn policy load 1420 "$T_TMP/ephemeral.policy" >/dev/null || fail "policy load 1420 (port 0 granted)"
expect_eq "$(worker_step 3 "$steps")" "ok
ok
ok
ok" "port 0 granted"
exit 0
