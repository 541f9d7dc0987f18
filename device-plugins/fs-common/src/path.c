/* Guest path checks and last-component splitting (see obf/path.h). */
#include "obf/path.h"

#include <errno.h>
#include <string.h>

bool obf_name_is_dots(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

int obf_path_check(const char *path)
{
	size_t len, comp = 0;

	if (!path || !path[0])
		return -ENOENT;
	len = strnlen(path, OBF_PATH_MAX);
	if (len >= OBF_PATH_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++) {
		if (path[i] == '/') {
			comp = 0;
		} else if (++comp > OBF_NAME_MAX) {
			return -ENAMETOOLONG;
		}
	}
	return 0;
}

int obf_path_split(const char *path, struct obf_path *out)
{
	size_t end, start;
	int rc = obf_path_check(path);

	if (rc < 0)
		return rc;
	*out = (struct obf_path){ .kind = OBF_LAST_NAME };
	end = strlen(path);
	while (end > 0 && path[end - 1] == '/') {
		end--;
		out->dir_only = true;
	}
	if (end == 0) {
		/* Only slashes: the root, which has no parent to act in. */
		out->kind = OBF_LAST_ROOT;
		out->dir_only = false;
		strcpy(out->parent, "/");
		return 0;
	}
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	memcpy(out->last, path + start, end - start); /* <= OBF_NAME_MAX, checked */
	out->last[end - start] = '\0';
	if (strcmp(out->last, ".") == 0)
		out->kind = OBF_LAST_DOT;
	else if (strcmp(out->last, "..") == 0)
		out->kind = OBF_LAST_DOTDOT;

	if (start == 0) {
		strcpy(out->parent, ".");
	} else {
		/* Keep the parent's own slashes except the separating ones, but
		 * never reduce "/name" to an empty parent. */
		size_t plen = start;
		while (plen > 1 && path[plen - 1] == '/')
			plen--;
		memcpy(out->parent, path, plen);
		out->parent[plen] = '\0';
	}
	return 0;
}
