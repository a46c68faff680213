/* asmnotes.h - the notes every assembly file of ours ends with (included at the end):
 * no executable stack, and on aarch64 that the code is fit for BTI and PAC
 * (GNU_PROPERTY_AARCH64_FEATURE_1_AND), which the linker gives the library only if
 * every object says so (-mbranch-protection=standard for the C files, Makefile). */
.section.note.GNU - stack, "", % progbits
#if defined(__aarch64__)
                                       .section.note.gnu.property,
    "a".p2align 3
        .long 4  /* name size */
        .long 16 /* descriptor size */
        .long 5  /* NT_GNU_PROPERTY_TYPE_0 */
        .asciz "GNU"
        .long 0xc0000000 /* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
        .long 4
        .long 3 /* BTI | PAC */
        .long 0
#endif
