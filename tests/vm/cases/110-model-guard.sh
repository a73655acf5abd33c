# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the behaviour model's BPF objects are in the identity guard's set: a labelled
# root can neither open the observers' maps (model_wanted, model_records, model_counts, their
# .rodata) or programs by id, nor the pinned model_untrusted map by its pin or its id, so it can
# neither unwant its container nor clear its untrusted marks; host root opens them all.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
# The objects that appear with canisterd (and its model capability, which integrity starts).
for kind in map prog; do
	tool bpf-attack ids $kind >"$T_TMP/before-$kind" || fail "listing ${kind}s"
done
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
grep -q 'model: observed events:' "$T_LOG" ||
	fail "canisterd loaded no model observers: $(grep 'model:' "$T_LOG" | tail -5)"
for kind in map prog; do
	tool bpf-attack ids $kind >"$T_TMP/after-$kind"
	awk 'FILENAME == ARGV[1] { seen[$0] = 1; next } !seen[$0]' "$T_TMP/before-$kind" \
		"$T_TMP/after-$kind" >"$T_TMP/$kind"
done
# Map names are cut at 15 characters by the kernel: model_untrusted fits, so do the others.
for name in model_wanted model_records model_counts model_untrusted; do
	grep -q " $name\$" "$T_TMP/map" || fail "no $name map among canister's: $(cat "$T_TMP/map")"
done
grep -q ' task_kill_lsm$' "$T_TMP/prog" ||
	fail "no observer program (task_kill_lsm) among canister's: $(cat "$T_TMP/prog")"

# Every attempt is made and its result kept (attempt_in), so that one run names each hole.
refused='refused: Operation not permitted'
attempt() { attempt_in 1101 "$@"; }
# The observers' maps (and the untrusted marks) by id: host root may, a container may not.
checked=0
while read -r id name; do
	case $name in
	model_* | *rodata* | *bss*) ;;
	*) continue ;;
	esac
	expect_eq "$(tool bpf-attack get map "$id")" ok "host root opening map $id ($name)"
	attempt "$refused" "map $id ($name) by id" bpf-attack get map "$id"
	checked=$((checked + 1))
done <"$T_TMP/map"
[ "$checked" -ge 4 ] || fail "only $checked model maps tried"
# The observers' programs by id.
while read -r id name; do
	attempt "$refused" "program $id ($name) by id" bpf-attack get prog "$id"
done <"$T_TMP/prog"
# The pinned untrusted marks by their pin.
expect_eq "$(tool bpf-attack fs obj-get "$T_PIN/model_untrusted")" ok "host root opening model_untrusted"
attempt "$refused" "model_untrusted by its pin" bpf-attack fs obj-get "$T_PIN/model_untrusted"
attempt "$refused" "unlinking the model_untrusted pin" bpf-attack fs unlink "$T_PIN/model_untrusted"
[ -z "$T_WRONG" ] || fail "a labelled root reached the model's BPF objects:$T_WRONG"
exit 0
