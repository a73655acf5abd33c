// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark helper for bench/audit-throughput and bench/audit-filters: an
 * audit storm that times itself until its last event is in the log.
 *
 * Issues N sysfs(2) calls (a syscall nothing else on a modern system makes,
 * so the storm's rule catches nothing but the storm), then reads LOG from
 * where it ended when the storm began and counts the SYSCALL records of this
 * process that carry key="KEY".  With CONTID it also checks the CONTAINER_ID
 * record that canisterd writes right after each event's records: same stamp,
 * "contid=CONTID".  The time runs from just before the first syscall until
 * the line that completes the count has been read, so it covers the kernel,
 * the audit daemon's decoding, attribution and formatting, and the write.
 *
 * With AUDITSTORM_COUNT_FILE set, LOG is not read: the storm waits until that
 * file (written by bench/auditnull.c, which keeps no log) counts N more of
 * its events than when the storm began.
 *
 * Prints one line:
 *   events=E attributed=A misattributed=W unattributed=U issue_seconds=I
 *   seconds=S rate=R
 * and exits 0 when all N events (and, with CONTID, N right CONTAINER_ID
 * records) arrived, 3 when the log stopped growing for IDLE seconds first
 * (events lost or left out: the line then says how many came), 1 on an error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The kernel's records stay under 9 KiB; a line longer than this is not ours. */
#define LINE_MAX_BYTES (64 * 1024)
#define STAMP_MAX 64

struct tally {
	long events, attributed, misattributed, unattributed;
	char syscall_needle[64]; /* " pid=1234 " */
	char key_needle[300];	 /* " key=\"KEY\"" */
	char contid_tail[48];	 /* " contid=CONTID" at the end of the line */
	bool want_contid;
	/* Stamp of our last SYSCALL record whose CONTAINER_ID has not come yet. */
	char pending[STAMP_MAX];
};

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The "msg=audit(SECONDS.MMM:SERIAL)" of a record, or false. */
static bool stamp_of(const char *line, char *stamp)
{
	const char *start = strstr(line, " msg=audit(");
	const char *end = start ? strchr(start, ')') : NULL;

	if (!end || (size_t)(end - start) >= STAMP_MAX)
		return false;
	memcpy(stamp, start, (size_t)(end - start));
	stamp[end - start] = '\0';
	return true;
}

static void count_line(struct tally *t, const char *line, size_t len)
{
	char stamp[STAMP_MAX];

	if (strncmp(line, "type=SYSCALL ", 13) == 0) {
		if (!strstr(line, t->syscall_needle) || !strstr(line, t->key_needle))
			return;
		t->events++;
		if (!t->want_contid)
			return;
		/* The previous event of ours is complete without its CONTAINER_ID. */
		if (t->pending[0])
			t->unattributed++;
		if (!stamp_of(line, t->pending))
			t->pending[0] = '\0';
		return;
	}
	if (!t->want_contid || !t->pending[0] || strncmp(line, "type=CONTAINER_ID ", 18) != 0)
		return;
	if (!stamp_of(line, stamp) || strcmp(stamp, t->pending) != 0)
		return;
	size_t tail = strlen(t->contid_tail);

	if (len >= tail && memcmp(line + len - tail, t->contid_tail, tail) == 0)
		t->attributed++;
	else
		t->misattributed++;
	t->pending[0] = '\0';
}

static bool complete(const struct tally *t, long n)
{
	return t->events >= n && (!t->want_contid || t->attributed + t->misattributed >= n);
}

static long read_count(int fd)
{
	char line[32] = "";
	ssize_t got = pread(fd, line, sizeof(line) - 1, 0);

	return got > 0 ? atol(line) : -1;
}

static void storm(long n)
{
	for (long i = 0; i < n; i++)
		if (syscall(SYS_sysfs, 3) < 0 && errno != ENOSYS) {
			fprintf(stderr, "auditstorm: sysfs: %s\n", strerror(errno));
			exit(1);
		}
}

/* The ceiling's storm: auditnull counts what arrives; its file says when all did. */
static int count_file_storm(const char *path, long n, double idle)
{
	const struct timespec poll_interval = { .tv_nsec = 1000 * 1000 };
	struct timespec start, issued, last_growth, now;
	long before, seen = 0, last = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || (before = read_count(fd)) < 0) {
		fprintf(stderr, "auditstorm: %s: cannot read a count\n", path);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	storm(n);
	clock_gettime(CLOCK_MONOTONIC, &issued);
	last_growth = issued;
	now = issued;
	while (seen < n) {
		long count = read_count(fd);

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (count > last) {
			last = count;
			last_growth = now;
		} else if (seconds_between(&last_growth, &now) > idle) {
			break;
		}
		seen = count - before;
		if (seen < n)
			nanosleep(&poll_interval, NULL);
	}
	printf("events=%ld attributed=0 misattributed=0 unattributed=0 issue_seconds=%.3f "
	       "seconds=%.3f rate=%.0f\n",
	       seen, seconds_between(&start, &issued), seconds_between(&start, &now),
	       seen >= n ? (double)n / seconds_between(&start, &now) : 0.0);
	return seen >= n ? 0 : 3;
}

int main(int argc, char **argv)
{
	const struct timespec poll_interval = { .tv_nsec = 1000 * 1000 };
	struct timespec start, issued, done, last_growth, now;
	static char buf[LINE_MAX_BYTES + 1];
	struct tally t = { 0 };
	long n = argc >= 4 ? atol(argv[1]) : 0;
	double idle = getenv("AUDITSTORM_IDLE") ? atof(getenv("AUDITSTORM_IDLE")) : 10.0;
	size_t used = 0;
	int fd;

	if (n <= 0 || argc > 5 || idle <= 0) {
		fprintf(stderr, "usage: auditstorm N LOG KEY [CONTID]\n");
		return 2;
	}
	snprintf(t.syscall_needle, sizeof(t.syscall_needle), " pid=%d ", (int)getpid());
	snprintf(t.key_needle, sizeof(t.key_needle), " key=\"%s\"", argv[3]);
	if (argc == 5) {
		t.want_contid = true;
		snprintf(t.contid_tail, sizeof(t.contid_tail), " contid=%s", argv[4]);
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || lseek(fd, 0, SEEK_END) < 0) {
		fprintf(stderr, "auditstorm: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}

	if (getenv("AUDITSTORM_COUNT_FILE"))
		return count_file_storm(getenv("AUDITSTORM_COUNT_FILE"), n, idle);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < n; i++) {
		/* sysfs(3): the number of filesystem types; harmless, and audited. */
		if (syscall(SYS_sysfs, 3) < 0 && errno != ENOSYS) {
			fprintf(stderr, "auditstorm: sysfs: %s\n", strerror(errno));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &issued);

	last_growth = issued;
	done = issued;
	while (!complete(&t, n)) {
		ssize_t got = read(fd, buf + used, LINE_MAX_BYTES - used);
		char *line, *newline;

		if (got < 0) {
			fprintf(stderr, "auditstorm: reading %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (got == 0) {
			if (seconds_between(&last_growth, &now) > idle)
				break;
			nanosleep(&poll_interval, NULL);
			continue;
		}
		last_growth = now;
		used += (size_t)got;
		buf[used] = '\0';
		line = buf;
		while ((newline = memchr(line, '\n', used - (size_t)(line - buf)))) {
			*newline = '\0';
			count_line(&t, line, (size_t)(newline - line));
			line = newline + 1;
		}
		/* Keep the part line; a line that fills the buffer is dropped whole. */
		used -= (size_t)(line - buf);
		if (used == LINE_MAX_BYTES)
			used = 0;
		memmove(buf, line, used);
		done = now;
	}
	if (t.want_contid && t.pending[0] && !complete(&t, n))
		t.unattributed++;

	double total = seconds_between(&start, &done);

	printf("events=%ld attributed=%ld misattributed=%ld unattributed=%ld issue_seconds=%.3f "
	       "seconds=%.3f rate=%.0f\n",
	       t.events, t.attributed, t.misattributed, t.unattributed,
	       seconds_between(&start, &issued), total, complete(&t, n) ? (double)n / total : 0.0);
	return complete(&t, n) ? 0 : 3;
}
