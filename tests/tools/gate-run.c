// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test tool: runs canisterd's file gate (integrity/gate.c) on its own, with a
 * stand-in for labels (a process whose name is "cnN-..." is in container N)
 * and a judge whose delays and verdicts the test chooses.
 */
#include "integrity/gate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	unsigned int judge_sleep_ms;
	uint64_t sleep_only; /* judge_sleep_ms for this container's events alone; 0: everyone's */
	const char *judge_open; /* a file the judge opens first, as canisterd opens its own */
	const char *deny_name;	/* a file name the judge denies */
} opt;

/* "cnN-...": container N; anything else is a host process. */
static bool classify(pid_t pid, uint64_t *ret_contid, void *ctx)
{
	char path[64], comm[32] = "";
	ssize_t len;
	int fd;

	(void)ctx;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	len = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (len < 4 || strncmp(comm, "cn", 2) || comm[2] < '1' || comm[2] > '9' || comm[3] != '-')
		return false;
	*ret_contid = (uint64_t)(comm[2] - '0');
	return true;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Reads the whole file, as a measurement would, then gives the verdict the test chose. */
static bool judge(const struct gate_event *event, void *ctx)
{
	char buf[65536], link[64], name[4096];
	ssize_t got, len;
	off_t off = 0;
	const char *base;

	(void)ctx;
	if (opt.judge_open) {
		int fd = open(opt.judge_open, O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	if (opt.judge_sleep_ms && (!opt.sleep_only || event->contid == opt.sleep_only))
		sleep_ms(opt.judge_sleep_ms);
	while ((got = pread(event->fd, buf, sizeof(buf), off)) > 0)
		off += got;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", event->fd);
	len = readlink(link, name, sizeof(name) - 1);
	name[len > 0 ? len : 0] = '\0';
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	printf("judged pid %d container %llu %s (%lld bytes)\n", (int)event->pid,
	       (unsigned long long)event->contid, name, (long long)off);
	fflush(stdout);
	return !opt.deny_name || strcmp(base, opt.deny_name) != 0;
}

static void write_stats(const char *path)
{
	struct gate_stats s;
	char next[4096];
	FILE *f;

	gate_stats(&s);
	snprintf(next, sizeof(next), "%s.next", path);
	f = fopen(next, "we");
	if (!f)
		return;
	fprintf(f,
		"events=%llu own=%llu host=%llu judged=%llu denied=%llu busy=%llu late=%llu "
		"stuck=%llu marks=%llu write_fail=%llu\n",
		(unsigned long long)s.events, (unsigned long long)s.own, (unsigned long long)s.host,
		(unsigned long long)s.judged, (unsigned long long)s.denied,
		(unsigned long long)s.busy, (unsigned long long)s.late, (unsigned long long)s.stuck,
		(unsigned long long)s.marks, (unsigned long long)s.write_fail);
	fclose(f);
	rename(next, path);
}

static void usage(void)
{
	fprintf(stderr, "usage: gate-run [--fail-closed] [--file-check] [--deadline MS] "
			"[--workers N] [--pending N] [--per-container N] [--judge-sleep MS] "
			"[--sleep-only CONTAINER] [--judge-open FILE] [--deny NAME] STATS PATH...\n"
			"  STATS is rewritten on SIGUSR1 and at exit; PATH's filesystems are "
			"watched; \"ready\" on stdout once they are\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct gate_config config = { .workers = 2,
				      .pending_max = 64,
				      .container_max = 16,
				      .deadline_ms = 2000,
				      .classify = classify,
				      .judge = judge };
	const char *stats;
	char why[256];
	sigset_t set;
	int i, sig;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--fail-closed"))
			config.fail_closed = true;
		else if (!strcmp(arg, "--file-check"))
			config.file_check = true;
		else if (i + 1 >= argc)
			usage();
		else if (!strcmp(arg, "--deadline"))
			config.deadline_ms = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(arg, "--workers"))
			config.workers = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(arg, "--pending"))
			config.pending_max = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(arg, "--per-container"))
			config.container_max = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(arg, "--judge-sleep"))
			opt.judge_sleep_ms = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(arg, "--sleep-only"))
			opt.sleep_only = (uint64_t)atoi(argv[++i]);
		else if (!strcmp(arg, "--judge-open"))
			opt.judge_open = argv[++i];
		else if (!strcmp(arg, "--deny"))
			opt.deny_name = argv[++i];
		else
			usage();
	}
	if (argc - i < 2)
		usage();
	/* As canisterd: one judge is always left for another container. */
	config.container_judges = config.workers > 1 ? config.workers - 1 : 1;
	stats = argv[i++];
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (gate_start(&config, why, sizeof(why)) < 0) {
		fprintf(stderr, "gate-run: %s\n", why);
		return 1;
	}
	for (; i < argc; i++) {
		if (gate_mark(argv[i], why, sizeof(why)) < 0) {
			fprintf(stderr, "gate-run: %s\n", why);
			gate_stop();
			return 1;
		}
	}
	write_stats(stats);
	printf("ready\n");
	fflush(stdout);
	while (sigwait(&set, &sig) == 0 && sig == SIGUSR1)
		write_stats(stats);
	gate_stop();
	write_stats(stats);
	return 0;
}
