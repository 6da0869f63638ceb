/*
 * mm/gfp.h — allocation flags ("get free pages"): what the caller allows
 * the allocator to do to satisfy a request.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

typedef unsigned gfp_t;

#define __GFP_ZERO  0x01u   /* return zeroed memory */
#define __GFP_COMP  0x02u   /* mark a multi-page block as one compound page */
#define __GFP_WAIT  0x04u   /* the caller may sleep: reclaim may run */
#define __GFP_FS    0x08u   /* reclaim may call into file systems (drop and
			     * evict inodes): not while holding a file
			     * system's own locks (Linux's __GFP_FS) */
#define __GFP_IO    0x10u   /* reclaim may write pages to swap (takes the
			     * swap device's bd_lock): not from inside the
			     * block layer (Linux's __GFP_IO) */

#define GFP_ATOMIC  0u                            /* interrupt context: never sleeps */
#define GFP_NOIO    (__GFP_WAIT)                  /* the block layer under its locks */
#define GFP_NOFS    (__GFP_WAIT | __GFP_IO)       /* file system code under its locks */
#define GFP_KERNEL  (__GFP_WAIT | __GFP_IO | __GFP_FS)

#endif
