# SPDX-License-Identifier: GPL-2.0-only
# canister: with integrity_tpm = swtpm a container's behaviour model extends its swtpm's PCR 11
# (sha256 and sha1 banks), step by step as its measurement: a quote that stock tpm2_checkquote
# accepts covers PCR 10 and 11 in both banks, and PCR 11 equals an independent replay (python3's
# hashlib) of what `canister model N measurement` lists (base, aggregate, the coefficients in
# order) and the measurement itself, and its sha1 bank the same replay with SHA-1; the TPM's own update counter counts every step.  More events move it, and
# it still equals; after a canisterd restart (the swtpm starts with PCR 11 cleared) the reloaded
# model is replayed into it and it equals again, and so does a new swtpm of a TPM choice made
# again before the first exec.  A container without a model has PCR 11 zero.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v swtpm >/dev/null || fail "swtpm is missing: install the Debian package swtpm"
command -v tpm2_checkquote >/dev/null || fail "tpm2_checkquote is missing: install tpm2-tools"
integrity_config 'measure func=BPRM_CHECK
' 10000
echo "integrity_tpm = swtpm" >>"$T_CONF"
trap 'integrity_cleanup' EXIT
mkfifo "$T_TMP/go" "$T_TMP/go2" "$T_TMP/end" "$T_TMP/end2"

# replay FILE: PCR 11 as a verifier computes it from `model N measurement` (FILE): from zeros,
# PCR = SHA-256(PCR || SHA-256(base || x)) for x the aggregate, then each coefficient in order;
# then the number of steps and the sha1 bank's replay, the same with SHA-1 (docs/model.md).
replay()
{
	python3 - "$1" <<'PY'
import hashlib, sys
lines = open(sys.argv[1]).read().split("\n")
fields = dict(l.split(" ", 1) for l in lines[1:] if " " in l)
base = bytes.fromhex(fields["base"])
steps = [fields["aggregate"]] + [l for l in lines[1:] if l and " " not in l]
pcr, pcr1 = bytes(32), bytes(20)
for x in steps:
    pcr = hashlib.sha256(pcr + hashlib.sha256(base + bytes.fromhex(x)).digest()).digest()
    pcr1 = hashlib.sha1(pcr1 + hashlib.sha1(base + bytes.fromhex(x)).digest()).digest()
print(pcr.hex(), len(steps), pcr1.hex())
PY
}

# model_quote CONTID WHAT: a quote of CONTID's swtpm that tpm2_checkquote accepts, taken between
# two reads of its model's measurement that agree (an observed event may add a coefficient at
# any time); $MQ_PCR11 its PCR 11, $MQ_REPLAY the replay of that measurement, $MQ_VALUE the
# measurement, $MQ_STEPS how many steps it has, $MQ_OUT the CLI's output.
model_quote()
{
	mq_try=0
	while :; do
		mq_try=$((mq_try + 1))
		cn model "$1" measurement >"$T_TMP/m1" || fail "$2: model $1 measurement failed"
		mq_nonce=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
		MQ_DIR=$T_TMP/quote-$1
		MQ_OUT=$MQ_DIR.out
		rm -rf "$MQ_DIR"
		cn integrity quote "$1" --nonce "$mq_nonce" --out "$MQ_DIR" >"$MQ_OUT" 2>&1 ||
			fail "$2: integrity quote $1 failed: $(cat "$MQ_OUT")"
		cn model "$1" measurement >"$T_TMP/m2" || fail "$2: model $1 measurement failed"
		cmp -s "$T_TMP/m1" "$T_TMP/m2" && break
		[ "$mq_try" -lt 10 ] || fail "$2: container $1's model never stood still for a quote"
	done
	tpm2_checkquote -u "$MQ_DIR/ak.pem" -m "$MQ_DIR/quote.msg" -s "$MQ_DIR/quote.sig" \
		-f "$MQ_DIR/pcrs.out" -g sha256 -q "$mq_nonce" >"$MQ_DIR.check" 2>&1 ||
		fail "$2: tpm2_checkquote refused container $1's quote: $(cat "$MQ_DIR.check")"
	MQ_PCR11=$(awk '$1 == "pcr11_sha256:" { print $2 }' "$MQ_OUT")
	mq_pcr11_sha1=$(awk '$1 == "pcr11_sha1:" { print $2 }' "$MQ_OUT")
	set -- "$1" "$2" $(replay "$T_TMP/m1")
	MQ_REPLAY=$3
	MQ_STEPS=$4
	mq_replay_sha1=$5
	MQ_VALUE=$(head -1 "$T_TMP/m1")
	# The quote (not only canisterd's PCR_Read beside it) covers that value of PCR 11.
	grep -qi "11: 0x$MQ_PCR11" "$MQ_DIR.check" ||
		fail "$2: tpm2_checkquote did not show PCR 11 $MQ_PCR11: $(cat "$MQ_DIR.check")"
	grep -qi "11: 0x$mq_pcr11_sha1" "$MQ_DIR.check" ||
		fail "$2: tpm2_checkquote did not show PCR 11's sha1 bank $mq_pcr11_sha1: $(cat "$MQ_DIR.check")"
	expect_eq "$mq_pcr11_sha1" "$mq_replay_sha1" "$2: container $1's PCR 11 (sha1) against the SHA-1 replay of its measurement"
	expect_eq "$MQ_PCR11" "$MQ_REPLAY" "$2: container $1's PCR 11 against the replay of its measurement"
	expect_eq "$MQ_PCR11" "$MQ_VALUE" "$2: container $1's PCR 11 against its model's measurement"
	expect_eq "$(awk '$1 == "model_extends:" { print $2 }' "$MQ_OUT")" "$MQ_STEPS" \
		"$2: container $1's model extends against its measurement's steps"
	# libtpms counts each bank an extend changes: two per list entry and per model step.
	mq_counter=$(awk '$1 == "pcr_update_counter:" { print $2 }' "$MQ_OUT")
	mq_at_start=$(awk '$1 == "pcr_update_counter:" { print $3 }' "$MQ_OUT" | tr -d '(')
	mq_extends=$(awk '$1 == "extends:" { print $2 }' "$MQ_OUT")
	expect_eq "$((mq_counter - mq_at_start))" "$((2 * mq_extends + 2 * MQ_STEPS))" \
		"$2: container $1's TPM PCR update counter"
}

start_daemon
cn run --id 1481 --model learn -- sh -c "cat /etc/hostname >/dev/null; read x <'$T_TMP/go';
	id >/dev/null; ls / >/dev/null; read x <'$T_TMP/go2'; uname >/dev/null;
	read x <'$T_TMP/end'" &
started $!
learned() { [ "$(cn model 1481 counts 2>/dev/null | awk '$1 == "learned" { print $2 }')" -ge "$1" ] 2>/dev/null; }
wait_until 30 "the first coefficients learned" learned 3
wait_until "container 1481's swtpm" has_swtpm 1481
# A container with no model: its PCR 11 is never extended.
cn run --id 1482 -- sh -c "read x <'$T_TMP/end2'" &
started $!
wait_until "container 1482's swtpm" has_swtpm 1482
cn integrity quote 1482 --nonce 01 --out "$T_TMP/q1482" >"$T_TMP/q1482.out" ||
	fail "integrity quote 1482 failed: $(cat "$T_TMP/q1482.out")"
expect_eq "$(awk '$1 == "pcr11_sha256:" { print $2 }' "$T_TMP/q1482.out")" \
	"$(printf '0%.0s' $(seq 64))" "PCR 11 of a container without a model"
expect_eq "$(awk '$1 == "pcr11_sha1:" { print $2 }' "$T_TMP/q1482.out")" \
	"$(printf '0%.0s' $(seq 40))" "PCR 11 (sha1) of a container without a model"

model_quote 1481 "learning"
expect_match "$MQ_PCR11" '^[0-9a-f]{64}$' "PCR 11 in the quote's output"
[ "$MQ_STEPS" -ge 4 ] || fail "only $MQ_STEPS steps: the aggregate and at least 3 coefficients"
first=$MQ_PCR11
first_steps=$MQ_STEPS

# More events: new coefficients move PCR 11, and it follows the measurement.
echo go >"$T_TMP/go"
wait_until 30 "the workload's later coefficients" learned "$first_steps"
model_quote 1481 "after more events"
[ "$MQ_PCR11" != "$first" ] || fail "PCR 11 did not move with new coefficients"
[ "$MQ_STEPS" -gt "$first_steps" ] || fail "the measurement took no new step"

# A restart: the swtpm starts again with PCR 11 cleared; the model reloaded (its coefficients now
# in ascending order, docs/model.md) is replayed into it, and the quote equals the replay again.
stop_daemon
no_swtpm 1481 || fail "swtpm $(swtpm_of 1481) outlived canisterd"
start_daemon
grep -q "model: 1 stored models reloaded" "$T_LOG" || fail "canisterd did not reload the model"
wait_until "container 1481's swtpm after the restart" has_swtpm 1481
model_quote 1481 "after the restart"
# And it goes on: a new program after the restart is a new step, and PCR 11 follows it.
restarted=$MQ_PCR11
restarted_steps=$MQ_STEPS
echo go >"$T_TMP/go2"
more_steps() { [ "$(cn model 1481 measurement | wc -l)" -gt "$((restarted_steps + 2))" ]; }
wait_until 30 "a coefficient learned after the restart" more_steps
model_quote 1481 "after an event following the restart"
[ "$MQ_PCR11" != "$restarted" ] || fail "PCR 11 did not move after the restart"

# A TPM choice made again before the first exec starts a new swtpm (PCR 11 cleared): the steps
# the model took before it (its aggregate) are replayed into it, then the workload's follow.
mkfifo "$T_TMP/go3"
sh -c "read x <'$T_TMP/go3'; uname >/dev/null; read x <'$T_TMP/go3'" &
waiter=$!
started "$waiter"
wait_until "the waiting shell's exec" execed "$waiter" go3
cn set "$waiter" 1483 >/dev/null || fail "cannot register the waiting shell"
cn model 1483 learn >/dev/null || fail "model 1483 learn failed"
wait_until "container 1483's first swtpm" has_swtpm 1483
first_tpm=$(swtpm_of 1483)
cn integrity tpm 1483 none >/dev/null || fail "none before the first exec was refused"
wait_until "container 1483's swtpm stopped by its choice of none" no_swtpm 1483
cn integrity tpm 1483 swtpm >/dev/null || fail "swtpm before the first exec was refused"
echo go >"$T_TMP/go3"
learned_1483() { [ "$(cn model 1483 counts | awk '$1 == "learned" { print $2 }')" -ge 1 ]; }
wait_until 30 "container 1483's coefficients" learned_1483
model_quote 1483 "after a TPM choice made again"
[ "$(swtpm_of 1483)" != "$first_tpm" ] || fail "1483's swtpm was not a new one"
echo go >"$T_TMP/go3"
echo end >"$T_TMP/end"
echo end >"$T_TMP/end2"
