// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: control-socket replies as structs, and their one JSON form on the wire. */
#include "lib/reply.h"

#include "lib/hex.h"

#include "lib/errnames.h"
#include "lib/json_strict.h"
#include "lib/name.h"
#include "lib/status_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for the status (document, section, array, element), shallow enough to bound. */
#define REPLY_JSON_DEPTH 8

/* A name as canister_name_check() takes it, or "" for none. */
static bool name_ok(const char *name, size_t size)
{
	char why[128];

	return canister_string_bounded(name, size) &&
	       (!name[0] || canister_name_check(name, why, sizeof(why)) == 0);
}

/* A chain: @depth contids, none of them the unset value. */
static bool chain_ok(const uint64_t *chain, unsigned int depth)
{
	if (depth > CANISTER_NEST_LIMIT_MAX)
		return false;
	for (unsigned int i = 0; i < depth; i++)
		if (chain[i] == CANISTER_CONTID_UNSET)
			return false;
	return true;
}

static struct json_object *chain_json(const uint64_t *chain, unsigned int depth)
{
	struct json_object *array = json_object_new_array();
	bool ok = array != NULL;

	for (unsigned int i = 0; ok && i < depth; i++)
		ok = canister_json_append(array, canister_json_new_contid(chain[i]));
	if (!ok) {
		json_object_put(array);
		return NULL;
	}
	return array;
}

static int read_chain(struct canister_json_reader *reader, struct json_object *object,
		      uint64_t chain[CANISTER_NEST_LIMIT_MAX], unsigned int *ret_depth)
{
	struct json_object *array;
	size_t depth;

	if (canister_json_array(reader, object, "chain", CANISTER_NEST_LIMIT_MAX, &array, &depth) <
	    0)
		return -EPROTO;
	for (size_t i = 0; i < depth; i++)
		if (canister_json_contid_value(reader, json_object_array_get_idx(array, i), "chain",
					       false, &chain[i]) < 0)
			return -EPROTO;
	*ret_depth = (unsigned int)depth;
	return 0;
}

/* An optional "name": absent means none; present, a name canister takes. */
static int read_name(struct canister_json_reader *reader, struct json_object *object,
		     char name[CANISTER_NAME_MAX + 1])
{
	char why[128];

	if (canister_json_string(reader, object, "name", false, name, CANISTER_NAME_MAX + 1) < 0)
		return -EPROTO;
	if (json_object_object_get_ex(object, "name", NULL) &&
	    canister_name_check(name, why, sizeof(why)) < 0)
		return canister_json_refuse(reader, "name", "%s", why);
	return 0;
}

/* error */

static const char *const error_members[] = { "ok", "errno", "error", NULL };

static bool error_ok(const struct canister_error_reply *error)
{
	return canister_errno_name(error->errnum) &&
	       canister_string_bounded(error->message, sizeof(error->message));
}

static bool add_error(const struct canister_error_reply *error, struct json_object *root)
{
	return canister_json_put(root, "errno",
				 json_object_new_string(canister_errno_name(error->errnum))) &&
	       canister_json_put(root, "error", json_object_new_string(error->message));
}

static int read_error(struct canister_json_reader *reader, struct json_object *root,
		      struct canister_error_reply *ret)
{
	char name[32];

	if (canister_json_members(reader, root, error_members) < 0 ||
	    canister_json_string(reader, root, "errno", true, name, sizeof(name)) < 0 ||
	    canister_json_string(reader, root, "error", true, ret->message, sizeof(ret->message)) <
		    0)
		return -EPROTO;
	/*
	 * A refusal named by a newer canisterd is still a refusal, and its words
	 * still the daemon's: it reads as EPROTO, never as success or another errno.
	 */
	ret->errnum = canister_errno_from_name(name);
	if (!ret->errnum)
		ret->errnum = EPROTO;
	return 0;
}

/* get */

static const char *const get_members[] = {
	"ok", "pid", "contid", "chain", "name", "delegated", NULL
};

static bool get_ok(const struct canister_get_reply *get)
{
	const struct canister_info *info = &get->info;

	return get->pid >= 1 && chain_ok(info->chain, info->depth) &&
	       name_ok(info->name, sizeof(info->name)) && (info->depth || !info->name[0]) &&
	       (info->delegated == 0 || info->delegated == 1);
}

static bool add_get(const struct canister_get_reply *get, struct json_object *root)
{
	const struct canister_info *info = &get->info;

	return canister_json_put(root, "pid", json_object_new_int(get->pid)) &&
	       canister_json_put(root, "contid",
				 canister_json_new_contid(info->depth ? info->chain[0]
								      : CANISTER_CONTID_UNSET)) &&
	       canister_json_put(root, "chain", chain_json(info->chain, info->depth)) &&
	       (!info->name[0] ||
		canister_json_put(root, "name", json_object_new_string(info->name))) &&
	       canister_json_put(root, "delegated", json_object_new_boolean(info->delegated));
}

static int read_get(struct canister_json_reader *reader, struct json_object *root,
		    struct canister_get_reply *ret)
{
	struct canister_info *info = &ret->info;
	uint64_t contid;
	int64_t pid;
	bool delegated;

	if (canister_json_members(reader, root, get_members) < 0 ||
	    canister_json_int(reader, root, "pid", 1, INT_MAX, &pid) < 0 ||
	    canister_json_contid(reader, root, "contid", true, &contid) < 0 ||
	    read_chain(reader, root, info->chain, &info->depth) < 0 ||
	    read_name(reader, root, info->name) < 0 ||
	    canister_json_bool(reader, root, "delegated", &delegated) < 0)
		return -EPROTO;
	if (contid == CANISTER_CONTID_UNSET ? info->depth != 0
					    : info->depth == 0 || info->chain[0] != contid)
		return canister_json_refuse(reader, "chain", "does not begin with the contid");
	if (!info->depth && info->name[0])
		return canister_json_refuse(reader, "name", "a name without a container");
	ret->pid = (pid_t)pid;
	info->delegated = delegated;
	return 0;
}

/* set */

static const char *const set_members[] = { "ok", "pid", "contid", "joined", NULL };

static bool set_ok(const struct canister_set_reply *set)
{
	return set->pid >= 1 && set->contid != CANISTER_CONTID_UNSET;
}

static bool add_set(const struct canister_set_reply *set, struct json_object *root)
{
	return canister_json_put(root, "pid", json_object_new_int(set->pid)) &&
	       canister_json_put(root, "contid", canister_json_new_contid(set->contid)) &&
	       canister_json_put(root, "joined", json_object_new_boolean(set->joined));
}

static int read_set(struct canister_json_reader *reader, struct json_object *root,
		    struct canister_set_reply *ret)
{
	int64_t pid;

	if (canister_json_members(reader, root, set_members) < 0 ||
	    canister_json_int(reader, root, "pid", 1, INT_MAX, &pid) < 0 ||
	    canister_json_contid(reader, root, "contid", false, &ret->contid) < 0 ||
	    canister_json_bool(reader, root, "joined", &ret->joined) < 0)
		return -EPROTO;
	ret->pid = (pid_t)pid;
	return 0;
}

/* delegate */

static const char *const delegate_members[] = { "ok", "pid", "delegation", NULL };

static bool delegate_ok(const struct canister_delegate_reply *delegate)
{
	/* 0 is the host's number in a container's owner, never a delegation's. */
	return delegate->pid >= 1 && delegate->delegation >= 1;
}

static bool add_delegate(const struct canister_delegate_reply *delegate, struct json_object *root)
{
	return canister_json_put(root, "pid", json_object_new_int(delegate->pid)) &&
	       canister_json_put(root, "delegation", json_object_new_int64(delegate->delegation));
}

static int read_delegate(struct canister_json_reader *reader, struct json_object *root,
			 struct canister_delegate_reply *ret)
{
	int64_t pid, delegation;

	if (canister_json_members(reader, root, delegate_members) < 0 ||
	    canister_json_int(reader, root, "pid", 1, INT_MAX, &pid) < 0 ||
	    canister_json_int(reader, root, "delegation", 1, UINT32_MAX, &delegation) < 0)
		return -EPROTO;
	ret->pid = (pid_t)pid;
	ret->delegation = (uint32_t)delegation;
	return 0;
}

/* list */

static const char *const list_members[] = { "ok", "containers", "more", NULL };
static const char *const container_members[] = { "contid",    "chain", "name",	     "processes",
						 "first_pid", "owner", "registered", NULL };

static bool container_ok(const struct canister_container_entry *entry)
{
	return entry->depth >= 1 && chain_ok(entry->chain, entry->depth) &&
	       name_ok(entry->name, sizeof(entry->name)) && entry->processes <= INT64_MAX &&
	       entry->first_pid >= 1 && entry->registered >= 0;
}

struct json_object *canister_container_json(const struct canister_container_entry *entry)
{
	struct json_object *object = json_object_new_object();
	bool ok;

	ok = canister_json_put(object, "contid", canister_json_new_contid(entry->chain[0])) &&
	     canister_json_put(object, "chain", chain_json(entry->chain, entry->depth)) &&
	     (!entry->name[0] ||
	      canister_json_put(object, "name", json_object_new_string(entry->name))) &&
	     canister_json_put(object, "processes", json_object_new_uint64(entry->processes)) &&
	     canister_json_put(object, "first_pid", json_object_new_int(entry->first_pid)) &&
	     canister_json_put(object, "owner", json_object_new_int64(entry->owner)) &&
	     canister_json_put(object, "registered", json_object_new_int64(entry->registered));
	if (!ok) {
		json_object_put(object);
		return NULL;
	}
	return object;
}

static bool list_ok(const struct canister_list_reply *list)
{
	if (list->count > CANISTER_LIST_PAGE_MAX || (list->more && list->count == 0))
		return false;
	for (size_t i = 0; i < list->count; i++) {
		if (!container_ok(&list->containers[i]))
			return false;
		if (i && list->containers[i].chain[0] <= list->containers[i - 1].chain[0])
			return false;
	}
	return true;
}

static bool add_list(const struct canister_list_reply *list, struct json_object *root)
{
	struct json_object *containers = json_object_new_array();
	bool ok = canister_json_put(root, "containers", containers);

	for (size_t i = 0; ok && i < list->count; i++)
		ok = canister_json_append(containers,
					  canister_container_json(&list->containers[i]));
	return ok && canister_json_put(root, "more", json_object_new_boolean(list->more));
}

static int read_container(struct canister_json_reader *reader, struct json_object *object,
			  struct canister_container_entry *ret)
{
	int64_t processes, first_pid, owner, registered;
	uint64_t contid;

	if (canister_json_members(reader, object, container_members) < 0 ||
	    canister_json_contid(reader, object, "contid", false, &contid) < 0 ||
	    read_chain(reader, object, ret->chain, &ret->depth) < 0 ||
	    read_name(reader, object, ret->name) < 0 ||
	    canister_json_int(reader, object, "processes", 0, INT64_MAX, &processes) < 0 ||
	    canister_json_int(reader, object, "first_pid", 1, INT_MAX, &first_pid) < 0 ||
	    canister_json_int(reader, object, "owner", 0, UINT32_MAX, &owner) < 0 ||
	    canister_json_int(reader, object, "registered", 0, INT64_MAX, &registered) < 0)
		return -EPROTO;
	if (ret->depth == 0 || ret->chain[0] != contid)
		return canister_json_refuse(reader, "chain", "does not begin with the contid");
	ret->processes = (uint64_t)processes;
	ret->first_pid = (pid_t)first_pid;
	ret->owner = (uint32_t)owner;
	ret->registered = registered;
	return 0;
}

static int read_list(struct canister_json_reader *reader, struct json_object *root,
		     struct canister_list_reply *ret)
{
	struct json_object *containers;
	size_t count;

	if (canister_json_members(reader, root, list_members) < 0 ||
	    canister_json_array(reader, root, "containers", CANISTER_LIST_PAGE_MAX, &containers,
				&count) < 0 ||
	    canister_json_bool(reader, root, "more", &ret->more) < 0)
		return -EPROTO;
	/* "more" with nothing in it would have the client ask for the same page forever. */
	if (ret->more && count == 0)
		return canister_json_refuse(reader, "more", "true with no containers");
	for (size_t i = 0; i < count; i++) {
		struct canister_container_entry *entry = &ret->containers[i];

		canister_json_enter(reader, "containers[%zu]", i);
		if (read_container(reader, json_object_array_get_idx(containers, i), entry) < 0)
			return -EPROTO;
		/* Ascending order is what makes the last contid the next page's "after". */
		if (i && entry->chain[0] <= ret->containers[i - 1].chain[0])
			return canister_json_refuse(reader, "contid", "containers out of order");
	}
	ret->count = count;
	return 0;
}

/* integrity-read */

static const char *const integrity_read_members[] = { "ok", "size", "offset", "data", NULL };

static bool integrity_read_ok(const struct canister_integrity_read_reply *page)
{
	return page->len <= CANISTER_INTEGRITY_PAGE_MAX && page->offset <= page->size &&
	       page->len <= page->size - page->offset && page->size <= (UINT64_C(1) << 53);
}

static bool add_integrity_read(const struct canister_integrity_read_reply *page,
			       struct json_object *root)
{
	static const char digits[] = "0123456789abcdef";
	struct json_object *data;
	char *hex = malloc(page->len * 2 + 1);

	if (!hex)
		return false;
	for (size_t i = 0; i < page->len; i++) {
		hex[2 * i] = digits[page->data[i] >> 4];
		hex[2 * i + 1] = digits[page->data[i] & 0xf];
	}
	hex[page->len * 2] = '\0';
	data = json_object_new_string_len(hex, (int)(page->len * 2));
	free(hex);
	return canister_json_put(root, "size", json_object_new_int64((int64_t)page->size)) &&
	       canister_json_put(root, "offset", json_object_new_int64((int64_t)page->offset)) &&
	       canister_json_put(root, "data", data);
}

static int read_integrity_read(struct canister_json_reader *reader, struct json_object *root,
			       struct canister_integrity_read_reply *ret)
{
	struct json_object *data;
	int64_t size, offset;
	const char *hex;
	size_t len;

	if (canister_json_members(reader, root, integrity_read_members) < 0 ||
	    canister_json_int(reader, root, "size", 0, INT64_C(1) << 53, &size) < 0 ||
	    canister_json_int(reader, root, "offset", 0, size, &offset) < 0)
		return -EPROTO;
	if (!json_object_object_get_ex(root, "data", &data) ||
	    !json_object_is_type(data, json_type_string))
		return canister_json_refuse(reader, "data", "must be a string");
	hex = json_object_get_string(data);
	len = (size_t)json_object_get_string_len(data);
	/* Lower-case hex only, whole bytes: one spelling for one page. */
	if (len % 2 || len / 2 > CANISTER_INTEGRITY_PAGE_MAX)
		return canister_json_refuse(reader, "data", "must be at most %d bytes in hex",
					    CANISTER_INTEGRITY_PAGE_MAX);
	if (canister_hex_decode(hex, len, ret->data) < 0)
		return canister_json_refuse(reader, "data", "must be lower-case hex");
	ret->size = (uint64_t)size;
	ret->offset = (uint64_t)offset;
	ret->len = len / 2;
	return 0;
}

/* integrity-quote */

static const char *const integrity_quote_members[] = { "ok",
						       "quote",
						       "signature",
						       "ak",
						       "pcr10_sha1",
						       "pcr10_sha256",
						       "pcr11_sha1",
						       "pcr11_sha256",
						       "pcr_update_counter",
						       "counter_at_start",
						       "extends",
						       "model_extends",
						       NULL };

static bool integrity_quote_ok(const struct canister_integrity_quote_reply *q)
{
	return q->quote_len && q->quote_len <= sizeof(q->quote) && q->signature_len &&
	       q->signature_len <= sizeof(q->signature) && memchr(q->ak, '\0', sizeof(q->ak)) &&
	       q->pcr_update_counter <= UINT32_MAX && q->counter_at_start <= UINT32_MAX &&
	       q->extends <= (UINT64_C(1) << 53) && q->model_extends <= (UINT64_C(1) << 53);
}

static struct json_object *hex_string(const uint8_t *data, size_t len)
{
	char hex[2 * CANISTER_QUOTE_MSG_MAX + 1];

	canister_hex_encode(data, len, hex);
	return json_object_new_string(hex);
}

static bool add_integrity_quote(const struct canister_integrity_quote_reply *q,
				struct json_object *root)
{
	return canister_json_put(root, "quote", hex_string(q->quote, q->quote_len)) &&
	       canister_json_put(root, "signature", hex_string(q->signature, q->signature_len)) &&
	       canister_json_put(root, "ak", json_object_new_string(q->ak)) &&
	       canister_json_put(root, "pcr10_sha1", hex_string(q->pcr10_sha1, 20)) &&
	       canister_json_put(root, "pcr10_sha256", hex_string(q->pcr10_sha256, 32)) &&
	       canister_json_put(root, "pcr11_sha1", hex_string(q->pcr11_sha1, 20)) &&
	       canister_json_put(root, "pcr11_sha256", hex_string(q->pcr11_sha256, 32)) &&
	       canister_json_put(root, "pcr_update_counter",
				 json_object_new_int64((int64_t)q->pcr_update_counter)) &&
	       canister_json_put(root, "counter_at_start",
				 json_object_new_int64((int64_t)q->counter_at_start)) &&
	       canister_json_put(root, "extends", json_object_new_int64((int64_t)q->extends)) &&
	       canister_json_put(root, "model_extends",
				 json_object_new_int64((int64_t)q->model_extends));
}

/* Lower-case hex of at most @max bytes (exactly @max when @exact) into @out. */
static int read_hex(struct canister_json_reader *reader, struct json_object *root, const char *name,
		    uint8_t *out, size_t max, bool exact, size_t *ret_len)
{
	struct json_object *value;
	size_t len;

	if (!json_object_object_get_ex(root, name, &value) ||
	    !json_object_is_type(value, json_type_string))
		return canister_json_refuse(reader, name, "must be a string");
	len = (size_t)json_object_get_string_len(value);
	if (len == 0 || len / 2 > max || (exact && len / 2 != max) ||
	    canister_hex_decode(json_object_get_string(value), len, out) < 0)
		return canister_json_refuse(reader, name, "must be %s%zu bytes in lower-case hex",
					    exact ? "" : "1 to ", max);
	if (ret_len)
		*ret_len = len / 2;
	return 0;
}

static int read_integrity_quote(struct canister_json_reader *reader, struct json_object *root,
				struct canister_integrity_quote_reply *ret)
{
	struct json_object *ak;
	int64_t counter, at_start, extends, model_extends;

	if (canister_json_members(reader, root, integrity_quote_members) < 0 ||
	    read_hex(reader, root, "quote", ret->quote, sizeof(ret->quote), false,
		     &ret->quote_len) < 0 ||
	    read_hex(reader, root, "signature", ret->signature, sizeof(ret->signature), false,
		     &ret->signature_len) < 0 ||
	    read_hex(reader, root, "pcr10_sha1", ret->pcr10_sha1, 20, true, NULL) < 0 ||
	    read_hex(reader, root, "pcr10_sha256", ret->pcr10_sha256, 32, true, NULL) < 0 ||
	    read_hex(reader, root, "pcr11_sha1", ret->pcr11_sha1, 20, true, NULL) < 0 ||
	    read_hex(reader, root, "pcr11_sha256", ret->pcr11_sha256, 32, true, NULL) < 0 ||
	    canister_json_int(reader, root, "pcr_update_counter", 0, UINT32_MAX, &counter) < 0 ||
	    canister_json_int(reader, root, "counter_at_start", 0, UINT32_MAX, &at_start) < 0 ||
	    canister_json_int(reader, root, "extends", 0, INT64_C(1) << 53, &extends) < 0 ||
	    canister_json_int(reader, root, "model_extends", 0, INT64_C(1) << 53, &model_extends) <
		    0)
		return -EPROTO;
	if (!json_object_object_get_ex(root, "ak", &ak) ||
	    !json_object_is_type(ak, json_type_string) ||
	    (size_t)json_object_get_string_len(ak) > CANISTER_QUOTE_AK_MAX ||
	    memchr(json_object_get_string(ak), '\0', (size_t)json_object_get_string_len(ak)))
		return canister_json_refuse(reader, "ak", "must be a PEM key of at most %d bytes",
					    CANISTER_QUOTE_AK_MAX);
	memcpy(ret->ak, json_object_get_string(ak), (size_t)json_object_get_string_len(ak) + 1);
	ret->pcr_update_counter = (uint64_t)counter;
	ret->counter_at_start = (uint64_t)at_start;
	ret->extends = (uint64_t)extends;
	ret->model_extends = (uint64_t)model_extends;
	return 0;
}

/* integrity-key-add, integrity-key-remove, integrity-appraise */

static const char *const appraisal_members[] = { "ok",	    "mode", "host_keys", "generation",
						 "refused", "keys", "keyid",	 NULL };
static const char *const appraisal_key_members[] = { "keyid",	"keyid_from", "algorithm",
						     "subject", "origin",     NULL };
static const char *const keyid_sources[] = { "public-key", "skid" };

static bool appraisal_ok(const struct canister_appraisal_reply *a)
{
	if (!canister_appraise_mode_name(a->mode) || a->key_count > CANISTER_APPRAISAL_KEYS_MAX ||
	    !canister_string_bounded(a->refused, sizeof(a->refused)) ||
	    a->generation > (UINT64_C(1) << 53))
		return false;
	for (size_t i = 0; i < a->key_count; i++)
		if (!canister_string_bounded(a->keys[i].algorithm, sizeof(a->keys[i].algorithm)) ||
		    !canister_string_bounded(a->keys[i].subject, sizeof(a->keys[i].subject)) ||
		    !canister_string_bounded(a->keys[i].origin, sizeof(a->keys[i].origin)) ||
		    !a->keys[i].origin[0])
			return false;
	return true;
}

static struct json_object *keyid_string(uint32_t keyid)
{
	char hex[9];

	snprintf(hex, sizeof(hex), "%08" PRIx32, keyid);
	return json_object_new_string(hex);
}

static bool add_appraisal(const struct canister_appraisal_reply *a, enum canister_op op,
			  struct json_object *root)
{
	struct json_object *keys = NULL;
	bool ok = canister_json_put(root, "mode",
				    json_object_new_string(canister_appraise_mode_name(a->mode))) &&
		  canister_json_put(root, "host_keys", json_object_new_boolean(a->host_keys)) &&
		  canister_json_put(root, "generation",
				    json_object_new_int64((int64_t)a->generation)) &&
		  canister_json_put(root, "refused", json_object_new_string(a->refused)) &&
		  canister_json_put(root, "keys", keys = json_object_new_array()) &&
		  (op != CANISTER_OP_INTEGRITY_KEY_ADD ||
		   canister_json_put(root, "keyid", keyid_string(a->added_keyid)));

	for (size_t i = 0; ok && i < a->key_count; i++) {
		const struct canister_appraisal_key *key = &a->keys[i];
		struct json_object *entry = json_object_new_object();

		ok = canister_json_append(keys, entry) &&
		     canister_json_put(entry, "keyid", keyid_string(key->keyid)) &&
		     canister_json_put(
			     entry, "keyid_from",
			     json_object_new_string(keyid_sources[key->keyid_from_skid])) &&
		     canister_json_put(entry, "algorithm",
				       json_object_new_string(key->algorithm)) &&
		     canister_json_put(entry, "subject", json_object_new_string(key->subject)) &&
		     canister_json_put(entry, "origin", json_object_new_string(key->origin));
	}
	return ok;
}

/* Member @key, one of the @count words in @names: its index in *ret_index. */
static int read_word(struct canister_json_reader *reader, struct json_object *root, const char *key,
		     const char *const *names, size_t count, int *ret_index)
{
	char word[16];

	if (canister_json_string(reader, root, key, true, word, sizeof(word)) < 0)
		return -EPROTO;
	for (size_t i = 0; i < count; i++)
		if (strcmp(word, names[i]) == 0) {
			*ret_index = (int)i;
			return 0;
		}
	return canister_json_refuse(reader, key, "unknown value \"%s\"", word);
}

static int read_keyid(struct canister_json_reader *reader, struct json_object *root,
		      const char *name, uint32_t *ret_keyid)
{
	uint8_t bytes[4];

	if (read_hex(reader, root, name, bytes, sizeof(bytes), true, NULL) < 0)
		return -EPROTO;
	*ret_keyid = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 |
		     bytes[3];
	return 0;
}

static int read_appraisal(struct canister_json_reader *reader, struct json_object *root,
			  enum canister_op op, struct canister_appraisal_reply *ret)
{
	static const char *const modes[] = { "off", "log", "enforce" };
	struct json_object *keys, *value;
	int64_t generation;
	int mode = 0;
	size_t count;

	if (canister_json_members(reader, root, appraisal_members) < 0 ||
	    read_word(reader, root, "mode", modes, 3, &mode) < 0 ||
	    canister_json_bool(reader, root, "host_keys", &ret->host_keys) < 0 ||
	    canister_json_int(reader, root, "generation", 0, INT64_C(1) << 53, &generation) < 0 ||
	    canister_json_string(reader, root, "refused", true, ret->refused,
				 sizeof(ret->refused)) < 0 ||
	    canister_json_array(reader, root, "keys", CANISTER_APPRAISAL_KEYS_MAX, &keys, &count) <
		    0)
		return -EPROTO;
	/* "keyid" is key-add's alone. */
	if (op == CANISTER_OP_INTEGRITY_KEY_ADD
		    ? read_keyid(reader, root, "keyid", &ret->added_keyid) < 0
		    : json_object_object_get_ex(root, "keyid", &value))
		return canister_json_refuse(reader, "keyid", "only integrity-key-add answers one");
	ret->mode = (enum canister_appraise_mode)mode;
	ret->generation = (uint64_t)generation;
	for (size_t i = 0; i < count; i++) {
		struct json_object *entry = json_object_array_get_idx(keys, i);
		struct canister_appraisal_key *key = &ret->keys[i];
		int from = 0;

		canister_json_enter(reader, "keys[%zu]", i);
		if (canister_json_members(reader, entry, appraisal_key_members) < 0 ||
		    read_keyid(reader, entry, "keyid", &key->keyid) < 0 ||
		    read_word(reader, entry, "keyid_from", keyid_sources, 2, &from) < 0 ||
		    canister_json_string(reader, entry, "algorithm", true, key->algorithm,
					 sizeof(key->algorithm)) < 0 ||
		    canister_json_string(reader, entry, "subject", true, key->subject,
					 sizeof(key->subject)) < 0 ||
		    canister_json_string(reader, entry, "origin", true, key->origin,
					 sizeof(key->origin)) < 0)
			return -EPROTO;
		key->keyid_from_skid = from == 1;
	}
	canister_json_enter(reader, "%s", "");
	ret->key_count = count;
	return 0;
}

/* policy-show */

static const char *const policy_show_members[] = { "ok",      "effective",    "policy", "levels",
						   "refused", "default_path", NULL };
static const char *const policy_level_members[] = { "contid", "mode",	      "loaded_by",
						    "loaded", "from_default", NULL };

static bool policy_show_ok(const struct canister_policy_show_reply *show)
{
	if (show->policy_len > CANISTER_ACCESS_POLICY_TEXT_MAX ||
	    strlen(show->policy) != show->policy_len ||
	    show->level_count > CANISTER_NEST_LIMIT_MAX ||
	    (!show->effective && show->level_count > 1) ||
	    !canister_string_bounded(show->refused, sizeof(show->refused)) ||
	    !canister_string_bounded(show->default_path, sizeof(show->default_path)))
		return false;
	for (unsigned int i = 0; i < show->level_count; i++)
		if (show->levels[i].contid == CANISTER_CONTID_UNSET ||
		    !canister_access_mode_name(show->levels[i].mode) || show->levels[i].loaded < 0)
			return false;
	return true;
}

static bool add_policy_show(const struct canister_policy_show_reply *show, struct json_object *root)
{
	struct json_object *levels = NULL;
	bool ok =
		canister_json_put(root, "effective", json_object_new_boolean(show->effective)) &&
		canister_json_put(
			root, "policy",
			json_object_new_string_len(show->policy, (int)show->policy_len)) &&
		canister_json_put(root, "levels", levels = json_object_new_array()) &&
		canister_json_put(root, "refused", json_object_new_string(show->refused)) &&
		canister_json_put(root, "default_path", json_object_new_string(show->default_path));

	for (unsigned int i = 0; ok && i < show->level_count; i++) {
		const struct canister_policy_level *level = &show->levels[i];
		struct json_object *entry = json_object_new_object();

		ok = canister_json_append(levels, entry) &&
		     canister_json_put(entry, "contid", canister_json_new_contid(level->contid)) &&
		     canister_json_put(
			     entry, "mode",
			     json_object_new_string(canister_access_mode_name(level->mode))) &&
		     canister_json_put(entry, "loaded_by",
				       json_object_new_int64(level->loaded_by)) &&
		     canister_json_put(entry, "loaded", json_object_new_int64(level->loaded)) &&
		     canister_json_put(entry, "from_default",
				       json_object_new_boolean(level->from_default));
	}
	return ok;
}

static int read_policy_show(struct canister_json_reader *reader, struct json_object *root,
			    struct canister_policy_show_reply *ret)
{
	static const char *const modes[] = { "enforce", "complain" };
	struct json_object *levels, *text;
	size_t count, len;

	if (canister_json_members(reader, root, policy_show_members) < 0 ||
	    canister_json_bool(reader, root, "effective", &ret->effective) < 0 ||
	    canister_json_string(reader, root, "refused", true, ret->refused,
				 sizeof(ret->refused)) < 0 ||
	    canister_json_string(reader, root, "default_path", true, ret->default_path,
				 sizeof(ret->default_path)) < 0 ||
	    canister_json_array(reader, root, "levels", CANISTER_NEST_LIMIT_MAX, &levels, &count) <
		    0)
		return -EPROTO;
	if (!json_object_object_get_ex(root, "policy", &text) ||
	    !json_object_is_type(text, json_type_string))
		return canister_json_refuse(reader, "policy", "must be a string");
	len = (size_t)json_object_get_string_len(text);
	if (len > CANISTER_ACCESS_POLICY_TEXT_MAX ||
	    memchr(json_object_get_string(text), '\0', len))
		return canister_json_refuse(reader, "policy",
					    "must be at most %d bytes without NUL",
					    CANISTER_ACCESS_POLICY_TEXT_MAX);
	if (!ret->effective && count > 1)
		return canister_json_refuse(reader, "levels",
					    "a container's own policy has one level at most");
	memcpy(ret->policy, json_object_get_string(text), len + 1);
	ret->policy_len = len;
	for (size_t i = 0; i < count; i++) {
		struct json_object *entry = json_object_array_get_idx(levels, i);
		struct canister_policy_level *level = &ret->levels[i];
		int64_t loaded_by, loaded;
		int mode = 0;

		canister_json_enter(reader, "levels[%zu]", i);
		if (canister_json_members(reader, entry, policy_level_members) < 0 ||
		    canister_json_contid(reader, entry, "contid", false, &level->contid) < 0 ||
		    read_word(reader, entry, "mode", modes, 2, &mode) < 0 ||
		    canister_json_int(reader, entry, "loaded_by", 0, UINT32_MAX, &loaded_by) < 0 ||
		    canister_json_int(reader, entry, "loaded", 0, INT64_MAX, &loaded) < 0 ||
		    canister_json_bool(reader, entry, "from_default", &level->from_default) < 0)
			return -EPROTO;
		level->mode = (enum canister_access_mode)mode;
		level->loaded_by = (uint32_t)loaded_by;
		level->loaded = loaded;
	}
	canister_json_enter(reader, "%s", "");
	ret->level_count = (unsigned int)count;
	return 0;
}

/* grant, revoke, grant-list */

static const char *const grants_members[] = { "ok", "grants", NULL };
static const char *const grant_members[] = {
	"right", "uid", "as_contid", "as_uid", "granted", NULL
};

static bool grants_ok(const struct canister_grants_reply *grants)
{
	if (grants->count > CANISTER_GRANTS_LIST_MAX)
		return false;
	for (unsigned int i = 0; i < grants->count; i++) {
		const struct canister_grant_entry *g = &grants->grants[i];

		if (g->granted < 0 ||
		    (g->credential && (g->as_contid == 0 || g->as_contid == CANISTER_CONTID_UNSET ||
				       g->as_uid > CANISTER_GRANT_UID_MAX ||
				       (g->has_uid && g->uid > CANISTER_GRANT_UID_MAX))))
			return false;
	}
	return true;
}

static bool add_grants(const struct canister_grants_reply *grants, struct json_object *root)
{
	struct json_object *list = NULL;
	bool ok = canister_json_put(root, "grants", list = json_object_new_array());

	for (unsigned int i = 0; ok && i < grants->count; i++) {
		const struct canister_grant_entry *g = &grants->grants[i];
		struct json_object *entry = json_object_new_object();

		ok = canister_json_append(list, entry) &&
		     canister_json_put(
			     entry, "right",
			     json_object_new_string(g->credential ? "credential" : "host-admin")) &&
		     canister_json_put(entry, "granted", json_object_new_int64(g->granted));
		if (ok && g->credential)
			ok = canister_json_put(
				     entry, "uid",
				     json_object_new_int64(g->has_uid ? (int64_t)g->uid : -1)) &&
			     canister_json_put(entry, "as_contid",
					       canister_json_new_contid(g->as_contid)) &&
			     canister_json_put(entry, "as_uid", json_object_new_int64(g->as_uid));
	}
	return ok;
}

static int read_grants(struct canister_json_reader *reader, struct json_object *root,
		       struct canister_grants_reply *ret)
{
	static const char *const rights[] = { "host-admin", "credential" };
	struct json_object *list;
	size_t count;

	if (canister_json_members(reader, root, grants_members) < 0 ||
	    canister_json_array(reader, root, "grants", CANISTER_GRANTS_LIST_MAX, &list, &count) <
		    0)
		return -EPROTO;
	for (size_t i = 0; i < count; i++) {
		struct json_object *entry = json_object_array_get_idx(list, i);
		struct canister_grant_entry *g = &ret->grants[i];
		int64_t uid, as_uid;
		int right = 0;

		*g = (struct canister_grant_entry){ 0 };
		canister_json_enter(reader, "grants[%zu]", i);
		if (canister_json_members(reader, entry, grant_members) < 0 ||
		    read_word(reader, entry, "right", rights, 2, &right) < 0 ||
		    canister_json_int(reader, entry, "granted", 0, INT64_MAX, &g->granted) < 0)
			return -EPROTO;
		g->credential = right == 1;
		if (!g->credential)
			continue;
		if (canister_json_int(reader, entry, "uid", -1, CANISTER_GRANT_UID_MAX, &uid) < 0 ||
		    canister_json_contid(reader, entry, "as_contid", false, &g->as_contid) < 0 ||
		    canister_json_int(reader, entry, "as_uid", 0, CANISTER_GRANT_UID_MAX, &as_uid) <
			    0)
			return -EPROTO;
		g->has_uid = uid >= 0;
		g->uid = g->has_uid ? (uint32_t)uid : 0;
		g->as_uid = (uint32_t)as_uid;
	}
	canister_json_enter(reader, "%s", "");
	ret->count = (unsigned int)count;
	return 0;
}

/* model, model-load */

static const char *const model_members[] = { "ok", "mode", "size", "offset", "text", NULL };
static const char *const model_modes[] = { "learn", "seal", "enforce" };

static bool model_ok(const struct canister_model_reply *m)
{
	bool mode_known = false;

	for (size_t i = 0; i < sizeof(model_modes) / sizeof(model_modes[0]); i++)
		mode_known |= strcmp(m->mode, model_modes[i]) == 0;
	return mode_known && m->len <= CANISTER_MODEL_PAGE_MAX && m->offset <= m->size &&
	       m->len <= m->size - m->offset && !memchr(m->text, '\0', m->len) &&
	       m->text[m->len] == '\0';
}

static bool add_model(const struct canister_model_reply *m, struct json_object *root)
{
	return canister_json_put(root, "mode", json_object_new_string(m->mode)) &&
	       canister_json_put(root, "size", json_object_new_int64((int64_t)m->size)) &&
	       canister_json_put(root, "offset", json_object_new_int64((int64_t)m->offset)) &&
	       canister_json_put(root, "text", json_object_new_string_len(m->text, (int)m->len));
}

static int read_model(struct canister_json_reader *reader, struct json_object *root,
		      struct canister_model_reply *ret)
{
	struct json_object *text;
	int64_t size, offset;
	int mode = 0;
	size_t len;

	if (canister_json_members(reader, root, model_members) < 0 ||
	    read_word(reader, root, "mode", model_modes, 3, &mode) < 0 ||
	    canister_json_int(reader, root, "size", 0, INT64_C(1) << 53, &size) < 0 ||
	    canister_json_int(reader, root, "offset", 0, size, &offset) < 0)
		return -EPROTO;
	if (!json_object_object_get_ex(root, "text", &text) ||
	    !json_object_is_type(text, json_type_string))
		return canister_json_refuse(reader, "text", "must be a string");
	len = (size_t)json_object_get_string_len(text);
	if (len > CANISTER_MODEL_PAGE_MAX || memchr(json_object_get_string(text), '\0', len) ||
	    (uint64_t)len > (uint64_t)(size - offset))
		return canister_json_refuse(reader, "text",
					    "must be at most %d bytes without NUL, within size",
					    CANISTER_MODEL_PAGE_MAX);
	snprintf(ret->mode, sizeof(ret->mode), "%s", model_modes[mode]);
	ret->size = (uint64_t)size;
	ret->offset = (uint64_t)offset;
	memcpy(ret->text, json_object_get_string(text), len + 1);
	ret->len = len;
	return 0;
}

/* audit-add, audit-remove, integrity-policy, policy-load */

static const char *const empty_members[] = { "ok", NULL };

/* The envelope */

static bool reply_ok(const struct canister_reply *reply)
{
	if (!reply->ok)
		return error_ok(&reply->error);
	switch (reply->op) {
	case CANISTER_OP_STATUS:
		return canister_status_valid(&reply->status);
	case CANISTER_OP_GET:
		return get_ok(&reply->get);
	case CANISTER_OP_SET:
		return set_ok(&reply->set);
	case CANISTER_OP_DELEGATE:
		return delegate_ok(&reply->delegate);
	case CANISTER_OP_LIST:
		return list_ok(&reply->list);
	case CANISTER_OP_AUDIT_ADD:
	case CANISTER_OP_AUDIT_REMOVE:
	case CANISTER_OP_INTEGRITY_POLICY:
	case CANISTER_OP_INTEGRITY_TPM:
	case CANISTER_OP_POLICY_LOAD:
		return true;
	case CANISTER_OP_POLICY_SHOW:
		return policy_show_ok(&reply->policy_show);
	case CANISTER_OP_GRANT:
	case CANISTER_OP_REVOKE:
	case CANISTER_OP_GRANT_LIST:
		return grants_ok(&reply->grants);
	case CANISTER_OP_INTEGRITY_READ:
		return integrity_read_ok(&reply->integrity_read);
	case CANISTER_OP_MODEL:
	case CANISTER_OP_MODEL_LOAD:
		return model_ok(&reply->model);
	case CANISTER_OP_INTEGRITY_QUOTE:
		return integrity_quote_ok(&reply->integrity_quote);
	case CANISTER_OP_INTEGRITY_KEY_ADD:
	case CANISTER_OP_INTEGRITY_KEY_REMOVE:
	case CANISTER_OP_INTEGRITY_APPRAISE:
		return appraisal_ok(&reply->appraisal);
	}
	return false;
}

struct json_object *canister_reply_json(const struct canister_reply *reply, bool with_ok)
{
	struct json_object *root;
	bool ok;

	if (!reply_ok(reply))
		return NULL;
	root = json_object_new_object();
	if (!root)
		return NULL;
	ok = !with_ok || canister_json_put(root, "ok", json_object_new_boolean(reply->ok));
	if (ok && !reply->ok) {
		ok = add_error(&reply->error, root);
	} else if (ok) {
		switch (reply->op) {
		case CANISTER_OP_STATUS:
			ok = canister_status_add_json(&reply->status, root);
			break;
		case CANISTER_OP_GET:
			ok = add_get(&reply->get, root);
			break;
		case CANISTER_OP_SET:
			ok = add_set(&reply->set, root);
			break;
		case CANISTER_OP_DELEGATE:
			ok = add_delegate(&reply->delegate, root);
			break;
		case CANISTER_OP_LIST:
			ok = add_list(&reply->list, root);
			break;
		case CANISTER_OP_AUDIT_ADD:
		case CANISTER_OP_AUDIT_REMOVE:
		case CANISTER_OP_INTEGRITY_POLICY:
		case CANISTER_OP_INTEGRITY_TPM:
		case CANISTER_OP_POLICY_LOAD:
			break;
		case CANISTER_OP_POLICY_SHOW:
			ok = add_policy_show(&reply->policy_show, root);
			break;
		case CANISTER_OP_GRANT:
		case CANISTER_OP_REVOKE:
		case CANISTER_OP_GRANT_LIST:
			ok = add_grants(&reply->grants, root);
			break;
		case CANISTER_OP_INTEGRITY_READ:
			ok = add_integrity_read(&reply->integrity_read, root);
			break;
		case CANISTER_OP_MODEL:
		case CANISTER_OP_MODEL_LOAD:
			ok = add_model(&reply->model, root);
			break;
		case CANISTER_OP_INTEGRITY_QUOTE:
			ok = add_integrity_quote(&reply->integrity_quote, root);
			break;
		case CANISTER_OP_INTEGRITY_KEY_ADD:
		case CANISTER_OP_INTEGRITY_KEY_REMOVE:
		case CANISTER_OP_INTEGRITY_APPRAISE:
			ok = add_appraisal(&reply->appraisal, reply->op, root);
			break;
		}
	}
	if (!ok) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int canister_reply_encode(const struct canister_reply *reply, char *buf, size_t len)
{
	struct json_object *root;
	const char *text;
	size_t n;

	if (!reply_ok(reply))
		return -EINVAL;
	root = canister_reply_json(reply, true);
	if (!root)
		return -ENOMEM;
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		json_object_put(root);
		return -ENOMEM;
	}
	n = strlen(text);
	if (n >= len || n > INT_MAX) {
		json_object_put(root);
		return -EMSGSIZE;
	}
	memcpy(buf, text, n + 1);
	json_object_put(root);
	return (int)n;
}

static int decode_root(struct canister_json_reader *reader, struct json_object *root,
		       enum canister_op op, struct canister_reply *reply)
{
	bool ok;

	if (!json_object_is_type(root, json_type_object))
		return canister_json_refuse(reader, NULL, "not a JSON object");
	if (canister_json_bool(reader, root, "ok", &ok) < 0)
		return -EPROTO;
	reply->op = op;
	reply->ok = ok;
	if (!ok)
		return read_error(reader, root, &reply->error);
	switch (op) {
	case CANISTER_OP_STATUS:
		return canister_status_read_json(reader, root, &reply->status);
	case CANISTER_OP_GET:
		return read_get(reader, root, &reply->get);
	case CANISTER_OP_SET:
		return read_set(reader, root, &reply->set);
	case CANISTER_OP_DELEGATE:
		return read_delegate(reader, root, &reply->delegate);
	case CANISTER_OP_LIST:
		return read_list(reader, root, &reply->list);
	case CANISTER_OP_AUDIT_ADD:
	case CANISTER_OP_AUDIT_REMOVE:
	case CANISTER_OP_INTEGRITY_POLICY:
	case CANISTER_OP_INTEGRITY_TPM:
	case CANISTER_OP_POLICY_LOAD:
		return canister_json_members(reader, root, empty_members);
	case CANISTER_OP_POLICY_SHOW:
		return read_policy_show(reader, root, &reply->policy_show);
	case CANISTER_OP_GRANT:
	case CANISTER_OP_REVOKE:
	case CANISTER_OP_GRANT_LIST:
		return read_grants(reader, root, &reply->grants);
	case CANISTER_OP_INTEGRITY_READ:
		return read_integrity_read(reader, root, &reply->integrity_read);
	case CANISTER_OP_MODEL:
	case CANISTER_OP_MODEL_LOAD:
		return read_model(reader, root, &reply->model);
	case CANISTER_OP_INTEGRITY_QUOTE:
		return read_integrity_quote(reader, root, &reply->integrity_quote);
	case CANISTER_OP_INTEGRITY_KEY_ADD:
	case CANISTER_OP_INTEGRITY_KEY_REMOVE:
	case CANISTER_OP_INTEGRITY_APPRAISE:
		return read_appraisal(reader, root, op, &reply->appraisal);
	}
	return canister_json_refuse(reader, NULL, "a reply to an unknown op");
}

int canister_reply_decode(const char *buf, size_t len, enum canister_op op,
			  struct canister_reply *ret_reply, char *err, size_t err_len)
{
	struct canister_json_reader reader = { .err = err, .err_len = err_len };
	struct canister_reply *reply;
	struct json_object *root;
	int r;

	if (len > CANISTER_REPLY_MAX) {
		canister_json_refuse(&reader, NULL, "larger than %d bytes", CANISTER_REPLY_MAX);
		return -EMSGSIZE;
	}
	r = canister_json_parse(&reader, buf, len, REPLY_JSON_DEPTH, &root);
	if (r < 0)
		return r;
	/* Decoded aside, so that a refusal halfway leaves the caller's reply as it was. */
	reply = calloc(1, sizeof(*reply));
	if (!reply) {
		json_object_put(root);
		return -ENOMEM;
	}
	r = decode_root(&reader, root, op, reply);
	json_object_put(root);
	if (r == 0 && !reply_ok(reply))
		r = canister_json_refuse(&reader, NULL, "inconsistent reply");
	if (r == 0)
		*ret_reply = *reply;
	free(reply);
	return r;
}

struct json_object *canister_sinks_json(const struct canister_audit_status *audit)
{
	return canister_status_sinks_json(audit);
}
