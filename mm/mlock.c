/*
 * mm/mlock.c — mlock, mlock2, munlock, mlockall, munlockall; mlocked
 * pages; RLIMIT_MEMLOCK.
 *
 * A locked range is a VMA with VM_LOCKED: its pages are faulted in at once
 * (unless MLOCK_ONFAULT / MCL_ONFAULT) and stay resident. mm->locked_vm
 * counts the pages of VM_LOCKED VMAs (VmLck in /proc/PID/status);
 * mlockall(MCL_FUTURE) makes later mappings locked through mm->def_flags.
 * fork does not pass VM_LOCKED on (mm/mm.c: dup_vma), nor MCL_FUTURE.
 *
 * As on Linux, mlock of a range with a hole locks the mapped part before
 * the hole and fails with ENOMEM; lengths are rounded out to whole pages.
 *
 * Mlocked pages (Linux's unevictable-LRU design before 5.18, with its
 * rmap walk on munlock). The invariant, checked by the rmap checker:
 *
 *     PG_mlocked  <=>  some PTE of a VM_LOCKED VMA maps the page
 *
 * and a PG_mlocked page on an LRU list is on the unevictable one (mm/lru.c),
 * where reclaim never looks; NR_MLOCK (meminfo Mlocked) counts them. It is
 * kept by:
 *   - a PTE of a locked VMA starting to map a page (every fault kind,
 *     fault-around, a migrated page put back): mlock_new_mapping, under the
 *     page_table_lock that covers the PTE;
 *   - a VMA becoming locked (mlock, mlock2, mlockall; mremap's and
 *     MAP_LOCKED's new ranges fault in): mlock_vma_range over its mapped
 *     pages;
 *   - PTEs of a locked VMA ceasing to count: munlock, munlockall, the end
 *     of a program (exit, exec: munlock_mm), munmap and MADV_DONTNEED_LOCKED
 *     before they zap, remap_file_pages before it rewrites a locked
 *     nonlinear range, a COW copy replacing a page in a locked VMA. Each
 *     mlocked page they map is munlocked unless another VM_LOCKED PTE maps
 *     it: munlock_page clears the flag, walks rmap for such a PTE, and
 *     either sets the flag again (from the walk, under that PTE's lock) or
 *     puts the page back on its evictable list (inactive, as Linux);
 *   - the last PTE of a page going (truncate, migration, any zap):
 *     clear_page_mlock from page_remove_rmap, without a walk.
 * A page is munlocked under its page lock, so two munlocks of one page
 * (two processes unmapping it) take turns: each walk sees the other's
 * PTEs as they are. A fault setting the flag meanwhile needs no lock: the
 * munlock's last step sees it set and leaves the page where it is.
 *
 * RLIMIT_MEMLOCK, for a process without CAP_IPC_LOCK (Linux 6.1): mlock
 * and mlock2 fail with EPERM if the limit is 0 and ENOMEM past it (pages
 * of the range already locked are not counted twice); mlockall(MCL_CURRENT)
 * with ENOMEM if the whole address space (total_vm) is larger; a new
 * locked mapping (MAP_LOCKED, or any after MCL_FUTURE, brk included) with
 * EAGAIN, a locked one grown by mremap with EAGAIN, and a locked stack
 * does not grow past it (the fault is a SIGSEGV: mm/vma.c, expand_stack). The default limit is 8 MiB
 * (kernel/resource.c), Linux's since 5.16.
 *
 * Locks: mmap_lock for the whole call, including the populating faults;
 * munlock_page takes the page lock, then rmap_walk's locks (i_mmap_lock,
 * anon_vma root lock, page_table_lock), then lru_lock; mlock_page takes
 * only lru_lock, under a page_table_lock.
 */
#include <mm/mlock.h>
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/rmap.h>
#include <mm/lru.h>
#include <mm/pagewalk.h>
#include <mm/page_lock.h>
#include <mm/vmstat.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/capability.h>
#include <kernel/resource.h>
#include <kernel/uaccess.h>

#define MLOCK_ONFAULT 0x01
#define MCL_CURRENT   1
#define MCL_FUTURE    2
#define MCL_ONFAULT   4

#define LOCK_FLAGS (VM_LOCKED | VM_LOCKONFAULT)

/* Faults in the accessible pages of [start, end): writable private pages
 * are written (COW broken now, as Linux does), others read. */
static int
populate_locked(struct mm_struct *mm, uint32_t start, uint32_t end)
{
	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);
		uint32_t stop;
		bool write;

		if (!vma || vma->vm_start >= end)
			break;
		if (start < vma->vm_start)
			start = vma->vm_start;
		stop = vma->vm_end < end ? vma->vm_end : end;
		write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
		if ((vma->vm_flags & VM_ACCESS_FLAGS) && (vma->vm_flags & VM_LOCKED) &&
		    !(vma->vm_flags & VM_LOCKONFAULT) &&
		    populate_range(mm, start, stop, write ? FAULT_WRITE : FAULT_READ) == -ENOMEM)
			return -ENOMEM;
		start = stop;
	}
	return 0;
}

/* ---- mlocked pages ---------------------------------------------------------- */

void
mlock_page(struct page *page)
{
	if (lru_set_mlocked(page))
		count_vm_event(UNEVICTABLE_PGMLOCKED);
}

void
mlock_page_found_locked(struct page *page)
{
	mlock_page(page);
	count_vm_event(UNEVICTABLE_PGCULLED);
}

void
clear_page_mlock(struct page *page)
{
	if (!lru_clear_mlocked(page))
		return;
	lru_putback_munlocked(page);
	count_vm_event(UNEVICTABLE_PGCLEARED);
}

/* What a munlock walk looks for: a PTE of a VM_LOCKED VMA that maps the
 * page, other than those of vma in [start, end), which stop counting. */
struct locked_search {
	const struct vm_area_struct *vma;
	uint32_t start, end;
	bool found;
};

/* rmap_walk's visit: on finding such a PTE, the page is mlocked again at
 * once, under the PTE's page_table_lock: a zap of that PTE after the walk
 * then sees PG_mlocked and clears it (clear_page_mlock). */
static bool
find_locked_pte(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct locked_search *s = arg;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!(vma->vm_flags & VM_LOCKED) || !pte_maps_page(*ptep, page))
		return true;
	if (vma == s->vma && addr >= s->start && addr < s->end)
		return true;
	lru_set_mlocked(page);
	s->found = true;
	return false;
}

/* page (referenced by the caller) may have lost its last locked mapping:
 * the PTEs of vma in [start, end) no longer count (vma NULL: the PTE that
 * counted is gone already). It is munlocked unless a PTE of another
 * VM_LOCKED VMA maps it. => no spinlock held; takes the page lock. */
static void
munlock_page(struct page *page, const struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct locked_search s = { vma, start, end, false };
	struct rmap_walk_control rwc = { .arg = &s, .visit = find_locked_pte };
	int in_range = vma ? 1 : 0;              /* mappings known to stop counting */

	lock_page(page);
	if (lru_clear_mlocked(page)) {
		if (page_mapcount(page) > in_range)
			rmap_walk(page, &rwc);
		if (!s.found) {
			lru_putback_munlocked(page);   /* unless a fault locked it meanwhile */
			count_vm_event(UNEVICTABLE_PGMUNLOCKED);
		}
	}
	unlock_page(page);
}

void
munlock_page_after_cow(struct vm_area_struct *vma, struct page *page)
{
	if ((vma->vm_flags & VM_LOCKED) && PageFlag(page, PG_mlocked))
		munlock_page(page, NULL, 0, 0);
}

/* ---- ranges of a VMA ---------------------------------------------------------- */

/* The page a PTE maps, if it maps one of mem_map's. */
static struct page *
pte_user_page(pte_t pte)
{
	return pte_mapped(pte) && pfn_valid(pte_pfn(pte)) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

/* pte_table of mlock_vma_range: mlocks the pages [addr, end) maps.
 * => page_table_lock held. */
static int
mlock_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	for (; addr != end; addr += PAGE_SIZE, ptep++) {
		struct page *page = pte_user_page(*ptep);

		if (page)
			mlock_page(page);
	}
	return 0;
}

static const struct mm_walk_ops mlock_ops = { .pte_table = mlock_pte_table, .flags = WALK_LOCK_PTL };

void
mlock_vma_range(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	BUG_ON(!(vma->vm_flags & VM_LOCKED) || start < vma->vm_start || end > vma->vm_end);
	walk_page_range(vma->vm_mm, start, end, &mlock_ops, NULL);
}

/* How many mlocked pages munlock_pte_table takes out from under the
 * page_table_lock at a time (referenced) to munlock them without it. */
#define MUNLOCK_BATCH 16

/* pte_table of munlock_vma_range: munlocks the mlocked pages [addr, end)
 * maps, a batch at a time. Called without page_table_lock (it sleeps). */
static int
munlock_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct locked_search *range = walk->private;
	struct mm_struct *mm = walk->mm;

	while (addr != end) {
		struct page *batch[MUNLOCK_BATCH];
		int n = 0;

		spin_lock(&mm->page_table_lock);
		for (; addr != end && n < MUNLOCK_BATCH; addr += PAGE_SIZE, ptep++) {
			struct page *page = pte_user_page(*ptep);

			if (page && PageFlag(page, PG_mlocked)) {
				get_page(page);
				batch[n++] = page;
			}
		}
		spin_unlock(&mm->page_table_lock);
		for (int i = 0; i < n; i++) {
			munlock_page(batch[i], range->vma, range->start, range->end);
			put_page(batch[i]);
		}
	}
	return 0;
}

static const struct mm_walk_ops munlock_ops = { .pte_table = munlock_pte_table };

void
munlock_vma_range(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct locked_search range = { vma, start, end, false };

	BUG_ON(start < vma->vm_start || end > vma->vm_end);
	walk_page_range(vma->vm_mm, start, end, &munlock_ops, &range);
}

struct vm_area_struct *
mlock_fixup(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	    uint32_t newflags)
{
	bool was = vma->vm_flags & VM_LOCKED, now = newflags & VM_LOCKED;

	vma = vma_modify_flags(mm, vma, start, end, newflags);
	if (!vma || was == now)
		return vma;
	if (now)
		mlock_vma_range(vma, start, end);
	else
		munlock_vma_range(vma, start, end);
	return vma;
}

/* ---- RLIMIT_MEMLOCK -------------------------------------------------------------- */

/* RLIMIT_MEMLOCK in pages. */
static uint64_t
memlock_limit_pages(void)
{
	return rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
}

bool
can_do_mlock(void)
{
	return rlimit(RLIMIT_MEMLOCK) != 0 || capable(CAP_IPC_LOCK);
}

bool
mlock_limit_allows(unsigned long locked_pages)
{
	return locked_pages <= memlock_limit_pages() || capable(CAP_IPC_LOCK);
}

int
mlock_future_check(struct mm_struct *mm, uint32_t vm_flags, uint32_t len)
{
	if ((vm_flags & VM_LOCKED) && !mlock_limit_allows(mm->locked_vm + (len >> PAGE_SHIFT)))
		return -EAGAIN;
	return 0;
}

/* Pages of [start, start + len) that VM_LOCKED VMAs cover already
 * (Linux's count_mm_mlocked_page_nr). */
static unsigned long
locked_pages_in(struct mm_struct *mm, uint32_t start, uint32_t len)
{
	uint32_t end = len > USER_TOP - start ? USER_TOP : start + len;
	struct vm_area_struct *vma;
	unsigned long pages = 0;

	if (start >= USER_TOP)
		return 0;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma))
		if (vma->vm_flags & VM_LOCKED)
			pages += ((vma->vm_end < end ? vma->vm_end : end) -
				  (vma->vm_start > start ? vma->vm_start : start)) >> PAGE_SHIFT;
	return pages;
}

/* ---- the system calls -------------------------------------------------------------- */

/* vma_apply_range's step: [start, end) of vma gets the lock flags. */
static int
lock_step(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	  void *lockflags)
{
	uint32_t flags = (vma->vm_flags & ~LOCK_FLAGS) | *(uint32_t *)lockflags;

	return mlock_fixup(mm, vma, start, end, flags) ? 0 : -ENOMEM;
}

/* Locks or unlocks [start, start + len): the VMAs' flags, their pages'
 * lists, and for a lock the populating faults. */
static long
apply_lock_range(uint32_t start, uint32_t len, uint32_t lockflags)
{
	struct mm_struct *mm = current->mm;
	uint32_t end = start + len;
	long err;

	lockdep_assert_held(&mm->mmap_lock);
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	err = vma_apply_range(mm, start, end, lock_step, &lockflags);
	if (!err && (lockflags & VM_LOCKED))
		err = populate_locked(mm, start, end);
	return err;
}

/* mlock and mlock2, with Linux's checks in its order: EPERM if the
 * process may not lock at all, ENOMEM past RLIMIT_MEMLOCK (what the range
 * has locked already is not counted again), then the range. */
static long
do_mlock(uint32_t start, uint32_t len, uint32_t lockflags)
{
	struct mm_struct *mm = current->mm;
	unsigned long locked;
	long err = -ENOMEM;

	if (!can_do_mlock())
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	mutex_lock(&mm->mmap_lock);
	locked = mm->locked_vm + (len >> PAGE_SHIFT);
	if (!mlock_limit_allows(locked))
		locked -= locked_pages_in(mm, start, len);
	if (mlock_limit_allows(locked))
		err = apply_lock_range(start, len, lockflags);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static long
sys_mlock(uint32_t start, uint32_t len)
{
	return do_mlock(start, len, VM_LOCKED);
}
SYSCALL_DEFINE(mlock, sys_mlock);

static long
sys_mlock2(uint32_t start, uint32_t len, uint32_t flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}
SYSCALL_DEFINE(mlock2, sys_mlock2);

static long
sys_munlock(uint32_t start, uint32_t len)
{
	struct mm_struct *mm = current->mm;
	long err;

	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	mutex_lock(&mm->mmap_lock);
	err = apply_lock_range(start, len, 0);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(munlock, sys_munlock);

/* Gives every VMA the lock flags. */
static int
lock_all_vmas(struct mm_struct *mm, uint32_t lockflags)
{
	struct vm_area_struct *vma = list_empty(&mm->mmap_list) ? NULL
		: list_first_entry(&mm->mmap_list, struct vm_area_struct, vm_list);

	while (vma) {
		uint32_t end = vma->vm_end;

		vma = mlock_fixup(mm, vma, vma->vm_start, end, (vma->vm_flags & ~LOCK_FLAGS) | lockflags);
		if (!vma)
			return -ENOMEM;
		vma = find_vma(mm, end);
	}
	return 0;
}

static long
sys_mlockall(uint32_t flags)
{
	struct mm_struct *mm = current->mm;
	uint32_t lockflags = VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0);
	long err = 0;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	mutex_lock(&mm->mmap_lock);
	if ((flags & MCL_CURRENT) && !mlock_limit_allows(mm->total_vm)) {
		mutex_unlock(&mm->mmap_lock);
		return -ENOMEM;                  /* the whole address space would be locked */
	}
	mm->def_flags = (flags & MCL_FUTURE) ? lockflags : 0;
	if (flags & MCL_CURRENT) {
		err = lock_all_vmas(mm, lockflags);
		if (!err)
			err = populate_locked(mm, 0, USER_TOP);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(mlockall, sys_mlockall);

/* munlockall's work: no VMA locked, none to be. */
static int
unlock_all(struct mm_struct *mm)
{
	lockdep_assert_held(&mm->mmap_lock);
	mm->def_flags = 0;
	return lock_all_vmas(mm, 0);
}

static long
sys_munlockall(void)
{
	struct mm_struct *mm = current->mm;
	long err;

	mutex_lock(&mm->mmap_lock);
	err = unlock_all(mm);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(munlockall, sys_munlockall);

void
munlock_mm(struct mm_struct *mm)
{
	BUG_ON(mm != current->mm);
	mutex_lock(&mm->mmap_lock);
	if (mm->locked_vm || mm->def_flags)
		unlock_all(mm);                  /* whole VMAs: no split, so no ENOMEM */
	mutex_unlock(&mm->mmap_lock);
}
