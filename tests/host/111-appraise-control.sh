# SPDX-License-Identifier: GPL-2.0-only
# canister: the appraisal control plane: a container's keys (integrity key add|list|remove) and
# mode (integrity appraise), refused inputs with their messages and nothing changed by them, who
# may change them, the host's keys (integrity_keys), a restart that reloads them and one whose
# stored keys are refused, canister run --ima-key --appraise and the OCI hook's annotations.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"

: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
command -v openssl >/dev/null || fail "openssl is missing"
command -v runc >/dev/null || fail "runc is missing; scripts/install-deps installs it"
[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"

K=$T_TMP/keys
HOST_KEYS=$T_TMP/host-keys
RUNC_ROOT=$T_TMP/runc
BUNDLE=$T_TMP/bundle
CID=canister-$T_NAME-$$
rn() { runc --root "$RUNC_ROOT" "$@"; }
mkdir -p "$K" "$HOST_KEYS"
chmod 0700 "$HOST_KEYS"
t_appraise_cleanup()
{
	rn delete -f "$CID" >/dev/null 2>&1
	kill_started
	t_cleanup
}
trap t_appraise_cleanup EXIT

# keyid PEM: the key id IMA computes.
keyid() { ima_keyid "$1"; }
ima_cert "$K" rsa rsa:2048
ima_cert "$K" ec ec -pkeyopt ec_paramgen_curve:P-256
ima_cert "$HOST_KEYS" host ec -pkeyopt ec_paramgen_curve:P-256
rm "$HOST_KEYS/host.key" "$HOST_KEYS/host.der"
RSA=$(keyid "$K/rsa.pem")
EC=$(keyid "$K/ec.pem")
HOST=$(keyid "$HOST_KEYS/host.pem")

integrity_config 'measure func=BPRM_CHECK
' 10000
echo "integrity_keys = $HOST_KEYS" >>"$T_CONF"
start_daemon
grep -q "integrity: 1 host appraisal keys from $HOST_KEYS" "$T_LOG" ||
	fail "canisterd did not load the host's key: $(grep integrity: "$T_LOG")"

# Container 1110: a registered shell that lives until the case ends.
mkfifo "$T_TMP/end"
sh -c "read x <'$T_TMP/end'" &
holder=$!
started "$holder"
cn set "$holder" 1110 >/dev/null || fail "cannot register the holding shell"

expect_eq "$(cn integrity key list 1110)" "" "the keys of a container given none"
expect_eq "$(cn integrity appraise 1110)" "mode: off
host_keys: no
keys: 0 (0 of its own)" "the appraisal of a container given none"

# Keys: RSA in PEM, EC in DER; the id printed is the one IMA computes (the SKID's last 4 bytes).
expect_eq "$(cn integrity key add 1110 "$K/rsa.pem")" "$RSA" "the id of an added RSA key"
expect_eq "$(cn integrity key add 1110 "$K/ec.der")" "$EC" "the id of an added EC key (DER)"
expect_eq "$(cn integrity key list 1110)" "$(printf '%s\tRSA 2048\tskid\tcontainer\tCN=canister 111 rsa\n%s\tECDSA P-256\tskid\tcontainer\tCN=canister 111 ec' "$RSA" "$EC")" \
	"the listing"
cn --json integrity key list 1110 | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["contid"] == "1110" and r["mode"] == "off" and not r["host_keys"], r
assert [k["keyid"] for k in r["keys"]] == sys.argv[1:], r
assert all(k["origin"] == "container" and k["keyid_from"] == "skid" for k in r["keys"]), r
' "$RSA" "$EC" || fail "the listing in JSON"
[ "$(stat -c %a "$LISTS/1110/keys/$RSA.crt")" = 600 ] || fail "the stored key's mode"

# refused WHAT EXIT PATTERN CMD...: CMD exits EXIT with PATTERN (grep -E) on stderr, and
# changes neither the key listing nor the appraisal of container 1110.
refused()
{
	rf_what=$1 rf_exit=$2 rf_pattern=$3
	shift 3
	rf_keys=$(cn integrity key list 1110)
	rf_mode=$(cn integrity appraise 1110)
	rf_out=$("$@" 2>&1)
	rf_status=$?
	expect_eq "$rf_status" "$rf_exit" "$rf_what: the exit status (output: $rf_out)"
	expect_match "$rf_out" "$rf_pattern" "$rf_what"
	expect_eq "$(cn integrity key list 1110)" "$rf_keys" "$rf_what: the keys after it"
	expect_eq "$(cn integrity appraise 1110)" "$rf_mode" "$rf_what: the appraisal after it"
}
ln -s "$K/rsa.pem" "$K/link.pem"
refused "a symlinked certificate" 1 \
	"^canister: $K/link.pem: refused: a symlink \(name the certificate file itself\)\$" \
	cn integrity key add 1110 "$K/link.pem"
cp "$K/ec.pem" "$K/open.pem"
chmod 0666 "$K/open.pem"
refused "a world-writable certificate" 1 \
	"^canister: $K/open.pem: refused: must be owned by uid 0 and not writable by group or others \(owner 0, mode 0666\)\$" \
	cn integrity key add 1110 "$K/open.pem"
chmod 0600 "$K/rsa.key"
refused "a private key" 1 "^canister: $K/rsa.key: .*a PEM \"PRIVATE KEY\", not a CERTIFICATE" \
	cn integrity key add 1110 "$K/rsa.key"
head -c 700 /dev/urandom >"$K/garbage"
chmod 0600 "$K/garbage"
refused "garbage" 1 "^canister: $K/garbage: " cn integrity key add 1110 "$K/garbage"
refused "a key already there" 1 "^canister: container 1110 has a key with id $RSA already\$" \
	cn integrity key add 1110 "$K/rsa.der"
refused "the removal of an unknown id" 1 "^canister: container 1110 has no key with id 0badbeef\$" \
	cn integrity key remove 1110 0badbeef
refused "a key id that is not one" 2 "^canister: 'xyz' is not a key id \(8 lower-case hex digits\)\$" \
	cn integrity key remove 1110 xyz
refused "a mode that is none of the three" 2 \
	"^canister: 'strict' is not an appraisal mode \(off, log or enforce\)\$" \
	cn integrity appraise 1110 strict
refused "a host-keys choice that is not yes or no" 2 "^canister: --host-keys 'maybe': yes or no\$" \
	cn integrity appraise 1110 --host-keys maybe
# Neither the host's administrator (root without CAP_AUDIT_CONTROL) nor the owner.
refused "a caller that is not the host's administrator" 1 \
	"^canister: only the host's audit administrator or the orchestrator that registered container 1110 may change its appraisal keys or mode\$" \
	setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" integrity appraise 1110 off
refused "a caller that is not the host's administrator, a key" 1 \
	"may change its appraisal keys or mode\$" \
	setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" integrity key remove 1110 "$RSA"
# A workload cannot change what it may run: root inside container 1111, on its own keys.
out=$(cn run --id 1111 -- "$CANISTER" --socket "$T_SOCK" integrity appraise 1111 off 2>&1) &&
	fail "a process in a container changed its own appraisal: $out"
expect_match "$out" "may change its appraisal keys or mode\$" "a process in a container"
# ... and a container that does not exist has nothing to change.
refused "a container that does not exist" 1 "^canister: no container 1119\$" \
	cn integrity appraise 1119 enforce

# Modes and the host's keys: set, then read back.
cn integrity appraise 1110 enforce || fail "appraise enforce failed"
expect_eq "$(cn integrity appraise 1110 | head -1)" "mode: enforce" "the mode after enforce"
cn integrity appraise 1110 log --host-keys yes || fail "appraise log --host-keys yes failed"
expect_eq "$(cn integrity appraise 1110)" "mode: log
host_keys: yes
keys: 3 (2 of its own)" "the appraisal with the host's keys"
expect_eq "$(cn integrity key list 1110 | tail -1)" \
	"$(printf '%s\tECDSA P-256\tskid\t%s\tCN=canister 111 host' "$HOST" "$HOST_KEYS/host.pem")" \
	"the host's key in the listing, with its file"
cn integrity appraise 1110 enforce || fail "appraise enforce failed"
expect_eq "$(cat "$LISTS/1110/appraise")" "mode = enforce
host_keys = yes" "the settings file"
cn --json status | python3 -c '
import json, sys
s = json.load(sys.stdin)["integrity"]
assert s["appraise_enforce"] == 1 and s["appraise_off"] == 0 and s["host_keys"] == 1, s
assert s["appraise_host_keys"] == 1 and s["appraise_keys_refused"] == 0, s
' || fail "the appraisal counts in status --json"
cn status | grep -q "^  appraisal: 1 enforce, 0 log, 0 off of their own, every other container off (integrity_appraise); 1 counting the host's 1 keys; 0 with keys refused$" ||
	fail "the appraisal line in status: $(cn status | grep appraisal)"

# Removal, then the 65th key of container 1112 (64 EC keys are quick to make).
cn integrity key remove 1110 "$EC" || fail "removing a key failed"
expect_eq "$(cn integrity key list 1110 | cut -f1)" "$RSA
$HOST" "the keys after a removal"
mkdir -p "$K/many"
sh -c "read x <'$T_TMP/end'" &
many=$!
started "$many"
cn set "$many" 1112 >/dev/null || fail "cannot register container 1112"
for i in $(seq 1 65); do
	ima_cert "$K/many" "k$i" ec -pkeyopt ec_paramgen_curve:P-256
done
for i in $(seq 1 64); do
	cn integrity key add 1112 "$K/many/k$i.pem" >/dev/null || fail "key $i of 64 was refused"
done
out=$(cn integrity key add 1112 "$K/many/k65.pem" 2>&1) && fail "a 65th key was taken"
expect_eq "$out" "canister: container 1112 has 64 keys already, the most it may" "a 65th key"
expect_eq "$(cn integrity key list 1112 | wc -l)" 64 "the keys after a 65th was refused"

# A restart reloads keys, modes and the host-keys choice.
before_keys=$(cn integrity key list 1110)
before_mode=$(cn integrity appraise 1110)
stop_daemon
start_daemon
expect_eq "$(cn integrity key list 1110)" "$before_keys" "the keys after a restart"
expect_eq "$(cn integrity appraise 1110)" "$before_mode" "the appraisal after a restart"
expect_eq "$(cn integrity key list 1112 | wc -l)" 64 "64 keys after a restart"

# A store that does not reload is refused loudly: no keys of its own, the mode kept, no key
# added until it is fixed.
printf 'not a certificate\n' >"$LISTS/1110/keys/00000001.crt"
chmod 0600 "$LISTS/1110/keys/00000001.crt"
stop_daemon
start_daemon
grep -q "integrity: container 1110: its appraisal keys are refused ($LISTS/1110/keys/00000001.crt: .*); it appraises with no keys of its own: in enforce mode, what needs a signature is denied" "$T_LOG" ||
	fail "no error for a refused store: $(grep 'container 1110' "$T_LOG")"
out=$(cn integrity key list 1110 2>"$T_TMP/warn") || fail "key list of a refused store failed"
expect_eq "$out" "$(printf '%s\tECDSA P-256\tskid\t%s\tCN=canister 111 host' "$HOST" "$HOST_KEYS/host.pem")" \
	"a refused store's listing: the host's key alone"
expect_match "$(cat "$T_TMP/warn")" "^canister: warning: container 1110's stored appraisal keys: $LISTS/1110/keys/00000001.crt" \
	"the listing's warning"
expect_eq "$(cn integrity appraise 1110 | head -1)" "mode: enforce" "a refused store's mode"
out=$(cn integrity key add 1110 "$K/ec.pem" 2>&1) && fail "a key added to a refused store"
expect_match "$out" "stored keys were refused when canisterd started" "adding to a refused store"
cn status | grep -q "stored appraisal keys of 1 containers were refused" ||
	fail "no status warning for a refused store"
rm "$LISTS/1110/keys/00000001.crt"
stop_daemon
start_daemon
expect_eq "$(cn integrity key list 1110)" "$before_keys" "the keys once the store is fixed"

# canister run: the keys and mode are in place before CMD's first instruction (CMD reads them).
out=$(cn run --id 1113 --ima-key "$K/rsa.pem" --ima-key "$K/ec.der" --appraise log \
	--ima-host-keys yes -- sh -c "cat '$LISTS/1113/appraise'; ls '$LISTS/1113/keys'") ||
	fail "run --ima-key --appraise failed: $out"
expect_eq "$out" "mode = log
host_keys = yes
$(printf '%s.crt\n%s.crt' "$RSA" "$EC" | sort)" "what the workload's first exec saw"
out=$(cn run --id 1114 --ima-key "$K/open.pem" -- true 2>&1)
expect_eq "$?" 125 "run --ima-key with a refused certificate"
expect_match "$out" "open.pem: refused: must be owned by uid 0" "run --ima-key's message"
[ ! -e "$LISTS/1114" ] || fail "state for a container that never ran"
out=$(cn run --id 1114 --appraise strict -- true 2>&1)
expect_eq "$?" 125 "run --appraise strict"
expect_match "$out" "'strict' is not an appraisal mode" "run --appraise's message"

# The OCI hook: the annotations' keys (':'-separated) and mode, set before the workload runs.
make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
bundle_set_args "$BUNDLE" true || fail "cannot edit the bundle"
bundle_annotate "$BUNDLE" org.canister.contid 1115 || fail "cannot annotate the bundle"
bundle_annotate "$BUNDLE" org.canister.ima-keys "$K/rsa.pem:$K/ec.der" || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.appraise enforce || fail "annotation"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"
rn run -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 ||
	fail "the runc container failed: $(cat "$T_TMP/runc.log")"
rn delete -f "$CID" >/dev/null 2>&1
expect_eq "$(cn integrity appraise 1115)" "mode: enforce
host_keys: no
keys: 2 (2 of its own)" "the appraisal the annotations asked for"
# ... and an annotation with a relative path: the hook refuses, runc does not start it.
bundle_annotate "$BUNDLE" org.canister.contid 1116 || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.ima-keys "$K/rsa.pem:keys/ec.der" || fail "annotation"
rn run -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 && fail "runc ran with a bad annotation"
grep -q 'org.canister.ima-keys.*: path 2 must be absolute and shorter than 4096 bytes' "$T_TMP/runc.log" ||
	fail "the hook's refusal: $(cat "$T_TMP/runc.log")"
[ ! -e "$LISTS/1116" ] || fail "state for a container the hook refused"

# Both holders read the fifo: one write ends them both (the other sees its end).
echo end >"$T_TMP/end"
stop_daemon
