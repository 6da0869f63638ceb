/* arch/x86/pic.h — the two cascaded 8259A interrupt controllers. */
#ifndef ARCH_X86_PIC_H
#define ARCH_X86_PIC_H

void pic_init(void);
void pic_eoi(unsigned irq);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
#endif
