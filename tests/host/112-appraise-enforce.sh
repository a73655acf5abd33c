# SPDX-License-Identifier: GPL-2.0-only
# canister: appraisal in the gate (trace mode): a container in enforce runs what its own key
# signed and cannot run (the exec fails, EPERM) an unsigned file, another key's, a corrupted
# signature, a hash value under appraise_type=imasig or a file changed after signing; signed
# again, it runs again.  The same files in log mode all run and the failing ones are recorded
# with IMA's cause words.  Two containers with different keys, the same files, other outcomes.
# A nested container whose own policy appraises nothing cannot run what its ancestor's enforce
# refuses.  Host processes are never appraised by a container's policy.  An appraised file's
# entry in the measurement list is ima-sig with its signature, and evmctl replays the list.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v openssl >/dev/null || fail "openssl is missing"
command -v python3 >/dev/null || fail "python3 is missing"
# Only files owned by OWNER are appraised: the shells and tools the case runs in its
# containers are not signed, and need not be.
OWNER=4242
integrity_setup "measure func=BPRM_CHECK
appraise func=BPRM_CHECK fowner=$OWNER appraise_type=imasig
"
trap 'kill_started; stop_daemon; umount "$FS"; t_cleanup' EXIT
appraise_keys

# sign FILE KEY: evmctl's signature v2 (sha256) with KEY's private key in security.ima.
sign() { ima_sign "$1" "$K/$2"; }
new() { appraise_program "$@"; }

# The matrix, on the case's tmpfs (which keeps security.ima as root).
new good && sign "$FS/good" a
new unsigned
new other && sign "$FS/other" b
new corrupt && sign "$FS/corrupt" a
python3 - "$FS/corrupt" <<'PY' || fail "cannot corrupt the signature"
import os, sys
v = bytearray(os.getxattr(sys.argv[1], "security.ima"))
v[-1] ^= 0x01
os.setxattr(sys.argv[1], "security.ima", bytes(v))
PY
new hashonly
evmctl ima_hash -a sha256 "$FS/hashonly" >/dev/null 2>&1 || fail "evmctl ima_hash"
new changed && sign "$FS/changed" a
printf 'x' >>"$FS/changed"
FAILING="unsigned other corrupt hashonly changed"
# The cause IMA's own appraisal would record for each (a's keys, appraise_type=imasig).
cause_of()
{
	case $1 in
	unsigned | hashonly) echo IMA-signature-required ;;
	other | corrupt | changed) echo invalid-signature ;;
	esac
}

start_daemon
mkfifo "$T_TMP/end"
# holder CONTID KEY MODE: a registered shell keeps CONTID live; its key and mode are set.
holder() { appraise_holder "$1" "$K/$2.pem" "$3"; }
runs() { appraise_runs "$@"; }
denied() { appraise_denied "$@"; }
# recorded CONTID NAME MODE: its failed appraisal is in canister's audit log.
recorded()
{
	expect_record "op=appraise_data cause=$(cause_of "$2") contid=$1 pid=[0-9]+ file=\"$FS/$2\" reason=[^ ]+ mode=$3 res=0" \
		"the record of container $1's appraisal of $2"
}

holder 1120 a enforce
runs 1120 good
for f in $FAILING; do
	denied 1120 "$f"
	recorded 1120 "$f" enforce
done
no_record "op=appraise_data [^ ]+ contid=1120 [^ ]+ file=\"$FS/good\""
# A denied file stays denied (the cached verdict), a signed one runs again.
denied 1120 unsigned
runs 1120 good

# Sign, run; append a byte, run (denied); sign again, run.
new cycle && sign "$FS/cycle" a
runs 1120 cycle
printf 'x' >>"$FS/cycle"
denied 1120 cycle
sign "$FS/cycle" a
runs 1120 cycle
# A new security.ima alone (another key's signature) moves ctime: verified again.
sign "$FS/cycle" b
denied 1120 cycle
sign "$FS/cycle" a
runs 1120 cycle

# An appraised file's entry uses the ima-sig template with its signature (a denied one's too,
# IMA measures what it denies), and stock evmctl replays the list.
sig_of() { python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "security.ima").hex())' "$1"; }
expect_eq "$(awk -v f="$FS/good" '$5 == f { print $3, $6 }' "$LISTS/1120/ascii_runtime_measurements")" \
	"ima-sig $(sig_of "$FS/good")" "the list's entry of the appraised good file"
expect_eq "$(awk -v f="$FS/unsigned" '$5 == f { print $3, NF }' "$LISTS/1120/ascii_runtime_measurements")" \
	"ima-sig 5" "the list's entry of the unsigned file (no signature)"
integrity_verify "$LISTS/1120" "container 1120's list"

# Keys changed: the verdicts made under the old ones are stale.
cn integrity key add 1120 "$K/b.pem" >/dev/null || fail "key b for container 1120"
runs 1120 other
cn integrity key remove 1120 "$(cn integrity key list 1120 | awk -F'\t' '$2 == "ECDSA P-256" { print $1 }')" \
	>/dev/null || fail "removing key b"
denied 1120 other

# Log mode: everything runs, each failure is recorded once with its cause.
holder 1121 a log
for f in good $FAILING; do runs 1121 "$f"; done
for f in $FAILING; do recorded 1121 "$f" log; done

# Another container trusting key b only: the same files, other outcomes.
holder 1122 b enforce
runs 1122 other
for f in good unsigned corrupt hashonly changed; do denied 1122 "$f"; done

# Host processes are never appraised by a container's policy.
for f in good $FAILING; do "$FS/$f" || fail "the host could not run $f"; done

# Nested containers (1124, then 1125: a policy is set before a container's first exec) whose
# own policy appraises nothing, under an ancestor in enforce whose
# (default) policy does: the ancestor's rule binds it.
printf 'measure func=BPRM_CHECK\n' >"$T_TMP/nested.policy"
appraise_nested 1123 "$K/a.pem" "
cn run --id 1124 --ima-policy '$T_TMP/nested.policy' -- '$FS/good' >'$T_TMP/nested-good.out' 2>&1
echo \$? >'$T_TMP/nested-good.status'
cn run --id 1125 --ima-policy '$T_TMP/nested.policy' -- '$FS/unsigned' >'$T_TMP/nested-unsigned.out' 2>&1
echo \$? >'$T_TMP/nested-unsigned.status'"
wait_for_file "$T_TMP/nested-unsigned.status"
expect_eq "$(cat "$T_TMP/nested-good.status")" 0 "the nested container's run of good"
expect_eq "$(cat "$T_TMP/nested-unsigned.status")" 126 "the nested container's run of unsigned"
expect_eq "$(cat "$T_TMP/nested-unsigned.out")" \
	"canister: cannot run $FS/unsigned: Operation not permitted" \
	"the nested container's denied exec"
expect_eq "$(cn integrity appraise 1125 | head -1)" "mode: off" "the nested container's own mode"
# Recorded for the ancestor whose rule refused, the nested container's pid named.
expect_record "op=appraise_data cause=IMA-signature-required contid=1123 pid=[0-9]+ file=\"$FS/unsigned\" reason=[^ ]+ mode=enforce res=0" \
	"the ancestor's record of the nested container's exec"

# A verdict is cached once its file's version is settled (ctime and mtime 2 s old; a change
# within the timestamps' granularity keeps the key, docs/integrity.md): the first run of good
# after that verifies it once more, the next one takes the cached verdict.
settled() { [ $(($(date +%s) - $(stat -c %Z "$FS/good"))) -ge 3 ]; }
wait_until 20 "good's timestamps settled" settled
hits() { cn --json status | python3 -c 'import json, sys; print(json.load(sys.stdin)["integrity"]["appraise_cache_hits"])'; }
before=$(hits)
runs 1120 good
runs 1120 good
[ "$(hits)" -gt "$before" ] || fail "no cached verdict for a settled file ($before hits before, $(hits) after)"

# The counters a user reads in canister status.
cn --json status | python3 -c '
import json, sys
i = json.load(sys.stdin)["integrity"]
assert i["appraise_denied"] >= 15, i
assert i["appraise_logged"] >= 5, i
assert i["appraised"] > i["appraise_denied"], i
assert i["appraise_cache_hits"] >= 1, i
' || fail "the appraisal counters: $(cn --json status)"
