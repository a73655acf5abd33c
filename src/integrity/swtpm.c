// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a container's swtpm process: started in its state directory, stopped and reaped. */
#include "integrity/swtpm.h"

#include "lib/mkdir.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SWTPM_BIN "swtpm"

int swtpm_args(const char *dir, char *paths, size_t paths_len, const char **ret_argv)
{
	char *state = paths, *server = paths + paths_len, *ctrl = paths + 2 * paths_len;
	struct sockaddr_un sun;
	int n = 0;

	if ((size_t)snprintf(state, paths_len, "dir=%s", dir) >= paths_len ||
	    strlen(dir) + sizeof("/" SWTPM_SOCKET ".ctrl") > sizeof(sun.sun_path) ||
	    (size_t)snprintf(server, paths_len, "type=unixio,path=%s/" SWTPM_SOCKET, dir) >=
		    paths_len ||
	    (size_t)snprintf(ctrl, paths_len, "type=unixio,path=%s/" SWTPM_SOCKET ".ctrl", dir) >=
		    paths_len)
		return -ENAMETOOLONG;
	ret_argv[n++] = SWTPM_BIN;
	ret_argv[n++] = "socket";
	ret_argv[n++] = "--tpm2";
	ret_argv[n++] = "--tpmstate";
	ret_argv[n++] = state;
	ret_argv[n++] = "--server";
	ret_argv[n++] = server;
	ret_argv[n++] = "--ctrl";
	ret_argv[n++] = ctrl;
	ret_argv[n++] = "--flags";
	ret_argv[n++] = "not-need-init,startup-clear";
	ret_argv[n] = NULL;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool accepts(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	/* swtpm_args() checked that the path fits. */
	if (strlen(path) >= sizeof(sun.sun_path)) {
		close(fd);
		return false;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

pid_t swtpm_start(const char *dir, unsigned int wait_ms, char *why, size_t why_len)
{
	char paths[3 * 256], server[256];
	const char *argv[SWTPM_ARGS_MAX];
	long long deadline;
	pid_t pid;
	int r, status;

	r = swtpm_args(dir, paths, sizeof(paths) / 3, argv);
	if (r < 0) {
		snprintf(why, why_len, "%s: too long for a socket path", dir);
		return r;
	}
	r = canister_mkdir_p(dir, 0700);
	if (r < 0) {
		snprintf(why, why_len, "%s: %s", dir, strerror(-r));
		return r;
	}
	snprintf(server, sizeof(server), "%s/" SWTPM_SOCKET, dir);
	/* A socket left by a swtpm that was killed would answer nobody: the new one binds anew. */
	unlink(server);
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_len, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		sigset_t none;

		/* The forking thread blocks every signal; swtpm must see SIGTERM. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* Its TPM goes with canisterd, whatever ends canisterd. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(127);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		execvp(SWTPM_BIN, (char *const *)argv);
		_exit(127);
	}
	deadline = now_ms() + wait_ms;
	for (;;) {
		if (accepts(server))
			return pid;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			snprintf(why, why_len, "swtpm exited (status %d) before it listened on %s",
				 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
				 server);
			return -ECHILD;
		}
		if (now_ms() >= deadline)
			break;
		usleep(5000);
	}
	snprintf(why, why_len, "swtpm did not listen on %s within %u ms", server, wait_ms);
	swtpm_stop(pid, 0);
	return -ETIMEDOUT;
}

void swtpm_stop(pid_t pid, unsigned int wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	int status;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	while (now_ms() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}
