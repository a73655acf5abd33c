// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a container root's attempts on canister's BPF objects, pins, bpffs and the kernel. */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/kexec.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Every attempt prints one line, "ok" or "refused: <errno text>", and exits 0
 * or 1, so that a case asserts both what happened and why.  `ids` is for the
 * host side of a case: it lists the objects a later attempt aims at.
 */

static int result(int r)
{
	if (r < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int get_by_id(const char *kind, __u32 id)
{
	if (strcmp(kind, "map") == 0)
		return bpf_map_get_fd_by_id(id);
	if (strcmp(kind, "prog") == 0)
		return bpf_prog_get_fd_by_id(id);
	if (strcmp(kind, "link") == 0)
		return bpf_link_get_fd_by_id(id);
	errno = EINVAL;
	return -1;
}

/* ids map|prog|link: one "ID NAME" line per object (a link is named after its program). */
static int list_ids(const char *kind)
{
	__u32 id = 0;
	int r;

	for (;;) {
		char name[BPF_OBJ_NAME_LEN] = "?";
		int fd;

		if (strcmp(kind, "map") == 0)
			r = bpf_map_get_next_id(id, &id);
		else if (strcmp(kind, "prog") == 0)
			r = bpf_prog_get_next_id(id, &id);
		else
			r = bpf_link_get_next_id(id, &id);
		if (r)
			return errno == ENOENT ? 0 : result(-1);
		fd = get_by_id(kind, id);
		if (fd < 0)
			continue; /* gone meanwhile */
		if (strcmp(kind, "map") == 0) {
			struct bpf_map_info info = {};
			__u32 len = sizeof(info);

			if (!bpf_obj_get_info_by_fd(fd, &info, &len))
				snprintf(name, sizeof(name), "%s", info.name);
		} else {
			struct bpf_prog_info info = {};
			struct bpf_link_info link = {};
			__u32 len = sizeof(link);
			__u32 prog_id = id;
			int pfd = fd;

			if (strcmp(kind, "link") == 0) {
				if (bpf_obj_get_info_by_fd(fd, &link, &len) == 0)
					prog_id = link.prog_id;
				pfd = bpf_prog_get_fd_by_id(prog_id);
			}
			len = sizeof(info);
			if (pfd >= 0 && !bpf_obj_get_info_by_fd(pfd, &info, &len))
				snprintf(name, sizeof(name), "%s", info.name);
			if (pfd >= 0 && pfd != fd)
				close(pfd);
		}
		printf("%u %s\n", id, name);
		close(fd);
	}
}

/* A same-shape map where the pin was: the attack on an ordinary restart. */
static int mimic(const char *pin)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int fd, impostor;

	fd = bpf_obj_get(pin);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return result(-1);
	opts.map_flags = info.map_flags;
	impostor = bpf_map_create(info.type, info.name, info.key_size, info.value_size,
				  info.max_entries, &opts);
	if (impostor < 0 || unlink(pin) < 0)
		return result(-1);
	return result(bpf_obj_pin(impostor, pin));
}

/* A tracepoint program: code that would run wherever it is attached (socket filters stay allowed).
 */
static int prog_load(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return result(bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "attacker", "GPL", insns, 2, NULL));
}

/* A file that is no module and no kernel: the kernel says ENOEXEC, unless refused before. */
static int garbage_fd(void)
{
	char path[] = "/tmp/bpf-attack.XXXXXX";
	int fd = mkstemp(path), ro;

	if (fd < 0)
		return -1;
	if (write(fd, "\177ELF garbage, not a module", 27) != 27)
		return -1;
	close(fd);
	/* Read-only: a file open for writing is refused with ETXTBSY before any hook. */
	ro = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	return ro;
}

static int kernel_code(const char *what)
{
	static char image[64] = "\177ELF garbage, not a module";

	if (strcmp(what, "module-file") == 0)
		return result(syscall(SYS_finit_module, garbage_fd(), "", 0));
	if (strcmp(what, "module-data") == 0)
		return result(syscall(SYS_init_module, image, sizeof(image), ""));
	if (strcmp(what, "kexec-file") == 0)
		return result(syscall(SYS_kexec_file_load, garbage_fd(), -1, 1, "",
				      KEXEC_FILE_NO_INITRAMFS));
	/* No segments and no flags: unloads the (absent) crash image, the mildest kexec_load. */
	if (strcmp(what, "kexec-load") == 0)
		return result(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL));
	fprintf(stderr, "bpf-attack: unknown kernel attempt %s\n", what);
	return 2;
}

static int fs_op(int argc, char **argv)
{
	const char *op = argv[0], *a = argc > 1 ? argv[1] : "", *b = argc > 2 ? argv[2] : "";
	int fd;

	if (strcmp(op, "unlink") == 0)
		return result(unlink(a));
	if (strcmp(op, "rmdir") == 0)
		return result(rmdir(a));
	if (strcmp(op, "rename") == 0)
		return result(rename(a, b));
	if (strcmp(op, "exchange") == 0)
		return result(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
	if (strcmp(op, "link") == 0)
		return result(link(a, b));
	if (strcmp(op, "mkdir") == 0)
		return result(mkdir(a, 0700));
	if (strcmp(op, "symlink") == 0)
		return result(symlink(b, a));
	if (strcmp(op, "chmod") == 0)
		return result(chmod(a, 0777));
	if (strcmp(op, "obj-get") == 0)
		return result(bpf_obj_get(a));
	if (strcmp(op, "umount") == 0)
		return result(umount2(a, MNT_DETACH));
	if (strcmp(op, "mount-tmpfs") == 0)
		return result(mount("none", a, "tmpfs", 0, NULL));
	if (strcmp(op, "make-shared") == 0)
		return result(mount(NULL, a, NULL, MS_SHARED, NULL));
	/*
	 * A mount namespace of its own that keeps the host's propagation (no
	 * make-private, as unshare(1) would do): a change on a shared mount
	 * reaches the host's namespace without passing an LSM hook there.
	 */
	if (strcmp(op, "unshare-mount-tmpfs") == 0)
		return result(unshare(CLONE_NEWNS) ?: mount("none", a, "tmpfs", 0, NULL));
	if (strcmp(op, "unshare-umount") == 0)
		return result(unshare(CLONE_NEWNS) ?: umount2(a, MNT_DETACH));
	if (strcmp(op, "mount-bpf") == 0)
		return result(mount("none", a, "bpf", 0, NULL));
	if (strcmp(op, "bind") == 0)
		return result(mount(a, b, NULL, MS_BIND, NULL));
	if (strcmp(op, "remount-ro") == 0)
		return result(mount("none", a, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	if (strcmp(op, "pivot-root") == 0)
		return result(syscall(SYS_pivot_root, a, b));
	/* The superblock read-only through the new mount API (no mount(2), no sb_mount). */
	if (strcmp(op, "fspick-ro") == 0) {
		fd = syscall(SYS_fspick, AT_FDCWD, a, FSPICK_CLOEXEC);
		if (fd < 0 || syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
			return result(-1);
		return result(syscall(SYS_fsconfig, fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
	}
	/* The mount read-only: mount_setattr(2) has no LSM hook. */
	if (strcmp(op, "setattr-ro") == 0) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

		return result(syscall(SYS_mount_setattr, AT_FDCWD, a, 0, &attr, sizeof(attr)));
	}
	if (strcmp(op, "move-mount") == 0) {
		fd = syscall(SYS_open_tree, AT_FDCWD, a, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (fd < 0)
			return result(-1);
		return result(
			syscall(SYS_move_mount, fd, "", AT_FDCWD, b, MOVE_MOUNT_F_EMPTY_PATH));
	}
	fprintf(stderr, "bpf-attack: unknown fs attempt %s\n", op);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "ids") == 0)
		return list_ids(argv[2]);
	if (argc == 4 && strcmp(argv[1], "get") == 0)
		return result(get_by_id(argv[2], strtoul(argv[3], NULL, 10)));
	/* pin-id map|prog|link ID PATH: an fd by id, pinned where the attacker likes. */
	if (argc == 5 && strcmp(argv[1], "pin-id") == 0) {
		int fd = get_by_id(argv[2], strtoul(argv[3], NULL, 10));

		if (fd < 0)
			return result(-1);
		return result(bpf_obj_pin(fd, argv[4]));
	}
	/* repin ID PATH: host root putting the map with this id back at PATH. */
	if (argc == 4 && strcmp(argv[1], "repin") == 0) {
		int fd = bpf_map_get_fd_by_id(strtoul(argv[2], NULL, 10));

		if (fd < 0)
			return result(-1);
		unlink(argv[3]);
		return result(bpf_obj_pin(fd, argv[3]));
	}
	/* id-of PIN: the id of the map or link pinned there (host side of a case). */
	if (argc == 3 && strcmp(argv[1], "id-of") == 0) {
		struct bpf_map_info info = {}; /* map and link info both start with type, id */
		__u32 len = sizeof(info);
		int fd = bpf_obj_get(argv[2]);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			return result(-1);
		printf("%u\n", info.id);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "mimic") == 0)
		return mimic(argv[2]);
	if (argc == 2 && strcmp(argv[1], "prog-load") == 0)
		return prog_load();
	/* own-map: a labelled process may still use a map of its own, by fd and by id. */
	if (argc == 2 && strcmp(argv[1], "own-map") == 0) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info), key = 1, value = 2;
		int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "own", 4, 4, 4, NULL);

		if (fd < 0 || bpf_map_update_elem(fd, &key, &value, BPF_ANY) ||
		    bpf_obj_get_info_by_fd(fd, &info, &len))
			return result(-1);
		return result(bpf_map_get_fd_by_id(info.id));
	}
	if (argc == 3 && strcmp(argv[1], "kernel") == 0)
		return kernel_code(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "fs") == 0)
		return fs_op(argc - 2, argv + 2);
	fprintf(stderr,
		"usage: bpf-attack ids map|prog|link | get map|prog|link ID |\n"
		"       pin-id map|prog|link ID PATH | repin ID PATH | id-of PIN | mimic PIN |\n"
		"       prog-load |\n"
		"       own-map | kernel module-file|module-data|kexec-file|kexec-load |\n"
		"       fs OP ARGS\n");
	return 2;
}
