# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode (this kernel has no BPF LSM): canisterd neither refuses nor records a container's mounts, and its status and `policy show` say so; a `canister run --policy` workload whose policy makes a Landlock domain (a file or a network rule: every domain canister run makes handles refer, a file right) is refused every mount by Landlock itself (EPERM, even in a mount namespace of its own, as root); one with only a capability bound (no domain) mounts.
. "$(dirname "$0")/../lib/harness.sh"

start_daemon
cat >"$T_TMP/fs.policy" <<'POLICY'
fs handle create
fs allow create beneath /
POLICY
cat >"$T_TMP/net.policy" <<'POLICY'
net handle bind
net allow bind 7000
POLICY
cat >"$T_TMP/cap.policy" <<'POLICY'
capability drop CAP_NET_RAW
POLICY
mkdir -p "$T_TMP/mnt"
# The mount namespace of its own, private, then a tmpfs: every step is a mount(2).
try_mount="unshare -m --propagation private mount -t tmpfs none '$T_TMP/mnt' && echo mounted"

expect_eq "$(cn run -- sh -c "$try_mount")" mounted "no policy: a tmpfs in its own namespace"
expect_eq "$(cn run --policy "$T_TMP/cap.policy" -- sh -c "$try_mount")" mounted \
	"a policy with only a capability bound (no Landlock domain)"
for policy in fs net; do
	out=$(cn run --policy "$T_TMP/$policy.policy" -- sh -c "$try_mount" 2>&1) &&
		fail "a workload under $policy.policy mounted: $out"
	expect_match "$out" "Operation not permitted" "Landlock refuses the mount under $policy.policy"
done
# The workload's own unshare without a mount: not a mount, allowed.
expect_eq "$(cn run --policy "$T_TMP/fs.policy" -- unshare -m --propagation unchanged echo unshared)" \
	unshared "unshare -m alone under a file policy"

status=$(cn status)
expect_match "$status" '^  mounts: canisterd: not enforced, not recorded \(trace mode: no BPF LSM\); canister run --policy: Landlock ABI [0-9]+ \(refused where a fs, net or scope rule makes a domain\)$' \
	"the status says trace mode does nothing of mounts, and Landlock refuses them to a run --policy workload"
mkdir -p "$T_TMP/hold"
cn run --id 1890 -- sh -c "echo up >'$T_TMP/hold/up'; sh '$T_AWAIT' '$T_TMP/done'" &
started $!
wait_for_file "$T_TMP/hold/up" 30
cn policy load 1890 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1890"
expect_match "$(cn policy show 1890)" '^# mounts: canisterd: not enforced, not recorded \(trace mode: no BPF LSM\)' \
	"policy show says what trace mode does of mounts"
touch "$T_TMP/done"
exit 0
