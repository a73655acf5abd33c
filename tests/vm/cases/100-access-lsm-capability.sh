# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: BPF LSM enforces a held policy's capability bound at the capability check itself (loaded by `canister policy load`, so no bounding set plays a part): a container's root is refused a raw socket (EPERM) in enforce, let through and recorded in complain, the host keeps CAP_NET_RAW, and the pinned program refuses with canisterd killed.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

printf 'capability drop CAP_NET_RAW\n' >"$T_TMP/no-raw.policy"
refused='socket: Operation not permitted'

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
expect_match "$(cn status)" '^  capability bound: canisterd: enforced: BPF LSM, in the kernel' "the status says BPF LSM decides"
expect_eq "$(tool raw-socket)" ok "the host opens a raw socket"

worker_start 1000
# Before any policy: the container's root has CAP_NET_RAW (the case can fail below).
expect_eq "$(worker_step 1 'raw-socket')" ok "container 1000 before its policy"
cn policy load 1000 "$T_TMP/no-raw.policy" >/dev/null || fail "policy load 1000 (enforce)"
# CAP_NET_RAW (bit 13) stays in the bounding set: what refuses is the BPF LSM check.
expect_eq "$(worker_step 2 'raw-socket; [ $((0x$(sed -n "s/^CapBnd:[[:space:]]*//p" /proc/self/status) >> 13 & 1)) = 1 ] && echo in-bounding-set')" \
	"$refused
in-bounding-set" "enforce"
expect_record 'op=capable contid=1000 by=1000 pid=[0-9]+ (exe=[^ ]+ )?target="cap_net_raw" right=capability cause=beyond-bound mode=enforce res=0' \
	"the record of the refused capability"
expect_eq "$(tool raw-socket)" ok "the host beside an enforcing container"

cn policy load 1000 "$T_TMP/no-raw.policy" --complain >/dev/null || fail "policy load 1000 --complain"
expect_eq "$(worker_step 3 'raw-socket')" ok "complain"
expect_record 'op=capable contid=1000 by=1000 pid=[0-9]+ (exe=[^ ]+ )?target="cap_net_raw" right=capability cause=beyond-bound mode=complain res=1' \
	"the complain record"

# canister run --policy with a bound that lacks CAP_SETPCAP: the workload shrinks its bounding set
# before BPF LSM binds it (dropping needs CAP_SETPCAP), and runs bound by both.
printf 'capability keep CAP_CHOWN\n' >"$T_TMP/keep-chown.policy"
expect_eq "$(cn run --id 1001 --policy "$T_TMP/keep-chown.policy" -- raw-socket 2>&1)" "$refused" \
	"canister run --policy with a keep list"

cn policy load 1000 "$T_TMP/no-raw.policy" >/dev/null || fail "policy load 1000 (enforce again)"
kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
expect_eq "$(worker_step 4 'raw-socket')" "$refused" "enforce with canisterd killed"
expect_eq "$(tool raw-socket)" ok "the host with canisterd killed"
exit 0
