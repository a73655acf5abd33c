// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: control clients that connect and hang up as fast as they can, from several threads,
 * until told to stop. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4

static struct sockaddr_un address = { .sun_family = AF_UNIX };
static const char *stop_path;
static atomic_ulong connections;

static bool told_to_stop(void)
{
	struct stat st;

	return stat(stop_path, &st) == 0;
}

/* One in eight asks something (the status of its own pid) before it hangs up. */
static void *churn(void *arg)
{
	char request[64], reply[65536];
	unsigned long made = 0;

	snprintf(request, sizeof(request), "{\"op\":\"get\",\"pid\":%d}", (int)getpid());
	while (!told_to_stop()) {
		int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			perror("socket");
			exit(1);
		}
		if (connect(fd, (struct sockaddr *)&address, sizeof(address)) == 0) {
			made++;
			if (made % 8 == 0 && send(fd, request, strlen(request), 0) > 0 &&
			    recv(fd, reply, sizeof(reply), 0) < 0) {
				/* Dropped by the daemon: a connection all the same. */
			}
		} else {
			/* Not listening yet (or any more): no busy loop meanwhile. */
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
		}
		close(fd);
	}
	atomic_fetch_add(&connections, made);
	return NULL;
}

/* Prints how many connections were made, once STOP exists. */
int main(int argc, char **argv)
{
	pthread_t threads[THREADS];

	if (argc != 3 || strlen(argv[1]) >= sizeof(address.sun_path)) {
		fprintf(stderr, "usage: control-churn SOCKET STOP-FILE\n");
		return 2;
	}
	strcpy(address.sun_path, argv[1]);
	stop_path = argv[2];
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, churn, NULL)) {
			fprintf(stderr, "control-churn: cannot start a thread\n");
			return 1;
		}
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	printf("%lu\n", atomic_load(&connections));
	return 0;
}
