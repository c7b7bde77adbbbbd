// SPDX-License-Identifier: GPL-2.0
/* vma->vm_flags is changed through vm_flags_set/_clear (6.3 and later). */
#include <linux/mm.h>

void probe(struct vm_area_struct *vma);
void probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_DONTCOPY);
	vm_flags_clear(vma, VM_MAYWRITE);
}
