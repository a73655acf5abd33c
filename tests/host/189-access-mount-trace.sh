# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode (this kernel has no BPF LSM): canisterd neither refuses nor records a container's mounts, and its status and `policy show` say so; a `canister run --policy` workload whose policy handles a file right is refused every mount by Landlock itself (EPERM, even in a mount namespace of its own, as root), one whose policy handles only the network or the capability bound mounts.
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
mkdir -p "$T_TMP/mnt"
# The mount namespace of its own, private, then a tmpfs: every step is a mount(2).
try_mount="unshare -m --propagation private mount -t tmpfs none '$T_TMP/mnt' && echo mounted"

expect_eq "$(cn run -- sh -c "$try_mount" 2>&1)" mounted "no policy: a tmpfs in its own namespace"
expect_eq "$(cn run --policy "$T_TMP/net.policy" -- sh -c "$try_mount" 2>&1)" mounted \
	"a policy that handles only the network"
out=$(cn run --policy "$T_TMP/fs.policy" -- sh -c "$try_mount" 2>&1) &&
	fail "a workload whose policy handles create mounted: $out"
expect_match "$out" "Operation not permitted" "Landlock refuses the mount to a domain with file rights"
# The workload's own unshare without a mount: not a mount, allowed.
expect_eq "$(cn run --policy "$T_TMP/fs.policy" -- unshare -m --propagation unchanged echo unshared 2>&1)" \
	unshared "unshare -m alone under a file policy"

status=$(cn status)
expect_match "$status" '^  mounts: canisterd: not enforced, not recorded \(trace mode: no BPF LSM\); canister run --policy: Landlock ABI [0-9]+ \(refused where a file right is handled\)$' \
	"the status says trace mode does nothing of mounts, and Landlock refuses them to a run --policy workload"
mkdir -p "$T_TMP/hold"
cn run --id 1890 -- sh -c "echo up >'$T_TMP/hold/up'; while [ ! -e '$T_TMP/done' ]; do sleep 0.1; done" &
started $!
wait_for_file "$T_TMP/hold/up" 30
cn policy load 1890 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1890"
expect_match "$(cn policy show 1890)" '^# mounts: canisterd: not enforced, not recorded \(trace mode: no BPF LSM\)' \
	"policy show says what trace mode does of mounts"
touch "$T_TMP/done"
exit 0
