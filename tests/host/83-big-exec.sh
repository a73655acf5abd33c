# SPDX-License-Identifier: GPL-2.0-only
# An exec with 2 MB of arguments, from a path of 4000 bytes, in a container: every record of its
# event and its CONTAINER_ID reach the host log (text), a JSON sink and a plugin, whole.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free

KEY="canister-$T_NAME-$$"
HOST_LOG="$T_TMP/host.log"
SINK_LOG="$T_TMP/sink83.json"
PLUGIN_OUT="$T_TMP/plugin.out"
t_big_cleanup()
{
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	t_cleanup
}
trap t_big_cleanup EXIT

# A plugin that keeps what it is fed.
cat >"$T_TMP/keep" <<SH
#!/bin/sh
exec cat >>"$PLUGIN_OUT"
SH
chmod 700 "$T_TMP/keep"
mkdir -p "$T_TMP/plugins"
printf 'active = yes\ndirection = out\npath = %s\ntype = always\nformat = string\n' \
	"$T_TMP/keep" >"$T_TMP/plugins/keep.conf"
chmod 600 "$T_TMP/plugins/keep.conf"

printf -- '-a always,exit -F arch=b64 -S execve -k %s\n' "$KEY" >"$T_TMP/audit.rules"
chmod 600 "$T_TMP/audit.rules"
cat >>"$T_CONF" <<CONF
kernel_audit = on
host_log = $HOST_LOG
audit_rules = $T_TMP/audit.rules
plugin_dir = $T_TMP/plugins
max_log_file = 64
audit_sink = 83 log=$SINK_LOG format=json max_log_file=64
CONF
start_daemon

# The program sits 4000 bytes deep, with a space in every directory's name, so that
# the kernel writes its PATH record's name in hex: a record of over 8 KB.
dir=$T_TMP
while [ ${#dir} -lt 3800 ]; do
	dir="$dir/$(printf 'x%.0s' $(seq 120)) $(printf 'y%.0s' $(seq 120))"
done
# Padded to 4090 bytes with the program's name: as long as an exec path gets (PATH_MAX).
dir="$dir/$(printf 'z%.0s' $(seq $((4090 - ${#dir} - 6))))"
mkdir -p "$dir" || fail "cannot make the deep directory"
cp /bin/true "$dir/true" || fail "cannot copy /bin/true"
prog="$dir/true"
[ ${#prog} -eq 4090 ] || fail "the program's path is ${#prog} bytes"

# 16 arguments of 128000 bytes (the kernel's limit for one): about 2 MB, which the kernel
# writes as some 280 EXECVE records.  A larger stack makes room for them (ARG_MAX).
arg=$(head -c 128000 /dev/zero | tr '\0' a)
cn run --id 83 -- sh -c 'ulimit -s 65536 && exec "$0" "$1" "$1" "$1" "$1" "$1" "$1" "$1" "$1" \
	"$1" "$1" "$1" "$1" "$1" "$1" "$1" "$1"' "$prog" "$arg" || fail "the big exec failed"

# of_event FILE: the records of the event of $stamp in FILE (by their own stamp, not by one
# that a record's fields mention, as the EXECVE of this very grep does).
of_event()
{
	awk -v s="$stamp:" '$2 == s' "$1"
}

# Its event: the EXECVE that names 17 arguments, waited for with its CONTAINER_ID.
stamp=
attributed_in_host_log()
{
	stamp=$(grep -s 'type=EXECVE .* argc=17 ' "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)' | head -1)
	[ -n "$stamp" ] && of_event "$HOST_LOG" | grep -q '^type=CONTAINER_ID .* contid=83$'
}
wait_until "the big exec's event with its CONTAINER_ID in the host log" attributed_in_host_log
of_event "$HOST_LOG" >"$T_TMP/host.event"
records=$(wc -l <"$T_TMP/host.event")

# Every argument whole: its chunks add up to its announced length (the kernel splits any
# argument over 7500 bytes, the program's long path among them, into a0[0], a0[1], ...).
awk '
	/^type=EXECVE / {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] ~ /^a[0-9]+_len$/) { sub(/_len$/, "", kv[1]); want[kv[1]] = kv[2] }
			else if (kv[1] ~ /^a[0-9]+\[[0-9]+\]$/) { a = kv[1]; sub(/\[.*/, "", a); v = kv[2]; gsub(/"/, "", v); got[a] += length(v) }
		}
	}
	END {
		n = 0
		for (a in want) {
			if (got[a] != want[a]) { print a ": " got[a] " of " want[a]; bad = 1 }
			if (a != "a0" && (want[a] == 128000 || want[a] == 256000)) n++
		}
		if (n != 16) { print n " arguments of 128000 bytes (256000 in hex), not 16"; bad = 1 }
		exit bad
	}' "$T_TMP/host.event" || fail "the host log lacks parts of the arguments"
[ "$(grep -c '^type=EXECVE ' "$T_TMP/host.event")" -gt 250 ] ||
	fail "expected over 250 EXECVE records, got $(grep -c '^type=EXECVE ' "$T_TMP/host.event")"
for type in SYSCALL CWD PATH PROCTITLE CONTAINER_ID; do
	grep -q "^type=$type " "$T_TMP/host.event" || fail "the event lacks its $type record"
done
hexpath=$(printf '%s' "$prog" | od -v -An -tx1 | tr -d ' \n' | tr a-f A-F)
grep -q "^type=PATH .* name=$hexpath " "$T_TMP/host.event" ||
	fail "no PATH record names the program whole: $(grep '^type=PATH' "$T_TMP/host.event" | cut -c1-160) (looked for ${#hexpath} hex digits: $(printf '%s' "$hexpath" | cut -c1-60))"
[ "$(grep -c '^type=CONTAINER_ID ' "$T_TMP/host.event")" -ge 1 ] || fail "no CONTAINER_ID"
serial=${stamp##*:}
serial=${serial%)}
ausearch -if "$HOST_LOG" -a "$serial" --raw >"$T_TMP/ausearch.event" 2>&1 || fail "ausearch cannot find event $serial"
expect_eq "$(wc -l <"$T_TMP/ausearch.event")" "$records" "ausearch reads every record of the event"

# The JSON sink: the same records, in order, each a JSON object from which its line is rebuilt.
sink_has_event() { [ "$(grep -sc "\"serial\":$serial," "$SINK_LOG")" -ge "$records" ]; }
wait_until "the JSON sink's $records records of event $serial" sink_has_event
grep "\"serial\":$serial," "$SINK_LOG" |
	jq -r '"type=\(.type) msg=audit(\(.time):\(.serial)): \(.text)"' >"$T_TMP/sink.event" ||
	fail "a JSON line does not parse"
cmp -s "$T_TMP/sink.event" "$T_TMP/host.event" || fail "the JSON sink's records differ from the host log's"
[ "$(awk '{ if (length($0) > max) max = length($0) } END { print max }' "$SINK_LOG")" -gt 16384 ] ||
	fail "no JSON line over 16 KiB: the long PATH record was expected to make one"

# The plugin gets the same lines.
plugin_has_event() { [ "$(of_event "$PLUGIN_OUT" 2>/dev/null | wc -l)" -ge "$records" ]; }
wait_until "the plugin's $records records of event $serial" plugin_has_event
of_event "$PLUGIN_OUT" | cmp -s - "$T_TMP/host.event" || fail "the plugin's records differ"

status=$(cn --json status)
for counter in truncated_records refused_records no_memory_records events_cut_short write_failures; do
	expect_eq "$(printf '%s' "$status" | jq -r ".kernel_audit.$counter")" 0 "kernel_audit.$counter"
done
expect_eq "$(printf '%s' "$status" | jq -r '.sinks[0].dropped')" 0 "the sink dropped nothing"
stop_daemon
kernel_audit_restored
