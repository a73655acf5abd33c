# SPDX-License-Identifier: GPL-2.0-only
# canister: stock evmctl (ima-evm-utils) verifies the measurement lists and PCR files canister writes, and refuses changed ones.
#
# No daemon: tests/tools/ima-list writes a container's list through the same
# code canisterd uses.  evmctl 1.4's ima_measurement replays the binary list
# into each bank and compares PCR 10 with the --pcrs file of that bank.
. "$(dirname "$0")/../lib/harness.sh"

command -v evmctl >/dev/null || fail "evmctl is missing: install the Debian package ima-evm-utils"

# Files that exist, under names the kernel rewrites (a space) and a long path.
deep="$T_TMP/a dir/$(printf 'd%.0s' $(seq 1 200))/$(printf 'e%.0s' $(seq 1 200))"
mkdir -p "$deep" || fail "cannot create $deep"
printf '#!/bin/sh\necho measured\n' >"$deep/prog"
printf 'config\n' >"$T_TMP/file one"

# evmctl ARGS... LIST: its exit status; its output kept in $T_TMP/evmctl.out.
evm()
{
	evmctl ima_measurement "$@" >"$T_TMP/evmctl.out" 2>&1
}
# verified DIR [OPTION]: each bank alone and both together accept DIR's list.  Each bank
# is checked alone too: evmctl 1.4 given both reports the last bank's comparison only.
verified()
{
	for pcrs in "--pcrs sha1,$1/pcrs-sha1" "--pcrs sha256,$1/pcrs-sha256" \
		"--pcrs sha1,$1/pcrs-sha1 --pcrs sha256,$1/pcrs-sha256"; do
		# shellcheck disable=SC2086 # the options split on purpose
		evm ${2:-} $pcrs "$1/binary_runtime_measurements" ||
			fail "evmctl refused $1 with $pcrs: $(cat "$T_TMP/evmctl.out")"
		grep -q 'Matched per TPM bank calculated digest(s)' "$T_TMP/evmctl.out" ||
			fail "evmctl did not match the per-bank digests of $1: $(cat "$T_TMP/evmctl.out")"
	done
}

# 1. ima-ng without violations: accepted as it is.
mkdir "$T_TMP/ng"
tool ima-list write "$T_TMP/ng" /bin/sh "$deep/prog" "$T_TMP/file one" || fail "ima-list write ng"
verified "$T_TMP/ng"
expect_eq "$(cat "$T_TMP/ng/runtime_measurements_count")" 4 "ima-ng count"
expect_match "$(sed -n 4p "$T_TMP/ng/ascii_runtime_measurements")" \
	"^10 [0-9a-f]{40} ima-ng sha256:[0-9a-f]{64} $T_TMP/file_one\$" "ascii line of a name with a space"

# 2. ima-sig with a violation: IMA lists zeros and extends 0xff; evmctl replays
# that only with --ignore-violations (without it, it extends zeros and fails).
mkdir "$T_TMP/sig"
tool ima-list write "$T_TMP/sig" --template ima-sig /bin/sh "!$T_TMP/file one" "$deep/prog" ||
	fail "ima-list write sig"
verified "$T_TMP/sig" --ignore-violations
evm --pcrs "sha256,$T_TMP/sig/pcrs-sha256" "$T_TMP/sig/binary_runtime_measurements" &&
	fail "evmctl accepted a violation without --ignore-violations: $(cat "$T_TMP/evmctl.out")"
expect_match "$(sed -n 3p "$T_TMP/sig/ascii_runtime_measurements")" \
	"^10 0{40} ima-sig sha256:0{64} $T_TMP/file_one \$" "ascii line of a violation"

# 3. The list read back (canisterd's reload) replays to the PCRs that were written.
layout=$(tool ima-list read "$T_TMP/sig/binary_runtime_measurements") || fail "read back: $layout"
expect_eq "$(printf '%s\n' "$layout" | sed -n '/^bank sha256$/,$p' | sed 1d | sed -n 1,24p)" \
	"$(cat "$T_TMP/sig/pcrs-sha256")" "sha256 PCRs replayed from the reloaded list"
expect_eq "$(printf '%s\n' "$layout" | sed -n 's/^violations //p')" 1 "violations reloaded"

# 4. Every one-byte change of a list is refused: by evmctl, except in the two
# places IMA's template digest does not cover, the template name (canister's
# reader refuses that) and a violation's data (nothing can: IMA hashes none).
# A list of short names, so that a byte at a time stays quick.
mkdir "$T_TMP/small"
tool ima-list write "$T_TMP/small" --template ima-sig /bin/sh "!/etc/hostname" /etc/hostname ||
	fail "ima-list write small"
list=$T_TMP/small/binary_runtime_measurements
layout=$(tool ima-list read "$list") || fail "read back: $layout"
size=$(wc -c <"$list")
in_range() # OFFSET KIND: which part OFFSET is in ("name" or "violation data")
{
	printf '%s\n' "$layout" | while read -r word start _ name _ data _ end what; do
		[ "$word" = entry ] || continue
		[ "$1" -ge "$name" ] && [ "$1" -lt "$((data - 4))" ] && echo name
		[ "$what" = violation ] && [ "$1" -ge "$data" ] && [ "$1" -lt "$end" ] &&
			echo "violation data"
		: "$start"
	done
}
offset=0
while [ "$offset" -lt "$size" ]; do
	cp "$list" "$T_TMP/changed"
	byte=$(od -An -tu1 -j"$offset" -N1 "$list" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the escaped byte
	printf "$(printf '\\%03o' $((byte ^ 1)))" |
		dd of="$T_TMP/changed" bs=1 seek="$offset" conv=notrunc 2>/dev/null
	if evm --ignore-violations --pcrs "sha1,$T_TMP/small/pcrs-sha1" "$T_TMP/changed" &&
		evm --ignore-violations --pcrs "sha256,$T_TMP/small/pcrs-sha256" "$T_TMP/changed"; then
		case $(in_range "$offset") in
		name)
			out=$(tool ima-list read "$T_TMP/changed" 2>&1) &&
				fail "byte $offset (template name) changed: canister's reader accepted it"
			expect_match "$out" "entry [0-9]+ at offset [0-9]+: template .* is not ima-ng or ima-sig" \
				"reader's refusal of a changed template name"
			;;
		"violation data") ;;
		*) fail "evmctl accepted the list with byte $offset changed: $(cat "$T_TMP/evmctl.out")" ;;
		esac
	fi
	offset=$((offset + 1))
done

# 5. A truncated list is refused by the reader, naming the entry and its offset.
last=$(printf '%s\n' "$layout" | sed -n 's/^entry \([0-9]*\) .*/\1/p' | tail -n 1)
head -c $((size - 7)) "$list" >"$T_TMP/cut"
out=$(tool ima-list read "$T_TMP/cut" 2>&1) && fail "a truncated list was read back"
expect_eq "$out" "ima-list: binary measurement list: entry 4 at offset $last: truncated: template data of $((size - last - 4 - 20 - 4 - 7 - 4)) bytes, $((size - last - 4 - 20 - 4 - 7 - 4 - 7)) left" \
	"truncated list refusal"
exit 0
