/* drivers/mem.h — /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom. */
#ifndef DRIVERS_MEM_H
#define DRIVERS_MEM_H

/* Registers the major-1 character devices; fs_init creates their nodes. */
void mem_devices_init(void);
#endif
