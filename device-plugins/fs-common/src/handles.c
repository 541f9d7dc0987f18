/* The plugin's handle numbers (see obf/handles.h). */
#include "obf/handles.h"

#include <errno.h>
#include <stdlib.h>

void obf_handles_init(struct obf_handles *t, uint32_t max)
{
	*t = (struct obf_handles){ .max = max ? max : OBF_HANDLES_MAX };
}

static int grow(struct obf_handles *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 16;
	struct obf_handle_slot *s;

	if (cap > t->max)
		cap = t->max;
	s = realloc(t->slots, (size_t)cap * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (uint32_t i = t->cap; i < cap; i++)
		s[i] = (struct obf_handle_slot){ OBF_HANDLE_FREE, NULL };
	t->slots = s;
	t->cap = cap;
	return 0;
}

int64_t obf_handles_add(struct obf_handles *t, enum obf_handle_kind kind, void *obj)
{
	uint32_t i;

	if (kind == OBF_HANDLE_FREE || !obj)
		return -EINVAL;
	if (t->used >= t->max)
		return -EMFILE;
	for (i = 0; i < t->cap; i++)
		if (t->slots[i].kind == OBF_HANDLE_FREE)
			break;
	if (i == t->cap) {
		int rc = grow(t);
		if (rc < 0)
			return rc;
	}
	t->slots[i] = (struct obf_handle_slot){ kind, obj };
	t->used++;
	return (int64_t)i + 1;
}

static struct obf_handle_slot *slot(const struct obf_handles *t, uint32_t h,
				    enum obf_handle_kind kind)
{
	if (h == 0 || h > t->cap || kind == OBF_HANDLE_FREE)
		return NULL;
	if (t->slots[h - 1].kind != kind)
		return NULL;
	return &t->slots[h - 1];
}

void *obf_handles_get(const struct obf_handles *t, uint32_t h, enum obf_handle_kind kind)
{
	struct obf_handle_slot *s = slot(t, h, kind);

	return s ? s->obj : NULL;
}

void *obf_handles_remove(struct obf_handles *t, uint32_t h, enum obf_handle_kind kind)
{
	struct obf_handle_slot *s = slot(t, h, kind);
	void *obj;

	if (!s)
		return NULL;
	obj = s->obj;
	*s = (struct obf_handle_slot){ OBF_HANDLE_FREE, NULL };
	t->used--;
	return obj;
}

void obf_handles_fini(struct obf_handles *t,
		      void (*drop)(void *arg, enum obf_handle_kind kind, void *obj), void *arg)
{
	for (uint32_t i = 0; i < t->cap; i++)
		if (t->slots[i].kind != OBF_HANDLE_FREE && drop)
			drop(arg, t->slots[i].kind, t->slots[i].obj);
	free(t->slots);
	*t = (struct obf_handles){ .max = t->max };
}
