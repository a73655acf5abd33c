# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: canisterd's helpers (audit guardian, plugins) are as out of reach as canisterd.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

# The guest runs one case at a time and has no auditd (nor auditctl, which
# kernel_audit_free asks): the kernel audit stream is free by construction.
T_KAUDIT_LOCKED=1
# A plugin that takes every record and keeps running, as audisp-remote does.
mkdir -p "$T_TMP/plugins"
printf '#!/bin/sh\nexec cat >/dev/null\n' >"$T_TMP/sink"
chmod 700 "$T_TMP/sink"
printf 'active = yes\ndirection = out\npath = %s\ntype = always\nformat = string\n' \
	"$T_TMP/sink" >"$T_TMP/plugins/sink.conf"
chmod 600 "$T_TMP/plugins/sink.conf"
cat >>"$T_CONF" <<CONF
kernel_audit = on
host_log = $T_TMP/host.log
plugin_dir = $T_TMP/plugins
CONF

start_daemon
D=$T_DAEMON_PID
refused="refused: Operation not permitted"

# helpers: canisterd's children (the guardian and the plugin).
helpers()
{
	cat /proc/"$D"/task/*/children 2>/dev/null
}
two_helpers()
{
	[ "$(helpers | wc -w)" -ge 2 ]
}
wait_until "canisterd's guardian and plugin" two_helpers
for helper in $(helpers); do
	name=$(cat /proc/"$helper"/comm)
	got=$(cn run --id 100 -- sh -c "kill -TERM $helper 2>&1; echo status=\$?")
	expect_match "$got" 'status=1' "labelled root sending SIGTERM to canisterd's helper $name"
	got=$(cn run --id 100 -- tamper write /proc/"$helper"/oom_score_adj 1000)
	expect_eq "$got" "$refused" "labelled root raising the oom_score_adj of canisterd's helper $name"
	got=$(cn run --id 100 -- tamper sched "$helper")
	expect_eq "$got" "$refused" "labelled root rescheduling canisterd's helper $name"
	kill -0 "$helper" || fail "canisterd's helper $name died"
done
expect_match "$(cat "$T_LOG")" \
	"container 100: refused pid [0-9]+ a signal to a helper of canisterd" "refusal logged"
stop_daemon
