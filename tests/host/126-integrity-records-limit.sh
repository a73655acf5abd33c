# SPDX-License-Identifier: GPL-2.0-only
# canister: a container that loops over denied execs cannot flood canister's audit log: its
# refusal records stop at its rate (a burst of 100, then 50 a second), the rest are counted in
# `canister status` (records_suppressed), every exec is still denied and counted, and another
# container's refusal right after is written at once.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

appraise_case_setup
trap 'integrity_cleanup "$FS"' EXIT
appraise_keys
appraise_program unsigned
start_daemon
counter() { cn status --json | jq -r ".integrity.$1"; }

# Verdicts are cached once the file is INTEGRITY_FILE_SETTLE_SEC (2 s) old: flood after that,
# so that nearly every refusal is answered from the cache, which must record it all the same.
settled() { [ $(($(date +%s) - $(stat -c %Z "$FS/unsigned"))) -ge 3 ]; }
wait_until 10 "$FS/unsigned to settle" settled
TRIES=1000
denied_before=$(counter appraise_denied)
hits_before=$(counter appraise_cache_hits)
start=$(date +%s)
out=$(cn run --id 1260 --appraise enforce -- sh -c "
	n=0
	for i in \$(seq $TRIES); do '$FS/unsigned' 2>/dev/null && n=\$((n + 1)); done
	echo \$n ran") || fail "the loop in container 1260: $out"
elapsed=$(($(date +%s) - start + 1))
expect_eq "$out" "0 ran" "unsigned execs that ran in container 1260"
denied_all() { [ "$(counter appraise_denied)" -ge $((denied_before + TRIES)) ]; }
wait_until 30 "every denial counted" denied_all
hits=$(($(counter appraise_cache_hits) - hits_before))
[ "$hits" -ge $((TRIES / 2)) ] || fail "container 1260's loop: $hits of $TRIES verdicts came from the cache"
# Another container's refusal is written at once: its rate is its own.
out=$(cn run --id 1261 --appraise enforce -- "$FS/unsigned" 2>&1) && fail "container 1261 ran the unsigned program"
expect_eq "$out" "canister: cannot run $FS/unsigned: Operation not permitted" "container 1261's exec"
expect_record "op=appraise_data cause=IMA-signature-required contid=1261 pid=[0-9]+ file=\"$FS/unsigned\"" \
	"container 1261's refusal after 1260's flood"
written=$(grep -c "op=appraise_data .* contid=1260 " "$T_AUDIT")
suppressed=$(counter records_suppressed)
[ "$written" -le $((100 + 50 * elapsed)) ] ||
	fail "container 1260 wrote $written refusal records in $elapsed s (at most $((100 + 50 * elapsed)))"
[ "$written" -ge 100 ] || fail "container 1260's burst: $written records"
expect_eq "$((written + suppressed))" "$TRIES" "records written and suppressed for container 1260's $TRIES refusals"
cn status | grep -Eq "^  records: 0 lost, $suppressed refusals and violations over a container's rate not written$" ||
	fail "the status's records line: $(cn status | grep records:)"
