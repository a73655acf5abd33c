# SPDX-License-Identifier: GPL-2.0-only
# canister: the attack on an enforced behaviour model through the gate's fail policy.  With
# integrity_fail = open, an exec the gate cannot judge before its deadline is allowed; a
# contained attacker makes its exec late on purpose (a program padded to 512 MiB takes far
# longer to hash than the 10 ms deadline).  In a container without a model the late exec runs
# (the fail policy, as documented); in a container whose model is enforced it is denied all the
# same: what the model has not judged is not in the model.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

[ -x /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked' ||
	fail "a static /bin/busybox is missing: install the Debian package busybox-static"
integrity_config 'measure func=BPRM_CHECK
' 10
printf 'integrity_fail = open\n' >>"$T_CONF"
trap 'integrity_cleanup' EXIT
# Two padded copies: neither is hashed before its own exec (a cached digest would be quick).
for dir in open enforced; do
	mkdir -p "$T_TMP/$dir"
	cp /bin/busybox "$T_TMP/$dir/echo"
	truncate -s 512M "$T_TMP/$dir/echo"
done
printf 'canister-model 1\ndigest sha256\nend\n' >"$T_TMP/empty.model"
chmod 600 "$T_TMP/empty.model"
start_daemon
late() { cn status --json | jq -r .integrity.late; }

# attack CONTID DIR [MODEL-ARGS]: a registered shell that waits, then execs DIR/echo.
attack() {
	mkfifo "$T_TMP/go-$1"
	sh -c "read x <'$T_TMP/go-$1'; '$T_TMP/$2/echo' escaped; echo status=\$?" \
		>"$T_TMP/out-$1" 2>&1 &
	attacker=$!
	started "$attacker"
	# Registered once its shell runs (its own exec is not the attack): it waits on the fifo.
	wait_until 30 "the attacker of $1 running its shell" execed "$attacker" "go-$1"
	cn set "$attacker" "$1" >/dev/null || fail "cannot register the attacker of $1"
}

attack 1321 open
before=$(late)
echo go >"$T_TMP/go-1321"
wait_for_line "$T_TMP/out-1321" '^status=' "the attacker without a model"
expect_eq "$(cat "$T_TMP/out-1321")" "escaped
status=0" "a late exec without a model (integrity_fail = open)"
[ "$(late)" -gt "$before" ] || fail "the padded exec was not late: the case proves nothing"

attack 1322 enforced
cn model load 1322 "$T_TMP/empty.model" --enforce >/dev/null || fail "the model was refused"
before=$(late)
echo go >"$T_TMP/go-1322"
wait_for_line "$T_TMP/out-1322" '^status=' "the attacker under an enforced model"
grep -q escaped "$T_TMP/out-1322" && fail "a late exec ran under an enforced model: $(cat "$T_TMP/out-1322")"
grep -q "Operation not permitted" "$T_TMP/out-1322" || fail "no EPERM: $(cat "$T_TMP/out-1322")"
expect_eq "$(tail -n 1 "$T_TMP/out-1322")" status=126 "the late exec's status"
[ "$(late)" -gt "$before" ] || fail "the exec under the enforced model was not late"
[ "$(cn status --json | jq -r .model.late_denied)" -ge 1 ] || fail "the status does not count it"
# The judge finishes later and records it as forensics (its verdict comes too late to matter;
# the attacker may be gone by then, and the event without a coefficient).
expect_record "type=CONTAINER_MODEL .* op=exec contid=1322 .* target=\"$T_TMP/enforced/echo\" event=bprm_set_creds coefficient=([0-9a-f]{64}|none) mode=enforce" \
	"the late exec's forensics record"
exit 0
