# SPDX-License-Identifier: GPL-2.0-only
# canister: canister run --policy on Debian's 6.1 (Landlock ABI 2): the capability bound and a file hole are enforced; TCP and signal scope, which that Landlock lacks, are said not to be, and the workload still runs.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

start_daemon
expect_eq "$(tool raw-socket)" ok "root opens a raw socket"
printf 'capability drop CAP_NET_RAW\n' >"$T_TMP/no-raw.policy"
out=$(cn run --policy "$T_TMP/no-raw.policy" -- raw-socket) && fail "a raw socket under the bound: $out"
expect_eq "$out" "socket: Operation not permitted" "the capability bound"

D=$T_TMP/data
mkdir -p "$D" "$T_TMP/run"
# busybox runs the applet its file is named after.
cp /bin/busybox "$D/true"
cp /bin/busybox "$T_TMP/run/true"
cat >"$T_TMP/hole.policy" <<POLICY
fs handle execute
fs allow execute beneath /
fs deny execute beneath $D
POLICY
cn run --policy "$T_TMP/hole.policy" -- "$T_TMP/run/true" || fail "a program beside the hole"
out=$(cn run --policy "$T_TMP/hole.policy" -- sh -c "'$D/true'" 2>&1) && fail "a program in the hole ran"
expect_match "$out" "Permission denied" "exec in the hole"

cat >"$T_TMP/net.policy" <<'POLICY'
net handle connect
net allow connect 1
scope signal
POLICY
out=$(cn run --policy "$T_TMP/net.policy" -- sh -c 'echo ran' 2>&1) || fail "the workload did not run: $out"
expect_match "$out" "canister: policy $T_TMP/net.policy: not enforced here \(Landlock ABI 2\): net connect, scope signal$" \
	"what Landlock ABI 2 cannot enforce, said"
expect_match "$out" "^ran$" "the workload ran"
exit 0
