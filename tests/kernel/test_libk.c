/*
 * tests/kernel/test_libk.c — kernel helpers user space cannot see:
 * formatting, the command-line number parser, the symbol table.
 */
#include <kernel/ktest.h>
#include <kernel/cmdline.h>
#include <kernel/ksyms.h>
#include <libk/stdio.h>
#include <libk/string.h>

KTEST(vsnprintf_formats)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08X|%s|%c", -42, 7u, 0xabu, 0xBEEFu, "hi", 'z');
	KT_CHECK(strcmp(buf, "-42|    7|ab  |0000BEEF|hi|z") == 0, "got '%s'", buf);
	snprintf(buf, sizeof(buf), "%#010x %llu %lld", 0x1234u, 18446744073709551615ull, -5ll);
	KT_CHECK(strcmp(buf, "0x00001234 18446744073709551615 -5") == 0, "got '%s'", buf);
	KT_CHECK(snprintf(buf, 4, "%s", "truncate") == 8 && strcmp(buf, "tru") == 0,
		 "truncation gave '%s'", buf);
}

KTEST(cmdline_memparse)
{
	KT_CHECK(memparse("64M", NULL) == 64ull << 20, "64M");
	KT_CHECK(memparse("512k", NULL) == 512ull << 10, "512k");
	KT_CHECK(memparse("1G", NULL) == 1ull << 30, "1G");
	KT_CHECK(memparse("0x1000", NULL) == 0x1000, "0x1000");
	KT_CHECK(memparse("4096", NULL) == 4096, "4096");
}

KTEST(ksyms_lookup_names)
{
	struct ksym sym;
	uint32_t addr = (uint32_t)&memparse;

	KT_CHECK(ksym_lookup(addr + 3, &sym), "no symbol for memparse+3");
	KT_CHECK(strcmp(sym.name, "memparse") == 0, "memparse+3 resolved to %s", sym.name);
	KT_CHECK(sym.addr == addr && sym.size > 3, "memparse at %#x size %u", sym.addr, sym.size);
	KT_CHECK(!ksym_lookup(0x1000, &sym), "an address outside the kernel has a name");
}
