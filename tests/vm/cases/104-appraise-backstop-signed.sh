# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode with evmctl's signatures (made on the host by tests/vm/fixtures: the guest has no evmctl): a container given key a in enforce runs and maps (mmap PROT_EXEC) the program a signed and is refused, by the gate for an exec and by the BPF LSM backstop for a mapping, the one b signed and an unsigned copy; a container given key b the other way round; the host runs all three.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

integrity_config 'dont_appraise fowner=0
appraise func=BPRM_CHECK appraise_type=imasig
appraise func=MMAP_CHECK mask=MAY_EXEC appraise_type=imasig
measure func=BPRM_CHECK
' 60000
FX=/tests/vm/fixtures
D=$T_TMP/files
# Each copy is named busybox, so that it runs the applet its first argument names.
for k in a b u; do
	mkdir -p "$D/$k"
	cp /bin/busybox "$D/$k/busybox"
	[ "$k" = u ] || cp "$FX/busybox-$k" "$D/$k/busybox"
	chown 1000 "$D/$k/busybox"
	[ "$k" = u ] || tool backstop-try set-ima "$D/$k/busybox" "$(cat "$FX/busybox-$k.ima")" >/dev/null ||
		fail "evmctl's signature by $k on the copy"
done
trap integrity_cleanup EXIT

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
# run_in CONTID KEY COMMAND...: COMMAND in a new container CONTID given key KEY, in enforce.
run_in() { c=$1 k=$2; shift 2; cn run --id "$c" --ima-key "$FX/$k.pem" --appraise enforce -- "$@" 2>"$T_TMP/err"; }
for pair in "1040 a b" "1041 b a"; do
	set -- $pair
	c=$1 own=$2 other=$3
	expect_eq "$(run_in "$c" "$own" "$D/$own/busybox" echo ran)" ran \
		"container $c runs what its key $own signed"
	run_in "$c" "$own" "$D/$other/busybox" echo ran >/dev/null &&
		fail "container $c ran what key $other signed"
	expect_record "op=appraise_data cause=[A-Za-z-]+ contid=$c pid=[0-9]+ file=\"$D/$other/busybox\" reason=[^ ]+ mode=enforce res=0" \
		"the gate's record of container $c's exec of what $other signed"
	run_in "$c" "$own" "$D/u/busybox" echo ran >/dev/null && fail "container $c ran an unsigned copy"
	expect_record "op=appraise_data cause=IMA-signature-required contid=$c pid=[0-9]+ file=\"$D/u/busybox\"" \
		"the gate's record of container $c's exec of the unsigned copy"
	expect_eq "$(run_in "$c" "$own" mmap-exec "$D/$own/busybox")" mapped \
		"container $c maps what its key $own signed"
	run_in "$c" "$own" mmap-exec "$D/$other/busybox" >/dev/null &&
		fail "container $c mapped PROT_EXEC what key $other signed"
	expect_match "$(cat "$T_TMP/err")" "mmap .*: Operation not permitted" "container $c's mapping of what $other signed"
	expect_record "op=backstop_mmap_file cause=[a-z-]+ contid=$c pid=[0-9]+ file=\"$D/$other/busybox\"" \
		"the backstop's record of container $c's mapping of what $other signed"
	run_in "$c" "$own" mmap-exec "$D/u/busybox" >/dev/null && fail "container $c mapped PROT_EXEC an unsigned copy"
done
for k in a b u; do
	expect_eq "$("$D/$k/busybox" echo ran)" ran "the host runs the copy $k"
done
