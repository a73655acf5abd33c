# SPDX-License-Identifier: GPL-2.0-only
# canister: on Debian 12's 6.1 (no SO_PEERPIDFD), a caller's pid given to a host process before
# canisterd accepts is not taken for that process (tests/lib/peer-recycle.sh).
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "$T_LIB/peer-recycle.sh"

start_daemon
expect_match "$(cn status)" "peer_pidfd +unavailable +the kernel lacks SO_PEERPIDFD \(Linux 6.5\): callers are pinned by pid at accept; the caller must also hold" \
	"the 6.1 path, with unix_diag"
recycle vm
expect_match "$reply" '"ok":false' "the recycled pid's request was refused: $reply"
expect_match "$reply" "pid $caller does not hold the connection" "the reason"
no_record "op=delegate opid=$child .*res=1" "a delegation granted to the attacker's child"
kill "$child" 2>/dev/null
# An ordinary caller is served.
expect_match "$(tool register-self "$T_SOCK")" "^refused: Invalid cross-device link" "an ordinary caller"
stop_daemon
