// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: an access policy made into a Landlock ruleset, and applied. */
#include "access/landlock.h"

#include "access/landlock_plan.h"
#include "lib/array_room.h"
#include "lib/why.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The attribute of ABI 6 and later; a kernel with an older ABI is given its own prefix of it. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
};

struct net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define RULE_NET_PORT 2 /* LANDLOCK_RULE_NET_PORT, ABI 4 */

int access_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? -errno : (int)abi;
}

/* The entries of @dir, symlinks marked, for the plan's holes. */
static int list_dir(const char *dir, char ***ret_names, bool **ret_links, size_t *ret_count,
		    void *ctx)
{
	size_t count = 0, capacity = 0, links_capacity = 0;
	char **names = NULL;
	bool *links = NULL;
	struct dirent *e;
	DIR *d = opendir(dir);

	(void)ctx;
	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (canister_array_room(&names, &capacity, count, sizeof(*names)) < 0 ||
		    canister_array_room(&links, &links_capacity, count, sizeof(*links)) < 0)
			goto nomem;
		names[count] = strdup(e->d_name);
		if (!names[count])
			goto nomem;
		links[count] = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			       S_ISLNK(st.st_mode);
		count++;
	}
	closedir(d);
	*ret_names = names;
	*ret_links = links;
	*ret_count = count;
	return 0;
nomem:
	closedir(d);
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	free(links);
	return -ENOMEM;
}

static int add_grant(int fd, const struct access_landlock_grant *g, int abi, char *why,
		     size_t why_len)
{
	struct landlock_path_beneath_attr attr = { 0 };
	struct stat st;
	int r = 0;

	/* Named by a rule, a symlink is followed: the user granted what it names. */
	attr.parent_fd = open(g->path, O_PATH | O_CLOEXEC | (g->named ? 0 : O_NOFOLLOW));
	if (attr.parent_fd < 0)
		return errno == ENOENT ? 0
				       : canister_refuse(why, why_len, -errno, "%s: %s", g->path,
							 strerror(errno));
	if (fstat(attr.parent_fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		/* Swapped for a symlink since it was listed: granted nothing (errs closed). */
		close(attr.parent_fd);
		return 0;
	}
	attr.allowed_access = access_ll_fs(g->rights, abi);
	if (!S_ISDIR(st.st_mode))
		attr.allowed_access &= ACCESS_LL_FS_FILE_ONLY;
	if (attr.allowed_access &&
	    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
		r = canister_refuse(why, why_len, -errno, "Landlock refused a rule for %s: %s",
				    g->path, strerror(errno));
	close(attr.parent_fd);
	return r;
}

static int add_files(int fd, const struct canister_access_policy *policy, int abi, char *why,
		     size_t why_len)
{
	struct access_landlock_grant *grants = NULL, refer = { .path = "/" };
	size_t count = 0;
	int r;

	r = access_landlock_plan(policy, list_dir, NULL, ACCESS_LANDLOCK_GRANTS_MAX, &grants,
				 &count);
	if (r < 0)
		return canister_refuse(why, why_len, r,
				       r == -E2BIG ? "the policy's paths expand to more than %d "
						     "Landlock rules"
						   : "out of memory (%d)",
				       ACCESS_LANDLOCK_GRANTS_MAX);
	for (size_t i = 0; i < count && r == 0; i++)
		r = add_grant(fd, &grants[i], abi, why, why_len);
	access_landlock_plan_free(grants, count);
	if (r < 0 || abi < 2)
		return r;
	/*
	 * Every ruleset refuses renames and links across directories unless it
	 * grants REFER, which still refuses a move that would gain rights (a file
	 * out of a hole): granted everywhere, only that check remains.
	 */
	{
		struct landlock_path_beneath_attr attr = {
			.allowed_access = ACCESS_LL_FS_REFER,
			.parent_fd = open(refer.path, O_PATH | O_CLOEXEC),
		};

		if (attr.parent_fd < 0)
			return canister_refuse(why, why_len, -errno, "/: %s", strerror(errno));
		if (syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
			r = canister_refuse(why, why_len, -errno,
					    "Landlock refused the rename rule: %s",
					    strerror(errno));
		close(attr.parent_fd);
	}
	return r;
}

static int add_ports(int fd, const struct canister_access_policy *policy, int abi, char *why,
		     size_t why_len)
{
	for (size_t i = 0; i < policy->net_count; i++) {
		const struct canister_access_net_rule *rule = &policy->net[i];
		struct net_port_attr attr = { .allowed_access = access_ll_net(rule->rights, abi) };

		/* Landlock takes ports one by one. */
		for (uint32_t port = rule->first; port <= rule->last; port++) {
			attr.port = port;
			if (syscall(SYS_landlock_add_rule, fd, RULE_NET_PORT, &attr, 0) < 0)
				return canister_refuse(why, why_len, -errno,
						       "Landlock refused port %u: %s", port,
						       strerror(errno));
		}
	}
	return 0;
}

int access_landlock_prepare(const struct canister_access_policy *policy,
			    struct access_landlock *ret, char *why, size_t why_len)
{
	struct ruleset_attr attr = { 0 };
	size_t attr_size;
	int r;

	ret->fd = -1;
	ret->abi = access_landlock_abi();
	access_ll_gaps(policy, ret->abi, &ret->gaps);
	if (ret->abi < 1 || !(policy->fs_handled | policy->net_handled | policy->scopes))
		return 0;
	attr.handled_access_fs = access_ll_fs(policy->fs_handled, ret->abi) |
				 (ret->abi >= 2 ? ACCESS_LL_FS_REFER : 0);
	/* A policy of ptrace scope alone still needs a domain: execute, granted everywhere. */
	if (!attr.handled_access_fs)
		attr.handled_access_fs = ACCESS_LL_FS_EXECUTE;
	attr.handled_access_net = access_ll_net(policy->net_handled, ret->abi);
	attr.scoped = ret->abi >= 6 && (policy->scopes & CANISTER_ACCESS_SCOPE_SIGNAL)
			      ? ACCESS_LL_SCOPE_SIGNAL
			      : 0;
	attr_size = ret->abi >= 6   ? sizeof(attr)
		    : ret->abi >= 4 ? offsetof(struct ruleset_attr, scoped)
				    : offsetof(struct ruleset_attr, handled_access_net);
	ret->fd = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
	if (ret->fd < 0)
		return canister_refuse(why, why_len, -errno, "Landlock refused the ruleset: %s",
				       strerror(errno));
	if (!policy->fs_handled && ret->abi < 2)
		r = add_grant(ret->fd,
			      &(struct access_landlock_grant){
				      .path = "/", .rights = CANISTER_ACCESS_FS_EXECUTE },
			      ret->abi, why, why_len);
	else
		r = add_files(ret->fd, policy, ret->abi, why, why_len);
	if (r == 0 && attr.handled_access_net)
		r = add_ports(ret->fd, policy, ret->abi, why, why_len);
	if (r < 0)
		access_landlock_release(ret);
	return r;
}

int access_landlock_enforce(const struct access_landlock *ll, char *why, size_t why_len)
{
	if (ll->fd < 0)
		return 0;
	if (syscall(SYS_landlock_restrict_self, ll->fd, 0) == 0)
		return 0;
	/* Landlock's rule: without CAP_SYS_ADMIN, only a process that cannot gain privileges. */
	if (errno == EPERM && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    syscall(SYS_landlock_restrict_self, ll->fd, 0) == 0)
		return 0;
	return canister_refuse(why, why_len, -errno, "Landlock refused to confine: %s",
			       strerror(errno));
}

void access_landlock_release(struct access_landlock *ll)
{
	if (ll->fd >= 0)
		close(ll->fd);
	ll->fd = -1;
}
