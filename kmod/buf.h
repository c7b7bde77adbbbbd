/* SPDX-License-Identifier: GPL-2.0 */
#ifndef QRPC_BUF_H
#define QRPC_BUF_H

#include <linux/types.h>

struct page;
struct vm_area_struct;

struct qrpc_buf {
	struct page	**pages;
	unsigned int	npages;
	void		*vaddr;		/* the kernel's view */
};

int qrpc_buf_alloc(struct qrpc_buf *buf, size_t size);
void qrpc_buf_free(struct qrpc_buf *buf);
int qrpc_buf_map(struct qrpc_buf *buf, unsigned int first,
		 struct vm_area_struct *vma);

#endif /* QRPC_BUF_H */
