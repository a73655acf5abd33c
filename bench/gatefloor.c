// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark helper: the least a fanotify permission gate can do, to weigh
 * canisterd's gate against.  It marks the filesystem of PATH for
 * FAN_OPEN_EXEC_PERM and allows every event at once (poll, read, write the
 * answer, close the event's descriptor: what canisterd's reader also does,
 * without its label lookup, fast-answer check or anything else).  It prints
 * "ready" once the mark is in place, and runs until it is killed.
 */
#define _GNU_SOURCE /* O_LARGEFILE */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/fanotify.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	int fan;

	if (argc != 2) {
		fprintf(stderr, "usage: gatefloor PATH\n");
		return 2;
	}
	fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_LARGEFILE);
	if (fan < 0 || fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN_EXEC_PERM,
				     AT_FDCWD, argv[1])) {
		perror("gatefloor: fanotify");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd pfd = { .fd = fan, .events = POLLIN };
		const struct fanotify_event_metadata *meta = (const void *)buf;
		ssize_t len;

		/* Like canisterd's reader: poll, then one read of what the group holds. */
		if (poll(&pfd, 1, -1) < 0)
			continue;
		len = read(fan, buf, sizeof(buf));
		for (; len > 0 && FAN_EVENT_OK(meta, len); meta = FAN_EVENT_NEXT(meta, len)) {
			struct fanotify_response allow = { .fd = meta->fd, .response = FAN_ALLOW };

			if (meta->fd < 0)
				continue;
			if (write(fan, &allow, sizeof(allow)) != sizeof(allow))
				perror("gatefloor: answer");
			close(meta->fd);
		}
	}
}
