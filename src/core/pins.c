// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: at start, checks the pins are what canisterd pinned; keeps the record of them. */
#include "core/pins.h"

#include "core/log.h"
#include "core/pin_record.h"

#include <bpf/bpf.h>
#include <canister/abi.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PINS 512
#define MAX_USES 1024

/* What canisterd has pinned (verified at start, then each pin it makes). */
static struct {
	char pin_path[512];
	struct pin_entry entries[MAX_PINS];
	size_t count;
	bool active;
} record;

/* Everything pins_verify() reads, kept off the stack. */
struct snapshot {
	struct pin_entry pinned[MAX_PINS];
	size_t pinned_count;
	struct pin_entry recorded[MAX_PINS];
	int recorded_count; /* -1: no record */
	struct pin_use uses[MAX_USES];
	size_t use_count;
};

/* The kind of BPF object behind @fd, from its anon inode's name. */
static const char *object_type(int fd)
{
	static char target[64];
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return "";
	target[n] = '\0';
	return target;
}

static int object_id(int fd, __u32 *ret_id)
{
	struct bpf_map_info map = {}; /* every info struct starts with type and id */
	struct bpf_link_info link = {};
	__u32 len;

	if (strcmp(object_type(fd), "anon_inode:bpf-map") == 0) {
		len = sizeof(map);
		if (bpf_obj_get_info_by_fd(fd, &map, &len))
			return -errno;
		*ret_id = map.id;
		return 0;
	}
	len = sizeof(link);
	if (bpf_obj_get_info_by_fd(fd, &link, &len))
		return -errno;
	*ret_id = link.id;
	return 0;
}

/* The maps a pinned link's program uses, by their kernel names. */
static void read_uses(int link_fd, const char link_name[PIN_NAME_MAX], struct snapshot *snap)
{
	struct bpf_link_info link = {};
	struct bpf_prog_info prog = {};
	__u32 map_ids[64], len = sizeof(link);
	int prog_fd;

	if (bpf_obj_get_info_by_fd(link_fd, &link, &len))
		return;
	prog_fd = bpf_prog_get_fd_by_id(link.prog_id);
	if (prog_fd < 0)
		return;
	prog.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	prog.map_ids = (__u64)(unsigned long)map_ids;
	len = sizeof(prog);
	if (bpf_obj_get_info_by_fd(prog_fd, &prog, &len) == 0) {
		for (__u32 i = 0; i < prog.nr_map_ids && i < sizeof(map_ids) / sizeof(map_ids[0]);
		     i++) {
			struct bpf_map_info map = {};
			int map_fd = bpf_map_get_fd_by_id(map_ids[i]);

			len = sizeof(map);
			if (map_fd >= 0 && bpf_obj_get_info_by_fd(map_fd, &map, &len) == 0 &&
			    snap->use_count < MAX_USES) {
				struct pin_use *use = &snap->uses[snap->use_count++];

				memcpy(use->link, link_name, sizeof(use->link));
				snprintf(use->map, sizeof(use->map), "%s", map.name);
				use->map_id = map_ids[i];
			}
			if (map_fd >= 0)
				close(map_fd);
		}
	}
	close(prog_fd);
}

/* Every pin directly in @dir_path (@prefix: "" or "links/"); directories are not pins. */
static int read_pins(const char *dir_path, const char *prefix, struct snapshot *snap, char *why,
		     size_t why_len)
{
	struct dirent *entry;
	DIR *dir = opendir(dir_path);

	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((entry = readdir(dir))) {
		struct pin_entry *pin;
		char path[1024];
		int fd, r;

		if (entry->d_type == DT_DIR || entry->d_type == DT_LNK)
			continue;
		if (snap->pinned_count == MAX_PINS) {
			closedir(dir);
			snprintf(why, why_len, "more than %d pins in %.400s", MAX_PINS, dir_path);
			return -E2BIG;
		}
		snprintf(path, sizeof(path), "%s/%s", dir_path, entry->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0) {
			r = -errno;
			closedir(dir);
			snprintf(why, why_len, "cannot open the pin %.400s: %s", path,
				 strerror(-r));
			return r;
		}
		pin = &snap->pinned[snap->pinned_count++];
		if (snprintf(pin->name, sizeof(pin->name), "%s%s", prefix, entry->d_name) >=
		    (int)sizeof(pin->name)) {
			closedir(dir);
			snprintf(why, why_len, "%.400s: a name too long for a pin of canisterd's",
				 path);
			return -EEXIST;
		}
		pin->kind = strcmp(object_type(fd), "anon_inode:bpf-map") == 0 ? PIN_MAP : PIN_LINK;
		r = object_id(fd, &pin->id);
		if (r == 0 && pin->kind == PIN_LINK)
			read_uses(fd, pin->name, snap);
		close(fd);
		if (r < 0) {
			closedir(dir);
			snprintf(why, why_len, "cannot read the pin %.400s: %s", path,
				 strerror(-r));
			return r;
		}
	}
	closedir(dir);
	return 0;
}

/* Part @part (1: CANISTER_PIN_RECORD itself, then "_2", "_3", ...) of the record's name. */
static void part_path(char *buf, size_t len, const char *pin_path, unsigned int part,
		      const char *suffix)
{
	if (part == 1)
		snprintf(buf, len, "%s/%s%s", pin_path, CANISTER_PIN_RECORD, suffix);
	else
		snprintf(buf, len, "%s/%s_%u%s", pin_path, CANISTER_PIN_RECORD, part, suffix);
}

/*
 * Part @part of the record into @text (PIN_RECORD_PART + 1 bytes: a longer
 * target reads as one byte too many), only if root made it: anyone else's
 * would vouch for anything.  The length read, -ENOENT when there is no such
 * part, or -errno with @why.
 */
static ssize_t read_part(const char *pin_path, unsigned int part, char *text, char *why,
			 size_t why_len)
{
	char path[1024];
	struct stat st;
	ssize_t n;

	part_path(path, sizeof(path), pin_path, part, "");
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISLNK(st.st_mode) || st.st_uid != 0) {
		snprintf(why, why_len,
			 "%.400s is not a symlink owned by root: not canisterd's record", path);
		return -EEXIST;
	}
	n = readlink(path, text, PIN_RECORD_PART + 1);
	return n < 0 ? -errno : n;
}

/*
 * The record: CANISTER_PIN_RECORD and its later parts (a symlink's text
 * holds at most PIN_RECORD_PART bytes), every one that is there, so that a
 * part missing between two reads as what it is (pin_record_join()).
 */
static int read_record(const char *pin_path, struct snapshot *snap, char *why, size_t why_len)
{
	static char parts[PIN_RECORD_PARTS][PIN_RECORD_PART + 1], text[PIN_RECORD_MAX + 1];
	const char *present[PIN_RECORD_PARTS];
	size_t lens[PIN_RECORD_PARTS];
	char path[1024], detail[256];
	int r;

	part_path(path, sizeof(path), pin_path, 1, "");
	snap->recorded_count = -1;
	for (unsigned int part = 1; part <= PIN_RECORD_PARTS; part++) {
		ssize_t n = read_part(pin_path, part, parts[part - 1], why, why_len);

		if (n == -ENOENT) {
			present[part - 1] = NULL;
			lens[part - 1] = 0;
			continue;
		}
		if (n < 0)
			return (int)n;
		present[part - 1] = parts[part - 1];
		lens[part - 1] = (size_t)n;
	}
	r = pin_record_join(present, lens, PIN_RECORD_PARTS, text, sizeof(text), detail,
			    sizeof(detail));
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		snprintf(why, why_len, "%.280s is not a record canisterd wrote: %.180s", path,
			 detail);
		return -EINVAL;
	}
	snap->recorded_count = pin_record_parse(text, snap->recorded, MAX_PINS);
	if (snap->recorded_count < 0) {
		snprintf(why, why_len, "%.400s is not a record canisterd wrote (%s)", path,
			 strerror(-snap->recorded_count));
		return -EINVAL;
	}
	return 0;
}

/* Parts from @from on, up to PIN_RECORD_PARTS, removed (a record that shrank). */
static void remove_parts(const char *pin_path, unsigned int from)
{
	char path[1024];

	for (unsigned int part = from; part <= PIN_RECORD_PARTS; part++) {
		part_path(path, sizeof(path), pin_path, part, "");
		if (unlink(path) < 0 && errno == ENOENT)
			break;
	}
}

/* One part's text (@len bytes of @text) as the symlink of part @part; 0 or -errno. */
static int write_part(const char *pin_path, unsigned int part, const char *text, size_t len)
{
	char path[1024], next[1024], target[PIN_RECORD_PART + 1];

	memcpy(target, text, len);
	target[len] = '\0';
	part_path(path, sizeof(path), pin_path, part, "");
	/* bpffs names hold no dot; the rename makes the new part appear whole. */
	part_path(next, sizeof(next), pin_path, part, "_next");
	unlink(next);
	if (symlink(target, next) < 0 || rename(next, path) < 0) {
		int r = -errno;

		unlink(next);
		return r;
	}
	return 0;
}

/*
 * The record's text in parts of at most PIN_RECORD_PART bytes, each a
 * symlink (a symlink's text ends at PATH_MAX); the later parts first and
 * CANISTER_PIN_RECORD last, so that a reader finds the parts its first one
 * was written with (one cut off between them reads as a record canisterd did
 * not write: the start is refused, the safe side).
 */
static void write_record(void)
{
	static char text[PIN_RECORD_MAX];
	unsigned int parts;
	int len, r = 0;

	if (!record.active)
		return;
	len = pin_record_format(record.entries, record.count, text, sizeof(text));
	if (len < 0) {
		log_error("cannot format the record of the pins: %s", strerror(-len));
		return;
	}
	parts = (unsigned int)pin_record_parts((size_t)len);
	for (unsigned int part = parts; part >= 1 && r == 0; part--) {
		size_t at = (size_t)(part - 1) * PIN_RECORD_PART;
		size_t n = (size_t)len - at < PIN_RECORD_PART ? (size_t)len - at : PIN_RECORD_PART;

		r = write_part(record.pin_path, part, text + at, n);
	}
	if (r < 0) {
		log_error("cannot write the record of the pins in %s: %s; the next start checks "
			  "the pins against an older one",
			  record.pin_path, strerror(-r));
		return;
	}
	remove_parts(record.pin_path, parts + 1);
}

int pins_verify(const char *pin_path, char *why, size_t why_len)
{
	struct snapshot *snap = calloc(1, sizeof(*snap));
	struct pin_state state;
	char links[600], detail[512] = "";
	int r;

	if (!snap) {
		snprintf(why, why_len, "cannot check the pins: out of memory");
		return -ENOMEM;
	}
	snprintf(links, sizeof(links), "%s/%s", pin_path, CANISTER_LINKS_DIR);
	r = read_record(pin_path, snap, detail, sizeof(detail));
	if (r == 0)
		r = read_pins(pin_path, "", snap, detail, sizeof(detail));
	if (r == 0)
		r = read_pins(links, CANISTER_LINKS_DIR "/", snap, detail, sizeof(detail));
	if (r == 0) {
		state = (struct pin_state){
			.pinned = snap->pinned,
			.pinned_count = snap->pinned_count,
			.record = snap->recorded_count >= 0 ? snap->recorded : NULL,
			.record_count =
				snap->recorded_count >= 0 ? (size_t)snap->recorded_count : 0,
			.uses = snap->uses,
			.use_count = snap->use_count,
		};
		r = pin_record_check(&state, detail, sizeof(detail));
	}
	if (r < 0) {
		snprintf(why, why_len,
			 "the pins in %s are not what canisterd pinned: %s; someone with root "
			 "outside canister changed them, and canisterd would adopt their objects "
			 "(look with bpftool; `canisterd --unload` discards every pin and label)",
			 pin_path, detail[0] ? detail : strerror(-r));
		free(snap);
		return r;
	}
	/*
	 * Pins without a record cannot be vouched for: removing the record and
	 * the links is all it takes to slip in a map of one's own.  Pins of a
	 * canisterd before the record cannot be adopted anyway (the labels
	 * map's flags changed with it), so nothing is lost by refusing.
	 */
	if (snap->recorded_count < 0 && snap->pinned_count > 0) {
		snprintf(why, why_len,
			 "%s holds pins but no record of them (%s is gone): canisterd cannot "
			 "tell its own pins from pins put there by someone else, and would adopt "
			 "them (`canisterd --unload` discards every pin and label)",
			 pin_path, CANISTER_PIN_RECORD);
		free(snap);
		return -EEXIST;
	}
	snprintf(record.pin_path, sizeof(record.pin_path), "%s", pin_path);
	memcpy(record.entries, snap->pinned, snap->pinned_count * sizeof(snap->pinned[0]));
	record.count = snap->pinned_count;
	record.active = true;
	free(snap);
	write_record();
	return 0;
}

static void note(const char *name, uint32_t kind, uint32_t id)
{
	struct pin_entry *entry = NULL;

	for (size_t i = 0; i < record.count && !entry; i++)
		if (strcmp(record.entries[i].name, name) == 0)
			entry = &record.entries[i];
	if (!entry) {
		if (record.count == MAX_PINS) {
			log_error("more than %d pins: %s is left out of their record", MAX_PINS,
				  name);
			return;
		}
		entry = &record.entries[record.count++];
		snprintf(entry->name, sizeof(entry->name), "%s", name);
	}
	if (entry->kind == kind && entry->id == id)
		return;
	entry->kind = kind;
	entry->id = id;
	write_record();
}

void pins_note_map(const char *name, uint32_t id)
{
	note(name, PIN_MAP, id);
}

void pins_note_link(const char *name, uint32_t id)
{
	char path[PIN_NAME_MAX];

	snprintf(path, sizeof(path), "%s/%s", CANISTER_LINKS_DIR, name);
	note(path, PIN_LINK, id);
}

void pins_forget_link(const char *name)
{
	char path[PIN_NAME_MAX];

	snprintf(path, sizeof(path), "%s/%s", CANISTER_LINKS_DIR, name);
	for (size_t i = 0; i < record.count; i++) {
		if (strcmp(record.entries[i].name, path) != 0)
			continue;
		record.entries[i] = record.entries[--record.count];
		write_record();
		return;
	}
}

int pins_remove_record(const char *pin_path)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_PIN_RECORD);
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	remove_parts(pin_path, 2);
	return 0;
}

void pins_close(void)
{
	record.active = false;
	record.count = 0;
}
