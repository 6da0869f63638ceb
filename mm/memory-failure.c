/*
 * mm/memory-failure.c — soft-offline: taking one physical frame out of
 * use for good (Linux's answer to a frame that reports correctable
 * errors), without anyone who uses it noticing.
 *
 *   free frame            taken out of the buddy allocator
 *   user page (anon/file)  migrated to a new frame under all its
 *                          mappings (mm/migrate.c), then kept
 *   anything else          -EIO: the kernel's own pages cannot move
 *
 * An offline frame has PG_hwpoison and one reference that is never
 * dropped, so it is never allocated again.
 *
 * Locks: takes the caller's mmap_lock only to find its pages
 * (madvise_soft_offline), and drops it before migrating.
 */
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/memory.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <arch/x86/irqflags.h>

static bool PageHWPoison(const struct page *p) { return PageFlag(p, PG_hwpoison); }

static void
mark_offline(struct page *page)
{
	SetPageFlag(page, PG_hwpoison);
	count_vm_event(SOFT_OFFLINE);
	printk(KERN_INFO "soft offline: pfn %#lx taken out of use\n", page_to_pfn(page));
}

/* A user page the caller holds one reference on: move it away and keep
 * the frame. The caller's reference becomes the frame's permanent one. */
static int
soft_offline_in_use_page(struct page *page)
{
	struct page *newpage;
	int err;

	if (PageHWPoison(page)) {
		put_page(page);
		return 0;
	}
	newpage = alloc_page(GFP_KERNEL);
	if (!newpage) {
		put_page(page);
		return -ENOMEM;
	}
	err = migrate_page_to(page, newpage);
	if (err) {
		put_page(newpage);
		put_page(page);
		return err;
	}
	mark_offline(page);
	return 0;
}

/* A reference on the frame if it holds a user page; NULL otherwise. */
static struct page *
get_user_page_ref(struct page *page)
{
	uint32_t flags = local_irq_save();
	bool user = page->_refcount > 0 && page->mapping && !PageReserved(page) &&
		    !PageSlab(page) && !PageHead(page) && !PageTail(page);

	if (user)
		page->_refcount++;
	local_irq_restore(flags);
	return user ? page : NULL;
}

int
soft_offline_page(unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn))
		return -ENXIO;
	page = pfn_to_page(pfn);
	if (PageHWPoison(page))
		return 0;                        /* already offline */
	if (take_page_off_buddy(page)) {
		mark_offline(page);
		return 0;
	}
	if (!get_user_page_ref(page))
		return -EIO;
	return soft_offline_in_use_page(page);
}

/* The page mapped at addr in the caller's mm, faulted in if need be, with
 * a reference; or NULL and *err. */
static struct page *
get_own_page(struct mm_struct *mm, uint32_t addr, int *err)
{
	struct page *page = NULL;
	pte_t *ptep;

	mutex_lock(&mm->mmap_lock);
	if (!find_vma_intersection(mm, addr, addr + PAGE_SIZE)) {
		*err = -EFAULT;
		goto out;
	}
	ptep = pte_lookup(mm->pgd, addr);
	if (!ptep || !pte_mapped(*ptep)) {
		if (handle_mm_fault(mm, addr, FAULT_READ) != FAULT_HANDLED) {
			*err = -EFAULT;
			goto out;
		}
		ptep = pte_lookup(mm->pgd, addr);
	}
	if (!ptep || !pte_mapped(*ptep)) {
		*err = -EAGAIN;                  /* being migrated right now */
		goto out;
	}
	spin_lock(&mm->page_table_lock);
	page = pfn_to_page(pte_pfn(*ptep));
	get_page(page);
	spin_unlock(&mm->page_table_lock);
out:
	mutex_unlock(&mm->mmap_lock);
	return page;
}

int
madvise_soft_offline(uint32_t start, uint32_t end)
{
	struct mm_struct *mm = current->mm;

	for (uint32_t addr = start; addr < end; addr += PAGE_SIZE) {
		int err = 0;
		struct page *page = get_own_page(mm, addr, &err);

		if (!page)
			return err;
		err = soft_offline_in_use_page(page);
		if (err)
			return err;
	}
	return 0;
}
