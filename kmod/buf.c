// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: memory shared with user space.  A buffer is an array of pages
 * charged to the caller's memory cgroup, seen by the kernel through one
 * vmap and inserted into user mappings page by page.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "buf.h"

int qrpc_buf_alloc(struct qrpc_buf *buf, size_t size)
{
	unsigned int i;

	buf->npages = DIV_ROUND_UP(size, PAGE_SIZE);
	/* Sized by user space, and bounded: a failure is -ENOMEM, quietly. */
	buf->pages = kvcalloc(buf->npages, sizeof(*buf->pages),
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!buf->pages)
		return -ENOMEM;
	for (i = 0; i < buf->npages; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
					    __GFP_NOWARN);
		if (!buf->pages[i])
			goto fail;
	}
	buf->vaddr = vmap(buf->pages, buf->npages, VM_MAP, PAGE_KERNEL);
	if (!buf->vaddr)
		goto fail;
	return 0;
fail:
	qrpc_buf_free(buf);
	return -ENOMEM;
}

void qrpc_buf_free(struct qrpc_buf *buf)
{
	unsigned int i;

	if (buf->vaddr)
		vunmap(buf->vaddr);
	if (buf->pages) {
		for (i = 0; i < buf->npages; i++)
			if (buf->pages[i])
				__free_page(buf->pages[i]);
		kvfree(buf->pages);
	}
	buf->pages = NULL;
	buf->vaddr = NULL;
	buf->npages = 0;
}

/* Map pages [@first, @first + vma size) of @buf into @vma. */
int qrpc_buf_map(struct qrpc_buf *buf, unsigned int first,
		 struct vm_area_struct *vma)
{
	unsigned long npages = vma_pages(vma);
	unsigned long done = npages;
	int ret;

	if (first > buf->npages || npages > buf->npages - first)
		return -EINVAL;
	ret = vm_insert_pages(vma, vma->vm_start, buf->pages + first, &done);
	return ret ? ret : (done ? -ENOMEM : 0);
}
