# SPDX-License-Identifier: GPL-2.0-only
# temporary: cost of an open under FILE_CHECK appraisal (not committed)
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
OWNER=4245
integrity_setup "appraise func=FILE_CHECK mask=MAY_READ fowner=$OWNER appraise_type=imasig
"
trap 'integrity_cleanup "$FS"' EXIT
appraise_keys
printf 'data\n' >"$FS/signed"; chown $OWNER "$FS/signed"; ima_sign "$FS/signed" "$K/a"
printf 'data\n' >"$FS/plain"
touch -d '-10 seconds' "$FS/signed" "$FS/plain"
start_daemon
mkfifo "$T_TMP/end"
N=20000
LOOP="import time,sys
f=sys.argv[1]
t=time.perf_counter()
for i in range($N):
    open(f).close()
print('%.1f' % ((time.perf_counter()-t)/$N*1e6))"
loop() { printf '%s\n' "$LOOP" >"$T_TMP/loop.py"; chmod o+r "$T_TMP/loop.py"; }
loop
cpu() { awk '{ print $14 + $15 }' "/proc/$T_DAEMON_PID/stat"; }
measure() { c0=$(cpu); r=$(cn run --id "$2" -- python3 "$T_TMP/loop.py" "$3"); c1=$(cpu); echo "COST $1: $r us, canisterd $(( (c1 - c0) * 10000 / N )) us cpu/open" >>/tmp/filecheck-cost.out; }
hmeasure() { c0=$(cpu); r=$(python3 "$T_TMP/loop.py" "$2"); c1=$(cpu); echo "COST $1: $r us, canisterd $(( (c1 - c0) * 10000 / N )) us cpu/open" >>/tmp/filecheck-cost.out; }
appraise_holder 1170 "$K/a.pem" off
for r in 1 2 3; do
measure "A file_check off, container mode off" 1170 "$FS/signed"
hmeasure "A host" "$FS/signed"
done
appraise_holder 1171 "$K/a.pem" enforce
for r in 1 2 3; do
measure "B file_check on, container mode off" 1170 "$FS/signed"
measure "C enforce, signed owned (cache hits)" 1171 "$FS/signed"
measure "D enforce, file the rule does not match" 1171 "$FS/plain"
hmeasure "E host, file_check on" "$FS/signed"
done
cn status | grep -E "appraised|file_check" >>/tmp/filecheck-cost.out
