# SPDX-License-Identifier: GPL-2.0-only
# canister: appraisal of opens (FILE_CHECK) in the gate (trace mode).  With a default policy of
# `appraise func=FILE_CHECK mask=MAY_READ fowner=OWNER appraise_type=imasig`, the gate asks for
# opens (FAN_OPEN_PERM) only once a live container's mode is log or enforce (not for one whose
# own policy appraises execs only), and no more when none is.  A container in enforce reads what its key signed and cannot open (EPERM) an
# unsigned file, another key's, a corrupted signature or a file changed after signing, each
# recorded with IMA's cause word; in log mode it reads them all and each is recorded.  A nested
# container whose own mode is off is bound by its parent's rule.  A file the container creates
# (IMA's new file) is written, and refused when read back unsigned.  Host processes read
# everything.  The counters say how many opens were appraised.  After a restart the reloaded
# modes ask for opens at once.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v python3 >/dev/null || fail "python3 is missing"
OWNER=4243
integrity_setup "appraise func=FILE_CHECK mask=MAY_READ fowner=$OWNER appraise_type=imasig
"
trap 'integrity_cleanup "$FS"' EXIT
appraise_keys

# data NAME: a file of its own content, owned by OWNER.
data()
{
	printf '%s\n' "$1" >"$FS/$1"
	chown "$OWNER" "$FS/$1"
}
data good && ima_sign "$FS/good" "$K/a"
data unsigned
data other && ima_sign "$FS/other" "$K/b"
data corrupt && ima_sign "$FS/corrupt" "$K/a"
python3 - "$FS/corrupt" <<'PY' || fail "cannot corrupt the signature"
import os, sys
v = bytearray(os.getxattr(sys.argv[1], "security.ima"))
v[-1] ^= 0x01
os.setxattr(sys.argv[1], "security.ima", bytes(v))
PY
data changed && ima_sign "$FS/changed" "$K/a"
printf 'x' >>"$FS/changed"
FAILING="unsigned other corrupt changed"
cause_of()
{
	case $1 in
	unsigned | new) echo IMA-signature-required ;;
	*) echo invalid-signature ;;
	esac
}

start_daemon
integrity() { cn status --json | jq -r ".integrity.$1"; }
expect_eq "$(integrity file_check)" false "FILE_CHECK before any container appraises"

# reads CONTID NAME: a process of the container reads FS/NAME; refused CONTID NAME: its open
# fails as a user sees it (cat's message with EPERM, cat's exit status).
reads()
{
	out=$(cn run --id "$1" -- cat "$FS/$2" 2>&1) || fail "container $1 could not read $2: $out"
	expect_eq "$out" "$(cat "$FS/$2")" "what container $1 read from $2"
}
refused()
{
	st=0
	out=$(cn run --id "$1" -- cat "$FS/$2" 2>&1) || st=$?
	expect_eq "$out" "cat: $FS/$2: Operation not permitted" "container $1's open of $2"
	expect_eq "$st" 1 "cat's exit status for container $1's refused open of $2"
}
recorded()
{
	expect_record "op=appraise_data cause=$(cause_of "$2") contid=$1 pid=[0-9]+ file=\"$FS/$2\" reason=[^ ]+ mode=$3 res=0" \
		"the record of container $1's appraisal of its open of $2"
}

mkfifo "$T_TMP/end"
# A container in enforce whose own policy appraises execs only needs no opens.
appraise_holder 1155 "$K/a.pem" off
printf 'appraise func=BPRM_CHECK fowner=%s appraise_type=imasig\n' "$OWNER" >"$T_TMP/bprm.policy"
cn integrity policy 1155 "$T_TMP/bprm.policy" || fail "container 1155's policy was refused"
cn integrity appraise 1155 enforce >/dev/null || fail "mode enforce for container 1155"
expect_eq "$(integrity file_check)" false "FILE_CHECK with a container that appraises execs only"
appraise_holder 1150 "$K/a.pem" enforce
# The mode's answer comes once every watched filesystem asks for opens.
expect_eq "$(integrity file_check)" true "FILE_CHECK once a container in enforce appraises opens"
cn status | grep -q "^  file_check: on (a live policy needs it)" ||
	fail "the status's file_check line: $(cn status | grep file_check)"
grep -q "integrity: FILE_CHECK on" "$T_LOG" || fail "canisterd did not say FILE_CHECK is on"
reads 1150 good
for f in $FAILING; do
	refused 1150 "$f"
	recorded 1150 "$f" enforce
done
no_record "op=appraise_data [^ ]+ contid=1150 [^ ]+ file=\"$FS/good\"" "the signed file's appraisal"
# Refused again (the cached verdict); a file signed again after its change reads again.
refused 1150 unsigned
ima_sign "$FS/changed" "$K/a"
reads 1150 changed
printf 'x' >>"$FS/changed"

# IMA's new file: a process of the container (as OWNER) creates a file and writes it: allowed
# (empty, no value, opened for writing); read back unsigned, refused.
# Two host processes open a file in a loop meanwhile: every answer of the gate wakes the
# blocked creator, which must still be told to be the file's only writer (it was refused its
# own open as another's writer in one run of three before open_writers.c waited long enough:
# a flaky check of it, not a certain one).
mkdir "$FS/dir" && chown "$OWNER" "$FS/dir"
chmod o+x "$T_TMP"
busy=
opens=$(integrity opens)
for i in 1 2; do
	python3 -c 'import sys
while True:
    open(sys.argv[1]).close()' /etc/hostname &
	busy="$busy $!"
	started $!
done
busy_opening() { [ "$(integrity opens)" -gt $((opens + 2000)) ]; }
wait_until 20 "the host's opens in a loop" busy_opening
out=$(cn run --id 1150 -- setpriv --reuid "$OWNER" --regid "$OWNER" --clear-groups \
	sh -c "printf 'new\n' >'$FS/dir/new'" 2>&1) || fail "container 1150 could not create a file: $out"
# shellcheck disable=SC2086 # the pids split on purpose
kill $busy
expect_eq "$(stat -c %u:%s "$FS/dir/new")" "$OWNER:4" "the file container 1150 created"
st=0
out=$(cn run --id 1150 -- cat "$FS/dir/new" 2>&1) || st=$?
expect_eq "$out:$st" "cat: $FS/dir/new: Operation not permitted:1" "container 1150's read of its new file"
expect_record "op=appraise_data cause=IMA-signature-required contid=1150 pid=[0-9]+ file=\"$FS/dir/new\" reason=[^ ]+ mode=enforce res=0" \
	"the record of the new file's read"

# Log mode: every open goes on, each failure recorded.
appraise_holder 1151 "$K/a.pem" log
for f in good $FAILING; do
	out=$(cn run --id 1151 -- cat "$FS/$f" 2>&1) || fail "container 1151 (log) could not read $f: $out"
done
for f in $FAILING; do recorded 1151 "$f" log; done

# Another key: other outcomes.
appraise_holder 1152 "$K/b.pem" enforce
reads 1152 other
refused 1152 good

# A container (canister run's options: its key, enforce, its own policy) whose policy measures
# what it appraises: the entries are ima-sig with the file's signature (a refused file's too:
# IMA measures what it denies), and evmctl replays the list.
printf 'measure func=FILE_CHECK mask=MAY_READ fowner=%s\nappraise func=FILE_CHECK mask=MAY_READ fowner=%s appraise_type=imasig\n' \
	"$OWNER" "$OWNER" >"$T_TMP/measured.policy"
out=$(cn run --id 1156 --ima-policy "$T_TMP/measured.policy" --ima-key "$K/b.pem" \
	--appraise enforce -- sh -c "cat '$FS/other'; cat '$FS/good'" 2>&1) && fail "container 1156 read good"
expect_eq "$out" "other
cat: $FS/good: Operation not permitted" "container 1156's reads"
sig_of() { python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "security.ima").hex())' "$1"; }
for f in other good; do
	expect_eq "$(awk -v f="$FS/$f" '$5 == f { print $3, $6 }' "$LISTS/1156/ascii_runtime_measurements")" \
		"ima-sig $(sig_of "$FS/$f")" "container 1156's list entry of $f"
done
integrity_verify "$LISTS/1156" "container 1156's list"

# Host processes are never appraised by a container's policy.
for f in good $FAILING; do cat "$FS/$f" >/dev/null || fail "the host could not read $f"; done

# A nested container (1154; a policy is set before its first exec) whose own policy appraises
# nothing and whose mode is off, under 1153 in enforce: the ancestor's rule binds it.
printf 'measure func=BPRM_CHECK\n' >"$T_TMP/nested.policy"
appraise_nested 1153 "$K/a.pem" "
cn run --id 1154 --ima-policy '$T_TMP/nested.policy' -- sh -c 'cat $FS/good; cat $FS/unsigned' \
	>'$T_TMP/nested.out' 2>&1
echo \$? >'$T_TMP/nested.status'"
wait_for_file "$T_TMP/nested.status"
expect_eq "$(cat "$T_TMP/nested.out")" "good
cat: $FS/unsigned: Operation not permitted" "the nested container's reads"
expect_eq "$(cn integrity appraise 1154 | head -1)" "mode: off" "the nested container's own mode"
expect_record "op=appraise_data cause=IMA-signature-required contid=1153 pid=[0-9]+ file=\"$FS/unsigned\" reason=[^ ]+ mode=enforce res=0" \
	"the ancestor's record of the nested container's open"

# The counters a user reads in canister status.
cn --json status | python3 -c '
import json, sys
i = json.load(sys.stdin)["integrity"]
assert i["appraise_opens"] >= 18, i
assert i["appraise_denied"] >= 8, i
assert i["appraise_logged"] >= 4, i
assert i["appraised"] >= i["appraise_opens"], i
assert i["opens"] > 0, i
' || fail "the appraisal counters: $(cn --json status)"
cn status | grep -Eq "^  appraised: [0-9]+ execs, [0-9]+ opens, [0-9]+ denied" ||
	fail "the status's appraised line: $(cn status | grep appraised)"

# A restart: the reloaded modes ask for opens from the start.
stop_daemon
start_daemon
expect_eq "$(integrity file_check)" true "FILE_CHECK after a restart with containers in enforce"
grep -q "opens too (FILE_CHECK)" "$T_LOG" || fail "canisterd did not ask for opens at its start"
refused 1150 unsigned
reads 1150 good

# No live container appraises any more (1153, in enforce, has ended): the gate stops asking for
# opens.
for c in 1150 1151 1152; do
	cn integrity appraise "$c" off >/dev/null || fail "mode off for container $c"
done
expect_eq "$(integrity file_check)" false "FILE_CHECK once no container appraises"
cn status | grep -q "^  file_check: off" ||
	fail "the status's file_check line: $(cn status | grep file_check)"
grep -q "integrity: FILE_CHECK off" "$T_LOG" || fail "canisterd did not say FILE_CHECK is off"
reads 1150 unsigned
# In enforce again, then the container ends: off once it is dropped.
cn integrity appraise 1152 enforce >/dev/null || fail "mode enforce again for container 1152"
expect_eq "$(integrity file_check)" true "FILE_CHECK with container 1152 in enforce again"
kill_started
not_needed() { [ "$(integrity file_check)" = false ]; }
wait_until 20 "FILE_CHECK off after the containers ended" not_needed
