# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode and lsm mode's create/remove rules: the pinned access_fs_rules map (lsm mode's bound rule paths) exists in trace mode too, and a held policy that handles create and remove binds nothing into it (no BPF LSM reads it here: the status and policy show say create and remove are not enforced by BPF LSM), even when its rule paths do not exist; `canisterd --unload` removes it with the other access maps.
. "$(dirname "$0")/../lib/harness.sh"

command -v bpftool >/dev/null || fail "bpftool is missing"
command -v jq >/dev/null || fail "jq is missing"
trap 'touch "$T_TMP/done"; kill_started; t_cleanup' EXIT
cat >"$T_TMP/cr.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath $T_TMP/work
fs deny create beneath $T_TMP/work/missing
POLICY
chmod 0644 "$T_TMP/cr.policy"
mkdir -p "$T_TMP/work"

start_daemon
MAP=$T_PIN/access_fs_rules
[ -e "$MAP" ] || fail "no pinned $MAP"
entries() { bpftool -j map dump pinned "$MAP" | jq length; }
expect_eq "$(entries)" 0 "access_fs_rules before any policy"
status=$(cn status)
expect_match "$status" '^  fs create: canisterd: (recorded only|not enforced)' "the status's create row in trace mode"
if printf '%s\n' "$status" | grep -q 'fs create: canisterd: enforced'; then
	fail "trace mode says create is enforced: $status"
fi

cn run --id 1550 -- sh -c "echo ready >'$T_TMP/1550.ready'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
wait_for_file "$T_TMP/1550.ready"
cn policy load 1550 "$T_TMP/cr.policy" >/dev/null || fail "policy load 1550 in trace mode"
expect_match "$(cn policy show 1550)" '^# fs remove: canisterd: (recorded only|not enforced)' \
	"policy show's remove row in trace mode"
expect_eq "$(entries)" 0 "access_fs_rules with a create/remove policy held in trace mode"
grep -q "rule path" "$T_LOG" && fail "trace mode resolved rule paths: $(grep 'rule path' "$T_LOG")"

touch "$T_TMP/done"
kill_started
stop_daemon
out=$("$CANISTERD" --unload -c "$T_CONF" 2>&1) || fail "--unload failed: $out"
[ ! -e "$MAP" ] || fail "$MAP still exists after --unload"
exit 0
