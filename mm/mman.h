/*
 * mm/mman.h — the mmap family's flag values (Linux i386 ABI) and the
 * in-kernel entry points used by execve and the system calls.
 */
#ifndef MM_MMAN_H
#define MM_MMAN_H

#include <mm/mm_types.h>

#define PROT_NONE       0x0
#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4
#define PROT_GROWSDOWN  0x01000000
#define PROT_GROWSUP    0x02000000

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_GROWSDOWN       0x0100
#define MAP_DENYWRITE       0x0800
#define MAP_EXECUTABLE      0x1000
#define MAP_LOCKED          0x2000
#define MAP_NORESERVE       0x4000
#define MAP_POPULATE        0x8000
#define MAP_NONBLOCK        0x10000
#define MAP_STACK           0x20000
#define MAP_FIXED_NOREPLACE 0x100000

#define MMAP_MIN_ADDR   0x10000u      /* MAP_FIXED below this: EPERM (vm.mmap_min_addr) */

struct file;

/* Maps len bytes (see mmap(2)); returns the address or -errno.
 * Takes mm->mmap_lock itself. file may be NULL (anonymous). */
long do_mmap(struct mm_struct *mm, uint32_t addr, uint32_t len, uint32_t prot,
	     uint32_t flags, struct file *file, uint32_t pgoff);
/* mremap(2) in mm (takes mmap_lock); the new address or -errno. */
long do_mremap(struct mm_struct *mm, uint32_t addr, uint32_t old_len, uint32_t new_len,
	       uint32_t flags, uint32_t new_addr);
/* remap_file_pages(2) in mm (takes mmap_lock; mm/fremap.c): 0 or -errno. */
long do_remap_file_pages(struct mm_struct *mm, uint32_t start, uint32_t size, uint32_t prot,
			 uint32_t pgoff, uint32_t flags);
/* Makes vma (not linked yet) anonymous memory, dropping its file: what a
 * private mapping of /dev/zero is. */
void vma_set_anonymous(struct vm_area_struct *vma);
/* Unmaps [start, start+len) (see munmap(2)); 0 or -errno. mmap_lock held.
 * As on Linux, EINVAL unless start is page aligned and the range, len
 * rounded up to whole pages, is non-empty and lies below USER_TOP. */
int do_munmap(struct mm_struct *mm, uint32_t start, uint32_t len);

#endif
