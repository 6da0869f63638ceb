/*
 * mm/rmap.c — reverse-mapping bookkeeping (see rmap.h).
 *
 * For now this keeps the counts exact; the anon_vma structures that let a
 * page be traced back to every PTE mapping it come with capability C.
 * Mapcount changes happen with interrupts off (uniprocessor atomics).
 */
#include <mm/rmap.h>
#include <kernel/printk.h>
#include <arch/x86/irqflags.h>

void
page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr)
{
	BUG_ON(page->_mapcount != -1);
	page->_mapcount = 0;
	page->index = linear_page_index(vma, addr);
}

void
page_dup_rmap(struct page *page)
{
	uint32_t flags = local_irq_save();

	page->_mapcount++;
	local_irq_restore(flags);
}

void
page_remove_rmap(struct page *page)
{
	uint32_t flags = local_irq_save();

	if (page->_mapcount < 0) {
		local_irq_restore(flags);
		dump_page(page, "page_remove_rmap: not mapped");
		BUG();
	}
	page->_mapcount--;
	local_irq_restore(flags);
}
