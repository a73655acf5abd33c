# SPDX-License-Identifier: GPL-2.0-only
# kernel_audit = auto beside Debian's auditd: canisterd leaves the stream, the rules and the
# settings to auditd and takes its events from canister-audisp, auditd's plugin, adding
# CONTAINER_ID records in its host log; auditd's own log is as it would be without canister.
. "$(dirname "$0")/../lib/harness.sh"

# The stream must be free for the auditd this case starts; nothing else may take it meanwhile.
kernel_audit_free
command -v auditd >/dev/null || fail "auditd (Debian auditd) is missing; scripts/install-deps installs it"
AUDISP=${CANISTER_AUDISP:-$(dirname "$CANISTERD")/canister-audisp}
[ -x "$AUDISP" ] || fail "$AUDISP is missing; run make first"

KEY="canister-$T_NAME-$$"
TRIGGER="$T_TMP/trigger"
HOST_LOG="$T_TMP/host.log"
AUDITD_DIR="$T_TMP/auditd"
AUDITD_LOG="$AUDITD_DIR/audit.log"
AUDITD_PID=
RULES_BEFORE=$(auditctl -l)
AUDITD_OUT="$T_TMP/auditd.out"

# Whatever happens: auditd stopped, our one rule gone, the enabled flag as it was.
t_auditd_cleanup()
{
	if [ -n "$AUDITD_PID" ]; then
		kill -TERM "$AUDITD_PID" 2>/dev/null
		wait "$AUDITD_PID" 2>/dev/null
		AUDITD_PID=
	fi
	auditctl -W "$TRIGGER" -p wa -k "$KEY" >/dev/null 2>&1
	[ -z "${T_AUDIT_WAS_ENABLED:-}" ] || auditctl -e "$T_AUDIT_WAS_ENABLED" >/dev/null 2>&1
	t_cleanup
}
trap t_auditd_cleanup EXIT

audit_pid() { auditctl -s | awk '$1 == "pid" { print $2 }'; }

# A private auditd: its own auditd.conf, log and plugins.d (auditd 3.0.9's -c names the
# directory of auditd.conf only; plugin_dir must be set in it, or /etc/audit/plugins.d is read).
mkdir -p "$AUDITD_DIR/plugins.d"
cat >"$AUDITD_DIR/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $AUDITD_LOG
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 8
num_logs = 2
name_format = NONE
max_log_file_action = ROTATE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
distribute_network = no
q_depth = 2000
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $AUDITD_DIR/plugins.d
end_of_event_timeout = 2
CONF
# The file canister installs as /etc/audit/plugins.d/canister.conf, pointed at this case's daemon.
sed -e "s|@SBINDIR@/canister-audisp|$AUDISP|" \
	-e "s|^args = .*|args = $T_TMP/auditd-plugin.sock|" dist/auditd-plugin.conf.in \
	>"$AUDITD_DIR/plugins.d/canister.conf"
chmod 0640 "$AUDITD_DIR/auditd.conf" "$AUDITD_DIR/plugins.d/canister.conf"

auditd -n -c "$AUDITD_DIR" >"$AUDITD_OUT" 2>&1 &
AUDITD_PID=$!
auditd_holds() { [ "$(audit_pid)" = "$AUDITD_PID" ]; }
poll_until 30 auditd_holds || fail "auditd (pid $AUDITD_PID) did not take the audit stream: $(cat "$AUDITD_OUT")"
auditctl -w "$TRIGGER" -p wa -k "$KEY" >/dev/null || fail "auditctl -w $TRIGGER"
RULES_WITH_OURS=$(auditctl -l)

# canisterd with the default kernel_audit (auto), and audit_rules that it must not load here.
printf -- '-w /etc/hostname -p r -k %s-never\n' "$KEY" >"$T_TMP/audit.rules"
chmod 600 "$T_TMP/audit.rules"
cat >>"$T_CONF" <<CONF
kernel_audit = auto
host_log = $HOST_LOG
audit_rules = $T_TMP/audit.rules
auditd_plugin_socket = $T_TMP/auditd-plugin.sock
CONF
start_daemon
expect_eq "$(audit_pid)" "$AUDITD_PID" "auditd still holds the audit stream"
status=$(cn --json status)
expect_eq "$(printf '%s' "$status" | jq -r .kernel_audit.source)" auditd_plugin "kernel_audit.source"
expect_eq "$(printf '%s' "$status" | jq -r .kernel_audit.auditd_pid)" "$AUDITD_PID" "kernel_audit.auditd_pid"
expect_eq "$(printf '%s' "$status" | jq -r .kernel_audit.audit_daemon)" false "kernel_audit.audit_daemon"
expect_eq "$(printf '%s' "$status" | jq -r .daemon.kernel_audit)" auto "daemon.kernel_audit"
plugin_connected() { [ "$(cn --json status | jq -r .kernel_audit.plugin_connected)" = true ]; }
wait_until 30 "canister-audisp connected to canisterd" plugin_connected
expect_match "$(cn status)" "kernel_audit: auto → via auditd plugin \(auditd pid $AUDITD_PID\)" "canister status"
expect_eq "$(auditctl -l)" "$RULES_WITH_OURS" "auditd's rules untouched by canisterd"
grep -q "audit_rules .* is not loaded beside auditd" "$T_LOG" || fail "no warning that audit_rules is not loaded"

# A process in container 81 writes the watched file: auditd logs the event as ever, and canister's
# host log has it with a CONTAINER_ID record of the same stamp.
cn run --id 81 -- sh -c "echo \$\$ >$T_TMP/writer.pid; echo x >$TRIGGER" || fail "run in 81"
writer=$(cat "$T_TMP/writer.pid")
wait_for_line "$HOST_LOG" "type=SYSCALL .* pid=$writer .*key=\"$KEY\"" "the write event in canister's host log"
stamp=$(grep "type=SYSCALL .* pid=$writer .*key=\"$KEY\"" "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)' | head -1)
wait_for_line "$HOST_LOG" "type=CONTAINER_ID $(printf '%s' "$stamp" | sed 's/[().]/\\&/g'): record=1 contid=81\$" \
	"the event's CONTAINER_ID record"
# The records canisterd writes are the kernel's, without auditd's enrichment (0x1d and after).
grep -F "$stamp" "$HOST_LOG" | grep -q "$(printf '\035')" && fail "auditd's interpretation leaked into the host log"
# (ausearch -k would also find auditctl's add_rule event, which canister-audisp relayed too.)
serial=${stamp##*:}
serial=${serial%)}
out=$(ausearch -if "$HOST_LOG" -a "$serial" 2>&1) || fail "ausearch failed: $out"
expect_eq "$(printf '%s\n' "$out" | grep -c '^----')" 1 "ausearch: one event (ausearch said: $out)"
expect_match "$out" "type=CONTAINER_ID .*contid=81" "ausearch: the CONTAINER_ID record in the event"
wait_for_line "$AUDITD_LOG" "type=SYSCALL $(printf '%s' "$stamp" | sed 's/[().]/\\&/g'):.* pid=$writer .*key=\"$KEY\"" \
	"the same event in auditd's own log"
grep -q "CONTAINER_ID" "$AUDITD_LOG" && fail "canister's records in auditd's log"

# canisterd stopped: auditd goes on, canister-audisp keeps what comes meanwhile; a restarted
# canisterd writes it with its CONTAINER_ID record (the writer still lives, labelled).
"$CANISTER" --socket "$T_SOCK" run --id 82 -- \
	sh -c "echo \$\$ >$T_TMP/late.pid; sh $T_AWAIT $T_TMP/go 120 && echo y >$TRIGGER && exec sleep 120" &
started $!
sh "$T_AWAIT" -s "$T_TMP/late.pid" 30 || fail "container 82 did not start"
late=$(cat "$T_TMP/late.pid")
started "$late"
stop_daemon
expect_eq "$(audit_pid)" "$AUDITD_PID" "auditd holds the stream after canisterd stopped"
: >"$T_TMP/go"
wait_for_line "$AUDITD_LOG" "type=SYSCALL .* pid=$late .*key=\"$KEY\"" "auditd logs while canisterd is down"
start_daemon
wait_for_line "$HOST_LOG" "type=SYSCALL .* pid=$late .*key=\"$KEY\"" "the event relayed while canisterd was down"
late_stamp=$(grep "type=SYSCALL .* pid=$late .*key=\"$KEY\"" "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)' | head -1)
wait_for_line "$HOST_LOG" "type=CONTAINER_ID $(printf '%s' "$late_stamp" | sed 's/[().]/\\&/g'): record=1 contid=82\$" \
	"its CONTAINER_ID record"
kill_started

# Stopped, both: the audit state is as this case found it.
stop_daemon
expect_eq "$(auditctl -l)" "$RULES_WITH_OURS" "auditd's rules untouched after canisterd stopped"
kill -TERM "$AUDITD_PID"
wait "$AUDITD_PID"
AUDITD_PID=
auditctl -W "$TRIGGER" -p wa -k "$KEY" >/dev/null || fail "auditctl -W"
auditctl -e "$T_AUDIT_WAS_ENABLED" >/dev/null || fail "auditctl -e"
expect_eq "$(auditctl -l)" "$RULES_BEFORE" "the rules as found"
kernel_audit_restored
exit 0
