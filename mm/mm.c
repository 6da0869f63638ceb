/*
 * mm/mm.c — the life of an address space: creation (exec), duplication
 * (fork) and teardown (exit, or exec replacing it).
 *
 * Every mm is on mmlist from mm_alloc until its struct is freed, so the
 * rmap checker can see address spaces that no task points at yet (fork
 * building a child) or any more (exit tearing one down).
 *
 * Locks: dup_mm holds the parent's mmap_lock while copying, and the
 * child's, which it takes before the child is on mmlist: the rmap checker
 * locks every mm on mmlist, and must not see the child's VMAs half built.
 * Taken before anyone can see it, the child's lock is never waited for
 * (a trylock that cannot fail), so holding two mmap_locks here cannot
 * deadlock with the checker. exit_mmap holds the dying mm's (rmap walkers
 * can still reach its VMAs).
 * mmlist_lock (spin, irqs off) guards mmlist and mm_count's last drop.
 */
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/shmem.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <fs/file.h>
#include <arch/x86/irqflags.h>

#define DEFAULT_STACK_LIMIT (8u << 20)          /* RLIMIT_STACK, as on Linux */
#define MMAP_BASE (USER_TOP - DEFAULT_STACK_LIMIT - (8u << 20))

static struct kmem_cache *mm_cache;
static LIST_HEAD(mmlist);
static DEFINE_SPINLOCK(mmlist_lock);

/* A new mm on mmlist; with locked, its mmap_lock is the caller's, taken
 * before the mm is on the list. NULL if out of memory. */
static struct mm_struct *
mm_create(bool locked)
{
	struct mm_struct *mm;

	if (!mm_cache && !(mm_cache = kmem_cache_create("mm_struct", sizeof(*mm), 0)))
		return NULL;
	mm = kmem_cache_zalloc(mm_cache);
	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kmem_cache_free(mm_cache, mm);
		return NULL;
	}
	mutex_init(&mm->mmap_lock, "mmap_lock");
	if (locked && !mutex_trylock(&mm->mmap_lock))
		BUG();                           /* no one else can see it yet */
	spin_lock_init(&mm->page_table_lock, "page_table_lock");
	mm->mm_rb = RB_ROOT;
	INIT_LIST_HEAD(&mm->mmap_list);
	mm->mm_users = 1;
	mm->mm_count = 1;
	{
		uint32_t flags = spin_lock_irqsave(&mmlist_lock);

		list_add_tail(&mm->mmlist, &mmlist);
		spin_unlock_irqrestore(&mmlist_lock, flags);
	}
	mm->mmap_base = MMAP_BASE;
	mm->stack_limit = DEFAULT_STACK_LIMIT;
	return mm;
}

struct mm_struct *
mm_alloc(void)
{
	return mm_create(false);
}

/* Unmaps and frees every VMA. No task uses the mm any more, but rmap
 * walkers and the checker may still reach its VMAs until they are
 * unlinked, so this runs under mmap_lock like any munmap. */
static void
exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *tmp;

	mutex_lock(&mm->mmap_lock);
	list_for_each_entry_safe(vma, tmp, &mm->mmap_list, vm_list) {
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		vma_free(vma);
	}
	mutex_unlock(&mm->mmap_lock);
}

void
mmget(struct mm_struct *mm)
{
	uint32_t flags = local_irq_save();

	mm->mm_users++;
	local_irq_restore(flags);
}

void
mmput(struct mm_struct *mm)
{
	uint32_t flags = local_irq_save();
	int left = --mm->mm_users;

	local_irq_restore(flags);
	if (left)
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

void
mmgrab(struct mm_struct *mm)
{
	uint32_t flags = spin_lock_irqsave(&mmlist_lock);

	mm->mm_count++;
	spin_unlock_irqrestore(&mmlist_lock, flags);
}

void
mmdrop(struct mm_struct *mm)
{
	uint32_t flags = spin_lock_irqsave(&mmlist_lock);
	int left = --mm->mm_count;

	if (!left)
		list_del(&mm->mmlist);
	spin_unlock_irqrestore(&mmlist_lock, flags);
	if (left)
		return;
	pgd_free(mm->pgd);
	kmem_cache_free(mm_cache, mm);
}

int
grab_all_mms(struct mm_struct **mms, int max)
{
	uint32_t flags = spin_lock_irqsave(&mmlist_lock);
	struct mm_struct *mm;
	int n = 0;

	list_for_each_entry(mm, &mmlist, mmlist) {
		if (n == max)
			break;
		mm->mm_count++;
		mms[n++] = mm;
	}
	spin_unlock_irqrestore(&mmlist_lock, flags);
	return n;
}

/* Whether fork must copy vma's PTEs (Linux's vma_needs_copy): only if it
 * has anonymous pages (an anon_vma), or if it is nonlinear (its PTEs are
 * its layout). A linear file VMA without anonymous pages — program text,
 * a shared file or shared anonymous mapping — is filled again from the
 * page cache by the child's faults, so copying its PTEs would only cost
 * fork and exit time. */
static bool
vma_needs_copy(const struct vm_area_struct *vma)
{
	return vma->anon_vma != NULL || (vma->vm_flags & VM_NONLINEAR);
}

/* A copy of vma for the child: same range, flags and backing; it joins
 * the parent's anon_vmas and gets its own for the pages it will copy. */
static struct vm_area_struct *
dup_vma(struct mm_struct *child, struct vm_area_struct *vma)
{
	struct vm_area_struct *new = vma_alloc(child, vma->vm_start, vma->vm_end,
					       vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT),
					       vma->vm_pgoff);                /* locks are not inherited */

	if (!new)
		return NULL;
	new->vm_page_prot = vma->vm_page_prot;
	new->vm_advice = vma->vm_advice;
	if (vma->vm_file)
		vma_set_file(new, vma->vm_file);
	if (vma->vm_flags & VM_WIPEONFORK)
		return new;                      /* the child starts with it empty */
	if (anon_vma_fork(new, vma)) {
		vma_free(new);
		return NULL;
	}
	return new;
}

struct mm_struct *
dup_mm(struct mm_struct *parent)
{
	struct mm_struct *child;
	struct vm_area_struct *vma;
	int err = 0;

	mutex_lock(&parent->mmap_lock);
	child = mm_create(true);
	if (!child) {
		mutex_unlock(&parent->mmap_lock);
		return NULL;
	}
	for_each_vma(parent, vma) {
		struct vm_area_struct *new;

		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		new = dup_vma(child, vma);
		if (!new) {
			err = -ENOMEM;
			break;
		}
		vma_link(child, new);
		if ((vma->vm_flags & VM_WIPEONFORK) || !vma_needs_copy(vma))
			continue;
		err = copy_page_range(child, parent, vma);
		if (err)
			break;
	}
	child->mmap_base = parent->mmap_base;
	child->def_flags = 0;                    /* mlockall(MCL_FUTURE) is not inherited */
	child->start_code = parent->start_code;
	child->end_code = parent->end_code;
	child->start_data = parent->start_data;
	child->end_data = parent->end_data;
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->start_stack = parent->start_stack;
	child->stack_limit = parent->stack_limit;
	child->arg_start = parent->arg_start;
	child->arg_end = parent->arg_end;
	child->env_start = parent->env_start;
	child->env_end = parent->env_end;
	mutex_unlock(&child->mmap_lock);
	mutex_unlock(&parent->mmap_lock);
	if (err) {
		mmput(child);
		return NULL;
	}
	return child;
}
