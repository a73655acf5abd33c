# SPDX-License-Identifier: GPL-2.0-only
# Plugins that keep exiting are restarted while control clients connect and disconnect without
# pause: canisterd survives every restart, keeps serving, and hands the audit stream back.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free

KEY="canister-$T_NAME-$$"
HOST_LOG="$T_TMP/host.log"
PLUGINS=32
# As PLUGIN_RESTARTS_MAX in src/audit/plugins.h: the restarts canisterd allows each plugin.
RESTARTS=10
CHURN_PID=
STORM_PID=
t_restart_cleanup()
{
	touch "$T_TMP/stop"
	[ -z "$CHURN_PID" ] || wait "$CHURN_PID" 2>/dev/null
	[ -z "$STORM_PID" ] || wait "$STORM_PID" 2>/dev/null
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	# A canisterd that crashed leaves the enabled flag as it set it.
	[ -n "$T_AUDIT_WAS_ENABLED" ] && auditctl -e "$T_AUDIT_WAS_ENABLED" >/dev/null 2>&1
	t_cleanup
}
trap t_restart_cleanup EXIT

# Each plugin takes one line of the events it is fed and exits: canisterd starts it again.
cat >"$T_TMP/one-line" <<'SH'
#!/bin/sh
read -r line
exit 0
SH
chmod 700 "$T_TMP/one-line"
mkdir -p "$T_TMP/plugins"
i=0
while [ "$i" -lt "$PLUGINS" ]; do
	printf 'active = yes\ndirection = out\npath = %s\ntype = always\nformat = string\n' \
		"$T_TMP/one-line" >"$T_TMP/plugins/p$i.conf"
	chmod 600 "$T_TMP/plugins/p$i.conf"
	i=$((i + 1))
done
printf -- '-a always,exit -F arch=b64 -S execve -k %s\n' "$KEY" >"$T_TMP/audit.rules"
chmod 600 "$T_TMP/audit.rules"
printf 'kernel_audit = on\nhost_log = %s\naudit_rules = %s\nplugin_dir = %s\n' \
	"$HOST_LOG" "$T_TMP/audit.rules" "$T_TMP/plugins" >>"$T_CONF"
# A debug line for every connection would only slow the clients down.
sed -i 's/^log_level = debug$/log_level = info/' "$T_CONF"

# alive: canisterd runs (a crashed one is a zombie until the shell waits for it).
alive()
{
	grep -q '^State:[[:space:]]*[RSD]' "/proc/$daemon/status" 2>/dev/null
}
# died: fails the case with how canisterd ended (a status above 128 is a signal's).
died()
{
	wait "$daemon"
	status=$?
	T_DAEMON_PID=
	how="exit status $status"
	[ "$status" -gt 128 ] && how="killed by SIG$(kill -l "$status")"
	fail "canisterd died while its plugins were restarted: $how"
}
# gave_up: plugins that spent every restart and no longer run.
gave_up()
{
	cn --json status 2>/dev/null | jq -r --argjson max "$RESTARTS" \
		'[.plugins // [] | .[] | select(.restarts == $max and .running == false)] | length'
}

# Control clients, four at a time, connect and hang up (one in eight after a request) until told
# to stop (tests/tools/control-churn.c).
tool control-churn "$T_SOCK" "$T_TMP/stop" >"$T_TMP/churn.out" 2>&1 &
CHURN_PID=$!
start_daemon
daemon=$T_DAEMON_PID
# Events for the plugins: every exec is one (the rule above), and each makes a plugin exit.
sh -c 'while [ ! -e "$1" ]; do sleep 0.01; done' sh "$T_TMP/stop" &
STORM_PID=$!

waited=0
until [ "$(gave_up)" = "$PLUGINS" ]; do
	alive || died
	waited=$((waited + 1))
	[ "$waited" -le 600 ] || fail "the plugins did not spend their restarts: $(cn --json status | jq -c .plugins)"
	sleep 0.1
done
touch "$T_TMP/stop"
wait "$CHURN_PID"
CHURN_PID=
wait "$STORM_PID"
STORM_PID=
alive || died
connections=$(cat "$T_TMP/churn.out")
expect_match "$connections" '^[0-9]+$' "the client churn ran"
[ "$connections" -ge 32 ] || fail "only $connections control connections during the restarts"

# Still serving: the control socket answers, labels are given, the host log grows.
expect_eq "$(cn --json status | jq -r .daemon.pid)" "$daemon" "status answers"
expect_eq "$(cn run --id 87 -- sh -c "$CANISTER --socket $T_SOCK get \$\$")" 87 "a container runs"
waited=0
until grep -q "type=CONTAINER_ID .* contid=87$" "$HOST_LOG"; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "container 87's exec is not in the host log"
	sleep 0.1
done
expect_eq "$(grep -c "plugin p[0-9]*: restarted /" "$T_LOG")" $((PLUGINS * RESTARTS)) "every restart is logged"

stop_daemon
auditctl -l | grep -q -- "$KEY" && fail "canister's rule outlived it: $(auditctl -l)"
kernel_audit_restored
exit 0
