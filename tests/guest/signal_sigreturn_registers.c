/*
 * signal_sigreturn_registers — a signal handler runs and sigreturn puts the
 * interrupted code back exactly as it was. An assembly loop loads a known
 * value into every general register, sets the direction flag and an unusual
 * x87 control word, and spins until a handler (fired by a child's kill())
 * sets a flag. The handler clobbers the registers and the FPU control word
 * and records the direction flag it runs with (the ABI wants it clear). After
 * the loop every register, the stack pointer, DF and the control word must be
 * what they were. Five rounds.
 */
#define TEST_NAME "signal_sigreturn_registers"
#include "guest.h"

#define ROUNDS         5
#define DELAY_US       5000                    /* child waits a little per round */
#define EFLAGS_DF      0x400                   /* direction flag, bit 10 */
#define FPU_CW_LOOP    0x0f7f                  /* round toward zero, masked */
#define FPU_CW_HANDLER 0x0b7f                  /* round up, masked */

#define STR_(x) #x
#define STR(x) STR_(x)
#define VALUE_EAX 0x11111111
#define VALUE_EBX 0x22222222
#define VALUE_ECX 0x33333333
#define VALUE_EDX 0x44444444
#define VALUE_ESI 0x55555555
#define VALUE_EDI 0x66666666
#define VALUE_EBP 0x77777777

/* Shared with the assembly below; the slots of registers_after in order. */
enum { SLOT_EAX, SLOT_EBX, SLOT_ECX, SLOT_EDX, SLOT_ESI, SLOT_EDI, SLOT_EBP,
       SLOT_ESP, SLOT_EFLAGS, SLOT_COUNT };
volatile int signal_seen;
uint32_t registers_after[SLOT_COUNT];
uint32_t esp_before;
uint16_t fpu_cw_loop = FPU_CW_LOOP, fpu_cw_after, fpu_cw_original;

static volatile uint32_t handler_eflags;

/* spin_until_signal - see the file comment; results in registers_after. */
void spin_until_signal(void);
__asm__(
	".text\n"
	".globl spin_until_signal\n"
	".type spin_until_signal, @function\n"
	"spin_until_signal:\n"
	"	pushl %ebp\n"
	"	pushl %ebx\n"
	"	pushl %esi\n"
	"	pushl %edi\n"
	"	fnstcw fpu_cw_original\n"
	"	fldcw fpu_cw_loop\n"
	"	movl %esp, esp_before\n"
	"	movl $" STR(VALUE_EAX) ", %eax\n"
	"	movl $" STR(VALUE_EBX) ", %ebx\n"
	"	movl $" STR(VALUE_ECX) ", %ecx\n"
	"	movl $" STR(VALUE_EDX) ", %edx\n"
	"	movl $" STR(VALUE_ESI) ", %esi\n"
	"	movl $" STR(VALUE_EDI) ", %edi\n"
	"	movl $" STR(VALUE_EBP) ", %ebp\n"
	"	std\n"
	"1:	cmpl $0, signal_seen\n"
	"	je 1b\n"
	"	movl %esp, registers_after + 4 * 7\n"
	"	pushfl\n"
	"	cld\n"
	"	popl registers_after + 4 * 8\n"
	"	movl %eax, registers_after + 4 * 0\n"
	"	movl %ebx, registers_after + 4 * 1\n"
	"	movl %ecx, registers_after + 4 * 2\n"
	"	movl %edx, registers_after + 4 * 3\n"
	"	movl %esi, registers_after + 4 * 4\n"
	"	movl %edi, registers_after + 4 * 5\n"
	"	movl %ebp, registers_after + 4 * 6\n"
	"	fnstcw fpu_cw_after\n"
	"	fldcw fpu_cw_original\n"
	"	popl %edi\n"
	"	popl %esi\n"
	"	popl %ebx\n"
	"	popl %ebp\n"
	"	ret\n"
	".size spin_until_signal, . - spin_until_signal\n");

/* on_sigusr1 - record DF, clobber registers and the FPU control word. */
static void
on_sigusr1(int sig)
{
	uint32_t flags;
	uint16_t cw = FPU_CW_HANDLER;
	volatile double x = 1.25;

	__asm__ volatile("pushfl; popl %0" : "=r"(flags));
	handler_eflags = flags;
	__asm__ volatile("fldcw %0" : : "m"(cw));
	x = x * 3.0 + 0.5;
	__asm__ volatile("movl $0xdeadbeef, %%eax\n\tmovl %%eax, %%ebx\n\tmovl %%eax, %%ecx\n\t"
			 "movl %%eax, %%edx\n\tmovl %%eax, %%esi\n\tmovl %%eax, %%edi"
			 : : : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory");
	signal_seen = 1;
}

/* check_registers - every slot holds what the loop put there. */
static void
check_registers(void)
{
	static const uint32_t expected[] = { VALUE_EAX, VALUE_EBX, VALUE_ECX, VALUE_EDX,
					     VALUE_ESI, VALUE_EDI, VALUE_EBP };
	static const char *const names[] = { "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp" };

	for (int i = SLOT_EAX; i <= SLOT_EBP; i++)
		CHECK_EQ_HEX(names[i], expected[i], registers_after[i]);
	CHECK_EQ_HEX("esp", esp_before, registers_after[SLOT_ESP]);
	CHECK_EQ_HEX("direction flag after sigreturn", EFLAGS_DF,
		     registers_after[SLOT_EFLAGS] & EFLAGS_DF);
	CHECK_EQ_HEX("direction flag inside the handler", 0, handler_eflags & EFLAGS_DF);
	CHECK_EQ_HEX("x87 control word after sigreturn", FPU_CW_LOOP, fpu_cw_after);
}

/* one_round - a child signals us while we spin. */
static void
one_round(int round)
{
	pid_t parent = getpid();

	signal_seen = 0;
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		usleep(DELAY_US * (round + 1));
		kill(parent, SIGUSR1);
		_exit(0);
	}
	spin_until_signal();
	check_exited("signalling child", wait_for(pid), 0);
	check_registers();
}

int
main(void)
{
	set_handler(SIGUSR1, on_sigusr1, 0);
	for (int round = 0; round < ROUNDS; round++) {
		say("round %d: spinning with known registers", round + 1);
		one_round(round);
	}
	say("sigreturn restored every register %d times", ROUNDS);
	return 0;
}
