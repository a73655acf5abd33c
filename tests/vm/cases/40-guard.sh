# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode defends the label: a labelled root process cannot signal canisterd or open its maps.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# Outside any container, root keeps full access: the guard is aimed, not blanket.
got=$(bpf-obj-get "$T_PIN/labels") || fail "host root refused the labels map: $got"
expect_eq "$got" ok "host root opens the labels map"

# Inside a container, root is refused a fd to each of canister's maps.
for map in labels events stats containers census watch nsjoin container_cgroups; do
	got=$(cn run --id 66 -- bpf-obj-get "$T_PIN/$map")
	expect_eq "$got" "refused: Operation not permitted" "labelled root opening the $map map"
done

# ... and cannot signal canisterd, though root may signal anything else.
got=$(cn run --id 67 -- sh -c "kill -TERM $T_DAEMON_PID 2>&1; echo status=\$?")
expect_match "$got" 'status=1' "labelled root sending SIGTERM to canisterd"
kill -0 "$T_DAEMON_PID" || fail "canisterd died from a signal sent inside a container"
cn run --id 68 -- sh -c 'sleep 30 & kill -TERM $!; wait $!; echo status=$?' >"$T_TMP/own" 2>&1
expect_match "$(cat "$T_TMP/own")" "^status=143$" "a labelled process signalling its own child"

# ... and cannot ptrace canisterd, though host root can.
got=$(tool ptrace-attach "$T_DAEMON_PID") || fail "host root cannot ptrace canisterd: $got"
expect_eq "$got" ok "host root attaching to canisterd"
got=$(cn run --id 69 -- ptrace-attach "$T_DAEMON_PID")
expect_eq "$got" "refused: Operation not permitted" "labelled root attaching to canisterd"

# Every refusal is counted and logged with the container that tried.
denied=$(cn status --json | tr -d ' \n' | sed -n 's/.*"guard_denied":\([0-9]*\).*/\1/p')
[ "${denied:-0}" -ge 5 ] || fail "guard_denied counter is ${denied:-missing}, expected at least 5"
expect_match "$(cat "$T_LOG")" 'container 67: refused pid [0-9]+ a signal to canisterd' "refusal logged"
stop_daemon
