# SPDX-License-Identifier: GPL-2.0-only
# The control socket cannot be monopolised: one container's idle connections leave the host its
# way in, idle connections are closed, and a storm of refused requests adds a bounded number of
# records plus a summary that counts the rest.
. "$(dirname "$0")/../lib/harness.sh"

cat >>"$T_CONF" <<CONF
control_idle_timeout = 0
control_refusal_summary_interval = 1
CONF
start_daemon

# 70 connections from one labelled process: 8 (control_connections_per_container) get in.
mkdir "$T_TMP/hog"
cn run --id 38 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}control-hog" "$T_SOCK" 70 "$T_TMP/hog" &
hog=$!
wait_for_file "$T_TMP/hog/result"
expect_eq "$(head -n 1 "$T_TMP/hog/result")" "admitted=8 refused=62" "connections of one container"
expect_match "$(sed -n 2p "$T_TMP/hog/result")" \
	'"errno":"EAGAIN","error":"container 38 has 8 connections open, its limit \(control_connections_per_container\)"' \
	"the refusal says which limit"
# ... while they are held, the host gets through.
status=$(cn status --json) || fail "host status while a container holds its connections: $status"
expect_eq "$(printf '%s' "$status" | jq -r .counters.control_connections)" 9 "open: 8 and this one"
expect_eq "$(printf '%s' "$status" | jq -r .counters.control_refused_connections)" 62 "refused counted"
expect_eq "$(cn run --id 39 -- sh -c 'echo ran')" ran "host canister run while a container holds its connections"
# ... and so does a second container.
expect_eq "$(cn run --id 40 -- "$CANISTER" --socket "$T_SOCK" get 1)" unset "another container's request"
touch "$T_TMP/hog/stop"
wait "$hog"
# The refused connections are in a summary record, once a second has passed.
expect_record "type=CONTAINER_REFUSALS msg=audit\([0-9.:]+\): contid=38 uid=-1 refused=0 throttled=0 connections=62 seconds=[0-9]+\$" \
	"summary of the refused connections"

# A nested container shares its parent's allowance: nesting does not multiply it.
mkdir "$T_TMP/outer" "$T_TMP/inner"
hog_tool="${CANISTER_TOOLS:+$CANISTER_TOOLS/}control-hog"
cn run --id 60 -- sh -c '
	echo $$ >'"$T_TMP"'/outer.pid
	sh '"$T_AWAIT"' '"$T_TMP"'/go || exit 1
	'"$hog_tool"' '"$T_SOCK"' 5 '"$T_TMP"'/outer &
	sh '"$T_AWAIT"' -s '"$T_TMP"'/outer/result || exit 1
	'"$CANISTER"' --socket '"$T_SOCK"' run --id 61 -- '"$hog_tool"' '"$T_SOCK"' 12 '"$T_TMP"'/inner
	wait' &
nest=$!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate to the outer container's process"
touch "$T_TMP/go"
wait_for_file "$T_TMP/inner/result"
expect_eq "$(head -n 1 "$T_TMP/outer/result")" "admitted=5 refused=0" "the outer container's connections"
expect_eq "$(head -n 1 "$T_TMP/inner/result")" "admitted=3 refused=9" "the nested container's, counted with its parent's"
expect_match "$(sed -n 2p "$T_TMP/inner/result")" "container 60 has 8 connections open" "named by the outermost container"
touch "$T_TMP/outer/stop" "$T_TMP/inner/stop"
wait "$nest"

# A storm of refused requests: records are bounded, the summary counts what they leave out.
before=$(stat -c %s "$T_AUDIT")
out=$(cn run --id 41 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}refusal-storm" "$T_SOCK" 5000 attacker.chosen:name) ||
	fail "refusal-storm: $out"
expect_match "$out" '^ok=0 refused=[0-9]+ throttled=[0-9]+ other=0$' "storm replies"
refused=$(printf '%s' "$out" | sed 's/.* refused=\([0-9]*\) .*/\1/')
throttled=$(printf '%s' "$out" | sed 's/.* throttled=\([0-9]*\) .*/\1/')
expect_eq "$((refused + throttled))" 5000 "every request answered"
# Summaries until everything is counted: records one by one plus folded plus throttled.
storm_counted()
{
	one_by_one=$(grep -c "op=set opid=1 contid=99 .* errno=EPERM .*res=0\$" "$T_AUDIT")
	folded=$(grep "type=CONTAINER_REFUSALS .* contid=41 " "$T_AUDIT" |
		sed 's/.* refused=\([0-9]*\) throttled=\([0-9]*\) .*/\1 \2/' |
		awk '{ r += $1; t += $2 } END { print r + 0, t + 0 }')
	[ "$((one_by_one + ${folded% *}))" -eq "$refused" ] && [ "${folded#* }" -eq "$throttled" ]
}
wait_until "summaries counting the storm (refused $refused, throttled $throttled)" storm_counted
grown=$(($(stat -c %s "$T_AUDIT") - before))
expect_match "$one_by_one" '^([0-9]|[12][0-9]|30)$' "at most 30 refusals recorded one by one"
[ "$grown" -lt 20000 ] || fail "the storm grew the audit log by $grown bytes"
# What the caller chose is bounded: names are [A-Za-z0-9._:+@-] (lib/name.h), values encoded.
expect_record "op=set opid=1 contid=99 old-contid=-1 name=\"attacker.chosen:name\" " "the name"
echo "storm: $refused refused, $throttled throttled; $one_by_one records, log +$grown bytes" >&2

# An unlabelled caller other than root (the socket opened up for the test) counts per uid.
chmod 0711 "$T_TMP"
chmod 0666 "$T_SOCK"
mkdir -m 0777 "$T_TMP/user"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"${CANISTER_TOOLS:+$CANISTER_TOOLS/}control-hog" "$T_SOCK" 12 "$T_TMP/user" &
hog=$!
wait_for_file "$T_TMP/user/result"
expect_eq "$(head -n 1 "$T_TMP/user/result")" "admitted=8 refused=4" "connections of one uid"
expect_match "$(sed -n 2p "$T_TMP/user/result")" \
	"uid 65534 has 8 connections open, its limit \(control_connections_per_uid\)" "the uid's limit"
cn status >/dev/null || fail "host status while a uid holds its connections"
touch "$T_TMP/user/stop"
wait "$hog"
stop_daemon

# Idle connections are closed after control_idle_timeout, saying why.
sed -i 's/^control_idle_timeout = 0$/control_idle_timeout = 1/' "$T_CONF"
start_daemon
mkdir "$T_TMP/idle"
cn run --id 42 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}control-hog" "$T_SOCK" 3 "$T_TMP/idle" &
hog=$!
wait_for_file "$T_TMP/idle/closed"
expect_eq "$(head -n 1 "$T_TMP/idle/closed")" "closed=3" "idle connections closed"
expect_match "$(sed -n 2p "$T_TMP/idle/closed")" "after 1 s without a request \(control_idle_timeout\)" "the reason"
expect_match "$(cn status --json | jq -r .counters.control_idle_closed)" '^[3-9]$' "idle closes counted"
touch "$T_TMP/idle/stop"
wait "$hog"
stop_daemon
