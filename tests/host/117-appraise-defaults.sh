# SPDX-License-Identifier: GPL-2.0-only
# canister: per-container appraisal defaults from canister.conf (trace mode).  A container that
# brings no appraisal of its own enforces with integrity_appraise = enforce and the keys of
# integrity_container_keys: it runs what those keys signed and cannot run the rest.  One given a
# key of its own trusts only its own keys; one that set its mode keeps it; a restart with other
# defaults changes the containers that set nothing and keeps what the others set.  A reload does
# not change a live container's appraisal (the keys take effect at restart).  Bad input (a value
# that is no mode, a symlinked, a world-writable or garbage certificate in the directory, a
# directory others may write, two different keys with one id in integrity_keys and
# integrity_container_keys) stops canisterd with the file and the reason, and changes nothing.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

appraise_case_setup
trap 'integrity_cleanup "$FS"' EXIT
appraise_keys
CKEYS=$T_TMP/container-keys
mkdir -p "$CKEYS"
chmod 700 "$CKEYS"
cp "$K/a.pem" "$CKEYS/a.pem"
chmod 600 "$CKEYS/a.pem"
A=$(ima_keyid "$K/a.pem")
appraise_program good && ima_sign "$FS/good" "$K/a"
appraise_program other && ima_sign "$FS/other" "$K/b"
appraise_program unsigned

GOOD_CONF=$T_TMP/good.conf
cat >>"$T_CONF" <<CONF
integrity_appraise = enforce
integrity_container_keys = $CKEYS
CONF
cp "$T_CONF" "$GOOD_CONF"
start_daemon
grep -q "integrity: a container with no appraisal of its own: enforce, 1 keys from $CKEYS, host keys not counted" "$T_LOG" ||
	fail "canisterd did not say what a container with no appraisal of its own gets: $(grep integrity: "$T_LOG")"

mkfifo "$T_TMP/end"
# holder CONTID: a registered shell keeps CONTID live until the case ends.
holder()
{
	sh -c "read x <'$T_TMP/end'" &
	started $!
	cn set $! "$1" >/dev/null || fail "cannot register container $1"
	eval "HOLDER_$1=\$!"
}
runs() { appraise_runs "$@"; }
denied() { appraise_denied "$@"; }

# 1170 brings nothing: the config's mode and key.
holder 1170
runs 1170 good
denied 1170 other
denied 1170 unsigned
expect_record "op=appraise_data cause=IMA-signature-required contid=1170 pid=[0-9]+ file=\"$FS/unsigned\" reason=[^ ]+ mode=enforce res=0" \
	"the record of a denial under the config's defaults"
expect_eq "$(cn integrity appraise 1170)" "mode: enforce
host_keys: no
keys: 1 (0 of its own)" "the appraisal of a container with none of its own"
expect_eq "$(cn integrity key list 1170)" "$(printf '%s\tRSA 2048\tskid\t%s\tCN=canister 117 a' "$A" "$CKEYS/a.pem")" \
	"the listing names the config's key file"
out=$(cn integrity key remove 1170 "$A" 2>&1) && fail "the config's key was removed from container 1170"
expect_eq "$out" "canister: container 1170 has no key with id $A of its own ($A is canister.conf's, from $CKEYS/a.pem)" \
	"removing the config's key"
runs 1170 good
# A container that brings no settings has no settings file: nothing of it is written.
[ ! -e "$LISTS/1170/appraise" ] || fail "a settings file for container 1170, which set nothing"

# 1171 is given key b (and sets enforce): only its own key counts.
holder 1171
cn integrity key add 1171 "$K/b.pem" >/dev/null || fail "key b for container 1171"
cn integrity appraise 1171 enforce >/dev/null || fail "mode enforce for container 1171"
runs 1171 other
denied 1171 good
denied 1171 unsigned
# 1172 sets its mode off: it runs anything, the config's key still listed for it.
holder 1172
cn integrity appraise 1172 off >/dev/null || fail "mode off for container 1172"
runs 1172 unsigned
runs 1172 other
expect_eq "$(cn integrity appraise 1172)" "mode: off
host_keys: no
keys: 1 (0 of its own)" "the appraisal of a container that set only its mode"
# canister run --ima-key: its own key from its first exec on.
out=$(cn run --id 1173 --ima-key "$K/b.pem" -- "$FS/other" 2>&1) || fail "run --ima-key b, other: $out"
st=0
out=$(cn run --id 1174 --ima-key "$K/b.pem" -- "$FS/good" 2>&1) || st=$?
expect_eq "$out" "canister: cannot run $FS/good: Operation not permitted" "run --ima-key b, good"
expect_eq "$st" 126 "the exit status of run --ima-key b, good"

# A reload changes no live container's appraisal: the keys take effect at restart.
sed -i 's/^integrity_appraise = enforce$/integrity_appraise = off/' "$T_CONF"
kill -HUP "$T_DAEMON_PID"
wait_for_line "$T_LOG" "reload: .*integrity_appraise.* changed; that takes effect at the next restart" \
	"the reload's word on integrity_appraise"
denied 1170 unsigned
cn status | grep -q "integrity_appraise" || fail "canister status does not say a restart is pending: $(cn status)"
# A reload with a value that is no mode is refused and changes nothing.
sed -i 's/^integrity_appraise = off$/integrity_appraise = maybe/' "$T_CONF"
kill -HUP "$T_DAEMON_PID"
wait_for_line "$T_LOG" "reload refused, previous settings kept: $T_CONF:[0-9]+: integrity_appraise: 'maybe' must be off, log or enforce" \
	"the refused reload"
denied 1170 unsigned

# Bad input at start: canisterd refuses to start, with the file and the reason, and changes
# nothing (the containers' stored appraisals, their labels).
stop_daemon
state()
{
	find "$LISTS" -path '*/117[0-9]/appraise' -o -path '*/117[0-9]/keys/*' | sort | xargs -r sha256sum
}
before=$(state)
# refused_start WHAT PATTERN: canisterd with $T_TMP/bad.conf exits non-zero, PATTERN (grep -E)
# in its output.
refused_start()
{
	rs_status=0
	timeout 120 "$CANISTERD" -f -c "$T_TMP/bad.conf" >"$T_TMP/bad.out" 2>&1 || rs_status=$?
	[ "$rs_status" -ne 0 ] && [ "$rs_status" -ne 124 ] ||
		fail "$1: canisterd's exit status $rs_status: $(tail -n 5 "$T_TMP/bad.out")"
	grep -Eq -- "$2" "$T_TMP/bad.out" || fail "$1: no '$2' in: $(tail -n 5 "$T_TMP/bad.out")"
	expect_eq "$(state)" "$before" "$1: the containers' stored appraisals after it"
}
bad_conf()
{
	sed "s|^integrity_container_keys = .*|integrity_container_keys = $1|" "$GOOD_CONF" >"$T_TMP/bad.conf"
	chmod 600 "$T_TMP/bad.conf"
}
sed 's/^integrity_appraise = enforce$/integrity_appraise = on/' "$GOOD_CONF" >"$T_TMP/bad.conf"
chmod 600 "$T_TMP/bad.conf"
refused_start "a value that is no mode" "$T_TMP/bad.conf:[0-9]+: integrity_appraise: 'on' must be off, log or enforce"
bad_conf keys
refused_start "a relative directory" "integrity_container_keys: 'keys' must be an absolute path"
BAD=$T_TMP/bad-keys
mkdir -p "$BAD" && chmod 700 "$BAD"
ln -s "$K/b.pem" "$BAD/link.pem"
bad_conf "$BAD"
refused_start "a symlinked certificate" "$BAD/link.pem: refused: a symlink \(name the certificate file itself\)"
rm "$BAD/link.pem"
cp "$K/b.pem" "$BAD/open.pem" && chmod 666 "$BAD/open.pem"
refused_start "a world-writable certificate" "$BAD/open.pem: refused: must be owned by uid 0 and not writable by group or others \(owner 0, mode 0666\)"
rm "$BAD/open.pem"
printf 'not a certificate\n' >"$BAD/garbage.pem" && chmod 600 "$BAD/garbage.pem"
refused_start "garbage" "$BAD/garbage.pem: "
rm "$BAD/garbage.pem"
cp "$K/b.pem" "$BAD/b.pem" && chmod 600 "$BAD/b.pem"
chmod 777 "$BAD"
refused_start "a directory others may write" "integrity_container_keys $BAD: refused: must be owned by uid 0 and not writable by group or others"
chmod 700 "$BAD"
# Two different keys with one id: c's certificate takes a's subject key identifier.
HOSTK=$T_TMP/host-keys
mkdir -p "$HOSTK" && chmod 700 "$HOSTK"
ima_cert "$HOSTK" c rsa:2048 -addext "subjectKeyIdentifier=$(openssl x509 -in "$K/a.pem" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')"
rm "$HOSTK/c.key" "$HOSTK/c.der"
expect_eq "$(ima_keyid "$HOSTK/c.pem")" "$A" "the key id of a certificate made to share a's"
{ cat "$GOOD_CONF"; echo "integrity_keys = $HOSTK"; } >"$T_TMP/bad.conf"
refused_start "two different keys with one id" "integrity_container_keys $CKEYS/a.pem and integrity_keys $HOSTK/c.pem: two different keys with one id $A"

# A restart with other defaults (off, the host's keys counted): 1170, which set nothing, follows
# them; 1171 and 1172 keep what they set; the labels are kept.
HOSTK2=$T_TMP/host-keys-2
mkdir -p "$HOSTK2" && chmod 700 "$HOSTK2"
cp "$K/b.pem" "$HOSTK2/b.pem" && chmod 600 "$HOSTK2/b.pem"
sed -e 's/^integrity_appraise = .*$/integrity_appraise = off/' "$GOOD_CONF" >"$T_CONF"
printf 'integrity_keys = %s\nintegrity_host_keys = yes\n' "$HOSTK2" >>"$T_CONF"
start_daemon
expect_eq "$(cn get "$HOLDER_1170")" 1170 "container 1170's label after the refused starts"
runs 1170 unsigned
expect_eq "$(cn integrity appraise 1170)" "mode: off
host_keys: yes
keys: 2 (0 of its own)" "container 1170 after the restart with other defaults"
denied 1171 good
runs 1171 other
expect_eq "$(cn integrity appraise 1171)" "mode: enforce
host_keys: no
keys: 1 (1 of its own)" "container 1171 after the restart"
expect_eq "$(cn integrity appraise 1172 | head -2)" "mode: off
host_keys: no" "container 1172 after the restart"
# Back to enforce: 1170 now trusts the host's key b too (the config says so), 1172 still off.
stop_daemon
sed -i 's/^integrity_appraise = off$/integrity_appraise = enforce/' "$T_CONF"
start_daemon
runs 1170 good
runs 1170 other
denied 1170 unsigned
runs 1172 unsigned
