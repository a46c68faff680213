/* SPDX-License-Identifier: MIT */
/*
 * vfork.S - vfork and __vfork.  A C wrapper cannot call vfork: the child
 * returns through the wrapper's frame and the parent, resumed later, finds
 * it overwritten.  So, as compiler-rt's sanitizer interceptor does: keep
 * the caller's return address in a per-thread slot (not on the stack),
 * call the real vfork, and in each of child and parent push it back and
 * return.  Only the parent runs the C hook.  One section per architecture.
 */
#if defined(__x86_64__)
	.text
	.globl	vfork
	.globl	__vfork
	.type	vfork, @function
	.type	__vfork, @function
vfork:
__vfork:
	.cfi_startproc
	call	join_vfork_slot		/* rax = &slot; stack: caller's return address */
	popq	(%rax)			/* slot.ret = it; rsp now 16-aligned */
	.cfi_adjust_cfa_offset -8
	call	join_vfork_pre		/* rax = the real vfork */
	call	*%rax			/* child and parent both come back here */
	pushq	%rax			/* the result; 8 off alignment */
	.cfi_adjust_cfa_offset 8
	testl	%eax, %eax
	jz	1f			/* the child: touch nothing */
	movl	%eax, %edi
	subq	$8, %rsp
	call	join_vfork_post
	addq	$8, %rsp
1:	subq	$8, %rsp
	call	join_vfork_slot
	addq	$8, %rsp
	movq	(%rax), %rdx		/* the caller's return address */
	popq	%rax			/* the result */
	.cfi_adjust_cfa_offset -8
	pushq	%rdx
	.cfi_adjust_cfa_offset 8
	ret
	.cfi_endproc
	.size	vfork, .-vfork
	.size	__vfork, .-__vfork
#elif defined(__aarch64__)
/* The return address is in x30, not on the stack: it goes to the slot, signed
 * (paciasp, which is also the BTI landing pad; both are no-ops where the CPU
 * lacks them) and is authenticated on the way out, with the same sp. */
	.text
	.globl	vfork
	.globl	__vfork
	.type	vfork, %function
	.type	__vfork, %function
	.p2align 2
vfork:
__vfork:
	.cfi_startproc
	hint	#25			/* paciasp */
	.cfi_negate_ra_state
	stp	x29, x30, [sp, #-16]!
	.cfi_adjust_cfa_offset 16
	.cfi_rel_offset x29, 0
	.cfi_rel_offset x30, 8
	bl	join_vfork_slot		/* x0 = &slot */
	ldp	x29, x30, [sp], #16
	.cfi_adjust_cfa_offset -16
	.cfi_restore x29
	.cfi_restore x30
	str	x30, [x0]		/* slot.ret = the caller's return address */
	.cfi_undefined x30		/* until it is back from the slot */
	bl	join_vfork_pre		/* x0 = the real vfork */
	blr	x0			/* child and parent both come back here */
	stp	x0, xzr, [sp, #-16]!	/* the result */
	.cfi_adjust_cfa_offset 16
	cbz	w0, 1f			/* the child: touch nothing */
	bl	join_vfork_post		/* w0 = pid or -1 */
1:	bl	join_vfork_slot
	ldr	x30, [x0]		/* the caller's return address */
	.cfi_restore x30
	ldp	x0, x1, [sp], #16	/* the result */
	.cfi_adjust_cfa_offset -16
	hint	#29			/* autiasp */
	ret
	.cfi_endproc
	.size	vfork, .-vfork
	.size	__vfork, .-__vfork

#else
#error "vfork trampoline: x86-64 and aarch64 only"
#endif
#include "asmnotes.inc"
