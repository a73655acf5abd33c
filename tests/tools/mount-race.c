// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `mount-race DIR NAME TRIES`: the attack on a mount
 * point read from the caller's memory (docs/model.md, "Capability use,
 * setid and mounts").  In a private mount namespace of its own (as
 * model-cred's `mount DIR`), one thread mounts a tmpfs TRIES times on the
 * string in a buffer, while a second thread flips one byte of that buffer
 * in a loop: when it is NUL the string is DIR (the learned mount point),
 * otherwise a path of about 4,000 bytes that resolves to DIR/NAME (another
 * mount point; its length makes the kernel's walk, the window between its
 * copy of the string and the LSM hook, long).  A mount that lands on DIR
 * is undone and the next try made.  Prints "mount-race: TRIES tries:
 * N on DIR, M refused (ERRNO...), K on DIR/NAME" and exits 3 at the first
 * that landed on DIR/NAME (the attack worked: the hook judged DIR while
 * the kernel mounted on DIR/NAME), 0 when none did, 2 on a usage or setup
 * error.  TRIES 0 is the learning run: one mount on DIR, undone, no second
 * thread (an enforced model holds this program's exec and that mount).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char target[PATH_MAX];
static size_t flip_at;
static atomic_int done;

/* Flips the byte after DIR between NUL and '/' until told to stop. */
static void *flipper(void *arg)
{
	volatile char *byte = (volatile char *)&target[flip_at];

	(void)arg;
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		*byte = *byte ? '\0' : '/';
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: mount-race DIR NAME TRIES\n");
	return 2;
}

int main(int argc, char **argv)
{
	long tries, on_dir = 0, refused = 0, refused_eperm = 0;
	char other[PATH_MAX], step[NAME_MAX + 8];
	struct stat before, now;
	pthread_t thread;
	int r;

	if (argc != 4)
		return usage();
	tries = strtol(argv[3], NULL, 10);
	if (tries < 0 || strchr(argv[2], '/'))
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((size_t)snprintf(other, sizeof(other), "%s/%s", argv[1], argv[2]) >= sizeof(other) ||
	    stat(other, &before) < 0) {
		fprintf(stderr, "mount-race: %s: %s\n", other, strerror(errno));
		return 2;
	}
	/* DIR, then "/NAME/../NAME" repeated: it resolves to DIR/NAME. */
	flip_at = strlen(argv[1]);
	snprintf(target, sizeof(target), "%s/%s", argv[1], argv[2]);
	snprintf(step, sizeof(step), "/../%s", argv[2]);
	while (strlen(target) + strlen(step) < sizeof(target) - 1)
		strcat(target, step);

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "mount-race: a private mount namespace: %s\n", strerror(errno));
		return 2;
	}
	if (tries == 0) {
		if (mount("tmpfs", argv[1], "tmpfs", 0, NULL) < 0 || umount2(argv[1], 0) < 0) {
			r = errno;
			printf("mount-race: %s: %s\n", argv[1], strerror(r));
			return r;
		}
		printf("mount-race: mounted on %s\n", argv[1]);
		return 0;
	}
	r = pthread_create(&thread, NULL, flipper, NULL);
	if (r) {
		fprintf(stderr, "mount-race: pthread_create: %s\n", strerror(r));
		return 2;
	}
	for (long i = 1; i <= tries; i++) {
		if (mount("tmpfs", target, "tmpfs", 0, NULL) < 0) {
			refused++;
			refused_eperm += errno == EPERM;
			continue;
		}
		/* Mounted: on DIR/NAME if that is now another filesystem (DIR's tmpfs hides it). */
		if (stat(other, &now) == 0 && now.st_dev != before.st_dev) {
			atomic_store(&done, 1);
			pthread_join(thread, NULL);
			printf("mount-race: try %ld mounted on %s\n", i, other);
			return 3;
		}
		on_dir++;
		if (umount2(argv[1], 0) < 0) {
			fprintf(stderr, "mount-race: umount %s: %s\n", argv[1], strerror(errno));
			return 2;
		}
	}
	atomic_store(&done, 1);
	pthread_join(thread, NULL);
	printf("mount-race: %ld tries: %ld on %s, %ld refused (%ld EPERM), 0 on %s\n", tries,
	       on_dir, argv[1], refused, refused_eperm, other);
	return 0;
}
