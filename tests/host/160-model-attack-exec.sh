# SPDX-License-Identifier: GPL-2.0-only
# canister: a root in a container attacks its enforced behaviour model's exec gate (issue 15).
# Each attack runs in a new container under the model its workload learned; each is denied,
# recorded (CONTAINER_MODEL res=0) and listed as forensics:
# - a new script with a shebang to the allowed shell (the script's exec);
# - the allowed shell reading a new script (its open);
# - ld.so as the program (`ld.so /usr/bin/id`: the direct exec of ld.so passes, as it is the
#   same event as the kernel's load of it as every program's interpreter, but ld.so's open of
#   the program is new), the offender untrusted;
# - an exec through /proc/self/fd of a descriptor opened outside the container;
# - an exec of the allowed program while a writable descriptor of it is open: the kernel would
#   refuse it (ETXTBSY) unless the writer closed between the model's verdict and the kernel's
#   deny_write_access(), and then run what the writer wrote after the digest.  The model
#   takes it as an event without a coefficient: denied (EPERM, not ETXTBSY) and recorded.
#   Before the fix the model allowed it (ETXTBSY from the kernel, no record).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

P="$T_TMP/prog"
cp /bin/true "$P"
printf 'true\n' >"$T_TMP/good.sh"
printf '#!/bin/sh\nid\n' >"$T_TMP/evil.sh"
chmod +x "$T_TMP/evil.sh"
WORK="cat /etc/hostname >/dev/null; exec 5>>$P; exec 5>&-; $P; sh $T_TMP/good.sh"
cn run --id 1601 --model learn -- sh -c "$WORK" || fail "the learning run failed"
cn model 1601 export "$T_TMP/work.model" || fail "export failed"

# attack ID COMMAND...: COMMAND in container ID under the enforced model; its status in $status.
attack()
{
	id=$1
	shift
	status=0
	cn run --id "$id" --model "$T_TMP/work.model" --model-enforce -- "$@" \
		>"$T_TMP/$id.out" 2>&1 || status=$?
}
forensic() { [ "$(cn model "$1" forensics | wc -l)" -ge 1 ] || fail "$2: no forensics entry"; }
denied_record() # ID OP TARGET WHAT
{
	expect_record "type=CONTAINER_MODEL .* op=$2 contid=$1 pid=[0-9]+ exe=\"[^\"]*\" target=\"$3\" .* mode=enforce res=0" "$4"
	forensic "$1" "$4"
}

attack 1602 sh -c "$WORK"
expect_eq "$status" 0 "the learned workload under its enforced model ($(cat "$T_TMP/1602.out"))"
expect_eq "$(cn model 1602 forensics)" "" "forensics of the learned workload"

attack 1603 sh -c "$T_TMP/evil.sh"
expect_eq "$status" 126 "a new script with a shebang to the allowed shell"
grep -q "Operation not permitted" "$T_TMP/1603.out" || fail "shebang: $(cat "$T_TMP/1603.out")"
denied_record 1603 exec "$T_TMP/evil.sh" "the script's denied exec"

attack 1604 sh -c "sh $T_TMP/evil.sh"
grep -q "cannot open .*Operation not permitted" "$T_TMP/1604.out" ||
	fail "the allowed shell reading a new script: $(cat "$T_TMP/1604.out")"
grep -q "uid=" "$T_TMP/1604.out" && fail "the new script ran"
denied_record 1604 open "$T_TMP/evil.sh" "the script's denied open"

ldso=$(readlink -f /lib64/ld-linux-x86-64.so.2)
attack 1605 sh -c "$ldso /usr/bin/id"
grep -q "uid=" "$T_TMP/1605.out" && fail "id ran through ld.so: $(cat "$T_TMP/1605.out")"
grep -q "Operation not permitted" "$T_TMP/1605.out" || fail "ld.so: $(cat "$T_TMP/1605.out")"
denied_record 1605 open /usr/bin/id "ld.so's denied open of the program"
# ld.so ends at once: its mark went with it, the count stays.
marked=$(cn model 1605 counts | awk '$1 == "untrusted_marked" { print $2 }')
[ "${marked:-0}" -ge 1 ] || fail "ld.so's process was not marked untrusted: $(cn model 1605 counts)"

# shellcheck disable=SC2016 # the container's shell expands nothing here
attack 1606 sh -c 'exec /proc/self/fd/3' 3</usr/bin/id
expect_eq "$status" 126 "an exec through /proc/self/fd"
grep -q "uid=" "$T_TMP/1606.out" && fail "id ran through /proc/self/fd"
denied_record 1606 exec /usr/bin/id "the denied exec through /proc/self/fd"

attack 1607 sh -c "exec 5>>$P; $P"
expect_eq "$status" 126 "an exec of the allowed program open for write"
grep -q "Operation not permitted" "$T_TMP/1607.out" ||
	fail "an exec of a file open for write was not denied by the model: $(cat "$T_TMP/1607.out")"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1607 pid=[0-9]+ exe=\"[^\"]*\" target=\"$P\" event=bprm_set_creds coefficient=none mode=enforce res=0" \
	"the denied exec of a file open for write"
expect_eq "$(cn model 1607 counts | awk '$1 == "denied" { print $2 }')" 1 "denied in 1607's counts"
exit 0
