#!/usr/bin/env python3
"""tools/ksyms.py — turn `nm -n` output into the kernel's symbol table.

  nm -n anvil.elf | ksyms.py             > ksyms.S  (the table)
  ksyms.py --empty                       > ksyms.S  (for the first link)
  nm -n pass1.elf | ksyms.py --compare-with "$(nm -n final.elf)"
      fails if any function moved between the two links.

The table holds every text symbol (t/T/W) in address order, then _text_end
as the end marker; see kernel/ksyms.c for the layout.
"""
import sys

TEXT_TYPES = set("tTwW")


def text_symbols(lines):
    syms = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = parts
        if kind in TEXT_TYPES or name == "_text_end":
            syms.append((int(addr, 16), name))
    return syms


def emit(syms):
    out = ['\t.section .ksyms, "a"', "\t.align 4", "\t.globl ksyms_count, ksyms_addrs, ksyms_names, ksyms_strtab"]
    out.append("ksyms_count:\n\t.long %d" % len(syms))
    out.append("ksyms_addrs:")
    out += ["\t.long 0x%08x" % a for a, _ in syms]
    out.append("ksyms_names:")
    offset = 0
    for _, name in syms:
        out.append("\t.long %d" % offset)
        offset += len(name) + 1
    out.append("ksyms_strtab:")
    out += ['\t.asciz "%s"' % name for _, name in syms]
    if not syms:
        out.append("\t.byte 0")
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    if args[:1] == ["--empty"]:
        sys.stdout.write(emit([]))
        return 0
    first = text_symbols(sys.stdin)
    if args[:1] == ["--compare-with"]:
        final = text_symbols(args[1].splitlines())
        if first != final:
            moved = [f"{n}: {a:#x} -> {b:#x}" for (a, n), (b, m) in zip(first, final) if a != b or n != m]
            sys.stderr.write("ksyms: text moved between links: %s\n" % "; ".join(moved[:5]))
            return 1
        return 0
    syms = [s for s in first if s[1] != "_text_end"]
    end = [s for s in first if s[1] == "_text_end"]
    sys.stdout.write(emit(syms + end))
    return 0


if __name__ == "__main__":
    sys.exit(main())
