#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# canister: made the certificates and evmctl signatures in this folder (openssl 3.0, evmctl 1.4); kept for the record.
#
# Private keys are made in a temporary folder and thrown away: the unit tests
# need only the certificates and what evmctl signed with them.  `evmctl
# ima_sign --sigfile` writes FILE.sig, the bytes it would put in security.ima.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cert() # NAME KEYSPEC [openssl req options]
{
	name=$1 spec=$2
	shift 2
	openssl req -x509 -newkey "$spec" -nodes -keyout "$name.key" -out "$here/$name.pem" \
		-days 36500 -subj "/CN=canister test $name" "$@" 2>/dev/null
}
cert rsa rsa:2048
cert ec256 ec -pkeyopt ec_paramgen_curve:P-256
cert ec384 ec -pkeyopt ec_paramgen_curve:P-384
cert noskid rsa:2048 -addext subjectKeyIdentifier=none -addext authorityKeyIdentifier=none
cert customskid rsa:2048 -addext subjectKeyIdentifier=0102030405060708
cert shortskid rsa:2048 -addext subjectKeyIdentifier=0102
cert rsa1024 rsa:1024
cert p521 ec -pkeyopt ec_paramgen_curve:P-521
cert ed25519 ed25519
cert certsign rsa:2048 -addext keyUsage=critical,keyCertSign
openssl x509 -in "$here/rsa.pem" -outform DER -out "$here/rsa.der"
cat "$here/rsa.pem" "$here/ec256.pem" >"$here/two.pem"

printf 'a file canister appraises\n' >"$here/content"
cp "$here/content" content
for k in rsa ec256 ec384; do
	for a in sha256 sha512; do
		evmctl ima_sign --sigfile --key "$k.key" -a "$a" content >/dev/null
		mv content.sig "$here/content.$k-$a.sig"
	done
done
