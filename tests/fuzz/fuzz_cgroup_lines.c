// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister libFuzzer harness: the lines canister run reads to find its
 * cgroups, /proc/self/cgroup's (v1 and v2) and mountinfo's superblock options.
 */
#include "lib/cgroup1.h"
#include "lib/cgroup2.h"
#include "lib/mountinfo.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct canister_cgroup1 one;
	static char text[8192], options[512], path[4096];
	int r;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';

	/* A v1 line: refused with one of the documented errors, or a path that is one. */
	r = canister_cgroup1_line(text, &one);
	if (r != 0 && r != -ENOENT && r != -EINVAL && r != -ENAMETOOLONG)
		abort();
	if (r == 0 &&
	    (one.path[0] != '/' || strstr(one.path, "/..") || strchr(one.path, '\n') || one.dir[0]))
		abort();
	/* Its controllers name the mount they are read from, and no mount names nothing. */
	if (r == 0 && one.controllers[0] && strchr(one.controllers, ',') == NULL &&
	    !canister_cgroup1_mounts(one.controllers, one.controllers))
		abort();
	if (canister_cgroup1_mounts("", text))
		abort();
	(void)canister_cgroup1_mounts(text, "rw,cpu,cpuacct,name=systemd");

	/* The whole text as a table: its count within room, none on a refusal. */
	{
		static struct canister_cgroup1 list[4];
		size_t count = 99;

		r = canister_cgroup1_lines(text, list, 4, &count);
		if (r != 0 && r != -EINVAL && r != -ENAMETOOLONG && r != -E2BIG)
			abort();
		if (count > 4 || (r != 0 && count != 0))
			abort();
	}

	/* The v2 line of the same text. */
	r = canister_cgroup2_proc_path(text, path, sizeof(path));
	if (r != 0 && r != -ENOENT && r != -EINVAL && r != -ENAMETOOLONG)
		abort();
	if (r == 0 && (path[0] != '/' || strstr(path, "/..")))
		abort();

	/* As a mountinfo line: the last field, one word. */
	r = mountinfo_super_options(text, options, sizeof(options));
	if (r != 0 && r != -EPROTO && r != -ENAMETOOLONG)
		abort();
	if (r == 0 && (!options[0] || strpbrk(options, " \n")))
		abort();
	return 0;
}
