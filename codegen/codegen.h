/* codegen.h — C emission.
 *
 * requires: a Program that sema checked without errors;
 * produces: one self-contained C11 translation unit that includes mrs_rt.h
 * (MINI-RUST.md section 3): one typedef per monomorphic type instance in
 * dependency order, helper functions per type (Debug, Clone, PartialEq,
 * drop), and each Rust function under a comment holding its signature. */
#ifndef MRSC_CODEGEN_H
#define MRSC_CODEGEN_H

#include "../sema/sema.h"

/* Where the C may be cut into parts compiled on their own (a debug build of a large
 * program compiles them in parallel): each part is the text before `shared` (types,
 * prototypes, helpers), then the functions from one cut to the next. cuts[0] is
 * `shared`; the last part ends the text (C's main is in it). ncuts is 0 when the C
 * must stay whole (statics, async fns). */
typedef struct CgParts {
    size_t shared;
    size_t *cuts;
    int ncuts;
} CgParts;

typedef struct CgOptions {
    const char *src_path; /* the .mrs path as given: panic locations print it */
    bool release;         /* -O: wrapping arithmetic (rustc -O) */
    bool line_directives; /* -g: #line so debuggers show .mrs lines */
    CgParts *parts;       /* when set: filled in with where the C may be cut */
} CgOptions;

/* Returns the C text (malloc'd; the caller frees it). */
char *cg_program(Program *prog, const CgOptions *opt);

#endif
