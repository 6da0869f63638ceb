# anvil — top-level Makefile.
#
# Verbs: make (kernel + ISO), make run, make debug, make check, make check-one T=name,
# make bench, make stress, make fuzz. Sources are found by wildcard per folder: adding a .c or .S
# file to one of KERNEL_DIRS needs no edit here. Everything built lands in build/.
#
# On a fresh machine the tools do not exist until tools/install-deps has run
# (the first recipe of any build, through $(DEPS_OK)). So nothing here asks a
# tool for a value while the Makefile is parsed: such values (LIBGCC,
# GCC_INCLUDE) are recursive (=) variables, expanded only in recipes, which
# run after install-deps. Keep it that way: no := $(shell <tool> ...).

BUILD      := build
CROSS      := i686-linux-gnu-
CC         := $(CROSS)gcc
LD         := $(CROSS)ld
NM         := $(CROSS)nm
OBJCOPY    := $(CROSS)objcopy
HOSTCC     := gcc
PYTHON     := python3
SYSROOT    := $(BUILD)/sysroot
MUSL_LIB   := $(SYSROOT)/usr/lib/i386-linux-musl

KERNEL_DIRS := boot arch/x86 kernel mm fs fs/ext2 drivers drivers/block libk tests/kernel tests/bench

CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -fno-pic -fno-pie \
          -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
          -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mno-red-zone \
          -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
          -I. -I$(BUILD)/gen -MMD -MP $(EXTRA_CFLAGS)
ASFLAGS := -D__ASSEMBLY__ -I. -I$(BUILD)/gen -g -MMD -MP
LDFLAGS := -T linker.ld -nostdlib -z noexecstack --fatal-warnings
# Asked of the cross compiler when a recipe needs them (see the top).
LIBGCC       = $(shell $(CC) -print-libgcc-file-name)
GCC_INCLUDE  = $(shell $(CC) -print-file-name=include)

KERNEL_C   := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_S   := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.S))
GEN        := $(BUILD)/gen
KERNEL_OBJ := $(patsubst %,$(BUILD)/obj/%.o,$(KERNEL_C) $(KERNEL_S)) $(BUILD)/obj/gen/syscall_names.c.o
SYSCALL_NR := $(GEN)/uapi/syscall_nr.h

KERNEL_ELF := $(BUILD)/anvil.elf
ISO        := $(BUILD)/anvil.iso
INITRD     := $(BUILD)/initrd.cpio
STAGE      := $(BUILD)/stage
ROOTFS     := $(BUILD)/root.img
RUN_ISO    := $(BUILD)/anvil-run.iso
DISK_IMG   := $(BUILD)/disk.img
# Free room in root.img beyond its files, for what the guest writes (/tmp).
ROOTFS_FREE_MIB ?= 32
DEPS_OK    := $(BUILD)/.deps-ok

# QEMU flags shared by every boot: no window, serial on stdio, debug-exit device.
QEMU       := qemu-system-i386
QEMU_FLAGS := -accel tcg -m 128M -display none -serial stdio -no-reboot \
              -device isa-debug-exit,iobase=0xf4,iosize=0x04
CMDLINE    ?= -- shell
# make run: the root file system on QEMU's first IDE disk, build/disk.img
# (primary master = /dev/sda); the ISO stays on the CD-ROM, which boots.
RUN_DISK_FLAGS := -drive file=$(DISK_IMG),format=raw,if=ide,index=0 -boot order=d

.PHONY: all run debug check check-one host-tests bench stress fuzz deps clean userland guest guest-on-host FORCE
all: $(ISO)

# ---- dependencies: tools/install-deps installs whatever is missing --------
$(DEPS_OK): tools/install-deps
	@./tools/install-deps
	@mkdir -p $(BUILD) && touch $@
deps: $(DEPS_OK)

# ---- the kernel ----------------------------------------------------------
# The Linux i386 syscall numbers, generated from musl's list (the ABI the
# user programs are built against).
$(SYSCALL_NR) $(GEN)/syscall_names.c &: tools/gen-syscalls.py $(SYSROOT)/.stamp
	@$(PYTHON) tools/gen-syscalls.py $(SYSROOT)/usr/include/i386-linux-musl/bits/syscall.h $(GEN)

$(BUILD)/obj/gen/%.c.o: $(GEN)/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.c.o: %.c | $(DEPS_OK) $(SYSCALL_NR)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S | $(DEPS_OK) $(SYSCALL_NR)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -c $< -o $@

# The symbol table for oops backtraces is generated from a first link and
# linked into the second. It sits after all code, so no function moves
# between the two links; tools/ksyms.py checks that.
$(BUILD)/anvil.pass1.elf: $(KERNEL_OBJ) linker.ld $(BUILD)/ksyms-empty.o
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/ksyms-empty.o $(LIBGCC)

$(BUILD)/ksyms-empty.o: tools/ksyms.py | $(DEPS_OK)
	@mkdir -p $(BUILD)
	@$(PYTHON) tools/ksyms.py --empty > $(BUILD)/ksyms-empty.S
	@$(CC) $(ASFLAGS) -c $(BUILD)/ksyms-empty.S -o $@

$(BUILD)/ksyms.o: $(BUILD)/anvil.pass1.elf tools/ksyms.py
	@$(NM) -n $< | $(PYTHON) tools/ksyms.py > $(BUILD)/ksyms.S
	@$(CC) $(ASFLAGS) -c $(BUILD)/ksyms.S -o $@

$(KERNEL_ELF): $(KERNEL_OBJ) linker.ld $(BUILD)/ksyms.o
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/ksyms.o $(LIBGCC)
	@$(NM) -n $(BUILD)/anvil.pass1.elf | $(PYTHON) tools/ksyms.py --compare-with "$$($(NM) -n $@)"

# The command line the ISO boots with: when CMDLINE changes (make run
# CMDLINE=...), the ISO is made again.
CMDLINE_STAMP := $(BUILD)/cmdline.txt
$(CMDLINE_STAMP): FORCE
	@mkdir -p $(dir $@)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(CMDLINE)" ]; then echo "$(CMDLINE)" > $@; fi

# The ISO carries the initrd and root.img (which becomes /dev/ram0): it boots
# on its own. make run boots anvil-run.iso, which names the IDE disk as the
# root device (root=/dev/sda) and leaves the RAM-disk image out.
$(ISO): $(KERNEL_ELF) $(INITRD) $(ROOTFS) $(CMDLINE_STAMP) boot/grub.cfg tools/mkiso | $(DEPS_OK)
	@echo "  ISO     $@"
	@OBJCOPY=$(OBJCOPY) ./tools/mkiso $(KERNEL_ELF) $@ "$(CMDLINE)" $(INITRD) $(ROOTFS)

$(RUN_ISO): $(KERNEL_ELF) $(INITRD) $(CMDLINE_STAMP) boot/grub.cfg tools/mkiso | $(DEPS_OK)
	@echo "  ISO     $@"
	@OBJCOPY=$(OBJCOPY) ./tools/mkiso $(KERNEL_ELF) $@ "root=/dev/sda $(CMDLINE)" $(INITRD)

# ---- user programs: static i386 ELF against Debian's musl --------------------
USER_CFLAGS  = -std=gnu11 -O2 -g -static -Wall -Wextra -Werror -Wno-unused-parameter \
               -nostdinc -isystem $(SYSROOT)/usr/include/i386-linux-musl \
               -isystem $(GCC_INCLUDE) -fno-pie -no-pie
USER_LINK    = -nostdlib $(MUSL_LIB)/crt1.o $(MUSL_LIB)/crti.o $(1) $(MUSL_LIB)/libc.a $(LIBGCC) $(MUSL_LIB)/crtn.o
USER_PROGS  := $(patsubst userland/%.c,$(BUILD)/userland/%,$(wildcard userland/*.c))
GUEST_TESTS := $(patsubst tests/guest/%.c,$(BUILD)/guest/%,$(wildcard tests/guest/*.c))
GUEST_BENCH := $(patsubst tests/bench/guest/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/guest/*.c))
DISK_PROGS  := $(patsubst tests/disk/%.c,$(BUILD)/disk/%,$(wildcard tests/disk/*.c))
# One more benchmark from anywhere: make bench EXTRA_BENCH=/abs/prog.c
EXTRA_BENCH ?=
EXTRA_BENCH_BIN := $(if $(EXTRA_BENCH),$(BUILD)/extra-bench/$(basename $(notdir $(EXTRA_BENCH))))
EXTRA_TESTS ?=
EXTRA_BINS  := $(if $(EXTRA_TESTS),$(patsubst $(EXTRA_TESTS)/%.c,$(BUILD)/extra/%,$(wildcard $(EXTRA_TESTS)/*.c)))

$(SYSROOT)/.stamp: tools/fetch-musl | $(DEPS_OK)
	@./tools/fetch-musl $(SYSROOT)
	@touch $@

$(BUILD)/userland/%: userland/%.c $(wildcard userland/*.h) $(SYSROOT)/.stamp
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -Iuserland -o $@ $(call USER_LINK,$<)

$(BUILD)/guest/%: tests/guest/%.c $(wildcard tests/guest/*.h) $(SYSROOT)/.stamp
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -Itests/guest -o $@ $(call USER_LINK,$<)

# Programs the runner's disk checks run against the IDE disks they attach.
$(BUILD)/disk/%: tests/disk/%.c $(wildcard tests/disk/*.h tests/guest/*.h) $(SYSROOT)/.stamp
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -Itests/disk -Itests/guest -o $@ $(call USER_LINK,$<)

$(BUILD)/bench/%: tests/bench/guest/%.c tests/bench/guest/bench.h $(SYSROOT)/.stamp
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -o $@ $(call USER_LINK,$<)

$(EXTRA_BENCH_BIN): $(EXTRA_BENCH) $(SYSROOT)/.stamp FORCE
	@rm -rf $(dir $@); mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -I$(dir $(EXTRA_BENCH)) -o $@ $(call USER_LINK,$<)

# Students' tests from outside the tree: make check EXTRA_TESTS=/abs/dir
$(BUILD)/extra/%: $(EXTRA_TESTS)/%.c $(SYSROOT)/.stamp FORCE
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -I$(EXTRA_TESTS) -Itests/guest -o $@ $(call USER_LINK,$<)

FORCE:
userland: $(USER_PROGS)
guest: $(GUEST_TESTS)

# run_on_host - a recipe line running each program of $(1) on the host's
# own Linux kernel, with the verdict lines of make check.
run_on_host = @pass=0; fail=0; for t in $(1); do n=$$(basename $$t); \
	  if out=$$(cd /tmp && timeout 60 $(abspath $$t) 2>&1 </dev/null); then echo "PASS $$n"; pass=$$((pass+1)); \
	  else echo "FAIL $$n: exit status $$?"; echo "$$out" | tail -5 | sed 's/^/    | /'; fail=$$((fail+1)); fi; \
	done; echo "$$pass passed, $$fail failed"; test $$fail -eq 0

# Runs every in-guest test on the host's own Linux kernel: a test that fails
# there is a wrong test, not an anvil bug. Same verdict lines as make check.
guest-on-host: $(GUEST_TESTS)
	$(call run_on_host,$(GUEST_TESTS))

# The root tree (tools/mkstage): /sbin/init, /bin/*, /tests/*, /bench/*,
# /disk-tests/*, packed twice from one staging folder: as the initial RAM
# disk (cpio, tools/mkinitrd) and as the ext2 root image (tools/mkrootfs).
# Which EXTRA_TESTS folder the tree was built with: when it changes (or
# goes away) the old extra programs are dropped and both are rebuilt.
EXTRA_STAMP := $(BUILD)/extra-tests.txt
$(EXTRA_STAMP): FORCE
	@mkdir -p $(dir $@)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(EXTRA_TESTS) $(EXTRA_BENCH)" ]; then \
	  rm -rf $(BUILD)/extra $(BUILD)/extra-bench; echo "$(EXTRA_TESTS) $(EXTRA_BENCH)" > $@; fi

$(EXTRA_BINS) $(EXTRA_BENCH_BIN): | $(EXTRA_STAMP)
STAGE_STAMP := $(BUILD)/stage.stamp
$(STAGE_STAMP): $(USER_PROGS) $(GUEST_TESTS) $(GUEST_BENCH) $(DISK_PROGS) $(EXTRA_BINS) $(EXTRA_BENCH_BIN) $(EXTRA_STAMP) tools/mkstage | $(DEPS_OK)
	@./tools/mkstage $(STAGE) $(BUILD)/userland $(BUILD)/guest "$(BUILD)/bench $(if $(EXTRA_BENCH),$(BUILD)/extra-bench)" $(BUILD)/disk $(if $(EXTRA_TESTS),$(BUILD)/extra)
	@touch $@

$(INITRD): $(STAGE_STAMP) tools/mkinitrd
	@echo "  INITRD  $@"
	@./tools/mkinitrd $@ $(STAGE)

$(ROOTFS): $(STAGE_STAMP) tools/mkrootfs
	@echo "  ROOTFS  $@"
	@./tools/mkrootfs $@ $(STAGE) $(ROOTFS_FREE_MIB)

# The disk make run boots from: made once from root.img, then kept (what the
# guest wrote survives); make run FRESH=1 makes it again.
$(DISK_IMG): | $(ROOTFS)
	@echo "  DISK    $@ (from $(ROOTFS); make run FRESH=1 remakes it)"
	@cp $(ROOTFS) $@

# ---- running --------------------------------------------------------------
# `exit` in the shell powers off through isa-debug-exit, which makes QEMU
# exit with status 33: that is a normal end, not an error.
run: $(RUN_ISO) $(ROOTFS) $(DISK_IMG)
	@$(if $(FRESH),echo "  DISK    $(DISK_IMG) (fresh from $(ROOTFS))"; cp $(ROOTFS) $(DISK_IMG))
	@echo "anvil: booting in QEMU on this terminal, root on $(DISK_IMG). Type exit in the shell, or quit with Ctrl-A then X."
	@$(QEMU) $(QEMU_FLAGS) -cdrom $(RUN_ISO) $(RUN_DISK_FLAGS); status=$$?; [ $$status -eq 0 ] || [ $$status -eq 33 ]

debug: $(ISO)
	@echo "anvil: QEMU is halted with its gdb stub on tcp::1234. In another terminal run:"
	@echo "    gdb -x tools/gdbinit"
	@echo "Quit QEMU with Ctrl-A then X."
	$(QEMU) $(QEMU_FLAGS) -cdrom $(ISO) -s -S

# ---- tests ----------------------------------------------------------------
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
               -fsanitize=address,undefined -fno-sanitize-recover=all \
               -Itests/host/shim -I. -DHOST_TEST
HOST_TESTS  := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))
# Real kernel sources compiled into every host test, behind the shim.
HOST_SRCS   := mm/page_alloc.c mm/slab.c libk/rbtree.c libk/interval_tree.c libk/radix_tree.c \
               tests/host/shim/shim.c

$(BUILD)/host/%: tests/host/%.c $(HOST_SRCS) $(wildcard tests/host/shim/*.h tests/host/shim/*/*.h tests/host/shim/*/*/*.h tests/host/*.h) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(HOST_SRCS)

host-tests: $(HOST_TESTS)

# Small ext2 images for the in-kernel ext2 tests (tests/kernel/test_ext2.c),
# handed to the ktest boots as RAM disks: 1 KiB blocks with 128-byte inodes,
# 4 KiB blocks, and a revision 0 file system (no features at all).
TEST_FS := $(BUILD)/testfs/ext2-1k.img $(BUILD)/testfs/ext2-4k.img $(BUILD)/testfs/ext2-rev0.img
$(BUILD)/testfs/ext2-1k.img: tools/mktestfs | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@PATH="$$PATH:/sbin:/usr/sbin" ./tools/mktestfs $@ 1024 3072 anvil-test-1k -I 128 2>/dev/null
$(BUILD)/testfs/ext2-4k.img: tools/mktestfs | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@PATH="$$PATH:/sbin:/usr/sbin" ./tools/mktestfs $@ 4096 12288 anvil-test-4k
$(BUILD)/testfs/ext2-rev0.img: tools/mktestfs | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@PATH="$$PATH:/sbin:/usr/sbin" ./tools/mktestfs $@ 1024 1536 anvil-test-rev0 -r 0 -N 512

RUNNER := $(PYTHON) tools/runner.py --build $(BUILD) --initrd $(INITRD) --rootfs $(ROOTFS) \
          --guest-tests $(BUILD)/guest $(if $(EXTRA_TESTS),--extra-tests $(BUILD)/extra) \
          --test-images "$(TEST_FS)"

check: $(ISO) host-tests $(TEST_FS)
	@$(RUNNER) check

check-one: $(ISO) host-tests $(TEST_FS)
	@test -n "$(T)" || { echo "usage: make check-one T=name"; exit 2; }
	@$(RUNNER) check --only $(T)

bench: $(ISO)
	@$(RUNNER) bench $(if $(EXTRA_BENCH),--extra-bench $(notdir $(EXTRA_BENCH_BIN)))

# The long random mm stress in the guest: mm_random_stress (anonymous and
# file mappings, file I/O, truncate) with many seeds
# (make check runs it with its 3 short default seeds). A failure names the
# seed and step; repeat one with make stress STRESS_SEED=s STRESS_SEEDS=1,
# adding STRESS_ARGS="stress_trace=1 stress_check_every=1" to see each step.
STRESS_SEEDS ?= 20
STRESS_STEPS ?= 1000
STRESS_SEED  ?= 1
STRESS_ARGS  ?=
stress: $(ISO)
	@$(RUNNER) stress --seeds $(STRESS_SEEDS) --steps $(STRESS_STEPS) --first-seed $(STRESS_SEED) \
	  $(if $(STRESS_ARGS),--init-words "$(STRESS_ARGS)")

# The long syscall fuzzer in the guest: syscall_fuzz with FUZZ_SEEDS seeds
# of FUZZ_CALLS calls (10^6 in all by default; make check runs 3000). A
# kernel oops or hang is counted, named by seed and round, and the seeds
# after it run in a new boot. Replay one round call by call with
# make fuzz FUZZ_SEED=s FUZZ_SEEDS=1 FUZZ_ARGS="fuzz_round=r fuzz_trace=1".
FUZZ_SEEDS ?= 10
FUZZ_CALLS ?= 100000
FUZZ_SEED  ?= 1
FUZZ_ARGS  ?=
fuzz: $(ISO)
	@$(RUNNER) fuzz --seeds $(FUZZ_SEEDS) --calls $(FUZZ_CALLS) --first-seed $(FUZZ_SEED) \
	  $(if $(FUZZ_ARGS),--init-words "$(FUZZ_ARGS)")

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJ:.o=.d)
