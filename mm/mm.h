/* mm/mm.h — what the rest of the kernel calls to manage memory. */
#ifndef MM_MM_H
#define MM_MM_H

struct multiboot_info;
struct mm_struct;

/* Reads the memory map and brings up mem_map, page tables, buddy and slab. */
void mem_init(const struct multiboot_info *mbi);

/* An empty address space (kernel half mapped); NULL if out of memory. */
struct mm_struct *mm_alloc(void);
/* fork: a copy-on-write copy of parent; NULL if out of memory. */
struct mm_struct *dup_mm(struct mm_struct *parent);
void mmget(struct mm_struct *mm);
/* Drops a user; the last one unmaps everything and frees the mm. */
void mmput(struct mm_struct *mm);

#endif
