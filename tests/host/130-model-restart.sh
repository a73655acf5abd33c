# SPDX-License-Identifier: GPL-2.0-only
# canister: a behaviour model survives a canisterd restart (what was learned, and the mode);
# a domain moves only forward, and a move back says so; a malformed model file is refused with
# FILE:LINE: reason and changes nothing; a second load into a container with a model is EBUSY.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# A container that lives across the restart: it learns, waits, then works again.
mkfifo "$T_TMP/go" "$T_TMP/end"
cn run --id 1301 --model learn -- \
	sh -c "cat /etc/hostname >/dev/null; read x <'$T_TMP/go'; id >/dev/null; echo done; read x <'$T_TMP/end'" \
	>"$T_TMP/out" 2>&1 &
started $!
learned() { [ "$(cn model 1301 counts 2>/dev/null | awk '$1 == "learned" { print $2 }')" -ge 3 ] 2>/dev/null; }
wait_until 30 "the first coefficients learned" learned
# What was learned is on disk within 2 s of the change (before the fifo's read returns).
stored() { grep -q '^coefficient ' "$T_TMP/model/1301/model" 2>/dev/null; }
wait_until 10 "the learned model on disk" stored
expect_eq "$(cat "$T_TMP/model/1301/mode")" learn "the stored mode"
before=$(cn model 1301 export "$T_TMP/before.model" && grep -c '^coefficient ' "$T_TMP/before.model")

stop_daemon
start_daemon
expect_eq "$(cn model 1301 counts | awk '$1 == "mode" { print $2 }')" learn "the mode after a restart"
cn model 1301 export "$T_TMP/after.model" || fail "no model after a restart"
expect_eq "$(grep -c '^coefficient ' "$T_TMP/after.model")" "$before" "coefficients kept across the restart"
grep -q "model: 1 stored models reloaded" "$T_LOG" || fail "canisterd did not say it reloaded the model"

# It goes on learning after the restart: the rest of the workload adds to the model.
echo go >"$T_TMP/go"
wait_for_line "$T_TMP/out" '^done$' "the workload's end"
# (What was learned before the restart counts as loaded now: the model is the file's and more.)
more() {
	cn model 1301 export "$T_TMP/more.model" &&
		[ "$(grep -c '^coefficient ' "$T_TMP/more.model")" -gt "$before" ]
}
wait_until 30 "coefficients learned after the restart" more

# Forward only: seal, then enforce; back is refused and says so.
expect_eq "$(cn model 1301 seal)" "container 1301: seal" "seal"
out=$(cn model 1301 learn 2>&1) && fail "a sealed model learned again: $out"
expect_eq "$out" "canister: the model is in seal: a domain moves only forward (learn, seal, enforce), never back to learn" \
	"a refused move back"
cn model 1301 enforce >/dev/null || fail "enforce refused"
out=$(cn model 1301 seal 2>&1) && fail "an enforced model was sealed again"
expect_eq "$out" "canister: the model is in enforce: a domain moves only forward (learn, seal, enforce), never back to seal" \
	"a refused move back from enforce"
expect_eq "$(cn --json model 1301 enforce | jq -r .mode)" enforce "enforce again is no change"
stored_enforce() { [ "$(cat "$T_TMP/model/1301/mode")" = enforce ]; }
wait_until 10 "the enforce mode on disk" stored_enforce
stop_daemon
start_daemon
expect_eq "$(cn model 1301 counts | awk '$1 == "mode" { print $2 }')" enforce "enforce kept across a restart"
out=$(cn model 1302 state 2>&1) && fail "a model for a container without one"
expect_eq "$out" "canister: container 1302 has no model" "no model"

# Malformed model files: refused with FILE:LINE: reason, nothing changes.
holder() {
	sh -c "read x <'$T_TMP/hold'" &
	started $!
	hold_pid=$!
}
mkfifo "$T_TMP/hold"
holder
cn set "$hold_pid" 1303 >/dev/null || fail "cannot register the holder"
refused() {
	printf '%b' "$2" >"$T_TMP/bad.model"
	chmod 600 "$T_TMP/bad.model"
	out=$(cn model load 1303 "$T_TMP/bad.model" 2>&1) && fail "a malformed model was loaded: $1"
	expect_eq "$out" "canister: $T_TMP/bad.model:$3" "$1"
}
refused "an empty file" '' '1: empty file'
refused "a wrong first line" 'canister-model 2\n' '1: format version "2" not supported (this canister reads version 1)'
refused "no digest line" 'canister-model 1\nend\n' '2: expected "digest sha256" after the first line'
refused "a short coefficient" 'canister-model 1\ndigest sha256\ncoefficient abc\nend\n' \
	'3: coefficient: 3 hex digits, a SHA-256 digest has 64'
refused "no end" "canister-model 1\ndigest sha256\n" '2: no end line: the file is incomplete'
refused "an unknown directive" 'canister-model 1\ndigest sha256\nfrobnicate 1\nend\n' '3: unknown directive "frobnicate"'
out=$(cn model 1303 state 2>&1) && fail "a refused load left a model"
expect_eq "$out" "canister: container 1303 has no model" "nothing changed by a refused load"

# The first load takes; a second is EBUSY, and learn on a loaded model is a move back.
cn model load 1303 "$T_TMP/after.model" >/dev/null || fail "a valid model was refused"
out=$(cn model load 1303 "$T_TMP/after.model" --enforce 2>&1) && fail "a second load was taken"
expect_eq "$out" "canister: container 1303 has a model already: a model is loaded once, into a container that has none" \
	"a second load"
status=0
cn --json model load 1303 "$T_TMP/after.model" >"$T_TMP/busy.json" 2>/dev/null || status=$?
expect_eq "$(jq -r .errno "$T_TMP/busy.json")" EBUSY "the second load's errno"
expect_eq "$(cn model 1303 counts | awk '$1 == "mode" { print $2 }')" seal "the first load's mode"
echo >"$T_TMP/hold"
echo >"$T_TMP/end"
exit 0
