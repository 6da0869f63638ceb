/*
 * fs/proc_task_mmu.c — the /proc/PID files that describe an address
 * space, in Linux's formats:
 *
 *   maps      one line per VMA, "start-end perms offset major:minor inode",
 *             then for a named VMA spaces up to column MAPS_NAME_COLUMN
 *             and the name: a file's path, [heap], [stack], or
 *             "/dev/zero (deleted)" for shared anonymous memory
 *   smaps     each maps line followed by what the VMA's pages use
 *             (Size, Rss, Pss, Shared/Private Clean/Dirty, ..., VmFlags)
 *   pagemap   binary: one little-endian 64-bit entry per user page
 *   status    its Vm* lines (proc_show_task_mem)
 *
 * Snapshot rule (mm/LOCKING.md): nothing here touches user memory or takes
 * namespace_mutex while holding mmap_lock. A reader takes a user reference
 * on the mm (proc_get_mm), locks mmap_lock, copies what it needs out of
 * the VMAs into a kmalloc'd array (for smaps it also counts their pages
 * then), takes a reference on each VMA's file, and unlocks. Only then does
 * it name the files (d_path takes namespace_mutex), format the text and
 * drop the file references. pagemap works the same way in slices of at
 * most PAGEMAP_BATCH entries, copying each slice out after unlocking.
 *
 * Locks, outer first: mm->mmap_lock (the VMAs; page tables stay allocated
 * while it is held), then mm->page_table_lock around each page table whose
 * PTEs are read and whose pages are looked at (reverse-map walkers change
 * PTEs holding only that lock).
 */
#include <fs/proc_internal.h>
#include <fs/file.h>
#include <fs/fs_struct.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/pagewalk.h>
#include <mm/rmap.h>
#include <mm/shmem.h>
#include <mm/slab.h>
#include <mm/swapops.h>
#include <mm/vma.h>
#include <libk/stdio.h>
#include <libk/string.h>

/* Linux pads the name of a maps line to 25 + 6 * sizeof(void *) - 1
 * columns, then writes one more space: 48 on i386. */
#define MAPS_NAME_COLUMN   (25 + 6 * sizeof(void *) - 1)
/* Shared anonymous memory is a deleted /dev/zero file on Linux, on the
 * internal shmem mount 00:01. */
#define SHMEM_NAME         "/dev/zero (deleted)"

/* madvise hints stored in vm_advice (Linux's MADV_RANDOM, MADV_SEQUENTIAL). */
#define ADVICE_RANDOM      1
#define ADVICE_SEQUENTIAL  2

/* ---- walking page tables ----------------------------------------------- */

/* Page tables are walked with walk_page_range (mm/pagewalk.h), holding
 * mm->page_table_lock around each table (WALK_LOCK_PTL); the page a PTE
 * stands for is pte_to_page's (mm/swapops.h). */

/* ---- what smaps counts ------------------------------------------------- */

/* Pss is kept in 1/2^PSS_SHIFT bytes, so a page shared by n PTEs adds
 * PAGE_SIZE/n exactly enough. */
#define PSS_SHIFT 12

/* What the pages of one VMA use, in bytes (pss_* in Pss units). */
struct mem_size_stats {
	uint64_t resident;
	uint64_t shared_clean, shared_dirty;
	uint64_t private_clean, private_dirty;
	uint64_t referenced;
	uint64_t anonymous;
	uint64_t swap, swap_pss;
	uint64_t pss, pss_dirty, pss_locked;
};

/* What a PTE walk of one VMA for smaps needs to know. */
struct smaps_walk {
	struct mem_size_stats *mss;
	bool locked;                     /* VM_LOCKED: the pages count as Locked */
};

/*
 * Accounts one page mapped by a PTE. present: by a present or PROT_NONE
 * PTE (a migration entry's page is not). As on Linux, a page mapped by
 * two PTEs or more, or not present, counts as shared and adds only its
 * share to Pss; one mapped once is private.
 */
static void
smaps_account_page(struct smaps_walk *w, struct page *page, bool young, bool dirty, bool present)
{
	struct mem_size_stats *mss = w->mss;
	int mapcount = page_mapcount(page);
	bool shared = !present || mapcount >= 2;
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;

	if (present && mapcount >= 2)
		pss /= (unsigned)mapcount;
	dirty = dirty || PageFlag(page, PG_dirty);
	mss->resident += PAGE_SIZE;
	if (PageAnon(page))
		mss->anonymous += PAGE_SIZE;
	if (young || PageFlag(page, PG_referenced))
		mss->referenced += PAGE_SIZE;
	mss->pss += pss;
	if (w->locked)
		mss->pss_locked += pss;
	if (dirty) {
		mss->pss_dirty += pss;
		*(shared ? &mss->shared_dirty : &mss->private_dirty) += PAGE_SIZE;
	} else {
		*(shared ? &mss->shared_clean : &mss->private_clean) += PAGE_SIZE;
	}
}

/* pte_entry of smaps. => page_table_lock held. */
static int
smaps_pte(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	struct smaps_walk *w = walk->private;
	pte_t pte = *ptep;
	struct page *page = pte_to_page(pte);

	if (page)
		smaps_account_page(w, page, pte_young(pte), pte_dirty(pte), pte_mapped(pte));
	else if (pte_is_swap(pte)) {
		w->mss->swap += PAGE_SIZE;
		w->mss->swap_pss += (uint64_t)PAGE_SIZE << PSS_SHIFT;   /* no swap sharing yet */
	}
	return 0;
}

static const struct mm_walk_ops smaps_ops = { .pte_entry = smaps_pte, .flags = WALK_LOCK_PTL };

/* Counts the pages of vma into *mss. => mmap_lock held. */
static void
smaps_count_vma(struct mm_struct *mm, struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	struct smaps_walk w = { mss, (vma->vm_flags & VM_LOCKED) != 0 };

	walk_page_range(mm, vma->vm_start, vma->vm_end, &smaps_ops, &w);
	/* shared memory's pages in swap are its file's, not PTEs (Linux's
	 * shmem_swap_usage, for a linear VMA) */
	if (vma_is_shmem(vma) && !(vma->vm_flags & VM_NONLINEAR))
		mss->swap += (uint64_t)PAGE_SIZE *
			     shmem_swapped_in_range(vma->vm_file->f_inode, vma->vm_pgoff,
						    vma_last_pgoff(vma));
}

/* ---- snapshots of an address space ------------------------------------- */

/* A VMA as it was when copied. */
struct vma_snapshot {
	uint32_t start, end;
	uint32_t flags;                  /* VM_* */
	uint32_t pgoff;
	uint32_t advice;                 /* madvise hint */
	struct file *file;               /* file VMA: a reference (fput), else NULL */
	bool shmem;                      /* shared anonymous memory */
	struct mem_size_stats mss;       /* SNAPSHOT_WITH_PAGES only */
};

/* An address space as it was when copied, VMAs in address order. */
struct mm_snapshot {
	struct vma_snapshot *vmas;       /* kmalloc'd, count entries */
	int count;
	uint32_t start_brk, brk;         /* the heap */
	uint32_t start_stack;
};

enum snapshot_kind {
	SNAPSHOT_VMAS,                   /* maps */
	SNAPSHOT_WITH_PAGES,             /* smaps: also count each VMA's pages */
};

static void
snapshot_copy_vma(struct vma_snapshot *s, struct vm_area_struct *vma)
{
	memset(s, 0, sizeof(*s));
	s->start = vma->vm_start;
	s->end = vma->vm_end;
	s->flags = vma->vm_flags;
	s->pgoff = vma->vm_pgoff;
	s->advice = vma->vm_advice;
	s->file = vma->vm_file ? get_file(vma->vm_file) : NULL;
	s->shmem = vma_is_shmem(vma);
}

/* Copies mm's VMAs (and counts their pages for SNAPSHOT_WITH_PAGES) into
 * snap; 0 or -ENOMEM. Takes and drops mm->mmap_lock. */
static int
snapshot_copy_vmas(struct mm_struct *mm, struct mm_snapshot *snap, enum snapshot_kind kind)
{
	struct vm_area_struct *vma;
	int n = 0;

	mutex_lock(&mm->mmap_lock);
	snap->vmas = kmalloc((mm->map_count ? mm->map_count : 1) * sizeof(*snap->vmas), GFP_KERNEL);
	if (!snap->vmas) {
		mutex_unlock(&mm->mmap_lock);
		return -ENOMEM;
	}
	for_each_vma(mm, vma) {
		if (n == mm->map_count)
			break;
		snapshot_copy_vma(&snap->vmas[n], vma);
		if (kind == SNAPSHOT_WITH_PAGES)
			smaps_count_vma(mm, vma, &snap->vmas[n].mss);
		n++;
	}
	snap->count = n;
	snap->start_brk = mm->start_brk;
	snap->brk = mm->brk;
	snap->start_stack = mm->start_stack;
	mutex_unlock(&mm->mmap_lock);
	return 0;
}

/* Fills snap with the address space of process pid: 0 (an empty snapshot
 * for a zombie), -ESRCH if there is no such process, or -ENOMEM. */
static int
snapshot_mm(int pid, struct mm_snapshot *snap, enum snapshot_kind kind)
{
	struct mm_struct *mm = proc_get_mm(pid);
	struct proc_info pi;
	int err;

	memset(snap, 0, sizeof(*snap));
	if (!mm)
		return proc_get_info(pid, &pi) ? -ESRCH : 0;
	err = snapshot_copy_vmas(mm, snap, kind);
	mmput(mm);
	return err;
}

/* Drops the file references and frees the array. No lock held. */
static void
snapshot_release(struct mm_snapshot *snap)
{
	for (int i = 0; i < snap->count; i++)
		if (snap->vmas[i].file)
			fput(snap->vmas[i].file);
	kfree(snap->vmas);
}

/* ---- maps --------------------------------------------------------------- */

/* Linux's test for the heap (vma_is_initial_heap): the VMA overlaps
 * [start_brk, brk). Strict, as Linux has it now: the bss VMA that ends at
 * start_brk is not the heap, and an empty heap names nothing. */
static bool
is_heap(const struct mm_snapshot *snap, const struct vma_snapshot *v)
{
	return v->start < snap->brk && v->end > snap->start_brk;
}

/* Linux's test for the initial stack: the VMA holds the stack pointer
 * exec started the program with. */
static bool
is_initial_stack(const struct mm_snapshot *snap, const struct vma_snapshot *v)
{
	return v->start <= snap->start_stack && v->end >= snap->start_stack;
}

/* Writes f's path (seen from the reader's root) into buf; a deleted file
 * is named like Linux names it, "<path> (deleted)". An empty name if it
 * has none or the path does not fit. */
static void
file_path(struct file *f, char *buf, size_t size)
{
	struct dentry *root = current->fs ? current->fs->root : root_dentry;
	struct dentry *d = f->f_dentry;
	int len;

	buf[0] = '\0';
	if (!d)
		return;
	len = d_path(d, root, buf, size);
	if (len != -ENOENT) {
		if (len < 0)
			buf[0] = '\0';
		return;
	}
	/* unlinked (d_path's ENOENT): its parent still knows where it was */
	len = d_path(d->d_parent, root, buf, size);
	if (len < 0)
		len = 0;
	snprintf(buf + len, size - (size_t)len, "%s%s (deleted)",
		 len > 0 && buf[len - 1] == '/' ? "" : "/", d->d_name);
}

/* The name column of v, Linux's choice in Linux's order: a file's path,
 * the shared-memory file, [heap], [stack]; NULL for none. buf holds a
 * path (PATH_MAX bytes). */
static const char *
vma_name(const struct mm_snapshot *snap, const struct vma_snapshot *v, char *buf)
{
	if (v->shmem)
		return SHMEM_NAME;               /* before the file: it is one, unnamed */
	if (v->file) {
		file_path(v->file, buf, PATH_MAX);
		return buf;
	}
	if (is_heap(snap, v))
		return "[heap]";
	if (is_initial_stack(snap, v))
		return "[stack]";
	return NULL;
}

/* The device and inode number a maps line shows for v. */
static void
vma_dev_ino(const struct vma_snapshot *v, uint32_t *dev, uint64_t *ino)
{
	*dev = 0;
	*ino = 0;
	if (v->file) {
		*dev = v->file->f_inode->i_sb->s_dev;   /* shmem's is 00:01, as Linux's */
		*ino = v->file->f_inode->i_ino;
	}
}

/* One maps line, as Linux's show_map_vma writes it: the fields each
 * followed by a space, then for a named VMA padding and the name. */
static void
show_map_line(struct proc_buf *pb, const struct mm_snapshot *snap,
	      const struct vma_snapshot *v, char *path_buf)
{
	size_t line_start = pb->len;
	uint64_t offset = v->file || v->shmem ? (uint64_t)v->pgoff << PAGE_SHIFT : 0;
	const char *name = vma_name(snap, v, path_buf);
	uint32_t dev;
	uint64_t ino;

	vma_dev_ino(v, &dev, &ino);
	pb_printf(pb, "%08x-%08x %c%c%c%c %08llx %02x:%02x %llu ",
		  v->start, v->end,
		  v->flags & VM_READ ? 'r' : '-',
		  v->flags & VM_WRITE ? 'w' : '-',
		  v->flags & VM_EXEC ? 'x' : '-',
		  v->flags & VM_SHARED ? 's' : 'p',
		  (unsigned long long)offset, (unsigned)MAJOR(dev), (unsigned)MINOR(dev),
		  (unsigned long long)ino);
	if (name) {
		pb_pad_to(pb, line_start, MAPS_NAME_COLUMN);
		pb_printf(pb, " %s", name);
	}
	pb_printf(pb, "\n");
}

/* Calls show_one for each VMA of process pid's snapshot. */
static int
show_each_vma(struct proc_buf *pb, int pid, enum snapshot_kind kind,
	      void (*show_one)(struct proc_buf *, const struct mm_snapshot *,
			       const struct vma_snapshot *, char *))
{
	struct mm_snapshot snap;
	char *path_buf;
	int err = snapshot_mm(pid, &snap, kind);

	if (err)
		return err;
	path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (path_buf) {
		for (int i = 0; i < snap.count; i++)
			show_one(pb, &snap, &snap.vmas[i], path_buf);
	} else {
		err = -ENOMEM;
	}
	kfree(path_buf);
	snapshot_release(&snap);
	return err;
}

int
proc_show_pid_maps(struct proc_buf *pb, int pid)
{
	return show_each_vma(pb, pid, SNAPSHOT_VMAS, show_map_line);
}

/* ---- smaps -------------------------------------------------------------- */

/* One smaps figure: the key padded to 16 columns, bytes as kB in 8. */
static void
smaps_line(struct proc_buf *pb, const char *key, uint64_t bytes)
{
	pb_printf(pb, "%-16s%8llu kB\n", key, (unsigned long long)(bytes >> 10));
}

/* The VmFlags mnemonics Linux prints, for the flags anvil has, in bit
 * order (anvil's VM_* bits are Linux's). */
#define LINUX_VM_MAYSHARE  0x00000080u   /* anvil's VM_SHARED is MAP_SHARED */
#define LINUX_VM_SEQ_READ  0x00008000u   /* from vm_advice */
#define LINUX_VM_RAND_READ 0x00010000u

static const struct {
	uint32_t flag;
	char name[3];
} vm_flag_names[] = {
	{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
	{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" },
	{ LINUX_VM_MAYSHARE, "ms" }, { VM_GROWSDOWN, "gd" }, { VM_LOCKED, "lo" },
	{ LINUX_VM_SEQ_READ, "sr" }, { LINUX_VM_RAND_READ, "rr" }, { VM_DONTCOPY, "dc" },
	{ VM_LOCKONFAULT, "lf" }, { VM_NORESERVE, "nr" }, { VM_NONLINEAR, "nl" },   /* Linux 3.x's */
	{ VM_WIPEONFORK, "wf" },
};

/* v's flags as Linux would hold them. */
static uint32_t
linux_vm_flags(const struct vma_snapshot *v)
{
	uint32_t flags = v->flags;

	if (flags & VM_SHARED)
		flags |= LINUX_VM_MAYSHARE;
	if (v->advice == ADVICE_SEQUENTIAL)
		flags |= LINUX_VM_SEQ_READ;
	if (v->advice == ADVICE_RANDOM)
		flags |= LINUX_VM_RAND_READ;
	return flags;
}

/* "VmFlags: rd wr mr mw me \n": each mnemonic followed by a space. */
static void
show_vm_flags(struct proc_buf *pb, const struct vma_snapshot *v)
{
	uint32_t flags = linux_vm_flags(v);

	pb_printf(pb, "VmFlags: ");
	for (unsigned i = 0; i < sizeof(vm_flag_names) / sizeof(vm_flag_names[0]); i++)
		if (flags & vm_flag_names[i].flag)
			pb_printf(pb, "%s ", vm_flag_names[i].name);
	pb_printf(pb, "\n");
}

/* One smaps record: the maps line, then the figures in Linux's order (the
 * ones for features anvil lacks are 0), then VmFlags. */
static void
show_smap(struct proc_buf *pb, const struct mm_snapshot *snap,
	  const struct vma_snapshot *v, char *path_buf)
{
	const struct mem_size_stats *mss = &v->mss;

	show_map_line(pb, snap, v, path_buf);
	smaps_line(pb, "Size:", v->end - v->start);
	smaps_line(pb, "KernelPageSize:", PAGE_SIZE);
	smaps_line(pb, "MMUPageSize:", PAGE_SIZE);
	smaps_line(pb, "Rss:", mss->resident);
	smaps_line(pb, "Pss:", mss->pss >> PSS_SHIFT);
	smaps_line(pb, "Pss_Dirty:", mss->pss_dirty >> PSS_SHIFT);
	smaps_line(pb, "Shared_Clean:", mss->shared_clean);
	smaps_line(pb, "Shared_Dirty:", mss->shared_dirty);
	smaps_line(pb, "Private_Clean:", mss->private_clean);
	smaps_line(pb, "Private_Dirty:", mss->private_dirty);
	smaps_line(pb, "Referenced:", mss->referenced);
	smaps_line(pb, "Anonymous:", mss->anonymous);
	smaps_line(pb, "KSM:", 0);
	smaps_line(pb, "LazyFree:", 0);
	smaps_line(pb, "AnonHugePages:", 0);
	smaps_line(pb, "ShmemPmdMapped:", 0);
	smaps_line(pb, "FilePmdMapped:", 0);
	smaps_line(pb, "Shared_Hugetlb:", 0);
	smaps_line(pb, "Private_Hugetlb:", 0);
	smaps_line(pb, "Swap:", mss->swap);
	smaps_line(pb, "SwapPss:", mss->swap_pss >> PSS_SHIFT);
	smaps_line(pb, "Locked:", mss->pss_locked >> PSS_SHIFT);
	pb_printf(pb, "%-16s%8u\n", "THPeligible:", 0u);
	show_vm_flags(pb, v);
}

int
proc_show_pid_smaps(struct proc_buf *pb, int pid)
{
	return show_each_vma(pb, pid, SNAPSHOT_WITH_PAGES, show_smap);
}

/* ---- status: the Vm lines ------------------------------------------------ */

/* The figures of /proc/PID/status, in pages unless said otherwise. */
struct task_mem {
	unsigned long total_vm, locked_vm, rss, swap;
	unsigned long data_vm;           /* private writable, not stack */
	unsigned long stack_vm;          /* VM_GROWSDOWN */
	unsigned long exec_vm;           /* executable, not writable, not stack */
	unsigned long page_tables;       /* user page-table pages */
	uint32_t code_bytes;             /* the program's text, page-rounded */
};

/* Adds vma's pages to the kind of memory Linux accounts it as. */
static void
task_mem_account_vma(struct task_mem *tm, const struct vm_area_struct *vma)
{
	uint32_t flags = vma->vm_flags;

	if ((flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC)
		tm->exec_vm += vma_pages(vma);
	else if (flags & VM_GROWSDOWN)
		tm->stack_vm += vma_pages(vma);
	else if ((flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		tm->data_vm += vma_pages(vma);
}

/* Fills *tm from mm. Takes and drops mm->mmap_lock. */
static void
task_mem_collect(struct mm_struct *mm, struct task_mem *tm)
{
	struct vm_area_struct *vma;

	memset(tm, 0, sizeof(*tm));
	mutex_lock(&mm->mmap_lock);
	tm->total_vm = mm->total_vm;
	tm->locked_vm = mm->locked_vm;
	tm->rss = mm->rss;
	tm->swap = mm->swap_ents;
	for_each_vma(mm, vma)
		task_mem_account_vma(tm, vma);
	tm->page_tables = pgd_user_tables(mm->pgd);
	if (mm->end_code > mm->start_code)
		tm->code_bytes = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	mutex_unlock(&mm->mmap_lock);
}

static void
status_kb_line(struct proc_buf *pb, const char *key, unsigned long kb)
{
	pb_printf(pb, "%s\t%8lu kB\n", key, kb);
}

static unsigned long
pages_kb(unsigned long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

void
proc_show_task_mem(struct proc_buf *pb, int pid)
{
	struct mm_struct *mm = proc_get_mm(pid);
	unsigned long exec_bytes, text_bytes;
	struct task_mem tm;

	if (!mm)
		return;
	task_mem_collect(mm, &tm);
	mmput(mm);
	exec_bytes = tm.exec_vm << PAGE_SHIFT;
	text_bytes = tm.code_bytes < exec_bytes ? tm.code_bytes : exec_bytes;
	status_kb_line(pb, "VmSize:", pages_kb(tm.total_vm));
	status_kb_line(pb, "VmLck:", pages_kb(tm.locked_vm));
	status_kb_line(pb, "VmPin:", 0);
	status_kb_line(pb, "VmRSS:", pages_kb(tm.rss));
	status_kb_line(pb, "VmData:", pages_kb(tm.data_vm));
	status_kb_line(pb, "VmStk:", pages_kb(tm.stack_vm));
	status_kb_line(pb, "VmExe:", text_bytes >> 10);
	status_kb_line(pb, "VmLib:", (exec_bytes - text_bytes) >> 10);
	status_kb_line(pb, "VmPTE:", pages_kb(tm.page_tables));
	status_kb_line(pb, "VmSwap:", pages_kb(tm.swap));
}

/* ---- pagemap ------------------------------------------------------------ */

/*
 * One pagemap entry, as Linux's Documentation/admin-guide/mm/pagemap.rst
 * lays it out:
 *
 *   63  62  61  60..57  56  55  54                               0
 *  +---+---+---+-------+---+---+----------------------------------+
 *  | P | S | F |   0   | E |SD | PFN               (P set)        |
 *  |   |   |   |       |   |   | offset << 5 | type (S set)       |
 *  +---+---+---+-------+---+---+----------------------------------+
 *   P present (a PROT_NONE page too), S swapped (a swap or migration
 *   entry), F a file or shared-anonymous page, E mapped exactly once,
 *   SD soft-dirty (never set: anvil does not track it).
 */
#define PM_ENTRY_BYTES      8
#define PM_PFRAME_MASK      ((1ull << 55) - 1)
#define PM_SWAP_TYPE_BITS   5
#define PM_MMAP_EXCLUSIVE   (1ull << 56)
#define PM_FILE             (1ull << 61)
#define PM_SWAP             (1ull << 62)
#define PM_PRESENT          (1ull << 63)

#define PAGEMAP_BATCH       512          /* entries per mmap_lock hold: 4 KiB */
#define PAGEMAP_PAGES       (USER_TOP >> PAGE_SHIFT)   /* entries in the file */

/* The pagemap entry of one PTE. => page_table_lock held. */
static uint64_t
pagemap_entry(pte_t pte)
{
	struct page *page = pte_to_page(pte);
	uint64_t entry;

	if (pte_mapped(pte))
		entry = PM_PRESENT | (pte_pfn(pte) & PM_PFRAME_MASK);
	else if (pte_is_swap(pte))
		entry = PM_SWAP | pte_swp_type(pte) |
			((uint64_t)pte_swp_offset(pte) << PM_SWAP_TYPE_BITS);
	else
		return 0;
	if (page && !PageAnon(page))
		entry |= PM_FILE;
	if (page && pte_mapped(pte) && page_mapcount(page) == 1)
		entry |= PM_MMAP_EXCLUSIVE;
	return entry;
}

/* Where the entries of one slice go: entries[0] is the page at base. */
struct pagemap_slice {
	uint64_t *entries;
	uint32_t base;
};

/* pte_entry of pagemap. => page_table_lock held. */
static int
pagemap_pte(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	struct pagemap_slice *slice = walk->private;

	slice->entries[(addr - slice->base) >> PAGE_SHIFT] = pagemap_entry(*ptep);
	return 0;
}

static const struct mm_walk_ops pagemap_ops = { .pte_entry = pagemap_pte, .flags = WALK_LOCK_PTL };

/* Computes the n entries from page first on into entries (0 where no VMA
 * or no page table is). Takes and drops mm->mmap_lock. */
static void
pagemap_fill(struct mm_struct *mm, uint32_t first, uint32_t n, uint64_t *entries)
{
	uint32_t start = first << PAGE_SHIFT, end = start + (n << PAGE_SHIFT);
	struct pagemap_slice slice = { entries, start };
	struct vm_area_struct *vma;

	memset(entries, 0, n * sizeof(*entries));
	mutex_lock(&mm->mmap_lock);
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma))
		walk_page_range(mm, vma->vm_start > start ? vma->vm_start : start,
				vma->vm_end < end ? vma->vm_end : end, &pagemap_ops, &slice);
	mutex_unlock(&mm->mmap_lock);
}

/* An open pagemap: the process, and the address space it had at open
 * (pinned with mmgrab; NULL for a zombie). Reads see that address space
 * only: once the process has exec'd or exited they return 0 bytes. */
struct pagemap_file {
	int pid;
	struct mm_struct *mm;
};

static int
pagemap_open(struct inode *inode, struct file *f)
{
	int pid = proc_inode_pid(inode);
	struct mm_struct *mm = proc_get_mm(pid);
	struct pagemap_file *pm;
	struct proc_info pi;

	if (f->f_mode & FMODE_WRITE) {           /* mode 0400, binding root too */
		if (mm)
			mmput(mm);
		return -EACCES;
	}
	if (!mm && proc_get_info(pid, &pi))
		return -ESRCH;
	pm = kmalloc(sizeof(*pm), GFP_KERNEL);
	if (!pm) {
		if (mm)
			mmput(mm);
		return -ENOMEM;
	}
	pm->pid = pid;
	pm->mm = mm;
	if (mm) {
		mmgrab(mm);
		mmput(mm);
	}
	f->private_data = pm;
	return 0;
}

/* The mm of an open pagemap with a user reference, if the process still
 * runs in it; else NULL. */
static struct mm_struct *
pagemap_live_mm(const struct pagemap_file *pm)
{
	struct mm_struct *mm = pm->mm ? proc_get_mm(pm->pid) : NULL;

	if (mm && mm != pm->mm) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Copies the entries from page *pos / 8 on, at most b->left / 8 of them,
 * to b in slices; bytes copied. => no lock held. */
static ssize_t
pagemap_copy_out(struct mm_struct *mm, struct iobuf *b, loff_t *pos, uint64_t *entries)
{
	ssize_t done = 0;

	while (b->left >= PM_ENTRY_BYTES && (uint64_t)*pos / PM_ENTRY_BYTES < PAGEMAP_PAGES) {
		uint32_t first = (uint32_t)(*pos / PM_ENTRY_BYTES);
		uint32_t n = PAGEMAP_PAGES - first;

		if (n > PAGEMAP_BATCH)
			n = PAGEMAP_BATCH;
		if (n > b->left / PM_ENTRY_BYTES)
			n = b->left / PM_ENTRY_BYTES;
		pagemap_fill(mm, first, n, entries);
		if (iobuf_put(b, entries, n * PM_ENTRY_BYTES))
			return done ? done : -EFAULT;
		done += n * PM_ENTRY_BYTES;
		*pos += n * PM_ENTRY_BYTES;
	}
	return done;
}

/* read of /proc/PID/pagemap: entries for [*pos / 8, (*pos + count) / 8).
 * EINVAL unless *pos and count are multiples of 8; 0 past the end of user
 * space or once the address space is gone. */
static ssize_t
pagemap_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	const struct pagemap_file *pm = f->private_data;
	struct mm_struct *mm;
	uint64_t *entries;
	ssize_t ret;

	if (*pos < 0 || *pos % PM_ENTRY_BYTES || b->left % PM_ENTRY_BYTES)
		return -EINVAL;
	mm = pagemap_live_mm(pm);
	if (!mm)
		return 0;
	entries = kmalloc(PAGEMAP_BATCH * PM_ENTRY_BYTES, GFP_KERNEL);
	ret = entries ? pagemap_copy_out(mm, b, pos, entries) : -ENOMEM;
	kfree(entries);
	mmput(mm);
	return ret;
}

static void
pagemap_release(struct inode *inode, struct file *f)
{
	struct pagemap_file *pm = f->private_data;

	if (pm->mm)
		mmdrop(pm->mm);
	kfree(pm);
	f->private_data = NULL;
}

const struct file_operations proc_pagemap_fops = {
	.open = pagemap_open,
	.read = pagemap_read,
	.release = pagemap_release,
};
