# SPDX-License-Identifier: GPL-2.0-only
# canister: integrity_appraise = enforce with a default policy that appraises opens (FILE_CHECK):
# the gate asks for opens from the start (not once some container sets a mode: one registered a
# moment ago is bound too), a container that brings nothing reads what the config's key signed
# and is refused the rest, one that set its own mode off reads everything, host processes read
# everything; with integrity_appraise = off and the same policy, nothing asks for opens until a
# container sets log or enforce.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

OWNER=4251
integrity_setup "appraise func=FILE_CHECK mask=MAY_READ fowner=$OWNER appraise_type=imasig
"
trap 'integrity_cleanup "$FS"' EXIT
appraise_keys
CKEYS=$T_TMP/container-keys
mkdir -p "$CKEYS" && chmod 700 "$CKEYS"
cp "$K/a.pem" "$CKEYS/a.pem" && chmod 600 "$CKEYS/a.pem"
data() { printf '%s\n' "$1" >"$FS/$1" && chown "$OWNER" "$FS/$1"; }
data good && ima_sign "$FS/good" "$K/a"
data unsigned
data other && ima_sign "$FS/other" "$K/b"
OFF_CONF=$T_TMP/off.conf
cp "$T_CONF" "$OFF_CONF"
cat >>"$T_CONF" <<CONF
integrity_appraise = enforce
integrity_container_keys = $CKEYS
CONF

start_daemon
integrity() { cn status --json | jq -r ".integrity.$1"; }
expect_eq "$(integrity file_check)" true "FILE_CHECK with no container yet, under the default enforce"
expect_eq "$(integrity appraise_default)" enforce "the status's appraisal default"
cn status | grep -q "every other container enforce (integrity_appraise)" ||
	fail "the status's appraisal line: $(cn status | grep appraisal:)"
reads()
{
	out=$(cn run --id "$1" ${3:+--appraise "$3"} -- cat "$FS/$2" 2>&1) ||
		fail "container $1 could not read $2: $out"
	expect_eq "$out" "$2" "what container $1 read from $2"
}
refused()
{
	st=0
	out=$(cn run --id "$1" -- cat "$FS/$2" 2>&1) || st=$?
	expect_eq "$out:$st" "cat: $FS/$2: Operation not permitted:1" "container $1's open of $2"
}
# Each run registers a new container that brings nothing of its own.
reads 1250 good
refused 1251 unsigned
refused 1252 other
expect_record "op=appraise_data cause=IMA-signature-required contid=1251 pid=[0-9]+ file=\"$FS/unsigned\" reason=[^ ]+ mode=enforce res=0" \
	"the record of a refused open under the default"
# Its own mode off: it reads everything.
reads 1253 unsigned off
reads 1254 other off
# The host is no container.
expect_eq "$(cat "$FS/unsigned")" unsigned "the host's read of the unsigned file"

# The default off: opens are asked for only while a live container appraises them.
stop_daemon
cp "$OFF_CONF" "$T_CONF"
start_daemon
expect_eq "$(integrity file_check)" false "FILE_CHECK under the default off with no container"
expect_eq "$(integrity appraise_default)" off "the status's appraisal default after the restart"
reads 1255 unsigned
exit 0
