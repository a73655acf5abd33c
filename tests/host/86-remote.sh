# SPDX-License-Identifier: GPL-2.0-only
# Remote logging: canisterd feeds audisp-remote through auditd's plugin interface, and a central
# auditd in another network namespace logs canister's records unchanged, grouped with their events.
. "$(dirname "$0")/../lib/harness.sh"

for tool in auditctl auditd ausearch ip nsenter unshare ss; do
	command -v "$tool" >/dev/null || fail "$tool is missing; scripts/install-deps installs it"
done
REMOTE=/sbin/audisp-remote
[ -x "$REMOTE" ] || fail "$REMOTE is missing (Debian audispd-plugins); scripts/install-deps installs it"
# The bind mount below needs a file to cover; the real one is never written.
[ -f /etc/audit/audisp-remote.conf ] || fail "/etc/audit/audisp-remote.conf is missing (audispd-plugins)"
kernel_audit_free

KEY="canister-$T_NAME-$$"
HOST_LOG="$T_TMP/host.log"
CENTRAL="$T_TMP/central"
CENTRAL_LOG="$CENTRAL/audit.log"
PORT=6086
# Two network namespaces joined by a veth pair: the central logger's, and canisterd's.
NS_C="canister-central-$$"
NS_P="canister-peer-$$"
ADDR_C=10.86.0.1
ADDR_P=10.86.0.2
CENTRAL_PID=

REAL_CANISTERD=$CANISTERD
t_remote_cleanup()
{
	if [ -n "$T_DAEMON_PID" ]; then
		kill -TERM "$T_DAEMON_PID" 2>/dev/null
		wait "$T_DAEMON_PID" 2>/dev/null
		T_DAEMON_PID=
	fi
	if [ -n "$CENTRAL_PID" ]; then
		kill -TERM "$CENTRAL_PID" 2>/dev/null
		wait "$CENTRAL_PID" 2>/dev/null
	fi
	# canisterd removes its rule and hands the stream back itself; this is for a daemon that could not.
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	# The kernel frees the audit pid with canisterd's socket; the enabled flag is restored here.
	[ -n "$T_AUDIT_WAS_ENABLED" ] && auditctl -e "$T_AUDIT_WAS_ENABLED" >/dev/null 2>&1
	# The pins, unloaded by the real binary: the wrapper needs the namespace deleted below.
	"$REAL_CANISTERD" --unload -c "$T_CONF" >/dev/null 2>&1
	# Deleting a namespace deletes the veth end in it, and with it the pair.
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_P" 2>/dev/null
	# A pair that never reached its namespaces.
	ip link del "cnc$$" 2>/dev/null
	t_cleanup
}
trap t_remote_cleanup EXIT

ip netns add "$NS_C" || fail "ip netns add $NS_C"
ip netns add "$NS_P" || fail "ip netns add $NS_P"
ip link add "cnc$$" type veth peer name "cnp$$" || fail "cannot create a veth pair"
ip link set "cnc$$" netns "$NS_C" && ip link set "cnp$$" netns "$NS_P" || fail "cannot move the veth ends"
ip -n "$NS_C" addr add "$ADDR_C/30" dev "cnc$$" && ip -n "$NS_P" addr add "$ADDR_P/30" dev "cnp$$" ||
	fail "cannot address the veth ends"
ip -n "$NS_C" link set "cnc$$" up && ip -n "$NS_P" link set "cnp$$" up &&
	ip -n "$NS_C" link set lo up && ip -n "$NS_P" link set lo up || fail "cannot bring the links up"

# in_ns NS CMD...: CMD in network namespace NS only.  (`ip netns exec` would also remount /sys,
# hiding bpffs and tracefs from canisterd.)
in_ns()
{
	ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}

# The central logger: Debian's auditd taking events from the network only (local_events = no
# leaves the kernel's audit stream alone), its log in this case's directory.  Its pid and state
# files go to a tmpfs /run of a private mount namespace, not the host's /run.
mkdir -p "$CENTRAL/plugins"
cat >"$CENTRAL/auditd.conf" <<CONF
local_events = no
write_logs = yes
log_file = $CENTRAL_LOG
log_format = RAW
flush = INCREMENTAL_ASYNC
freq = 1
num_logs = 2
max_log_file = 64
max_log_file_action = ROTATE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
name_format = USER
name = central-$$
plugin_dir = $CENTRAL/plugins
tcp_listen_port = $PORT
tcp_listen_queue = 5
tcp_max_per_addr = 4
use_libwrap = no
tcp_client_max_idle = 0
transport = TCP
distribute_network = no
CONF
chmod 600 "$CENTRAL/auditd.conf"
# A simple command, not in_ns: nsenter, unshare and sh each exec the next, so $! is auditd's pid.
nsenter --net="/run/netns/$NS_C" unshare -m --propagation private sh -c \
	'mount -t tmpfs canister-test /run && exec auditd -n -c "$1"' sh "$CENTRAL" \
	>"$CENTRAL/auditd.out" 2>&1 &
CENTRAL_PID=$!
central_listens()
{
	in_ns "$NS_C" ss -Hltn "sport = :$PORT" | grep -q LISTEN && return 0
	kill -0 "$CENTRAL_PID" 2>/dev/null ||
		fail "the central auditd exited before it listened on port $PORT: $(cat "$CENTRAL/auditd.out")"
	return 1
}
poll_until "$T_WAIT" central_listens ||
	fail "the central auditd does not listen on port $PORT: $(cat "$CENTRAL/auditd.out")"
expect_eq "$(cat "/proc/$CENTRAL_PID/comm")" auditd "the central auditd's pid"

# audisp-remote reads /etc/audit/audisp-remote.conf only; this case's file covers it in a
# private mount namespace.  mode = immediate: nothing spooled to /var/spool.
cat >"$T_TMP/audisp-remote.conf" <<CONF
remote_server = $ADDR_C
port = $PORT
transport = tcp
mode = immediate
queue_depth = 2048
format = managed
network_retry_time = 1
max_tries_per_record = 3
max_time_per_record = 5
heartbeat_timeout = 0
network_failure_action = syslog
disk_low_action = ignore
disk_full_action = warn_once
disk_error_action = warn_once
remote_ending_action = reconnect
generic_error_action = syslog
generic_warning_action = syslog
queue_error_action = stop
overflow_action = syslog
startup_failure_action = warn_once_continue
CONF
chmod 600 "$T_TMP/audisp-remote.conf"
# The plugin canisterd starts: no PATH in its environment, so every program by its full path.
WRAPPER="$T_TMP/audisp-remote-here"
cat >"$WRAPPER" <<SH
#!/bin/sh
# audisp-remote with $T_TMP/audisp-remote.conf in place of /etc/audit's (private mount namespace)
exec $(command -v unshare) -m --propagation private /bin/sh -c \
	'$(command -v mount) --bind "\$1" /etc/audit/audisp-remote.conf && exec $REMOTE' sh "$T_TMP/audisp-remote.conf"
SH
chmod 700 "$WRAPPER"

# central_missing FILE: the lines of FILE that the central log lacks (the log is scanned
# for FILE's few lines, not the other way round: it grows by every exec on the machine).
central_missing()
{
	grep -sxF -f "$1" -- "$CENTRAL_LOG" | sort -u >"$T_TMP/arrived"
	sort -u -- "$1" | comm -23 - "$T_TMP/arrived"
}
all_arrived()
{
	[ -z "$(central_missing "$1")" ]
}

# central_has_all FILE: waits until the central log holds each line of FILE, exactly (one
# deadline for them all); says which are missing if they do not all arrive.
central_has_all()
{
	poll_until "$T_WAIT" all_arrived "$1" && return 0
	echo "--- not in the central log ($CENTRAL_LOG) ---" >&2
	central_missing "$1" >&2
	echo "--- its last lines ---" >&2
	tail -n 10 "$CENTRAL_LOG" >&2 2>/dev/null
	return 1
}

# central_has LINE...: waits until the central log holds each LINE, exactly.
central_has()
{
	printf '%s\n' "$@" >"$T_TMP/wanted"
	central_has_all "$T_TMP/wanted"
}

# The plumbing first, fed by hand: lines cross the namespaces and arrive as they were sent,
# a record that names its node included.
HAND1="type=CONTAINER_ID msg=audit(1795470000.123:$$): record=1 contid=86,^2"
HAND2="node=canister-peer type=CONTAINER_ID msg=audit(1795470000.124:$$): record=2 contid=7"
printf '%s\n%s\n' "$HAND1" "$HAND2" | in_ns "$NS_P" "$WRAPPER" || fail "audisp-remote fed by hand failed"
central_has "$HAND1" || fail "the central auditd did not log a line audisp-remote was fed: $HAND1"
grep -qxF -- "$HAND2" "$CENTRAL_LOG" || fail "a line naming its node changed on the way: $HAND2"

# canisterd (in the other namespace) as the kernel's audit daemon, with the au-remote plugin.
mkdir -p "$T_TMP/plugins"
cat >"$T_TMP/plugins/au-remote.conf" <<CONF
# as Debian's /etc/audit/plugins.d/au-remote.conf, switched on
active = yes
direction = out
path = $WRAPPER
type = always
format = string
CONF
printf '%s\n' "-a always,exit -F arch=b64 -S execve -k $KEY" >"$T_TMP/audit.rules"
chmod 600 "$T_TMP/audit.rules" "$T_TMP/plugins/au-remote.conf"
# The sending side names itself (auditd's name_format): node= on every record it sends.
NODE="canister-sender-$$"
printf 'kernel_audit = on\nhost_log = %s\naudit_rules = %s\nplugin_dir = %s\n' \
	"$HOST_LOG" "$T_TMP/audit.rules" "$T_TMP/plugins" >>"$T_CONF"
printf 'name_format = user\nname = %s\n' "$NODE" >>"$T_CONF"
cat >"$T_TMP/canisterd-in-ns" <<SH
#!/bin/sh
exec nsenter --net=/run/netns/$NS_P "$CANISTERD" "\$@"
SH
chmod 700 "$T_TMP/canisterd-in-ns"
CANISTERD="$T_TMP/canisterd-in-ns"
start_daemon
expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" "$T_DAEMON_PID" "canisterd is the audit daemon"

# plugin_pid: the pid canisterd last started the plugin as (the wrapper execs audisp-remote).
plugin_pid()
{
	cn --json status | jq -r '.. | objects | select(has("plugins")) | .plugins[]
		| select(.name == "au-remote") | .pid'
}
plugin_running()
{
	cn --json status | jq -r '.. | objects | select(has("plugins")) | .plugins[]
		| select(.name == "au-remote") | .running'
}
first_pid=$(plugin_pid)
expect_match "$first_pid" '^[1-9][0-9]*$' "status names the plugin's pid"
expect_eq "$(plugin_running)" true "the plugin runs"
is_remote() { [ "$(readlink "/proc/$first_pid/exe" 2>/dev/null)" = "$(readlink -f "$REMOTE")" ]; }
poll_until "$T_WAIT" is_remote || fail "pid $first_pid never became audisp-remote: $(readlink "/proc/$first_pid/exe")"

# A short-lived exec in container 86, and one outside; each writes its pid first.
cn run --id 86 -- sh -c "echo \$\$ >$T_TMP/inside.pid; exec /bin/true" || fail "run in 86"
sh -c "echo \$\$ >$T_TMP/outside.pid; exec /bin/true"
inside=$(cat "$T_TMP/inside.pid")
outside=$(cat "$T_TMP/outside.pid")

# syscall_of PID: the SYSCALL record of PID's execve of /bin/true, as canisterd wrote it.
syscall_of()
{
	grep -E "^node=$NODE type=SYSCALL .* pid=$1 .* comm=\"true\" .*key=\"$KEY\"" "$HOST_LOG" | head -1
}
both_logged()
{
	[ -n "$(syscall_of "$inside")" ] && [ -n "$(syscall_of "$outside")" ] &&
		grep -q "^node=$NODE type=CONTAINER_ID .* contid=86\$" "$HOST_LOG"
}
poll_until "$T_WAIT" both_logged || fail "canisterd's host log lacks the execve events: $(tail -5 "$HOST_LOG" 2>&1)"

# Every CONTAINER_ID canisterd wrote reaches the central log, byte for byte; so do the
# SYSCALL records of both processes.
grep -v "^node=$NODE type=" "$HOST_LOG" >"$T_TMP/unnamed" &&
	fail "records without node=$NODE in the host log: $(head -2 "$T_TMP/unnamed")"
grep "^node=$NODE type=CONTAINER_ID " "$HOST_LOG" >"$T_TMP/ids"
[ -s "$T_TMP/ids" ] || fail "no CONTAINER_ID record in $HOST_LOG"
central_has_all "$T_TMP/ids" || fail "the central log lacks CONTAINER_ID records of the host log"
central_has "$(syscall_of "$inside")" "$(syscall_of "$outside")" ||
	fail "the central log lacks the SYSCALL records"

# ausearch on the central log groups the CONTAINER_ID with its SYSCALL; the process outside has none.
out=$(ausearch -if "$CENTRAL_LOG" -k "$KEY" -p "$inside" 2>&1) || fail "ausearch -p $inside: $out"
expect_match "$out" "type=SYSCALL .* pid=$inside .*key=\"$KEY\"" "ausearch finds the contained execve"
with_id=$(printf '%s\n' "$out" | awk '/^----/ { n++ } /type=CONTAINER_ID .* contid=86$/ { seen[n] = 1 } END { print length(seen) }')
[ "$with_id" -ge 1 ] || fail "no ausearch event of pid $inside holds its CONTAINER_ID: $out"
out=$(ausearch -if "$CENTRAL_LOG" -k "$KEY" -p "$outside" 2>&1) || fail "ausearch -p $outside: $out"
expect_match "$out" "type=SYSCALL .* pid=$outside .*key=\"$KEY\"" "ausearch finds the execve outside"
printf '%s\n' "$out" | grep -q 'type=CONTAINER_ID' && fail "the process outside got a CONTAINER_ID: $out"

# A plugin that dies is started again, and what follows still reaches the central log.
kill -KILL "$first_pid"
restarted() { second_pid=$(plugin_pid) && [ "$second_pid" != "$first_pid" ] && [ "$(plugin_running)" = true ]; }
wait_until "the killed plugin restarted" restarted
expect_match "$(cat "$T_LOG")" "plugin au-remote: pid $first_pid was killed by SIGKILL" "the death is logged"
expect_match "$(cat "$T_LOG")" "plugin au-remote: restarted .*restart 1 of 10" "the restart is logged"
cn run --id 87 -- sh -c "echo \$\$ >$T_TMP/again.pid; exec /bin/true" || fail "run in 87"
again=$(cat "$T_TMP/again.pid")
again_logged() { [ -n "$(syscall_of "$again")" ] && grep -q "^node=$NODE type=CONTAINER_ID .* contid=87\$" "$HOST_LOG"; }
wait_until "the execve event of container 87 in the host log" again_logged
central_has "$(syscall_of "$again")" "$(grep "^node=$NODE type=CONTAINER_ID .* contid=87\$" "$HOST_LOG" | head -1)" ||
	fail "after the restart, container 87's records did not reach the central log"

# Stopping closes the plugin's stdin: audisp-remote exits by itself, and the kernel's audit
# stream is handed back as it was.
stop_daemon
expect_match "$(cat "$T_LOG")" "plugin au-remote: pid $second_pid exited with status 0" "the plugin ends at EOF"
kill -0 "$second_pid" 2>/dev/null && fail "audisp-remote (pid $second_pid) outlived canisterd"
# Nothing was lost or repeated on the way: the central log holds exactly the host log's
# CONTAINER_ID records (the hand-fed ones aside), once the last of them has arrived there.
grep "^node=$NODE type=CONTAINER_ID " "$HOST_LOG" | sort >"$T_TMP/ids.host"
central_has_all "$T_TMP/ids.host" || fail "the central log lacks CONTAINER_ID records of the host log"
grep "^node=$NODE type=CONTAINER_ID " "$CENTRAL_LOG" | sort >"$T_TMP/ids.central"
cmp -s "$T_TMP/ids.host" "$T_TMP/ids.central" ||
	fail "CONTAINER_ID records differ between host and central log: $(diff "$T_TMP/ids.host" "$T_TMP/ids.central")"
rules=$(auditctl -l)
printf '%s\n' "$rules" | grep -q -- "$KEY" && fail "canister's rule outlived it: $rules"
kernel_audit_restored
exit 0
