# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: canister.conf's access_policy reaches containers registered without a policy: its capability bound refuses a raw socket (EPERM) and its port rules a bind (EACCES) while the granted connect goes through, each recorded by the container's own contid; `policy show` names the default; a container that loads its own is judged by its own from then on; host processes are untouched; a restart without the default leaves no trace of it in the kernel's maps.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

ip link set lo up || fail "cannot bring the loopback up"
cat >"$T_TMP/default.policy" <<'POLICY'
net handle bind,connect
net allow connect 8080
capability drop CAP_NET_RAW
POLICY
printf 'scope signal\n' >"$T_TMP/own.policy"
chmod 0600 "$T_TMP"/*.policy
echo "access_policy = $T_TMP/default.policy" >>"$T_CONF"
raw_refused='socket: Operation not permitted'

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
expect_match "$(cn status)" "^  default policy: $T_TMP/default.policy, mode enforce \(containers that bring none\)\$" \
	"the status names the default"
"${CANISTER_TOOLS:+$CANISTER_TOOLS/}tcp-try" listen 8080 "$T_TMP/listen-8080" &
started $!
wait_for_file "$T_TMP/listen-8080"

# Registered by canister run, with no policy: the default binds it from its first instruction.
expect_eq "$(cn run --id 1080 -- raw-socket 2>&1)" "$raw_refused" "a container that brings none, raw socket"
expect_record 'op=capable contid=1080 by=1080 pid=[0-9]+ (exe=[^ ]+ )?target="cap_net_raw" right=capability cause=beyond-bound mode=enforce res=0' \
	"the record of the default's capability bound"
expect_eq "$(cn run --id 1081 -- sh -c 'tcp-try bind 7001; tcp-try connect 8080' 2>&1)" "bind: Permission denied
ok" "a container that brings none, bind and connect"
expect_record 'op=bind contid=1081 by=1081 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:7001" right=bind cause=not-granted mode=enforce res=0' \
	"the record of the default's port rule"
expect_eq "$(tool raw-socket; tool tcp-try bind 7001)" "ok
ok" "host processes beside the default"

# A live container: the default until it loads its own, then its own alone.
worker_start 1082
expect_match "$(cn policy show 1082)" "^# container 1082: mode enforce, brought none: canister.conf's default \(access_policy = $T_TMP/default.policy\)\$" \
	"policy show names the default"
expect_eq "$(worker_step 1 'raw-socket')" "$raw_refused" "1082 before its own policy"
cn policy load 1082 "$T_TMP/own.policy" >/dev/null || fail "policy load 1082"
expect_match "$(cn policy show 1082)" "^# container 1082: mode enforce, its own, loaded by the host's administrator\$" \
	"policy show after the load"
expect_eq "$(worker_step 2 'raw-socket; tcp-try bind 7003')" "ok
ok" "1082 under its own policy"

# Without the default: nothing of it is left in the maps.
kill_started
stop_daemon
sed -i '/^access_policy = /d' "$T_CONF"
start_daemon
expect_match "$(cn status)" "^  default policy: none" "the status without a default"
expect_eq "$(cn run --id 1083 -- raw-socket 2>&1)" ok "a container that brings none, with no default"
exit 0
