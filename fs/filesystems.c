/*
 * fs/filesystems.c — the list of file system types mount(2) can name
 * ("ext2"), registered once at boot and never removed.
 *
 * Locks: none. Types are registered by fs_init before any process runs;
 * after that the list only is read.
 */
#include <fs/vfs.h>
#include <kernel/errno.h>
#include <libk/string.h>

static struct file_system_type *file_systems;

int
register_filesystem(struct file_system_type *type)
{
	struct file_system_type **p;

	for (p = &file_systems; *p; p = &(*p)->next)
		if (strcmp((*p)->name, type->name) == 0)
			return -EBUSY;
	type->next = NULL;
	*p = type;
	return 0;
}

struct file_system_type *
get_fs_type(const char *name)
{
	for (struct file_system_type *t = file_systems; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}
