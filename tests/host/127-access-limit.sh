# SPDX-License-Identifier: GPL-2.0-only
# canister: canisterd holds the access policies of 4096 containers at most (docs/access.md): with 4096 held, a load for a 4097th container is refused with a clear line and changes nothing (no policy held or stored for it, the count unchanged, a refused `canister run --policy` starts nothing), a held one can still be replaced, and a dropped container's policy frees room for the next.
. "$(dirname "$0")/../lib/harness.sh"

command -v jq >/dev/null || fail "jq is missing"
LIMIT=4096
printf 'scope signal\n' >"$T_TMP/signal.policy"
printf 'scope ptrace\n' >"$T_TMP/ptrace.policy"
chmod 0644 "$T_TMP"/*.policy
start_daemon
held() { cn status --json | jq -r .access.containers; }

# 4096 holders, each registered and given a policy through one connection (tests/tools/policy-fill).
# Not through tool (a function): in the background $! would be its subshell's.
"${CANISTER_TOOLS:+$CANISTER_TOOLS/}fork-many" "$LIMIT" "$T_TMP/ready" &
MANY=$!
started $MANY
wait_for_file "$T_TMP/ready"
PIDS=$(cat "/proc/$MANY/task/$MANY/children")
expect_eq "$(echo $PIDS | wc -w)" "$LIMIT" "the holders forked"
# shellcheck disable=SC2086 # one pid a word
out=$(tool policy-fill "$T_SOCK" 20000 "$T_TMP/signal.policy" $PIDS) || fail "policy-fill: $out"
expect_eq "$out" "filled $LIMIT" "policy-fill"
expect_eq "$(held)" "$LIMIT" "containers holding a policy"

# The 4097th: refused, nothing changed.
mkfifo "$T_TMP/never"
sh -c "read x <'$T_TMP/never'" &
EXTRA=$!
started $EXTRA
cn set $EXTRA 30000 >/dev/null || fail "cannot register container 30000"
st=0
out=$(cn policy load 30000 "$T_TMP/signal.policy" 2>&1) || st=$?
expect_eq "$out" "canister: canisterd holds the policies of $LIMIT containers at most, and holds that many: container 30000's is refused (a container's policy goes when it is dropped)" \
	"the refusal of a 4097th policy"
expect_eq "$st" 1 "the exit status of the refused load"
expect_eq "$(cn policy show 30000)" "# container 30000 holds no access policy of its own" "30000's policy after the refusal"
[ ! -e "$T_TMP/access/30000.policy" ] || fail "the refused policy was stored"
expect_eq "$(held)" "$LIMIT" "containers holding a policy after the refusal"
st=0
out=$(cn run --id 30001 --policy "$T_TMP/signal.policy" -- touch "$T_TMP/ran" 2>&1) || st=$?
[ "$st" -ne 0 ] || fail "canister run --policy started a 4097th container with a policy"
expect_match "$out" "canisterd holds the policies of $LIMIT containers at most" "canister run --policy's refusal"
[ ! -e "$T_TMP/ran" ] || fail "canister run --policy ran its command with no room for the policy"

# A replacement needs no room.
cn policy load 20000 "$T_TMP/ptrace.policy" --complain || fail "replacing 20000's policy with the table full"
expect_match "$(cn policy show 20000)" "^# container 20000: mode complain, its own" "20000's replaced policy"
expect_match "$(cn policy show 20000)" "^scope ptrace\$" "20000's replaced policy's text"

# A dropped container's policy frees room.
kill "$(echo $PIDS | cut -d' ' -f6)"
room() { [ "$(held)" = $((LIMIT - 1)) ]; }
wait_until "20005's policy gone with its container" room
[ ! -e "$T_TMP/access/20005.policy" ] || fail "20005's stored policy outlived its container"
cn policy load 30000 "$T_TMP/signal.policy" || fail "policy load 30000 once there was room"
expect_eq "$(held)" "$LIMIT" "containers holding a policy after the load"
expect_match "$(cn policy show 30000)" "^# container 30000: mode enforce, its own" "30000's policy"
exit 0
