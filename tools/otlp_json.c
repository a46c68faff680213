/* SPDX-License-Identifier: MIT */
/*
 * otlp_json.c - any message of otlp.proto as OTLP/JSON, walked through the
 * descriptors that protoc-c generated (no second schema to keep in step), built
 * with jansson.  OTLP/JSON's rules: field names in lowerCamelCase, trace and span
 * ids as hex (other bytes base64), 64-bit integers as decimal strings, enums as
 * integers, fields at their default value left out.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "otlp.h"
#include "tools.h"

static json_t *message(const ProtobufCMessage *msg);

/* snake_case to lowerCamelCase: trace_id -> traceId. */
static void camel(char *out, size_t n, const char *name)
{
	size_t k = 0;
	for (int up = 0; *name && k + 1 < n; name++) {
		if (*name == '_') {
			up = 1;
			continue;
		}
		out[k++] = up && *name >= 'a' && *name <= 'z' ? *name - 32 : *name;
		up = 0;
	}
	out[k] = 0;
}

static int is_id(const char *name)
{
	return !strcmp(name, "trace_id") || !strcmp(name, "span_id") ||
	       !strcmp(name, "parent_span_id");
}

static json_t *bytes(const ProtobufCBinaryData *b, int hex)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *s = jr_xmalloc(2 * b->len + 4 * (b->len / 3 + 1) + 1), *w = s;
	if (hex) {
		join_hex(s, b->data, (int)b->len);
		w += 2 * b->len;
	} else {
		for (size_t i = 0; i < b->len; i += 3) {
			uint32_t v = (uint32_t)b->data[i] << 16;
			v |= i + 1 < b->len ? (uint32_t)b->data[i + 1] << 8 : 0;
			v |= i + 2 < b->len ? b->data[i + 2] : 0;
			*w++ = b64[v >> 18 & 63];
			*w++ = b64[v >> 12 & 63];
			*w++ = i + 1 < b->len ? b64[v >> 6 & 63] : '=';
			*w++ = i + 2 < b->len ? b64[v & 63] : '=';
		}
	}
	*w = 0;
	json_t *j = json_string(s);
	free(s);
	return j;
}

static json_t *decimal(int64_t v, int sign)
{
	char s[24];
	snprintf(s, sizeof s, sign ? "%" PRId64 : "%" PRIu64, v);
	return json_string(s);
}

/* One value of field f at p; NULL when it is the default (left out). */
static json_t *scalar(const ProtobufCFieldDescriptor *f, const void *p, int always)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)p || always ? json_boolean(*(const int *)p)
		                                                : NULL;
	case PROTOBUF_C_TYPE_ENUM:
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return *(const int32_t *)p || always ? json_integer(*(const int32_t *)p) : NULL;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return *(const uint32_t *)p || always ? json_integer(*(const uint32_t *)p) : NULL;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return *(const int64_t *)p || always ? decimal(*(const int64_t *)p, 1) : NULL;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return *(const uint64_t *)p || always ? decimal(*(const int64_t *)p, 0) : NULL;
	case PROTOBUF_C_TYPE_FLOAT:
		return *(const float *)p != 0 || always ? json_real(*(const float *)p) : NULL;
	case PROTOBUF_C_TYPE_DOUBLE:
		return *(const double *)p != 0 || always ? json_real(*(const double *)p) : NULL;
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)p;
		return s && (*s || always) ? json_string(s) : NULL;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		const ProtobufCBinaryData *b = p;
		return b->len || always ? bytes(b, is_id(f->name)) : NULL;
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;
		return m ? message(m) : NULL;
	}
	}
	return NULL;
}

static size_t size_of(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	default:
		return 4;
	}
}

static json_t *message(const ProtobufCMessage *msg)
{
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	const char *base = (const char *)msg;
	json_t *o = json_object();
	for (unsigned i = 0; o && i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const void *p = base + f->offset;
		json_t *v = NULL;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const char *arr = *(char *const *)p;
			if (n)
				v = json_array();
			for (size_t k = 0; v && k < n; k++)
				json_array_append_new(v, scalar(f, arr + k * size_of(f->type), 1));
		} else if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			if (*(const uint32_t *)(base + f->quantifier_offset) == f->id)
				v = scalar(f, p, 1); /* the member set, even at its default */
		} else {
			v = scalar(f, p, 0);
		}
		if (v) {
			char key[64];
			camel(key, sizeof key, f->name);
			json_object_set_new(o, key, v);
		}
	}
	return o;
}

char *jr_otlp_json(const ProtobufCMessage *msg)
{
	json_t *o = message(msg);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
	json_decref(o);
	return s;
}
