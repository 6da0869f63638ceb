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
/* Drops a user; the last one unmaps everything and drops the struct. */
void mmput(struct mm_struct *mm);
/* Pins / unpins the struct itself (not its memory): mm_count. */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
/* Pins every mm in existence (even ones being built or torn down) into
 * mms[] (at most max); returns how many. Release each with mmdrop. */
int grab_all_mms(struct mm_struct **mms, int max);

#endif
