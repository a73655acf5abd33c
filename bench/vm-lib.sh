# SPDX-License-Identifier: GPL-2.0-only
# canister: what the VM benches share (sourced by bench/access-vm and bench/model-vm): the guest's initramfs, one boot of Debian's kernel under qemu, its results checked, medians and ratios.
#
# The host kernel refuses lsm/ programs, so these benches run in the guest the
# VM test layer uses (the kernel cached in .cache/vm by tests/vm/run; nothing is
# downloaded).  A bench calls vm_bench_init, links its loops (vm_bench_link),
# writes its guest /init into $rootfs/init (which sources /bench.sh:
# bench/vm-guest.sh), boots (vm_bench_boot) and reads $tmp/r.  Root is not needed.
#
# BENCH_ICOUNT=1: the guest's clock counts emulated instructions (qemu -icount
# shift=0: one nanosecond each), so that the host's other work no longer shows
# in the figures; they are then instructions, not time.
#
# Sourced by bash.  Environment: CANISTER_STATIC_DIR (canisterd and canister, default
# build/static), CANISTER_VM_KERNEL (a vmlinuz; unix_diag-VERSION.ko beside it
# is loaded too), CANISTER_VM_TIMEOUT (seconds before qemu is killed).

# shellcheck shell=bash disable=SC2034 # sets variables for the bench that sources it
die()
{
	echo "$vm_bench_name: $*" >&2
	exit 1
}

# vm_bench_init NAME: checks the tools, the static binaries and the kernel; makes $tmp
# (removed at exit) and $rootfs: busybox and its applets, canisterd, canister, unix_diag,
# /bench.sh.
vm_bench_init()
{
	vm_bench_name=$1
	root=$PWD
	static_dir=${CANISTER_STATIC_DIR:-$root/build/static}
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (Debian: qemu-system-x86)"
	for bin in canisterd canister; do
		[ -x "$static_dir/$bin" ] || die "$static_dir/$bin is missing: run make static"
	done
	kernel=${CANISTER_VM_KERNEL:-$(printf '%s\n' "$root"/.cache/vm/vmlinuz-* | grep -v '\*$' | sort -V | tail -n 1)}
	[ -r "$kernel" ] || die "no kernel in .cache/vm: run tests/vm/run once (it fetches Debian's), or set CANISTER_VM_KERNEL"
	local module
	module=$(dirname "$kernel")/unix_diag-$(basename "$kernel" | sed 's/^vmlinuz-//').ko

	tmp=$(mktemp -d "/tmp/canister-$vm_bench_name.XXXXXX") || exit 1
	# shellcheck disable=SC2064 # $tmp is fixed now
	trap "rm -rf '$tmp'" EXIT
	rootfs=$tmp/rootfs
	mkdir -p "$rootfs"/{bin,dev,proc,sys,tmp,run,m,lib/modules} || die "cannot make $rootfs"
	cp /bin/busybox "$rootfs/bin/busybox" || die "cannot copy /bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
	done
	install -m 0755 "$static_dir/canisterd" "$static_dir/canister" "$rootfs/bin/" || die "cannot copy canisterd"
	install -m 0644 bench/vm-guest.sh "$rootfs/bench.sh" || die "cannot copy bench/vm-guest.sh"
	[ ! -s "$module" ] || install -m 0644 "$module" "$rootfs/lib/modules/unix_diag.ko" || die "cannot copy $module"
}

# vm_bench_link LOOP...: bench/LOOP.c, linked statically, as /bin/LOOP in the guest.
vm_bench_link()
{
	local loop
	for loop in "$@"; do
		gcc -O2 -static -Wall -Werror -o "$rootfs/bin/$loop" "bench/$loop.c" ||
			die "cannot link bench/$loop.c statically"
	done
}

# vm_bench_boot TIMEOUT NAME=VALUE...: packs $rootfs, boots it once (the guest's /init gets
# each NAME=VALUE in its environment), and leaves its results in $tmp/r; dies, with the
# console's end, when the guest did not finish or reported an error.  Sets vm_clock,
# vm_seconds, vm_load_start and vm_load_end for the bench's header.
vm_bench_boot()
{
	local vm_timeout=${CANISTER_VM_TIMEOUT:-$1} start
	shift
	[ -x "$rootfs/init" ] || die "no guest /init"
	(cd "$rootfs" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$tmp/initrd.gz") ||
		die "cannot build the initramfs"
	local icount=()
	[ "${BENCH_ICOUNT:-0}" = 1 ] && icount=(-icount shift=0)
	vm_clock="qemu TCG${icount[*]:+ ${icount[*]}} (figures are $([ ${#icount[@]} -gt 0 ] && echo "emulated instructions" || echo "ns"))"
	vm_load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	start=$SECONDS
	timeout -k 5 "$vm_timeout" qemu-system-x86_64 -accel tcg "${icount[@]}" -cpu max -smp 1 -m 1024 \
		-nographic -no-reboot -monitor none -nic none \
		-serial "file:$tmp/console" -serial "file:$tmp/results" \
		-kernel "$kernel" -initrd "$tmp/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet $*" \
		</dev/null >"$tmp/qemu" 2>&1
	local qrc=$?
	vm_seconds=$((SECONDS - start))
	vm_load_end=$(cut -d' ' -f1-3 /proc/loadavg)
	tr -d '\r' <"$tmp/results" >"$tmp/r" 2>/dev/null
	if ! grep -q '^END' "$tmp/r" || grep -q '^error' "$tmp/r"; then
		tr -d '\r' <"$tmp/console" | tail -n 30 >&2
		tail -n 5 "$tmp/qemu" >&2
		cat "$tmp/r" >&2
		if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
			die "the guest did not finish within ${vm_timeout} s (CANISTER_VM_TIMEOUT)"
		fi
		die "the guest did not finish the bench (its results and console above)"
	fi
}

# vm_bench_figures SIDE LOOP: the figures the guest reported for LOOP on SIDE, one a line.
vm_bench_figures() { awk -v s="$1" -v l="$2" '$1 == s && $2 == l { print $3 }' "$tmp/r"; }
vm_bench_median() { vm_bench_figures "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
# The least of the rounds: a round the host's other work preempted (TCG runs on one host
# thread) only ever comes out slower, so without BENCH_ICOUNT the least is the side's own cost.
vm_bench_least() { vm_bench_figures "$@" | sort -n | head -n 1 | grep . || echo -; }
vm_bench_all() { vm_bench_figures "$@" | tr '\n' ' '; }
# vm_bench_spread SIDE LOOP: (largest - least) / median of the rounds, in percent.
vm_bench_spread()
{
	vm_bench_figures "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR) printf "%.1f%%", 100 * (v[NR] - v[1]) / v[int((NR + 1) / 2)]; else print "-" }'
}
vm_bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3f", a / b }'; }
