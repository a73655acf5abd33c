# SPDX-License-Identifier: GPL-2.0-only
# canister: OCI bundles for host cases that drive a real runtime (runc); POSIX sh, sourced after harness.sh.
#
# The rootfs is busybox-static alone: it needs no image, no network and no
# package besides the one the VM layer already uses, and a static binary runs
# whatever the host's libc.  The config starts from `runc spec`, so it follows
# the defaults of the runc we test against, and jq changes only what a
# non-interactive test needs.

: "${OCI_BUSYBOX:=/bin/busybox}"
# Functions keep their variables under ob_ because sh has no locals and the
# sourcing case has its own.

# make_busybox_bundle DIR: an OCI bundle in DIR whose process is `sleep 1000`.
make_busybox_bundle()
{
	ob_dir=$1
	mkdir -p "$ob_dir/rootfs/bin" "$ob_dir/rootfs/proc" "$ob_dir/rootfs/sys" "$ob_dir/rootfs/dev" \
		"$ob_dir/rootfs/tmp" || return 1
	cp "$OCI_BUSYBOX" "$ob_dir/rootfs/bin/busybox" || return 1
	# Links by hand rather than `busybox --install` in a chroot: no chroot needed,
	# and every applet lands in /bin, which is on the spec's default PATH.
	for ob_applet in $("$OCI_BUSYBOX" --list); do
		[ "$ob_applet" = busybox ] || ln -sf busybox "$ob_dir/rootfs/bin/$ob_applet" || return 1
	done
	(cd "$ob_dir" && rm -f config.json && runc spec) || return 1
	# No terminal: runc would then insist on --console-socket.  The root stays
	# read-only as `runc spec` makes it; /tmp is a tmpfs so a case can still
	# leave files inside the container.
	oci_jq "$ob_dir" '.process.terminal = false
		| .process.args = ["sleep", "1000"]
		| .root.readonly = true
		| .mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
			"options": ["nosuid", "nodev", "mode=1777"]}]'
}

# oci_jq DIR FILTER [JQ ARGS...]: rewrites DIR/config.json through a jq filter.
oci_jq()
{
	ob_dir=$1
	ob_filter=$2
	shift 2
	jq "$ob_filter" "$@" <"$ob_dir/config.json" >"$ob_dir/config.json.new" &&
		mv "$ob_dir/config.json.new" "$ob_dir/config.json"
}

# oci_jq_list DIR FILTER [ARG...]: oci_jq with the ARGs as the array $list.  Each
# goes in as the value of an --arg, since jq 1.6 parses options even after --args
# and would take "-c" or "--socket" for its own.
oci_jq_list()
{
	ob_dir=$1
	ob_filter=$2
	shift 2
	ob_n=$#
	ob_i=0
	for ob_arg do
		ob_i=$((ob_i + 1))
		set -- "$@" --arg "p$ob_i" "$ob_arg"
	done
	shift "$ob_n"
	oci_jq "$ob_dir" "[range(1; \$n + 1) as \$i | \$ARGS.named[\"p\\(\$i)\"]] as \$list | $ob_filter" \
		--argjson n "$ob_n" "$@"
}

# bundle_set_args DIR ARG...: the container's process.args.
bundle_set_args()
{
	ob_dir=$1
	shift
	oci_jq_list "$ob_dir" '.process.args = $list' "$@"
}

# bundle_annotate DIR KEY VALUE: an entry in .annotations (values are strings per the spec).
bundle_annotate()
{
	oci_jq "$1" '.annotations[$k] = $v' --arg k "$2" --arg v "$3"
}

# bundle_add_hook DIR STAGE PATH [ARG...]: appends a hook to .hooks.STAGE
# (createRuntime, createContainer, startContainer, poststart, poststop).
# The spec wants args to include argv[0], so PATH is repeated as the first one.
bundle_add_hook()
{
	ob_dir=$1
	shift
	oci_jq_list "$ob_dir" '.hooks[$list[0]] += [{"path": $list[1], "args": $list[1:]}]' "$@"
}

# runc_case: what a runc case needs (runc, the OCI hook), or it fails naming what is missing;
# sets CANISTER_HOOK, RUNC_ROOT, BUNDLE and CID (the case's own), and rn runs runc on that root.
runc_case()
{
	: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
	command -v runc >/dev/null || fail "runc is missing; scripts/install-deps installs it"
	[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"
	RUNC_ROOT=$T_TMP/runc
	BUNDLE=$T_TMP/bundle
	CID=canister-$T_NAME-$$
}
rn() { runc --root "$RUNC_ROOT" "$@"; }
