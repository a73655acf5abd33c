// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: prints one __u64 slot of a pinned BPF array map, a counter a case watches move. */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bpf-array-read PINNED-PATH SLOT prints the slot's value in decimal. */
int main(int argc, char **argv)
{
	__u64 value = 0;
	__u32 slot;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: bpf-array-read PINNED-PATH SLOT\n");
		return 2;
	}
	slot = (__u32)strtoul(argv[2], NULL, 10);
	fd = bpf_obj_get(argv[1]);
	if (fd < 0 || bpf_map_lookup_elem(fd, &slot, &value) < 0) {
		fprintf(stderr, "bpf-array-read: %s slot %u: %s\n", argv[1], slot, strerror(errno));
		return 1;
	}
	printf("%llu\n", (unsigned long long)value);
	return 0;
}
