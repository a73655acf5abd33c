// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: registers processes at the moment they fork, and checks no child is ever left out. */
#include <canister/canister.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Spins for about @usec microseconds without sleeping, so the fork lands where chance puts it. */
static void spin(long usec)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while ((now.tv_sec - start.tv_sec) * 1000000 + (now.tv_nsec - start.tv_nsec) / 1000 < usec);
}

/*
 * The target: waits for "go" on @go_fd, spins a random while, forks a child
 * that sleeps, reports the child's pid on @report_fd, and sleeps too.
 */
static void target(int go_fd, int report_fd, long usec)
{
	char go;
	pid_t child;

	if (read(go_fd, &go, 1) != 1)
		_exit(1);
	spin(usec);
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	if (write(report_fd, &child, sizeof(child)) != sizeof(child))
		_exit(1);
	pause();
	_exit(0);
}

static uint64_t contid_of(struct canister_client *client, pid_t pid)
{
	uint64_t contid = CANISTER_CONTID_UNSET;

	if (canister_get(client, pid, &contid) < 0)
		return 0; /* neither a contid of this test nor unset: reported as a violation */
	return contid;
}

/*
 * Usage: registration-race SOCKET ROUNDS MAX_SPIN_USEC
 * Prints one summary line; exits 1 if any round broke the rule: a successful
 * registration leaves the target and its child labelled, a refused one neither.
 */
int main(int argc, char **argv)
{
	unsigned long ok = 0, busy_children = 0, busy_forked = 0, other = 0, violations = 0;
	struct canister_client *client;
	long rounds, max_spin;
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: registration-race SOCKET ROUNDS MAX_SPIN_USEC\n");
		return 2;
	}
	rounds = atol(argv[2]);
	max_spin = atol(argv[3]);
	r = canister_client_connect(argv[1], &client);
	if (r < 0) {
		fprintf(stderr, "cannot connect: %s\n", strerror(-r));
		return 2;
	}
	srand(getpid());
	for (long round = 0; round < rounds; round++) {
		uint64_t want = 1000000 + round, got, target_contid, child_contid;
		int go[2], report[2];
		pid_t pid, child = 0;
		char why[512];

		if (pipe(go) < 0 || pipe(report) < 0)
			return 2;
		pid = fork();
		if (pid == 0) {
			close(go[1]);
			close(report[0]);
			target(go[0], report[1],
			       max_spin ? max_spin / 2 + rand() % (max_spin / 2 + 1) : 0);
		}
		close(go[0]);
		close(report[1]);
		if (write(go[1], "g", 1) != 1)
			return 2;
		r = canister_set(client, pid, want, &got);
		/* The next calls overwrite the client's last error. */
		snprintf(why, sizeof(why), "%s", canister_client_error(client));
		if (read(report[0], &child, sizeof(child)) != sizeof(child))
			return 2;
		target_contid = contid_of(client, pid);
		child_contid = contid_of(client, child);
		if (r == 0) {
			ok++;
			if (target_contid != want || child_contid != want) {
				violations++;
				printf("violation: registered %d as %llu but child %d has %llu\n",
				       (int)pid, (unsigned long long)want, (int)child,
				       (unsigned long long)child_contid);
			}
		} else {
			if (r == -EBUSY && strstr(why, "forked while"))
				busy_forked++;
			else if (r == -EBUSY) {
				busy_children++;
				if (getenv("RACE_DEBUG"))
					printf("busy: %s\n", why);
			} else
				other++, printf("refused otherwise: %s\n", why);
			if (target_contid != CANISTER_CONTID_UNSET ||
			    child_contid != CANISTER_CONTID_UNSET) {
				violations++;
				printf("violation: refused %d (%s) but it has %llu and child %d "
				       "has "
				       "%llu\n",
				       (int)pid, why, (unsigned long long)target_contid, (int)child,
				       (unsigned long long)child_contid);
			}
		}
		kill(child, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(go[1]);
		close(report[0]);
	}
	printf("rounds=%ld registered=%lu refused_children=%lu refused_forked_during=%lu "
	       "refused_other=%lu violations=%lu\n",
	       rounds, ok, busy_children, busy_forked, other, violations);
	canister_client_close(client);
	return violations || other ? 1 : 0;
}
