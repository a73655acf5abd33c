# SPDX-License-Identifier: GPL-2.0-only
# canister: on a kernel with BPF LSM the daemon chooses lsm mode and says so in text and JSON status.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

start_daemon

text=$(cn status 2>&1) || fail "canister status failed: $text"
expect_match "$text" '^[[:space:]]*mode: lsm[[:space:]]*$' "canister status"

json=$(cn status --json 2>&1) || fail "canister status --json failed: $json"
# No JSON tool in the guest: drop whitespace so one pattern fits compact and
# pretty-printed output alike.
flat=$(printf '%s' "$json" | tr -d ' \t\n')
printf '%s' "$flat" | grep -q '"mode":"lsm"' || fail "status --json: \"mode\": \"lsm\" not found in: $json"
printf '%s' "$flat" | grep -Eq '"bpf_lsm":\{[^}]*"available":true' ||
	fail "status --json: features.bpf_lsm.available is not true in: $json"

stop_daemon
exit 0
