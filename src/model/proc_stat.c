// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a task's parent and start time from /proc/PID/stat text (pure). */
#include "model/proc_stat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The decimal number @field (@len bytes), at most @max.  Returns 0 or -EPROTO. */
static int number(const char *field, size_t len, uint64_t max, uint64_t *ret)
{
	uint64_t value = 0;

	if (len == 0)
		return -EPROTO;
	for (size_t i = 0; i < len; i++) {
		if (field[i] < '0' || field[i] > '9' ||
		    value > (max - (uint64_t)(field[i] - '0')) / 10)
			return -EPROTO;
		value = value * 10 + (uint64_t)(field[i] - '0');
	}
	*ret = value;
	return 0;
}

/* Field 3 (the state) is the first after the command's last ')'. */
#define FIELD_PPID 4
#define FIELD_START_TIME 22

int model_proc_stat_parse(const char *text, size_t len, pid_t *ret_ppid, uint64_t *ret_start_time)
{
	const char *end = text + len, *at = NULL;
	uint64_t ppid = 0, start_time = 0;
	int field = 3;

	for (const char *p = text; p < end; p++)
		if (*p == ')')
			at = p;
	if (!at || end - at < 2 || at[1] != ' ')
		return -EPROTO;
	at += 2;
	while (field <= FIELD_START_TIME) {
		const char *stop = at;

		while (stop < end && *stop != ' ' && *stop != '\n')
			stop++;
		if (field == FIELD_PPID && number(at, (size_t)(stop - at), INT32_MAX, &ppid) < 0)
			return -EPROTO;
		if (field == FIELD_START_TIME &&
		    number(at, (size_t)(stop - at), UINT64_MAX, &start_time) < 0)
			return -EPROTO;
		if (field == FIELD_START_TIME)
			break;
		if (stop >= end || *stop != ' ')
			return -EPROTO;
		at = stop + 1;
		field++;
	}
	*ret_ppid = (pid_t)ppid;
	*ret_start_time = start_time;
	return 0;
}

#define FIELD_NUM_THREADS 20

bool model_proc_stat_ended(const char *text, size_t len)
{
	const char *end = text + len, *at = NULL, *stop;
	uint64_t threads;
	int field = 3;

	for (const char *p = text; p < end; p++)
		if (*p == ')')
			at = p;
	if (!at || end - at < 3 || at[1] != ' ' || (at[2] != 'Z' && at[2] != 'X'))
		return false;
	if (at[2] == 'X')
		return true;
	/*
	 * A group leader that called exit() while its other threads run is a
	 * zombie too, and its process lives on: num_threads counts the leader
	 * until it is reaped, so a process that has ended says 1 (or less).
	 */
	at += 2;
	while (field < FIELD_NUM_THREADS) {
		while (at < end && *at != ' ')
			at++;
		if (at >= end)
			return true; /* no count: a zombie line cut short, taken as the kernel says
				      */
		at++;
		field++;
	}
	stop = at;
	while (stop < end && *stop != ' ' && *stop != '\n')
		stop++;
	return number(at, (size_t)(stop - at), UINT64_MAX, &threads) < 0 || threads <= 1;
}

int model_proc_stat(pid_t pid, pid_t *ret_ppid, uint64_t *ret_start_time)
{
	char path[64], text[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = read(fd, text, sizeof(text));
	close(fd);
	/* A zombie has ended: its exit is past (sched_process_exit ran), only its parent's wait is
	 * not. */
	if (n <= 0 || model_proc_stat_ended(text, (size_t)n))
		return -ESRCH;
	return model_proc_stat_parse(text, (size_t)n, ret_ppid, ret_start_time);
}
