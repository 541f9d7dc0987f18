/*
 * Key names for input scripts (see script.h). The named keys come from the
 * KeyCode enum's descriptor, so a key added to proto/input.proto is known
 * here without a second table.
 */
#include <errno.h>
#include <string.h>

#include "input.pb-c.h"
#include "script.h"

/* "KEY_" plus the longest name we look up. */
#define NAME_MAX_LEN 32

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int obis_key_code(const char *name, size_t len, uint32_t *code)
{
	char full[4 + NAME_MAX_LEN + 1] = "KEY_";
	const ProtobufCEnumValue *v;

	if (len == 1 && ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z') ||
			 (name[0] >= '0' && name[0] <= '9'))) {
		*code = (uint32_t)(unsigned char)upper(name[0]);
		return 0;
	}
	if (len == 0 || len > NAME_MAX_LEN)
		return -ENOENT;
	for (size_t i = 0; i < len; i++)
		full[4 + i] = upper(name[i]);
	full[4 + len] = '\0';
	v = protobuf_c_enum_descriptor_get_value_by_name(&ob__key_code__descriptor, full);
	if (!v || v->value == OB__KEY_CODE__KEY_NONE)
		return -ENOENT;
	*code = (uint32_t)v->value;
	return 0;
}
