# SPDX-License-Identifier: GPL-2.0-only
# canister: "a file open for writing cannot be executed while its container enforces" (trace
# mode).  A process of a container keeps a signed program and a signed data file open for
# writing (opened before the container's mode was set to enforce: in enforce, IMA's rule refuses
# opening a signed file for writing, cause=signed-immutable, which the case checks too); another
# process of the container cannot execute the program or read the file: the gate refuses both
# (EPERM, not the kernel's ETXTBSY) and records cause=open_writers, since the writer could change
# the file between the verdict and its use.  A writer outside the container counts the same.
# Once the writer closed them, both are verified again and pass.  In log mode the same is
# recorded and allowed (the exec then meets the kernel's ETXTBSY).  Host processes are not
# concerned.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

OWNER=4244
integrity_setup "appraise func=BPRM_CHECK fowner=$OWNER appraise_type=imasig
appraise func=FILE_CHECK mask=MAY_READ fowner=$OWNER appraise_type=imasig
"
trap 'integrity_cleanup "$FS"' EXIT
appraise_keys
cp /bin/true "$FS/prog"
printf 'data\n' >"$FS/data"
chown "$OWNER" "$FS/prog" "$FS/data"
ima_sign "$FS/prog" "$K/a"
ima_sign "$FS/data" "$K/a"

start_daemon
mkfifo "$T_TMP/end"
appraise_holder 1160 "$K/a.pem" off
appraise_holder 1161 "$K/a.pem" log

# run CONTID: the container runs prog, its output (canister run's message) and status in $out.
run()
{
	st=0
	out=$(cn run --id "$1" -- "$FS/prog" 2>&1) || st=$?
	out="$out:$st"
}
# read_data CONTID: the container reads data; its output and status in $out.
read_data()
{
	st=0
	out=$(cn run --id "$1" -- cat "$FS/data" 2>&1) || st=$?
	out="$out:$st"
}
EPERM_RUN="canister: cannot run $FS/prog: Operation not permitted:126"
EPERM_READ="cat: $FS/data: Operation not permitted:1"
# writer CONTID|host NAME: a process (of container CONTID, or of the host) opens FS/prog and
# FS/data for writing (appending nothing) and keeps them open until $T_TMP/NAME.end is written.
writer()
{
	rm -f "$T_TMP/$2.ready"
	mkfifo "$T_TMP/$2.end"
	w_script="exec 3>>'$FS/prog' 4>>'$FS/data'; echo >'$T_TMP/$2.ready'; read x <'$T_TMP/$2.end'"
	if [ "$1" = host ]; then
		sh -c "$w_script" &
	else
		cn run --id "$1" -- sh -c "$w_script" &
	fi
	started $!
	wait_for_file "$T_TMP/$2.ready"
}
# writer_done NAME: the writer closes its files and ends.
writer_done() { echo >"$T_TMP/$1.end"; }
recorded()
{
	expect_record "op=appraise_data cause=open_writers contid=$1 pid=[0-9]+ file=\"$FS/$2\" reason=[^ ]+ mode=$3 res=0" \
		"the record of container $1's $4 of $2 while it was open for writing"
}

# The attack: a process of the container keeps both files open for writing, another one uses
# them.  The writer opened them before the mode was set: in enforce, its opens are refused.
writer 1160 w1
cn integrity appraise 1160 enforce >/dev/null || fail "mode enforce for container 1160"
st=0
out=$(cn run --id 1160 -- sh -c "exec 3>>'$FS/data'" 2>&1) || st=$?
expect_eq "$out:$st" "sh: 1: cannot create $FS/data: Operation not permitted:2" \
	"container 1160's open of the signed file for writing"
expect_record "op=appraise_data cause=signed-immutable contid=1160 pid=[0-9]+ file=\"$FS/data\" reason=[^ ]+ mode=enforce res=0" \
	"the record of the refused open for writing"
run 1160
expect_eq "$out" "$EPERM_RUN" "container 1160's exec of the program open for writing"
recorded 1160 prog enforce exec
read_data 1160
expect_eq "$out" "$EPERM_READ" "container 1160's read of the file open for writing"
recorded 1160 data enforce open
# Log mode: recorded, and allowed (the exec then meets the kernel's own refusal).
run 1161
expect_eq "$out" "canister: cannot run $FS/prog: Text file busy:126" \
	"container 1161's (log) exec of the program open for writing"
recorded 1161 prog log exec
read_data 1161
expect_eq "$out" "data:0" "container 1161's (log) read of the file open for writing"
recorded 1161 data log open
# The host reads the file meanwhile.
expect_eq "$(cat "$FS/data")" data "the host's read of the file open for writing"
writer_done w1
# Closed: verified again (the close moved their write generation), and they pass.
closed() { run 1160 && [ "$out" = ":0" ]; }
wait_until 20 "container 1160's run once the writer closed the program" closed
read_data 1160
expect_eq "$out" "data:0" "container 1160's read once the writer closed the file"

# A writer on the host counts the same.
writer host w2
run 1160
expect_eq "$out" "$EPERM_RUN" "container 1160's exec of the program the host holds open for writing"
read_data 1160
expect_eq "$out" "$EPERM_READ" "container 1160's read of the file the host holds open for writing"
writer_done w2
closed_again() { read_data 1160 && [ "$out" = "data:0" ]; }
wait_until 20 "container 1160's read once the host's writer closed the file" closed_again

cn --json status | python3 -c '
import json, sys
i = json.load(sys.stdin)["integrity"]
assert i["appraise_writers"] >= 6, i
assert i["appraise_denied"] >= 4, i
assert i["appraise_logged"] >= 2, i
' || fail "the appraisal counters: $(cn --json status)"
