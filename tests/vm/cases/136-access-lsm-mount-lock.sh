# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a workload whose chain holds a policy handling a file right may not change its mount topology, as under Landlock: as root in the container in a mount namespace of its own, unmounting a rule path's tmpfs to mount a fresh one (whose inodes have no marks: the deny beneath it no longer refused on main's build), a tmpfs or a bind mount over the denied directory, mount --move, a remount, the new mount API's fsmount and move_mount, and pivot_root are each refused with EPERM and recorded (op=mount|umount|move_mount|pivot_root) in enforce, let through and recorded in complain, and let through without a policy or under one that handles only the network; a nested container under the parent's policy is refused too, by the parent's level.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/integrity.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

D=/srv/vm136
trap 'touch "$T_TMP/done"; kill_started; umount "$D/m1" "$D/fs" 2>/dev/null; rm -rf "$D"; t_cleanup' EXIT
rm -rf "$D"
mkdir -p "$D/fs" "$D/m1" "$D/m2" "$D/other" "$D/new" || fail "cannot make $D"
# The rule path's filesystem and a mount to move and remount, the host's, before the container.
mount -t tmpfs none "$D/fs" && mount -t tmpfs none "$D/m1" || fail "tmpfs on $D/fs, $D/m1"
mkdir -p "$D/fs/locked" "$D/new/old" || fail "cannot make $D/fs/locked"
cat >"$T_TMP/fs.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath /
fs deny create,remove beneath $D/fs/locked
POLICY
cat >"$T_TMP/net.policy" <<'POLICY'
net handle bind
net allow bind 7000
POLICY
eperm='Operation not permitted'
private='unshare -m --propagation private'

step=0

# attacks [WRAP]: (step the next step's number, counted by the caller: this runs in a subshell)
# every attack (in an order where one let through leaves the next its target),
# as "ok" or the error's last words, each followed by ";"; where they are let through, WRAP runs
# them in a private copy of the worker's namespace (busybox's unshare has no --propagation
# unchanged) so that the next phase finds the same mounts.
attacks()
{
	worker_step "$step" "${1:-} sh -c '
try() { if out=\$( (eval \"\$1\") 2>&1); then echo ok; else echo \"\${out##*: }\"; fi; }
try \"mount -t tmpfs none $D/fs/locked\"
try \"mount --bind $D/other $D/fs/locked\"
try \"mount -o remount,size=2m $D/m1\"
try \"model-cred own-ns - fsmount $D/m2\"
try \"mount --move $D/m1 $D/m2\"
try \"umount -l $D/fs\"
try \"pivot_root $D/new $D/new/old\"
' | tr '\n' ';'"
}
# pivot_root on the initramfs's rootfs is EINVAL when let through (no mount under its root).
allowed="ok;ok;ok;ok;ok;ok;Invalid argument;"
# busybox mount says EPERM its own way.
mperm='permission denied (are you root?)'
denied="$mperm;$mperm;$mperm;$eperm;$mperm;$eperm;$eperm;"

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
# The container's first process, in a private mount namespace of its own (canisterd's guard
# refuses any mount in its namespace), made before any policy: the steps come from the test.
worker_start 1360 "" "$private"

step=$((step + 1))
expect_eq "$(attacks "$private")" "$allowed" "no policy: every topology change"
cn policy load 1360 "$T_TMP/net.policy" >/dev/null || fail "policy load 1360 (net only)"
step=$((step + 1))
expect_eq "$(attacks "$private")" "$allowed" "a policy that handles only the network"

cn policy load 1360 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1360 (enforce)"
expect_match "$(cn policy show 1360)" '^# mounts: canisterd: enforced: BPF LSM mount hooks' \
	"policy show says BPF LSM refuses mounts"
# The first attack, whole: a fresh tmpfs on the rule path, and a file beneath the old deny.
step=$((step + 1))
got=$(worker_step "$step" "sh -c 'umount $D/fs && mount -t tmpfs none $D/fs && mkdir $D/fs/locked && touch $D/fs/locked/x && echo made' 2>&1")
[ "${got%made}" = "$got" ] || fail "enforce: a file made beneath the deny through a fresh tmpfs: $got"
expect_match "$got" "$eperm" "enforce: unmounting the rule path's filesystem to mount a fresh one"
step=$((step + 1))
expect_eq "$(attacks)" "$denied" "enforce: every topology change"
for op in "umount target=\"$D/fs\"" "mount target=\"$D/fs/locked\"" "mount target=\"$D/m2\"" \
	"mount target=\"$D/m1\"" "move_mount target=\"$D/m2\"" "pivot_root target=\"$D/new\""; do
	expect_record "op=${op%% *} contid=1360 by=1360 pid=[0-9]+ (exe=[^ ]+ )?${op#* } right=mount cause=fs-handled mode=enforce res=0" \
		"the record of the refused ${op}"
done
# Host processes are never a policy's subject.
mount -t tmpfs none "$D/other" && umount "$D/other" || fail "a host mount beside an enforcing container"

cn policy load 1360 "$T_TMP/fs.policy" --complain >/dev/null || fail "policy load 1360 --complain"
step=$((step + 1))
expect_eq "$(attacks "$private")" "$allowed" "complain: every topology change let through"
for op in umount mount move_mount pivot_root; do
	expect_record "op=$op contid=1360 by=1360 pid=[0-9]+ (exe=[^ ]+ )?target=\"[^\"]+\" right=mount cause=fs-handled mode=complain res=1" \
		"the complain record of $op"
done

# A nested container (its orchestrator the delegated worker) with no policy of its own: the
# parent's level refuses.
cn policy load 1360 "$T_TMP/fs.policy" >/dev/null || fail "policy load 1360 (enforce again)"
cn delegate "$(cat "$T_TMP/worker.pid")" >/dev/null || fail "delegate container 1360's worker"
step=$((step + 1))
nested=$(worker_step "$step" "'$CANISTER' --socket '$T_SOCK' run --id 1361 -- sh -c 'mount -t tmpfs none $D/m2 2>&1 || echo refused'")
expect_match "$nested" "mount: permission denied" "a nested container under the parent's policy mounting"
expect_record "op=mount contid=1361,\\^1360 by=1360 pid=[0-9]+ (exe=[^ ]+ )?target=\"$D/m2\" right=mount cause=fs-handled mode=enforce res=0" \
	"the nested refusal names the parent's level"

# canisterd killed: the pinned programs go on refusing.
kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
step=$((step + 1))
expect_match "$(worker_step "$step" "umount $D/fs 2>&1")" "$eperm" \
	"enforce with canisterd killed"
exit 0
