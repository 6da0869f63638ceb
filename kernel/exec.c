/*
 * kernel/exec.c — execve: replacing a process's program.
 *
 *   1. copy argv and envp out of the old address space (E2BIG, EFAULT)
 *   2. open the file, check it is an executable i386 ELF (ENOENT, EACCES,
 *      ENOEXEC) and build a new mm: each PT_LOAD segment becomes a private
 *      file VMA (pages are read in on first touch, not now), its bss an
 *      anonymous VMA, plus the heap start and a grow-down stack VMA
 *   3. point of no return: switch to the new mm and drop the old one
 *   4. write the System V initial stack: strings, 16 random bytes,
 *      auxv, envp, argv, argc
 *   5. close O_CLOEXEC files, reset handled signals, TLS and FPU, and set
 *      the user registers so the return to user mode starts at e_entry
 *
 * Errors before step 3 leave the caller's process untouched; a failure
 * after it (no memory for the stack) kills the process, as on Linux.
 */
#include <kernel/exec.h>
#include <kernel/resource.h>
#include <kernel/capability.h>
#include <mm/mlock.h>
#include <kernel/elf.h>
#include <arch/x86/process.h>
#include <kernel/signal.h>
#include <kernel/exit.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <mm/mm.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/pgtable.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <arch/x86/segments.h>
#include <arch/x86/cpu.h>
#include <fs/file.h>
#include <libk/string.h>
#include <kernel/random.h>

#define ARG_BUF_ORDER     5                       /* 128 KiB of argument strings */
#define ARG_BUF_BYTES     (PAGE_SIZE << ARG_BUF_ORDER)
#define MAX_ARGS          4096                    /* argv + envp pointers */
#define MAX_PHNUM         64
#define STACK_INITIAL     (128u << 10)
#define MAX_STACK_BYTES   (8u << 20)    /* the room mm_alloc leaves below the mmap area */
#define USER_EFLAGS       (EFLAGS_IF | 0x2u)      /* bit 1 is always set */
#define PLATFORM          "i686"
#define AT_RANDOM_BYTES   16
#define USER_CLK_TCK      100
#define AUXV_ENTRIES      18                      /* build_stack's pairs, AT_NULL included */

/* The argument strings, copied out of the old address space. */
struct exec_args {
	char *buf;                 /* argv strings then envp strings, NUL-separated */
	size_t used;
	int argc, envc;
	char path[PATH_MAX_EXEC];  /* the file, also AT_EXECFN */
};

/* What the loader learned about the program. */
struct elf_image {
	struct elf32_ehdr eh;
	uint32_t phdr_addr;        /* where the program headers are mapped (AT_PHDR) */
	uint32_t start_code, end_code, start_data, end_data, brk;
};

enum arg_source {
	ARGS_FROM_USER,
	ARGS_FROM_KERNEL,          /* the first process, started by the kernel */
};

/* Appends the strings of a NULL-terminated pointer array; count or -errno. */
static int
copy_strings(struct exec_args *a, const char *const *array, enum arg_source src)
{
	int n = 0;

	if (!array)
		return 0;
	for (;; n++) {
		const char *s;
		long len;

		if (n >= MAX_ARGS)
			return -E2BIG;
		if (src == ARGS_FROM_USER) {
			uint32_t p;

			if (get_user_u32(&p, &array[n]))
				return -EFAULT;
			s = (const char *)p;
		} else {
			s = array[n];
		}
		if (!s)
			return n;
		if (src == ARGS_FROM_USER) {
			len = strncpy_from_user(a->buf + a->used, s, ARG_BUF_BYTES - a->used);
			if (len == -ENAMETOOLONG)
				return -E2BIG;
			if (len < 0)
				return len;
		} else {
			len = strlen(s);
			if ((size_t)len >= ARG_BUF_BYTES - a->used)
				return -E2BIG;
			memcpy(a->buf + a->used, s, len + 1);
		}
		a->used += len + 1;
	}
}

static int
read_exact(struct file *f, void *buf, size_t n, uint32_t off)
{
	ssize_t got = kernel_read(f, buf, n, off);

	if (got < 0)
		return (int)got;
	return (size_t)got == n ? 0 : -ENOEXEC;
}

static int
check_elf_header(const struct elf32_ehdr *eh)
{
	if (memcmp(eh->e_ident, ELFMAG, 4) || eh->e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_EXEC ||
	    eh->e_machine != EM_386 || eh->e_phentsize != sizeof(struct elf32_phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	return 0;
}

static uint32_t
segment_prot(const struct elf32_phdr *ph)
{
	return (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
	       (ph->p_flags & PF_X ? PROT_EXEC : 0);
}

/* Maps one PT_LOAD segment into mm: file part, then anonymous bss. */
static int
map_segment(struct mm_struct *mm, struct file *f, const struct elf32_phdr *ph)
{
	uint32_t start = ph->p_vaddr & PAGE_MASK, lead = ph->p_vaddr - start;
	uint32_t file_end = PAGE_ALIGN(ph->p_vaddr + ph->p_filesz);
	uint32_t mem_end = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
	long r;

	if (ph->p_memsz < ph->p_filesz || ph->p_offset < lead ||
	    (ph->p_offset - lead) % PAGE_SIZE || mem_end < start || mem_end > USER_TOP)
		return -ENOEXEC;
	if (ph->p_filesz) {
		r = do_mmap(mm, start, file_end - start, segment_prot(ph), MAP_PRIVATE | MAP_FIXED,
			    f, (ph->p_offset - lead) >> PAGE_SHIFT);
		if (r < 0 && r > -MAX_ERRNO)
			return (int)r;
	} else {
		file_end = start;
	}
	if (mem_end > file_end) {
		r = do_mmap(mm, file_end, mem_end - file_end, segment_prot(ph),
			    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0);
		if (r < 0 && r > -MAX_ERRNO)
			return (int)r;
	}
	return 0;
}

static void
note_segment(struct elf_image *img, const struct elf32_phdr *ph)
{
	uint32_t end = ph->p_vaddr + ph->p_memsz;

	if (ph->p_offset <= img->eh.e_phoff &&
	    img->eh.e_phoff < ph->p_offset + ph->p_filesz)
		img->phdr_addr = ph->p_vaddr + (img->eh.e_phoff - ph->p_offset);
	if (ph->p_flags & PF_X) {
		if (!img->start_code || ph->p_vaddr < img->start_code)
			img->start_code = ph->p_vaddr;
		if (ph->p_vaddr + ph->p_filesz > img->end_code)
			img->end_code = ph->p_vaddr + ph->p_filesz;
	} else {
		if (!img->start_data || ph->p_vaddr < img->start_data)
			img->start_data = ph->p_vaddr;
		if (ph->p_vaddr + ph->p_filesz > img->end_data)
			img->end_data = ph->p_vaddr + ph->p_filesz;
	}
	if (end > img->brk)
		img->brk = end;
}

/* Reads the program headers and maps every loadable segment into mm. */
static int
load_elf(struct mm_struct *mm, struct file *f, struct elf_image *img)
{
	struct elf32_phdr ph[MAX_PHNUM];
	int err = read_exact(f, &img->eh, sizeof(img->eh), 0);

	if (err || (err = check_elf_header(&img->eh)))
		return err;
	err = read_exact(f, ph, img->eh.e_phnum * sizeof(ph[0]), img->eh.e_phoff);
	if (err)
		return err;
	for (unsigned i = 0; i < img->eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return -ENOEXEC;          /* no dynamic linking in anvil */
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = map_segment(mm, f, &ph[i]);
		if (err)
			return err;
		note_segment(img, &ph[i]);
	}
	return img->brk ? 0 : -ENOEXEC;
}

/* Zeroes the bytes of writable segments between p_filesz and the page end
 * (the file's next bytes are there); runs in the new mm. */
static int
clear_bss_tails(struct file *f, const struct elf_image *img)
{
	struct elf32_phdr ph[MAX_PHNUM];

	if (read_exact(f, ph, img->eh.e_phnum * sizeof(ph[0]), img->eh.e_phoff))
		return -ENOEXEC;
	for (unsigned i = 0; i < img->eh.e_phnum; i++) {
		uint32_t end = ph[i].p_vaddr + ph[i].p_filesz;

		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_W) ||
		    ph[i].p_memsz == ph[i].p_filesz || PAGE_ALIGNED(end) || !ph[i].p_filesz)
			continue;
		if (clear_user((void *)end, PAGE_ALIGN(end) - end))
			return -EFAULT;
	}
	return 0;
}

static int
open_executable(const char *path, struct file **out)
{
	struct file *f = kernel_open(path, O_RDONLY_EXEC, 0);
	int err;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	err = file_check_executable(f);
	if (err) {
		fput(f);
		return err;
	}
	*out = f;
	return 0;
}

/* How far the stack may grow: RLIMIT_STACK, at least the initial stack
 * and at most what fits below the mmap area (mm_alloc's default). */
static uint32_t
stack_limit_bytes(void)
{
	uint64_t limit = rlimit(RLIMIT_STACK);

	if (limit < STACK_INITIAL)
		return STACK_INITIAL;
	return limit > MAX_STACK_BYTES ? MAX_STACK_BYTES : (uint32_t)limit;
}

/* A new address space holding the program and an empty stack. */
static int
build_mm(struct file *f, struct elf_image *img, struct mm_struct **out)
{
	struct mm_struct *mm = mm_alloc();
	long r;
	int err;

	if (!mm)
		return -ENOMEM;
	mm->stack_limit = stack_limit_bytes();
	err = load_elf(mm, f, img);
	if (!err) {
		r = do_mmap(mm, USER_TOP - STACK_INITIAL, STACK_INITIAL, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN, NULL, 0);
		if (r < 0 && r > -MAX_ERRNO)
			err = (int)r;
	}
	if (err) {
		mmput(mm);
		return err;
	}
	mm->start_code = img->start_code;
	mm->end_code = img->end_code;
	mm->start_data = img->start_data;
	mm->end_data = img->end_data;
	mm->start_brk = mm->brk = PAGE_ALIGN(img->brk);
	*out = mm;
	return 0;
}

/* Pushes n bytes onto the user stack at *sp; 0 or -EFAULT. */
static int
push_bytes(uint32_t *sp, const void *data, size_t n)
{
	*sp -= n;
	return copy_to_user((void *)*sp, data, n);
}

static uint32_t
cpu_hwcap(void)
{
	uint32_t eax = 1, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	return edx;
}

/*
 * The System V initial stack, top down: the argument and environment
 * strings, the file name, "i686", 16 random bytes; then (16-aligned)
 * argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 */
static int
build_stack(struct mm_struct *mm, const struct exec_args *a, const struct elf_image *img,
	    uint32_t *sp_out)
{
	uint32_t sp = USER_TOP, strings, execfn, platform, random;
	uint8_t rnd[AT_RANDOM_BYTES];
	uint32_t nwords = 1 + a->argc + 1 + a->envc + 1 + 2 * AUXV_ENTRIES;
	uint32_t *v = kmalloc(nwords * sizeof(uint32_t), GFP_KERNEL), *w = v;
	const char *s = a->buf;
	int err;

	if (!v)
		return -ENOMEM;
	get_random_bytes(rnd, sizeof(rnd));
	err = push_bytes(&sp, a->path, strlen(a->path) + 1);
	execfn = sp;
	err = err ?: push_bytes(&sp, a->buf, a->used);
	strings = sp;
	err = err ?: push_bytes(&sp, PLATFORM, sizeof(PLATFORM));
	platform = sp;
	err = err ?: push_bytes(&sp, rnd, sizeof(rnd));
	random = sp;

	*w++ = a->argc;
	for (int i = 0; i < a->argc + a->envc; i++) {
		if (i == a->argc)
			*w++ = 0;                   /* end of argv */
		*w++ = strings + (s - a->buf);
		s += strlen(s) + 1;
	}
	if (a->envc == 0)
		*w++ = 0;
	*w++ = 0;                                   /* end of envp */
	uint32_t auxv[][2] = {
		{ AT_PHDR, img->phdr_addr }, { AT_PHENT, sizeof(struct elf32_phdr) },
		{ AT_PHNUM, img->eh.e_phnum }, { AT_PAGESZ, PAGE_SIZE }, { AT_BASE, 0 },
		{ AT_FLAGS, 0 }, { AT_ENTRY, img->eh.e_entry }, { AT_UID, 0 }, { AT_EUID, 0 },
		{ AT_GID, 0 }, { AT_EGID, 0 }, { AT_HWCAP, cpu_hwcap() },
		{ AT_CLKTCK, USER_CLK_TCK }, { AT_PLATFORM, platform }, { AT_SECURE, 0 },
		{ AT_RANDOM, random }, { AT_EXECFN, execfn },
	};
	_Static_assert(sizeof(auxv) / sizeof(auxv[0]) + 1 == AUXV_ENTRIES, "auxv size");
	memcpy(w, auxv, sizeof(auxv));
	w += 2 * (sizeof(auxv) / sizeof(auxv[0]));
	*w++ = AT_NULL;
	*w++ = 0;
	sp = (sp - (w - v) * sizeof(uint32_t)) & ~15u;
	err = err ?: copy_to_user((void *)sp, v, (w - v) * sizeof(uint32_t));
	kfree(v);
	mm->arg_start = strings;
	mm->env_start = strings;
	for (int i = 0; i < a->argc; i++)
		mm->env_start += strlen(a->buf + (mm->env_start - strings)) + 1;
	mm->arg_end = mm->env_start;
	mm->env_end = strings + a->used;
	mm->start_stack = sp;
	*sp_out = sp;
	return err;
}

static void
set_comm_and_cmdline(struct task *t, const struct exec_args *a)
{
	const char *base = strrchr(a->path, '/');
	size_t n = 0;

	strlcpy(t->comm, base ? base + 1 : a->path, sizeof(t->comm));
	for (int i = 0, off = 0; i < a->argc; i++) {
		size_t len = strlen(a->buf + off) + 1;

		if (n + len > sizeof(t->cmdline))
			break;
		memcpy(t->cmdline + n, a->buf + off, len);
		n += len;
		off += len;
	}
	t->cmdline_len = n;
}

static void
start_thread(struct trapframe *tf, uint32_t eip, uint32_t sp)
{
	memset(tf, 0, sizeof(*tf));
	tf->eip = eip;
	tf->user_esp = sp;
	tf->cs = USER_CS;
	tf->ds = tf->es = tf->user_ss = USER_DS;
	tf->eflags = USER_EFLAGS;
}

/* Steps 3-5: from here on, failure can only kill the process. */
static void
switch_to_new_program(struct mm_struct *mm, struct file *f, struct exec_args *a,
		      const struct elf_image *img)
{
	struct task *t = current;
	struct mm_struct *old = t->mm;
	uint32_t sp;

	if (old)
		munlock_mm(old);                 /* its locks end with the program */
	t->mm = mm;
	switch_pgd(mm->pgd);
	if (old)
		mmput(old);
	if (clear_bss_tails(f, img) || build_stack(mm, a, img, &sp)) {
		printk(KERN_ERR "execve: %s: cannot set up the new program; killed\n", a->path);
		do_exit(SIGNAL_STATUS(SIGKILL));
	}
	set_comm_and_cmdline(t, a);
	caps_exec(t);
	files_close_on_exec(t->files);
	signal_reset_for_exec(t->signal);
	process_arch_reset(t);
	start_thread(task_user_regs(t), img->eh.e_entry, sp);
}

static long
do_execve(const char *path, const char *const *argv, const char *const *envp,
	  enum arg_source src)
{
	struct exec_args *a = kzalloc(sizeof(*a), GFP_KERNEL);
	struct elf_image img;
	struct mm_struct *mm;
	struct file *f = NULL;
	long err = -ENOMEM;

	if (!a || !(a->buf = get_free_pages(GFP_KERNEL, ARG_BUF_ORDER)))
		goto out;
	memset(&img, 0, sizeof(img));
	if (src == ARGS_FROM_USER)
		err = strncpy_from_user(a->path, path, sizeof(a->path));
	else
		err = strlcpy(a->path, path, sizeof(a->path)) < sizeof(a->path) ? 0 : -ENAMETOOLONG;
	if (err < 0)
		goto out;
	if ((err = a->argc = copy_strings(a, argv, src)) < 0 ||
	    (err = a->envc = copy_strings(a, envp, src)) < 0)
		goto out;
	if ((err = open_executable(a->path, &f)) || (err = build_mm(f, &img, &mm)))
		goto out;
	switch_to_new_program(mm, f, a, &img);
	err = 0;
out:
	if (f)
		fput(f);
	if (a && a->buf)
		free_pages(a->buf, ARG_BUF_ORDER);
	kfree(a);
	return err;
}

static long
sys_execve(const char *path, const char *const *argv, const char *const *envp)
{
	return do_execve(path, argv, envp, ARGS_FROM_USER);
}
SYSCALL_DEFINE(execve, sys_execve);

int
kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	return (int)do_execve(path, argv, envp, ARGS_FROM_KERNEL);
}
