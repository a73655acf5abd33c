# SPDX-License-Identifier: GPL-2.0-only
# canister: canister's appraisal verdict equals stock evmctl's (ima_verify) on a matrix of files signed and hashed by evmctl.
#
# No daemon: tests/tools/ima-appraise judges files through the code canisterd
# will use (ima_xattr.c, ima_keys.c, ima_verify*.c).  evmctl 1.4 signs with
# `ima_sign --key` and writes security.ima itself; its ima_verify takes DER
# certificates only, canister takes the PEM (and the DER: unit tests).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v evmctl >/dev/null || fail "evmctl is missing: install the Debian package ima-evm-utils"
command -v openssl >/dev/null || fail "openssl is missing"

K=$T_TMP/keys
F=$T_TMP/files
mkdir -p "$K" "$F"

# Security xattrs must stay on this filesystem, or there is nothing to judge.
printf x >"$F/probe"
setfattr -n security.ima -v 0x0404 "$F/probe" 2>/dev/null ||
	fail "$F: the filesystem keeps no security.ima (TMPDIR on a filesystem with security xattrs)"
rm -f "$F/probe"

# key NAME KEYSPEC [openssl req options]: NAME.key, NAME.pem, NAME.der in $K.
key() { ima_cert "$K" "$@"; }
key rsa rsa:2048
key ec ec -pkeyopt ec_paramgen_curve:P-256
key other rsa:2048
key noskid rsa:2048 -addext subjectKeyIdentifier=none -addext authorityKeyIdentifier=none
key customskid rsa:2048 -addext subjectKeyIdentifier=0102030405060708

# sign FILE KEY ALGO [evmctl options] (sh has no locals: its names are its own)
sign()
{
	sign_file=$1 sign_key=$2 sign_algo=$3
	shift 3
	evmctl ima_sign --key "$K/$sign_key.key" -a "$sign_algo" "$@" "$sign_file" \
		>"$T_TMP/evmctl.out" 2>&1 || fail "evmctl ima_sign $sign_file: $(cat "$T_TMP/evmctl.out")"
}
# xattr FILE: security.ima in hex, 0x first.
xattr() { getfattr -e hex -n security.ima "$1" 2>/dev/null | sed -n 's/^security.ima=//p'; }
new() { printf 'content of %s\n' "$1" >"$F/$1"; }
# The key id canister gives a certificate: "c396a61b skid RSA 2048".
keyid() { tool ima-appraise keyid "$K/$1.pem" | cut -d' ' -f1; }

# The matrix, per signing key and algorithm: NAME EXPECTED-REASON.
matrix=
add() { matrix="$matrix $1:$2"; }
for k in rsa ec; do
	for a in sha256 sha512; do
		p=$k-$a
		new "$p-good" && sign "$F/$p-good" "$k" "$a"
		add "$p-good" signed
		# Another container's key, unknown to this ring.
		new "$p-other-key" && sign "$F/$p-other-key" other "$a"
		add "$p-other-key" unknown-key
		# Signed by another key under this key's id: the key found cannot verify it.
		new "$p-wrong-key" && sign "$F/$p-wrong-key" other "$a" --keyid "$(keyid "$k")"
		add "$p-wrong-key" invalid-signature
		# One bit of the signature flipped.
		new "$p-corrupt" && sign "$F/$p-corrupt" "$k" "$a"
		v=$(xattr "$F/$p-corrupt")
		[ -n "$v" ] || fail "no security.ima on $p-corrupt"
		last=$(printf '%s' "$v" | tail -c 2)
		setfattr -n security.ima \
			-v "$(printf '%s' "$v" | head -c $((${#v} - 2)))$(printf '%02x' $((0x$last ^ 1)))" \
			"$F/$p-corrupt" || fail "setfattr $p-corrupt"
		add "$p-corrupt" invalid-signature
		# Changed after signing.
		new "$p-changed" && sign "$F/$p-changed" "$k" "$a"
		printf 'x' >>"$F/$p-changed"
		add "$p-changed" invalid-signature
	done
done
new hash-right && evmctl ima_hash -a sha256 "$F/hash-right" >/dev/null 2>&1 || fail "ima_hash"
new hash-wrong && evmctl ima_hash -a sha256 "$F/hash-wrong" >/dev/null 2>&1 || fail "ima_hash"
printf 'x' >>"$F/hash-wrong"
new hash-sha1 && evmctl ima_hash -a sha1 "$F/hash-sha1" >/dev/null 2>&1 || fail "ima_hash sha1"
new none
add hash-right signature-required
add hash-wrong signature-required
add hash-sha1 signature-required
add none no-xattr

# 1. Every file: the same verdict from evmctl and canister with the same two
# certificates (rsa and ec), and canister's reason as expected.
passed=0
failed=0
for entry in $matrix; do
	name=${entry%%:*} reason=${entry#*:}
	evmctl ima_verify --key "$K/rsa.der,$K/ec.der" "$F/$name" >"$T_TMP/evmctl.out" 2>&1
	evm=$?
	out=$(tool ima-appraise verify --imasig --key "$K/rsa.pem,$K/ec.pem" "$F/$name")
	ours=$?
	[ "$ours" -le 1 ] || fail "ima-appraise could not judge $name: $out"
	[ "$evm" -eq 0 ] && [ "$ours" -ne 0 ] &&
		fail "$name: evmctl passes it, canister does not: $out"
	[ "$evm" -ne 0 ] && [ "$ours" -eq 0 ] &&
		fail "$name: canister passes it, evmctl does not ($(cat "$T_TMP/evmctl.out")): $out"
	expect_match "$out" "^$F/$name: (pass|fail) $reason: " "canister's reason for $name"
	if [ "$ours" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
# Four good signatures pass; everything else fails, in both judges.
expect_eq "$passed $failed" "4 20" "files passed and failed"

# 2. Hash values, where the policy takes them (appraise without imasig): the
# right digest passes, a changed file fails.  evmctl never takes a hash
# value, so sha256sum is the judge here.
expect_eq "$(xattr "$F/hash-right")" \
	"0x0404$(sha256sum <"$F/hash-right" | cut -d' ' -f1)" "evmctl's hash value is the sha256 of the file"
out=$(tool ima-appraise verify --key "$K/rsa.pem" "$F/hash-right" "$F/hash-sha1" "$F/rsa-sha256-good")
expect_eq "$?" 0 "hash values and a signature pass without imasig: $out"
out=$(tool ima-appraise verify --key "$K/rsa.pem" "$F/hash-wrong")
expect_eq "$?" 1 "a changed file's hash value fails"
expect_match "$out" "fail invalid-hash: the sha256 hash value is not the file's digest$" "hash-wrong"

# 3. Signed again after a change: passes again, for both.
sign "$F/rsa-sha256-changed" rsa sha256
evmctl ima_verify --key "$K/rsa.der" "$F/rsa-sha256-changed" >/dev/null 2>&1 ||
	fail "evmctl refuses the file signed again"
tool ima-appraise verify --imasig --key "$K/rsa.pem" "$F/rsa-sha256-changed" >/dev/null ||
	fail "canister refuses the file signed again"

# 4. Key ids.  With the default SKID (sha1 of the public key) the kernel,
# evmctl and canister agree: evmctl lists the id it computed.
evmctl ima_verify --key "$K/rsa.der" "$F/rsa-sha256-good" >"$T_TMP/evmctl.out" 2>&1
# evmctl prints the id as %x: no leading zeros (one key in 16 has one).
expect_match "$(cat "$T_TMP/evmctl.out")" "key 1: $(printf %x "0x$(keyid rsa)") " "evmctl's key id of rsa"
expect_eq "$(tool ima-appraise keyid "$K/rsa.pem" | cut -d' ' -f2-)" "skid RSA 2048" "rsa's id source"
expect_eq "$(tool ima-appraise keyid "$K/ec.pem" | cut -d' ' -f2-)" "skid ECDSA P-256" "ec's id source"
# No SKID: canister takes evmctl's id (sha1 of the public key); both pass.
new noskid && sign "$F/noskid" noskid sha256
evmctl ima_verify --key "$K/noskid.der" "$F/noskid" >/dev/null 2>&1 || fail "evmctl refuses noskid"
out=$(tool ima-appraise verify --imasig --key "$K/noskid.pem" "$F/noskid") ||
	fail "canister refuses a signature by a certificate without SKID: $out"
expect_match "$(tool ima-appraise keyid "$K/noskid.pem")" "^[0-9a-f]{8} public-key RSA 2048$" "noskid"
# A SKID that is not the public key's sha1: canister follows the kernel, which
# looks the key up by its SKID; evmctl 1.4's ima_verify computes the id from
# the public key.  They disagree, each way, as designed (docs/integrity.md).
expect_eq "$(keyid customskid)" 05060708 "the id of a custom SKID is its last 4 bytes"
new custom-evm && sign "$F/custom-evm" customskid sha256
new custom-kernel && sign "$F/custom-kernel" customskid sha256 --keyid-from-cert "$K/customskid.der"
evmctl ima_verify --key "$K/customskid.der" "$F/custom-evm" >/dev/null 2>&1 ||
	fail "evmctl refuses what it signed with its own key id"
evmctl ima_verify --key "$K/customskid.der" "$F/custom-kernel" >/dev/null 2>&1 &&
	fail "evmctl 1.4 now finds keys by SKID: canister and evmctl agree on custom SKIDs; update docs/integrity.md"
out=$(tool ima-appraise verify --imasig --key "$K/customskid.pem" "$F/custom-kernel") ||
	fail "canister refuses a signature under the SKID's id: $out"
out=$(tool ima-appraise verify --imasig --key "$K/customskid.pem" "$F/custom-evm")
expect_eq "$?" 1 "a signature under an id that is not the SKID's fails: $out"
expect_match "$out" "fail unknown-key: " "custom-evm"

# 5. Certificate files that are refused, with the reason a user reads.
ln -s "$K/rsa.pem" "$K/link.pem"
out=$(tool ima-appraise keyid "$K/link.pem" 2>&1) && fail "a symlinked certificate was taken"
expect_eq "$out" "ima-appraise: $K/link.pem: refused: a symlink (name the certificate file itself)" "symlink"
cp "$K/rsa.pem" "$K/open.pem" && chmod 0666 "$K/open.pem"
out=$(tool ima-appraise keyid "$K/open.pem" 2>&1) && fail "a world-writable certificate was taken"
expect_match "$out" "open.pem: refused: must be owned by uid 0 and not writable by group or others \(owner 0, mode 0666\)$" "mode"
chmod 0600 "$K/rsa.key"
out=$(tool ima-appraise keyid "$K/rsa.key" 2>&1) && fail "a private key was taken as a certificate"
expect_match "$out" "a PEM \"PRIVATE KEY\", not a CERTIFICATE" "private key"
exit 0
