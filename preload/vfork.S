/*
 * vfork.S - vfork and __vfork.  A C wrapper cannot call vfork: the child
 * returns through the wrapper's frame and the parent, resumed later, finds
 * it overwritten.  So, as compiler-rt's sanitizer interceptor does: keep
 * the caller's return address in a per-thread slot (not on the stack),
 * call the real vfork, and in each of child and parent push it back and
 * return.  Only the parent runs the C hook.
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
#else
#error "vfork trampoline: only x86-64 so far"
#endif
	.section .note.GNU-stack,"",@progbits
