# SPDX-License-Identifier: GPL-2.0-only
# canister run --policy on this kernel (trace mode): the capability bound (no raw socket, even as root and through a file capability), Landlock for files (a hole beneath an allowed directory), TCP connect and signal scope, nesting that only narrows, and a refused policy that starts and registers nothing.
. "$(dirname "$0")/../lib/harness.sh"

command -v setcap >/dev/null || fail "setcap is missing: install the Debian package libcap2-bin"
start_daemon
RAW=$CANISTER_TOOLS/raw-socket
# The unprivileged user below must reach the case's files.
chmod 755 "$T_TMP"
EX=$(cd "$(dirname "$0")/../../examples/policies" && pwd)

# --- capability bound ----------------------------------------------------------------------
expect_eq "$(cn run -- "$RAW")" ok "root opens a raw socket without a policy"
out=$(cn run --policy "$EX/no-net-raw.policy" -- "$RAW") && fail "a raw socket under no-net-raw: $out"
expect_eq "$out" "socket: Operation not permitted" "root under no-net-raw"
bnd=$(cn run --policy "$EX/no-net-raw.policy" -- sh -c 'grep ^CapBnd: /proc/self/status')
expect_eq "$(( 0x${bnd#CapBnd:	} >> 13 & 1 ))" 0 "CAP_NET_RAW is out of the workload's bounding set"
# A file capability gives CAP_NET_RAW to an unprivileged user, but not past the bound.
cp "$RAW" "$T_TMP/raw-fcap"
setcap cap_net_raw+ep "$T_TMP/raw-fcap" || fail "setcap failed"
as_nobody="setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all"
expect_eq "$(cn run -- $as_nobody "$T_TMP/raw-fcap")" ok "nobody with the file capability"
# The kernel refuses to exec a program whose file capabilities (effective) it cannot grant.
out=$(cn run --policy "$EX/no-net-raw.policy" -- $as_nobody "$T_TMP/raw-fcap" 2>&1) &&
	fail "the file capability passed the bound: $out"
expect_match "$out" "failed to execute .*raw-fcap: Operation not permitted" \
	"nobody with the file capability, bounded"

# --- files: execution allowed beneath / but not beneath the case's directory ----------------
D=$T_TMP/data
mkdir -p "$D/sub" "$T_TMP/other" "$T_TMP/run"
cp /bin/true "$D/sub/prog"
cp /bin/true "$T_TMP/other/prog"
cat >"$T_TMP/no-exec-data.policy" <<POLICY
fs handle execute,write,create
fs allow execute,write,create beneath /
fs deny execute beneath $D
fs deny write,create beneath $T_TMP/other
POLICY
P=$T_TMP/no-exec-data.policy
cn run --policy "$P" -- "$T_TMP/other/prog" || fail "a program beside the hole did not run"
out=$(cn run --policy "$P" -- sh -c "'$D/sub/prog'" 2>&1) && fail "a program in the hole ran"
expect_match "$out" "Permission denied" "exec in the hole"
# The workload itself is refused by the kernel at canister run's own exec.
out=$(cn run --policy "$P" -- "$D/sub/prog" 2>&1; echo "status $?")
expect_match "$out" "cannot run .*Permission denied" "canister run of a program in the hole"
expect_match "$out" "status 126" "its exit status"
# Content copied out of the hole is a new file, written where writing is allowed: it runs.
# The same file linked out of it would gain execute: Landlock refuses the link.
out=$(cn run --policy "$P" -- sh -c "cp '$D/sub/prog' '$T_TMP/run/copy' && '$T_TMP/run/copy' && echo copied-runs; ln '$D/sub/prog' '$T_TMP/run/linked' 2>&1; echo ln=\$?")
expect_match "$out" "copied-runs" "a copy written outside the hole"
expect_match "$out" "ln=1" "a hard link out of the hole"
expect_match "$out" "Invalid cross-device link" "the link's refusal"
[ ! -e "$T_TMP/run/linked" ] || fail "the program was linked out of the hole"
# Landlock grants whole subtrees: in a directory above a hole, what the hole takes away is
# refused for the directory itself too (documented): no new file directly in $T_TMP.
out=$(cn run --policy "$P" -- sh -c "echo x >'$T_TMP/direct'" 2>&1) && fail "a file made above the hole"
# Writes: refused beneath other/, allowed elsewhere.
out=$(cn run --policy "$P" -- sh -c "echo x >'$T_TMP/other/new'" 2>&1) && fail "a file made in other/"
[ ! -e "$T_TMP/other/new" ] || fail "other/new exists"
cn run --policy "$P" -- sh -c "echo x >'$D/new'" || fail "a file could not be made beside"

# --- TCP connect ----------------------------------------------------------------------------
cat >"$T_TMP/net.policy" <<'POLICY'
net handle connect
net allow connect 1
POLICY
# Nothing listens on either port: refused by the kernel's network (allowed) or by Landlock.
out=$(cn run --policy "$T_TMP/net.policy" -- bash -c 'echo >/dev/tcp/127.0.0.1/1' 2>&1)
expect_match "$out" "Connection refused" "connect to an allowed port reaches the network"
out=$(cn run --policy "$T_TMP/net.policy" -- bash -c 'echo >/dev/tcp/127.0.0.1/2' 2>&1)
expect_match "$out" "Permission denied" "connect to a port the policy does not grant"

# --- signal scope ---------------------------------------------------------------------------
sleep 300 &
host_sleep=$!
started $host_sleep
printf 'scope signal\n' >"$T_TMP/scope.policy"
out=$(cn run --policy "$T_TMP/scope.policy" -- sh -c "kill -0 $host_sleep 2>&1; sleep 30 & own=\$!; kill -0 \$own && echo own-ok; kill \$own")
expect_match "$out" "Operation not permitted" "a signal to a host process"
expect_match "$out" "own-ok" "a signal to the container's own process"
kill -0 $host_sleep || fail "the host process is gone"

# --- nesting only narrows -------------------------------------------------------------------
cat >"$T_TMP/widen.policy" <<POLICY
fs handle execute
fs allow execute beneath /
POLICY
# A delegated orchestrator inside the confined container runs a nested one with a policy that
# allows execution everywhere: the parent's hole still holds.
cat >"$T_TMP/nest.sh" <<SCRIPT
echo \$\$ >"$T_TMP/run/nest.pid"
sh "$T_AWAIT" "$T_TMP/nest.go" || exit 1
"$CANISTER" --socket "$T_SOCK" run --policy "$T_TMP/widen.policy" -- sh -c "'$D/sub/prog'" >"$T_TMP/run/nest.tmp" 2>&1
echo "status \$?" >>"$T_TMP/run/nest.tmp"
mv "$T_TMP/run/nest.tmp" "$T_TMP/run/nest.out"
SCRIPT
cn run --policy "$P" -- sh "$T_TMP/nest.sh" &
nest_runner=$!
wait_for_file "$T_TMP/run/nest.pid"
cn delegate "$(cat "$T_TMP/run/nest.pid")" >/dev/null || fail "delegate failed"
touch "$T_TMP/nest.go"
wait_for_file "$T_TMP/run/nest.out"
wait $nest_runner
out=$(cat "$T_TMP/run/nest.out")
expect_match "$out" "Permission denied" "the nested exec in the parent's hole"
expect_match "$out" "status 126" "the nested exec's status"

# --- a refused policy starts nothing, registers nothing -------------------------------------
printf 'fs handle execute\nfs allow execute beneath tmp\n' >"$T_TMP/bad.policy"
# Every earlier container has exited; wait until canisterd has dropped them all (a drop follows
# the last exit asynchronously), so that a count taken now cannot shrink by itself.
no_containers() { [ "$(cn status --json | jq -r .counters.containers)" = 0 ]; }
wait_until "the earlier containers dropped" no_containers
out=$(cn run --policy "$T_TMP/bad.policy" -- sh -c "touch '$T_TMP/ran'" 2>&1; echo "status $?")
expect_eq "$out" "canister: $T_TMP/bad.policy:2: \"tmp\" is not an absolute path
status 125" "a policy that does not parse"
[ ! -e "$T_TMP/ran" ] || fail "the command ran under a refused policy"
no_containers || fail "a refused policy left a container: $(cn ps)"
chmod 666 "$T_TMP/bad.policy"
out=$(cn run --policy "$T_TMP/bad.policy" -- true 2>&1) && fail "a world-writable policy was read"
expect_match "$out" "writable" "a world-writable policy file"
exit 0
