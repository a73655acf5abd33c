# SPDX-License-Identifier: GPL-2.0-only
# canister: the labels map is sized from pid_max or labels_max; in trace mode a child that finds it full is recorded, counted and warned about.
. "$(dirname "$0")/../lib/harness.sh"

# Bad sizes are refused at start with the key, the value and the range.
bad="$T_TMP/bad.conf"
for value in 0 15 4194305 -1 0x40 16.5 lots; do
	printf 'pin_path = %s\nlabels_max = %s\n' "$T_PIN" "$value" >"$bad"
	out=$("$CANISTERD" -f -c "$bad" 2>&1) && fail "canisterd accepted labels_max = '$value'"
	expect_match "$out" "labels_max: .*must be auto \(the host's kernel.pid_max\) or a whole number from 16 to 4194304" \
		"labels_max = '$value' refused"
done
[ ! -e "$T_PIN" ] || fail "a refused configuration left pins at $T_PIN"

# By default the map holds every thread group the kernel can number.
start_daemon
pid_max=$(cat /proc/sys/kernel/pid_max)
expect_eq "$(cn status --json | jq -r .counters.labels_capacity)" "$pid_max" "labels map sized from pid_max"
expect_eq "$(bpftool -j map show pinned "$T_PIN/labels" | jq -r .max_entries)" "$pid_max" "max_entries of the pinned map"
stop_daemon
"$CANISTERD" --unload -c "$T_CONF" >>"$T_LOG" 2>&1 || fail "canisterd --unload failed"

# A tiny map: container 9's shell takes one slot, its 20 children need 20 more.
echo "labels_max = 16" >>"$T_CONF"
start_daemon
expect_eq "$(cn status --json | jq -r .counters.labels_capacity)" 16 "labels_max applied"
expect_eq "$(bpftool -j map show pinned "$T_PIN/labels" | jq -r .max_entries)" 16 "max_entries of the pinned map"
# The sleeps would outlive a failed case: killed by pid, as the shell wrote them.
# shellcheck disable=SC2317,SC2046 # called from the EXIT trap; one pid a word
kill_children() { [ ! -s "$T_TMP/pids" ] || kill $(cat "$T_TMP/pids") 2>/dev/null; }
trap 'kill_children; t_cleanup' EXIT
# Then 300 short-lived children in a burst: each is counted, but the records come at a bounded
# rate (one record per unlabelled child before, 300 of them in about a second).
cn run --id 9 -- sh -c "for i in \$(seq 20); do sleep 60 & echo \$! >>$T_TMP/pids; done; for i in \$(seq 300); do (:) & done; echo >$T_TMP/forked; wait" \
	>"$T_TMP/run.out" 2>&1 &
runner=$!
wait_for_file "$T_TMP/forked"

# Counted, warned about, and one record per unlabelled child, naming the container.
failed() { [ "$(cn status --json | jq -r .counters.inherit_failed)" -ge 5 ]; }
wait_until "inherit_failed counted" failed
warned() { cn status --json | jq -r '.warnings[]' | grep -Eq '^[0-9]+ processes of containers run unlabelled: the labels map \(16 entries\) was full'; }
wait_until "warning about unlabelled processes" warned
expect_record 'op=inherit opid=[0-9]+ contid=9 old-contid=-1 errno=ENOSPC reason=[0-9A-F]+ res=0' "inherit record"
records=$(grep -c 'op=inherit' "$T_AUDIT")
[ "$records" -ge 5 ] || fail "only $records op=inherit records"
burst() { [ "$(cn status --json | jq -r .counters.inherit_failed)" -ge 305 ]; }
wait_until "the burst counted" burst
counted=$(cn status --json | jq -r .counters.inherit_failed)
records=$(grep -c 'op=inherit' "$T_AUDIT")
[ "$records" -lt $((counted / 2)) ] || fail "$records op=inherit records for $counted unlabelled children"
used=$(cn status --json | jq -r .counters.labels_used)
expect_eq "$used" 16 "labels_used at the limit"

# A registration finds the map full: refused with ENOSPC, the daemon up.
out=$(cn run --id 10 -- true 2>&1) && fail "a registration into a full map succeeded"
expect_match "$out" "the labels map is full \(16 processes\)" "registration refused"

# When the children exit, every slot comes back.
kill_children
wait "$runner"
freed() { [ "$(cn status --json | jq -r .counters.labels_used)" -eq 0 ]; }
wait_until "every slot given back" freed
cn run --id 11 -- true || fail "registration after the map emptied"
stop_daemon

# A restart keeps the pinned map, and its labels, at its size; the status says
# what was asked for and how to get it.
sed -i 's/^labels_max = 16$/labels_max = 32/' "$T_CONF"
start_daemon
expect_eq "$(cn status --json | jq -r .counters.labels_capacity)" 16 "pinned map kept its size"
expect_match "$(cn status --json | jq -r '.warnings[]')" \
	'the pinned labels map has 16 entries, 32 are asked for \(labels_max or pid_max\): `canisterd --unload` and a start resize it' \
	"warning about the size"
stop_daemon
