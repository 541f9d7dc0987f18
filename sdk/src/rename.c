/*
 * rename(): newlib's own is link + unlink, which the fs domain does not
 * offer; it renames in one step instead (replacing a file at new_path, and
 * working on directories).
 *
 * In a file of its own so that it is linked only when the program calls
 * rename, ahead of libc.a's (libob.a is searched first).
 */
#include <outboard.h>

#include <stdio.h>

#include "sdk_internal.h"

int rename(const char *old_path, const char *new_path)
{
	return __ob_ret(ob_rename(old_path, new_path));
}
