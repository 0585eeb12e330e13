/* mrs_rt.h — the mini-Rust runtime (libmrsrt), included by every C file that mrsc writes.
 *
 * Provides: source locations and panics with rustc 1.95's exact texts (panic.c), checked,
 * wrapping and saturating integer arithmetic and the std integer/float methods (inline
 * below, float casts and helpers in num.c), String and &str (string.c, str.c), str::parse
 * (parse.c), char methods (char.c), Vec growth, slice-bounds panics and the radix sorts
 * (vec.c; the other sorts are the template mrs_sort.h), the formatting engine behind println!/format!/Display/Debug (fmt.c, fmt_float.c,
 * fmt_debug.c) and stdout/stderr output (io.c).
 *
 * Conventions: every exported name starts with `mrs_` (types `Mrs`); a Rust Option<T>
 * result is a `bool` (Some) plus an out parameter; every heap block has one owner and one
 * free (an MrsString owns its buffer; mrs_string_drop frees it).
 * See doc MINI-RUST.md section 6. Panic texts and locations were checked with rustc-oracle.
 */
#ifndef MRS_RT_H
#define MRS_RT_H

#ifndef _POSIX_C_SOURCE /* pthreads' rwlocks under -std=c11 (include this header first) */
#define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>

/* ------------------------------------------------------------------ locations, strings */

typedef struct MrsLoc {
    const char *file; /* as rustc prints it: the .mrs path given on the command line */
    uint32_t line;
    uint32_t col;     /* 1-based, in chars */
} MrsLoc;
#define MRS_LOC(f, l, c) ((MrsLoc){ (f), (l), (c) })

/* A generated function that a program may never call (a closure's body
 * that only a vtable or nothing reaches): no "unused" warning for it. */
#if defined(__GNUC__) || defined(__clang__)
#define MRS_UNUSED __attribute__((unused))
#else
#define MRS_UNUSED
#endif
/* A sort's comparison: the user's comparator inlined into it, and it into the sort's
 * loops, as rustc monomorphizes them (flatten: every call it makes, inlined). */
#if defined(__GNUC__) || defined(__clang__)
#define MRS_FLATTEN __attribute__((flatten))
#else
#define MRS_FLATTEN
#endif
/* A closure's body: a function of the C file alone (static), unless mrsc's build cut the
 * C into parts compiled side by side (MRS_SPLIT), where another part may call it. */
#ifdef MRS_SPLIT
#define MRS_LOCAL MRS_UNUSED
#else
#define MRS_LOCAL MRS_UNUSED static
#endif

/* Some std methods panic at a location inside the standard library rather than at the
 * caller (they are not #[track_caller]); rustc 1.95 reports these paths. */
#define MRS_RUSTC_SRC "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/"
#define MRS_LOC_CORE_NUM(line) MRS_LOC(MRS_RUSTC_SRC "core/src/num/mod.rs", (line), 5)
/* where `for i in a..` reports counting past the type's MAX */
#define MRS_LOC_RANGE_FROM MRS_LOC(MRS_RUSTC_SRC "core/src/iter/range.rs", 434, 1)
/* where "capacity overflow" is reported (Vec::with_capacity, str::repeat, ...) */
#define MRS_LOC_RAW_VEC MRS_LOC(MRS_RUSTC_SRC "alloc/src/raw_vec/mod.rs", 28, 5)

typedef struct MrsStr { /* &str: borrowed UTF-8 bytes, not NUL-terminated */
    const uint8_t *ptr;
    size_t len;
} MrsStr;
#define MRS_STR(lit) ((MrsStr){ (const uint8_t *)(lit), sizeof(lit) - 1 })

typedef struct MrsString { /* String: owns ptr[0..cap); ptr is NULL when cap is 0 */
    uint8_t *ptr;
    size_t len;
    size_t cap;
} MrsString;

/* ------------------------------------------------------------------ panic.c */

/* Prints "\nthread 'main' panicked at FILE:LINE:COL:\nMSG\nnote: run with
 * `RUST_BACKTRACE=1` environment variable to display a backtrace\n" on stderr after
 * flushing stdout, unwinds (see MrsUnwindGuard), then exits with status 101. */
_Noreturn void mrs_panic(MrsLoc loc, MrsStr msg);
_Noreturn void mrs_panic_cstr(MrsLoc loc, const char *msg);
_Noreturn void mrs_panic_string(MrsLoc loc, MrsString msg); /* takes ownership of msg */
_Noreturn void mrs_process_exit(int32_t code);             /* std::process::exit */

/* Unwinding. A local whose drop has a visible effect (an `impl Drop` somewhere in its
 * type) is linked into a chain of guards when it is initialized and unlinked just
 * before its scope drops it. A panic walks the chain from the innermost frame out,
 * dropping each guarded value that is still live, then exits: the same `Drop` output
 * as rustc's panic=unwind. Values whose drop only frees memory are not guarded; the
 * process exit returns that memory. */
typedef struct MrsUnwindGuard {
    struct MrsUnwindGuard *prev;
    const void *obj;          /* the guarded local (an immutable binding's too: `Rc_T *const`) */
    void (*drop)(void *obj);  /* its drop glue; NULL once the local is moved out */
    const bool *live;         /* its drop flag, or NULL when it has none */
} MrsUnwindGuard;
extern _Thread_local MrsUnwindGuard *mrs_unwind_top; /* each thread unwinds its own frames */
extern _Thread_local bool mrs_panicking;                /* this thread is unwinding */
/* Where a panic on a spawned thread ends it (thread.c); NULL on the main thread. */
typedef struct MrsThreadExit {
    jmp_buf jmp;
} MrsThreadExit;
extern _Thread_local MrsThreadExit *mrs_thread_exit;
/* Unlink g wherever it is in the chain: a temporary dies at the end of its
 * statement, when a local bound by that statement may be linked above it. */
static inline void mrs_unwind_remove(MrsUnwindGuard *g)
{
    MrsUnwindGuard **p = &mrs_unwind_top;
    while (*p != NULL && *p != g)
        p = &(*p)->prev;
    if (*p != NULL)
        *p = g->prev;
}
void mrs_unwind(void); /* drop every live guarded value, innermost first */

/* Builds the whole stderr text of a panic (exposed for unit tests). */
MrsString mrs_panic_message(MrsLoc loc, MrsStr msg);

/* ------------------------------------------------------------------ integers (inline) */

/* Every operation is generated for each integer type by the macros below, so that
 * mrs_add_i32, mrs_checked_pow_u8, ... exist for
 *   i8 i16 i32 i64 isize (intptr_t)   u8 u16 u32 u64 usize (size_t).
 * Debug builds call the checked forms, -O builds the wrapping forms (mrs_wadd_...);
 * division and remainder check in both, as rustc does. Shift amounts are taken as
 * uint64_t so that a negative or very large amount of any type still reads as too big. */

#define MRS_ALWAYS static inline

/* The operations whose C is the same at every width (the compiler's
 * overflow builtins), i128 and u128 included. T: C type, N: Rust name. */
#define MRS_INT_ARITH(T, N)                                                              \
    MRS_ALWAYS T mrs_add_##N(T a, T b, MrsLoc loc) {                                     \
        T r;                                                                             \
        if (__builtin_add_overflow(a, b, &r)) mrs_panic_cstr(loc, "attempt to add with overflow"); \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_sub_##N(T a, T b, MrsLoc loc) {                                     \
        T r;                                                                             \
        if (__builtin_sub_overflow(a, b, &r)) mrs_panic_cstr(loc, "attempt to subtract with overflow"); \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_mul_##N(T a, T b, MrsLoc loc) {                                     \
        T r;                                                                             \
        if (__builtin_mul_overflow(a, b, &r)) mrs_panic_cstr(loc, "attempt to multiply with overflow"); \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_wadd_##N(T a, T b) { T r; (void)__builtin_add_overflow(a, b, &r); return r; } \
    MRS_ALWAYS T mrs_wsub_##N(T a, T b) { T r; (void)__builtin_sub_overflow(a, b, &r); return r; } \
    MRS_ALWAYS T mrs_wmul_##N(T a, T b) { T r; (void)__builtin_mul_overflow(a, b, &r); return r; } \
    MRS_ALWAYS T mrs_wneg_##N(T a) { T r; (void)__builtin_sub_overflow((T)0, a, &r); return r; } \
    MRS_ALWAYS T mrs_wrapping_add_##N(T a, T b) { return mrs_wadd_##N(a, b); }           \
    MRS_ALWAYS T mrs_wrapping_sub_##N(T a, T b) { return mrs_wsub_##N(a, b); }           \
    MRS_ALWAYS T mrs_wrapping_mul_##N(T a, T b) { return mrs_wmul_##N(a, b); }           \
    MRS_ALWAYS bool mrs_checked_add_##N(T a, T b, T *out) { return !__builtin_add_overflow(a, b, out); } \
    MRS_ALWAYS bool mrs_checked_sub_##N(T a, T b, T *out) { return !__builtin_sub_overflow(a, b, out); } \
    MRS_ALWAYS bool mrs_checked_mul_##N(T a, T b, T *out) { return !__builtin_mul_overflow(a, b, out); } \
    MRS_ALWAYS T mrs_min_##N(T a, T b) { return a < b ? a : b; }                         \
    MRS_ALWAYS T mrs_max_##N(T a, T b) { return a > b ? a : b; }

/* Operations common to signed and unsigned types up to 64 bits. T: C type, N: Rust name,
 * U: unsigned C type of the same width, BITS: width. */
#define MRS_INT_COMMON(T, N, U, BITS)                                                    \
    MRS_INT_ARITH(T, N)                                                                  \
    MRS_ALWAYS T mrs_shl_##N(T a, uint64_t b, MrsLoc loc) {                              \
        if (b >= (BITS)) mrs_panic_cstr(loc, "attempt to shift left with overflow");     \
        return (T)((unsigned long long)(U)a << b);                                       \
    }                                                                                    \
    MRS_ALWAYS T mrs_wshl_##N(T a, uint64_t b) { return (T)((unsigned long long)(U)a << (b & ((BITS) - 1))); } \
    /* exponentiation by squaring; returns false on overflow, *out then wrapped */       \
    MRS_ALWAYS bool mrs_checked_pow_##N(T base, uint32_t exp, T *out) {                  \
        T acc = 1;                                                                       \
        bool ok = true;                                                                  \
        while (exp > 0) {                                                                \
            if (exp & 1) ok &= !__builtin_mul_overflow(acc, base, &acc);                 \
            exp >>= 1;                                                                   \
            if (exp > 0) ok &= !__builtin_mul_overflow(base, base, &base);               \
        }                                                                                \
        *out = acc;                                                                      \
        return ok;                                                                       \
    }                                                                                    \
    MRS_ALWAYS T mrs_wrapping_pow_##N(T base, uint32_t exp) {                            \
        T r;                                                                             \
        (void)mrs_checked_pow_##N(base, exp, &r);                                        \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS uint32_t mrs_count_ones_##N(T a) { return (uint32_t)__builtin_popcountll((U)a); } \
    MRS_ALWAYS uint32_t mrs_count_zeros_##N(T a) { return (BITS) - mrs_count_ones_##N(a); } \
    MRS_ALWAYS uint32_t mrs_leading_zeros_##N(T a) {                                     \
        return (U)a == 0 ? (BITS) : (uint32_t)__builtin_clzll((U)a) - (64 - (BITS));     \
    }                                                                                    \
    MRS_ALWAYS uint32_t mrs_trailing_zeros_##N(T a) {                                    \
        return (U)a == 0 ? (BITS) : (uint32_t)__builtin_ctzll((U)a);                     \
    }                                                                                    \
    MRS_ALWAYS T mrs_swap_bytes_##N(T a) {                                               \
        U u = (U)a, r = 0;                                                               \
        for (int i = 0; i < (BITS) / 8; i++, u = (U)(u >> 4 >> 4))                       \
            r = (U)((U)(r << 4 << 4) | (u & 0xff));                                      \
        return (T)r;                                                                     \
    }                                                                                    \
    MRS_ALWAYS T mrs_reverse_bits_##N(T a) {                                             \
        U u = (U)a, r = 0;                                                               \
        for (int i = 0; i < (BITS); i++, u = (U)(u >> 1))                                \
            r = (U)((U)(r << 1) | (u & 1));                                              \
        return (T)r;                                                                     \
    }

/* Signed types. MIN/MAX: limits; POWLINE: the line of core/src/num/mod.rs where rustc
 * 1.95 reports overflow in pow() and abs() of this type. */
#define MRS_INT_SIGNED(T, N, U, BITS, MIN, MAX, POWLINE)                                 \
    MRS_INT_COMMON(T, N, U, BITS)                                                        \
    MRS_ALWAYS T mrs_div_##N(T a, T b, MrsLoc loc) {                                     \
        if (b == 0) mrs_panic_cstr(loc, "attempt to divide by zero");                    \
        if (a == (MIN) && b == -1) mrs_panic_cstr(loc, "attempt to divide with overflow"); \
        return (T)(a / b);                                                               \
    }                                                                                    \
    MRS_ALWAYS T mrs_rem_##N(T a, T b, MrsLoc loc) {                                     \
        if (b == 0) mrs_panic_cstr(loc, "attempt to calculate the remainder with a divisor of zero"); \
        if (a == (MIN) && b == -1) mrs_panic_cstr(loc, "attempt to calculate the remainder with overflow"); \
        return (T)(a % b);                                                               \
    }                                                                                    \
    MRS_ALWAYS T mrs_neg_##N(T a, MrsLoc loc) {                                          \
        if (a == (MIN)) mrs_panic_cstr(loc, "attempt to negate with overflow");          \
        return (T)-a;                                                                    \
    }                                                                                    \
    /* arithmetic shift written out, since >> of a negative value is implementation-defined */ \
    MRS_ALWAYS T mrs_wshr_##N(T a, uint64_t b) {                                         \
        unsigned s = (unsigned)(b & ((BITS) - 1));                                       \
        return a < 0 ? (T) ~(T)((U)~a >> s) : (T)((U)a >> s);                            \
    }                                                                                    \
    MRS_ALWAYS T mrs_shr_##N(T a, uint64_t b, MrsLoc loc) {                              \
        if (b >= (BITS)) mrs_panic_cstr(loc, "attempt to shift right with overflow");    \
        return mrs_wshr_##N(a, b);                                                       \
    }                                                                                    \
    MRS_ALWAYS T mrs_wrapping_neg_##N(T a) { return mrs_wneg_##N(a); }                   \
    MRS_ALWAYS T mrs_wrapping_abs_##N(T a) { return a < 0 ? mrs_wneg_##N(a) : a; }       \
    MRS_ALWAYS T mrs_abs_##N(T a) {                                                      \
        if (a == (MIN)) mrs_panic_cstr(MRS_LOC_CORE_NUM(POWLINE), "attempt to negate with overflow"); \
        return a < 0 ? (T)-a : a;                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_pow_##N(T base, uint32_t exp) {                                     \
        T r;                                                                             \
        if (!mrs_checked_pow_##N(base, exp, &r))                                         \
            mrs_panic_cstr(MRS_LOC_CORE_NUM(POWLINE), "attempt to multiply with overflow"); \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS bool mrs_checked_div_##N(T a, T b, T *out) {                              \
        if (b == 0 || (a == (MIN) && b == -1)) return false;                             \
        *out = (T)(a / b);                                                               \
        return true;                                                                     \
    }                                                                                    \
    MRS_ALWAYS bool mrs_checked_rem_##N(T a, T b, T *out) {                              \
        if (b == 0 || (a == (MIN) && b == -1)) return false;                             \
        *out = (T)(a % b);                                                               \
        return true;                                                                     \
    }                                                                                    \
    MRS_ALWAYS T mrs_saturating_add_##N(T a, T b) {                                      \
        T r;                                                                             \
        return __builtin_add_overflow(a, b, &r) ? (b < 0 ? (MIN) : (MAX)) : r;           \
    }                                                                                    \
    MRS_ALWAYS T mrs_saturating_sub_##N(T a, T b) {                                      \
        T r;                                                                             \
        return __builtin_sub_overflow(a, b, &r) ? (b > 0 ? (MIN) : (MAX)) : r;           \
    }                                                                                    \
    MRS_ALWAYS T mrs_saturating_mul_##N(T a, T b) {                                      \
        T r;                                                                             \
        return __builtin_mul_overflow(a, b, &r) ? (((a < 0) != (b < 0)) ? (MIN) : (MAX)) : r; \
    }                                                                                    \
    MRS_ALWAYS T mrs_saturating_pow_##N(T base, uint32_t exp) {                          \
        T r;                                                                             \
        if (mrs_checked_pow_##N(base, exp, &r)) return r;                                \
        return (base < 0 && (exp & 1)) ? (MIN) : (MAX);                                  \
    }                                                                                    \
    /* Euclidean division: the remainder is never negative (Rust's div_euclid) */        \
    MRS_ALWAYS T mrs_div_euclid_##N(T a, T b, MrsLoc loc) {                              \
        T q = mrs_div_##N(a, b, loc);                                                    \
        if (a % b < 0) return b > 0 ? (T)(q - 1) : (T)(q + 1);                           \
        return q;                                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_rem_euclid_##N(T a, T b, MrsLoc loc) {                              \
        T r = mrs_rem_##N(a, b, loc);                                                    \
        if (r < 0) return b < 0 ? (T)(r - b) : (T)(r + b);                               \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_signum_##N(T a) { return (T)((a > 0) - (a < 0)); }

/* Unsigned types. */
#define MRS_INT_UNSIGNED(T, N, BITS, MAX, POWLINE)                                       \
    MRS_INT_COMMON(T, N, T, BITS)                                                        \
    MRS_ALWAYS T mrs_div_##N(T a, T b, MrsLoc loc) {                                     \
        if (b == 0) mrs_panic_cstr(loc, "attempt to divide by zero");                    \
        return (T)(a / b);                                                               \
    }                                                                                    \
    MRS_ALWAYS T mrs_rem_##N(T a, T b, MrsLoc loc) {                                     \
        if (b == 0) mrs_panic_cstr(loc, "attempt to calculate the remainder with a divisor of zero"); \
        return (T)(a % b);                                                               \
    }                                                                                    \
    MRS_ALWAYS T mrs_wshr_##N(T a, uint64_t b) { return (T)(a >> (b & ((BITS) - 1))); }  \
    MRS_ALWAYS T mrs_shr_##N(T a, uint64_t b, MrsLoc loc) {                              \
        if (b >= (BITS)) mrs_panic_cstr(loc, "attempt to shift right with overflow");    \
        return (T)(a >> b);                                                              \
    }                                                                                    \
    MRS_ALWAYS T mrs_pow_##N(T base, uint32_t exp) {                                     \
        T r;                                                                             \
        if (!mrs_checked_pow_##N(base, exp, &r))                                         \
            mrs_panic_cstr(MRS_LOC_CORE_NUM(POWLINE), "attempt to multiply with overflow"); \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS bool mrs_checked_div_##N(T a, T b, T *out) {                              \
        if (b == 0) return false;                                                        \
        *out = (T)(a / b);                                                               \
        return true;                                                                     \
    }                                                                                    \
    MRS_ALWAYS bool mrs_checked_rem_##N(T a, T b, T *out) {                              \
        if (b == 0) return false;                                                        \
        *out = (T)(a % b);                                                               \
        return true;                                                                     \
    }                                                                                    \
    MRS_ALWAYS T mrs_saturating_add_##N(T a, T b) { T r; return __builtin_add_overflow(a, b, &r) ? (MAX) : r; } \
    MRS_ALWAYS T mrs_saturating_sub_##N(T a, T b) { T r; return __builtin_sub_overflow(a, b, &r) ? 0 : r; } \
    MRS_ALWAYS T mrs_saturating_mul_##N(T a, T b) { T r; return __builtin_mul_overflow(a, b, &r) ? (MAX) : r; } \
    MRS_ALWAYS T mrs_saturating_pow_##N(T base, uint32_t exp) {                          \
        T r;                                                                             \
        return mrs_checked_pow_##N(base, exp, &r) ? r : (MAX);                           \
    }                                                                                    \
    MRS_ALWAYS T mrs_div_euclid_##N(T a, T b, MrsLoc loc) { return mrs_div_##N(a, b, loc); } \
    MRS_ALWAYS T mrs_rem_euclid_##N(T a, T b, MrsLoc loc) { return mrs_rem_##N(a, b, loc); } \
    MRS_ALWAYS bool mrs_is_power_of_two_##N(T a) { return a != 0 && (a & (T)(a - 1)) == 0; }

MRS_INT_SIGNED(int8_t, i8, uint8_t, 8, INT8_MIN, INT8_MAX, 346)
MRS_INT_SIGNED(int16_t, i16, uint16_t, 16, INT16_MIN, INT16_MAX, 370)
MRS_INT_SIGNED(int32_t, i32, uint32_t, 32, INT32_MIN, INT32_MAX, 394)
MRS_INT_SIGNED(int64_t, i64, uint64_t, 64, INT64_MIN, INT64_MAX, 418)
MRS_INT_SIGNED(intptr_t, isize, uintptr_t, 64, INTPTR_MIN, INTPTR_MAX, 519)
MRS_INT_UNSIGNED(uint8_t, u8, 8, UINT8_MAX, 546)
MRS_INT_UNSIGNED(uint16_t, u16, 16, UINT16_MAX, 1188)
MRS_INT_UNSIGNED(uint32_t, u32, 32, UINT32_MAX, 1243)
MRS_INT_UNSIGNED(uint64_t, u64, 64, UINT64_MAX, 1274)
MRS_INT_UNSIGNED(size_t, usize, 64, SIZE_MAX, 1400)

/* i128 and u128 (gcc's and clang's __int128): the arithmetic, shifts and
 * wrapping/checked forms; the 64-bit helpers above would truncate them. */
#define MRS_U128_MAX (~(unsigned __int128)0)
#define MRS_I128_MAX ((__int128)(MRS_U128_MAX >> 1))
#define MRS_I128_MIN (-MRS_I128_MAX - 1)
#define MRS_INT128(T, N)                                                                 \
    MRS_INT_ARITH(T, N)                                                                  \
    MRS_ALWAYS T mrs_wshl_##N(T a, uint64_t b) { return (T)((unsigned __int128)a << (b & 127)); } \
    MRS_ALWAYS T mrs_shl_##N(T a, uint64_t b, MrsLoc loc) {                              \
        if (b >= 128) mrs_panic_cstr(loc, "attempt to shift left with overflow");        \
        return mrs_wshl_##N(a, b);                                                       \
    }                                                                                    \
    MRS_ALWAYS T mrs_shr_##N(T a, uint64_t b, MrsLoc loc) {                              \
        if (b >= 128) mrs_panic_cstr(loc, "attempt to shift right with overflow");       \
        return mrs_wshr_##N(a, b);                                                       \
    }

/* arithmetic shift written out, since >> of a negative value is implementation-defined */
MRS_ALWAYS __int128 mrs_wshr_i128(__int128 a, uint64_t b)
{
    unsigned s = (unsigned)(b & 127);
    return a < 0 ? (__int128) ~(~(unsigned __int128)a >> s) : (__int128)((unsigned __int128)a >> s);
}
MRS_ALWAYS unsigned __int128 mrs_wshr_u128(unsigned __int128 a, uint64_t b) { return a >> (b & 127); }
MRS_INT128(__int128, i128)
MRS_INT128(unsigned __int128, u128)
MRS_ALWAYS __int128 mrs_div_i128(__int128 a, __int128 b, MrsLoc loc)
{
    if (b == 0) mrs_panic_cstr(loc, "attempt to divide by zero");
    if (a == MRS_I128_MIN && b == -1) mrs_panic_cstr(loc, "attempt to divide with overflow");
    return a / b;
}
MRS_ALWAYS __int128 mrs_rem_i128(__int128 a, __int128 b, MrsLoc loc)
{
    if (b == 0) mrs_panic_cstr(loc, "attempt to calculate the remainder with a divisor of zero");
    if (a == MRS_I128_MIN && b == -1) mrs_panic_cstr(loc, "attempt to calculate the remainder with overflow");
    return a % b;
}
MRS_ALWAYS __int128 mrs_neg_i128(__int128 a, MrsLoc loc)
{
    if (a == MRS_I128_MIN) mrs_panic_cstr(loc, "attempt to negate with overflow");
    return -a;
}
MRS_ALWAYS unsigned __int128 mrs_div_u128(unsigned __int128 a, unsigned __int128 b, MrsLoc loc)
{
    if (b == 0) mrs_panic_cstr(loc, "attempt to divide by zero");
    return a / b;
}
MRS_ALWAYS unsigned __int128 mrs_rem_u128(unsigned __int128 a, unsigned __int128 b, MrsLoc loc)
{
    if (b == 0) mrs_panic_cstr(loc, "attempt to calculate the remainder with a divisor of zero");
    return a % b;
}

/* The std methods of i128 and u128: what MRS_INT_SIGNED/UNSIGNED give the others. */
#define MRS_INT128_COMMON(T, N, POWLINE)                                                 \
    MRS_ALWAYS bool mrs_checked_pow_##N(T base, uint32_t exp, T *out) {                  \
        T r = 1;                                                                         \
        for (; exp; exp--)                                                               \
            if (__builtin_mul_overflow(r, base, &r)) return false;                       \
        *out = r;                                                                        \
        return true;                                                                     \
    }                                                                                    \
    MRS_ALWAYS T mrs_wrapping_pow_##N(T base, uint32_t exp) {                            \
        T r = 1;                                                                         \
        for (; exp; exp--) r = mrs_wmul_##N(r, base);                                    \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS T mrs_pow_##N(T base, uint32_t exp) {                                     \
        T r;                                                                             \
        if (!mrs_checked_pow_##N(base, exp, &r))                                         \
            mrs_panic_cstr(MRS_LOC_CORE_NUM(POWLINE), "attempt to multiply with overflow"); \
        return r;                                                                        \
    }                                                                                    \
    MRS_ALWAYS uint32_t mrs_count_ones_##N(T a) {                                        \
        unsigned __int128 u = (unsigned __int128)a;                                      \
        return (uint32_t)(__builtin_popcountll((uint64_t)u) + __builtin_popcountll((uint64_t)(u >> 64))); \
    }                                                                                    \
    MRS_ALWAYS uint32_t mrs_count_zeros_##N(T a) { return 128 - mrs_count_ones_##N(a); } \
    MRS_ALWAYS uint32_t mrs_leading_zeros_##N(T a) {                                     \
        unsigned __int128 u = (unsigned __int128)a;                                      \
        uint64_t hi = (uint64_t)(u >> 64), lo = (uint64_t)u;                             \
        return hi ? (uint32_t)__builtin_clzll(hi) : lo ? 64 + (uint32_t)__builtin_clzll(lo) : 128; \
    }                                                                                    \
    MRS_ALWAYS uint32_t mrs_trailing_zeros_##N(T a) {                                    \
        unsigned __int128 u = (unsigned __int128)a;                                      \
        uint64_t hi = (uint64_t)(u >> 64), lo = (uint64_t)u;                             \
        return lo ? (uint32_t)__builtin_ctzll(lo) : hi ? 64 + (uint32_t)__builtin_ctzll(hi) : 128; \
    }                                                                                    \
    MRS_ALWAYS T mrs_swap_bytes_##N(T a) {                                               \
        unsigned __int128 u = (unsigned __int128)a, r = 0;                               \
        for (int i = 0; i < 16; i++, u >>= 8)                                            \
            r = (r << 8) | (u & 0xff);                                                   \
        return (T)r;                                                                     \
    }                                                                                    \
    MRS_ALWAYS T mrs_reverse_bits_##N(T a) {                                             \
        unsigned __int128 u = (unsigned __int128)a, r = 0;                               \
        for (int i = 0; i < 128; i++, u >>= 1)                                           \
            r = (r << 1) | (u & 1);                                                      \
        return (T)r;                                                                     \
    }

MRS_INT128_COMMON(__int128, i128, 442)
MRS_INT128_COMMON(unsigned __int128, u128, 1305)

typedef __int128 mrs_i128;
typedef unsigned __int128 mrs_u128;
MRS_ALWAYS mrs_i128 mrs_saturating_pow_i128(mrs_i128 base, uint32_t exp)
{
    mrs_i128 r;
    if (mrs_checked_pow_i128(base, exp, &r)) return r;
    return (base < 0 && (exp & 1)) ? MRS_I128_MIN : MRS_I128_MAX;
}
MRS_ALWAYS mrs_i128 mrs_saturating_add_i128(mrs_i128 a, mrs_i128 b)
{
    mrs_i128 r;
    return __builtin_add_overflow(a, b, &r) ? (b < 0 ? MRS_I128_MIN : MRS_I128_MAX) : r;
}
MRS_ALWAYS mrs_i128 mrs_saturating_sub_i128(mrs_i128 a, mrs_i128 b)
{
    mrs_i128 r;
    return __builtin_sub_overflow(a, b, &r) ? (b > 0 ? MRS_I128_MIN : MRS_I128_MAX) : r;
}
MRS_ALWAYS mrs_i128 mrs_saturating_mul_i128(mrs_i128 a, mrs_i128 b)
{
    mrs_i128 r;
    return __builtin_mul_overflow(a, b, &r) ? (((a < 0) != (b < 0)) ? MRS_I128_MIN : MRS_I128_MAX) : r;
}
MRS_ALWAYS bool mrs_checked_div_i128(mrs_i128 a, mrs_i128 b, mrs_i128 *out)
{
    if (b == 0 || (a == MRS_I128_MIN && b == -1)) return false;
    *out = a / b;
    return true;
}
MRS_ALWAYS bool mrs_checked_rem_i128(mrs_i128 a, mrs_i128 b, mrs_i128 *out)
{
    if (b == 0 || (a == MRS_I128_MIN && b == -1)) return false;
    *out = a % b;
    return true;
}
MRS_ALWAYS mrs_i128 mrs_wrapping_neg_i128(mrs_i128 a) { return mrs_wneg_i128(a); }
MRS_ALWAYS mrs_i128 mrs_wrapping_abs_i128(mrs_i128 a) { return a < 0 ? mrs_wneg_i128(a) : a; }
MRS_ALWAYS mrs_i128 mrs_abs_i128(mrs_i128 a)
{
    if (a == MRS_I128_MIN) mrs_panic_cstr(MRS_LOC_CORE_NUM(442), "attempt to negate with overflow");
    return a < 0 ? -a : a;
}
MRS_ALWAYS mrs_i128 mrs_signum_i128(mrs_i128 a) { return (mrs_i128)((a > 0) - (a < 0)); }
MRS_ALWAYS mrs_i128 mrs_div_euclid_i128(mrs_i128 a, mrs_i128 b, MrsLoc loc)
{
    mrs_i128 q = mrs_div_i128(a, b, loc);
    if (a % b < 0) return b > 0 ? q - 1 : q + 1;
    return q;
}
MRS_ALWAYS mrs_i128 mrs_rem_euclid_i128(mrs_i128 a, mrs_i128 b, MrsLoc loc)
{
    mrs_i128 r = mrs_rem_i128(a, b, loc);
    if (r < 0) return b < 0 ? r - b : r + b;
    return r;
}
MRS_ALWAYS mrs_u128 mrs_saturating_pow_u128(mrs_u128 base, uint32_t exp)
{
    mrs_u128 r;
    return mrs_checked_pow_u128(base, exp, &r) ? r : MRS_U128_MAX;
}
MRS_ALWAYS mrs_u128 mrs_saturating_add_u128(mrs_u128 a, mrs_u128 b) { mrs_u128 r; return __builtin_add_overflow(a, b, &r) ? MRS_U128_MAX : r; }
MRS_ALWAYS mrs_u128 mrs_saturating_sub_u128(mrs_u128 a, mrs_u128 b) { mrs_u128 r; return __builtin_sub_overflow(a, b, &r) ? 0 : r; }
MRS_ALWAYS mrs_u128 mrs_saturating_mul_u128(mrs_u128 a, mrs_u128 b) { mrs_u128 r; return __builtin_mul_overflow(a, b, &r) ? MRS_U128_MAX : r; }
MRS_ALWAYS bool mrs_checked_div_u128(mrs_u128 a, mrs_u128 b, mrs_u128 *out)
{
    if (b == 0) return false;
    *out = a / b;
    return true;
}
MRS_ALWAYS bool mrs_checked_rem_u128(mrs_u128 a, mrs_u128 b, mrs_u128 *out)
{
    if (b == 0) return false;
    *out = a % b;
    return true;
}
MRS_ALWAYS mrs_u128 mrs_div_euclid_u128(mrs_u128 a, mrs_u128 b, MrsLoc loc) { return mrs_div_u128(a, b, loc); }
MRS_ALWAYS mrs_u128 mrs_rem_euclid_u128(mrs_u128 a, mrs_u128 b, MrsLoc loc) { return mrs_rem_u128(a, b, loc); }
MRS_ALWAYS bool mrs_is_power_of_two_u128(mrs_u128 a) { return a != 0 && (a & (a - 1)) == 0; }

/* ------------------------------------------------------------------ floats (num.c) */

/* `as` casts from float to integer saturate at the type's bounds; NaN becomes 0. */
int8_t mrs_f64_to_i8(double v);     int16_t mrs_f64_to_i16(double v);
int32_t mrs_f64_to_i32(double v);   int64_t mrs_f64_to_i64(double v);
intptr_t mrs_f64_to_isize(double v);
uint8_t mrs_f64_to_u8(double v);    uint16_t mrs_f64_to_u16(double v);
uint32_t mrs_f64_to_u32(double v);  uint64_t mrs_f64_to_u64(double v);
size_t mrs_f64_to_usize(double v);
__int128 mrs_f64_to_i128(double v);
unsigned __int128 mrs_f64_to_u128(double v);
#define mrs_f32_to_i128(v) mrs_f64_to_i128((double)(v))
#define mrs_f32_to_u128(v) mrs_f64_to_u128((double)(v))
/* every f32 is exactly a double, so the f32 casts are the f64 ones */
#define mrs_f32_to_i8(v) mrs_f64_to_i8((double)(v))
#define mrs_f32_to_i16(v) mrs_f64_to_i16((double)(v))
#define mrs_f32_to_i32(v) mrs_f64_to_i32((double)(v))
#define mrs_f32_to_i64(v) mrs_f64_to_i64((double)(v))
#define mrs_f32_to_isize(v) mrs_f64_to_isize((double)(v))
#define mrs_f32_to_u8(v) mrs_f64_to_u8((double)(v))
#define mrs_f32_to_u16(v) mrs_f64_to_u16((double)(v))
#define mrs_f32_to_u32(v) mrs_f64_to_u32((double)(v))
#define mrs_f32_to_u64(v) mrs_f64_to_u64((double)(v))
#define mrs_f32_to_usize(v) mrs_f64_to_usize((double)(v))

/* The float intrinsics, inline: with -fno-math-errno (mrsc -O) each is an instruction or
 * two; round is half away from zero, as Rust's. min and max: NaN gives way to the other
 * operand; between equal values (-0.0 and 0.0) the receiver wins, as in rustc's build. */
static inline double mrs_f64_sqrt(double x) { return __builtin_sqrt(x); }
static inline double mrs_f64_floor(double x) { return __builtin_floor(x); }
static inline double mrs_f64_ceil(double x) { return __builtin_ceil(x); }
static inline double mrs_f64_round(double x) { return __builtin_round(x); }
static inline double mrs_f64_trunc(double x) { return __builtin_trunc(x); }
static inline double mrs_f64_abs(double x) { return __builtin_fabs(x); }
static inline double mrs_f64_min(double a, double b) { return b < a || a != a ? b : a; }
static inline double mrs_f64_max(double a, double b) { return b > a || a != a ? b : a; }
static inline float mrs_f32_sqrt(float x) { return __builtin_sqrtf(x); }
static inline float mrs_f32_floor(float x) { return __builtin_floorf(x); }
static inline float mrs_f32_ceil(float x) { return __builtin_ceilf(x); }
static inline float mrs_f32_round(float x) { return __builtin_roundf(x); }
static inline float mrs_f32_trunc(float x) { return __builtin_truncf(x); }
static inline float mrs_f32_abs(float x) { return __builtin_fabsf(x); }
static inline float mrs_f32_min(float a, float b) { return b < a || a != a ? b : a; }
static inline float mrs_f32_max(float a, float b) { return b > a || a != a ? b : a; }
double mrs_f64_powi(double x, int32_t n); /* repeated squaring, like LLVM's powi */
double mrs_f64_powf(double x, double y);
/* PartialOrd of floats as an int: -1, 0, 1, or MRS_UNORDERED when either
 * is NaN; a derived partial_cmp passes it up, so `x > y` is `== 1`. */
#define MRS_UNORDERED 2
/* f64::total_cmp: IEEE 754's total order (-NaN < -inf < ... < -0 < +0 < ... < inf < NaN), by
 * the bits: flipping all but the sign bit of a negative makes them compare as integers. */
static inline int mrs_f64_total_cmp(double a, double b)
{
    int64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    x ^= (int64_t)((uint64_t)(x >> 63) >> 1);
    y ^= (int64_t)((uint64_t)(y >> 63) >> 1);
    return (x > y) | -(x < y);
}
static inline int mrs_f32_total_cmp(float a, float b)
{
    int32_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    x ^= (int32_t)((uint32_t)(x >> 31) >> 1);
    y ^= (int32_t)((uint32_t)(y >> 31) >> 1);
    return (x > y) | -(x < y);
}
static inline int mrs_pcmp_f64(double a, double b) /* (no branch: a sort compares unpredictably) */
{
    int lt = a < b, gt = a > b;
    return (gt | -lt) + MRS_UNORDERED * !(lt | gt | (a == b));
}
static inline bool mrs_pcmp_ge(int c) { return c == 0 || c == 1; }
double mrs_f64_signum(double x);          /* 1.0, -1.0 (also for -0.0), or NaN */
double mrs_f64_rem_euclid(double a, double b);
double mrs_f64_div_euclid(double a, double b);
float mrs_f32_rem_euclid(float a, float b);
float mrs_f32_div_euclid(float a, float b);
/* the least power of two >= x (x <= 2^63): u*::next_power_of_two */
static inline uint64_t mrs_next_pow2(uint64_t x) { return x <= 1 ? 1 : (uint64_t)1 << (64 - __builtin_clzll(x - 1)); }
float mrs_f32_powi(float x, int32_t n);
float mrs_f32_powf(float x, float y);
float mrs_f32_signum(float x);

/* ------------------------------------------------------------------ string.c: String */

MrsString mrs_string_new(void);
MrsString mrs_string_from(MrsStr s);          /* String::from, to_string, to_owned */
MrsString mrs_string_from_cstr(const char *s);
MrsString mrs_string_with_capacity(size_t cap);
MrsString mrs_string_clone(const MrsString *s);
void mrs_string_drop(MrsString *s);           /* frees, leaves s empty */
void mrs_string_reserve(MrsString *s, size_t additional);
void mrs_string_push_bytes(MrsString *s, const void *p, size_t n);
void mrs_string_push_char_slow(MrsString *s, uint32_t ch); /* UTF-8 encodes ch, grows s */
/* The hot ones inline: a push with room left (an ASCII char, or bytes that fit) is a store;
 * only a full String or a multi-byte char calls out. */
static inline MrsStr mrs_string_as_str(const MrsString *s) { return (MrsStr){ s->ptr, s->len }; }
static inline void mrs_string_push(MrsString *s, uint32_t ch)
{
    if (ch < 0x80 && s->len < s->cap)
        s->ptr[s->len++] = (uint8_t)ch;
    else
        mrs_string_push_char_slow(s, ch);
}
static inline void mrs_string_push_str(MrsString *s, MrsStr t)
{
    if (t.len && s->cap - s->len >= t.len) {
        memcpy(s->ptr + s->len, t.ptr, t.len);
        s->len += t.len;
    } else {
        mrs_string_push_bytes(s, t.ptr, t.len);
    }
}
bool mrs_string_pop(MrsString *s, uint32_t *out);         /* Option<char> */
void mrs_string_insert(MrsString *s, size_t idx, uint32_t ch, MrsLoc loc);
void mrs_string_insert_str(MrsString *s, size_t idx, MrsStr t, MrsLoc loc);
void mrs_string_clear(MrsString *s);
void mrs_string_truncate(MrsString *s, size_t n, MrsLoc loc);
uint32_t mrs_string_remove(MrsString *s, size_t idx, MrsLoc loc);

/* ------------------------------------------------------------------ str.c: &str */

bool mrs_str_eq(MrsStr a, MrsStr b);
int mrs_str_cmp(MrsStr a, MrsStr b);          /* <0, 0, >0; byte-lexicographic like Rust */
bool mrs_str_is_char_boundary(MrsStr s, size_t i);
MrsStr mrs_str_slice(MrsStr s, size_t lo, size_t hi, MrsLoc loc);           /* &s[lo..hi] */
MrsStr mrs_str_slice_inclusive(MrsStr s, size_t lo, size_t hi, MrsLoc loc); /* &s[lo..=hi] */
MrsStr mrs_str_slice_from(MrsStr s, size_t lo, MrsLoc loc);                 /* &s[lo..] */
/* the panic text of a failed &s[lo..hi] (exposed for tests; inclusive: written ..=hi-1) */
MrsString mrs_str_slice_error(MrsStr s, size_t lo, size_t hi, bool inclusive);
MrsStr mrs_str_trim(MrsStr s);                /* Unicode White_Space */
MrsStr mrs_str_trim_start(MrsStr s);
MrsStr mrs_str_trim_end(MrsStr s);
bool mrs_str_starts_with(MrsStr s, MrsStr p);
bool mrs_str_ends_with(MrsStr s, MrsStr p);
bool mrs_str_contains(MrsStr s, MrsStr p);
bool mrs_str_find(MrsStr hay, MrsStr needle, size_t *out);   /* Option<usize> */
bool mrs_str_rfind(MrsStr hay, MrsStr needle, size_t *out);
bool mrs_str_find_char(MrsStr hay, uint32_t ch, size_t *out);
bool mrs_str_rfind_char(MrsStr hay, uint32_t ch, size_t *out);
bool mrs_str_contains_char(MrsStr s, uint32_t ch);
bool mrs_str_starts_with_char(MrsStr s, uint32_t ch);
bool mrs_str_ends_with_char(MrsStr s, uint32_t ch);
MrsString mrs_str_replace(MrsStr s, MrsStr from, MrsStr to);
MrsString mrs_str_replace_char(MrsStr s, uint32_t c, MrsStr to);
MrsString mrs_str_repeat(MrsStr s, size_t n);
/* Full case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic (including
 * ß -> "SS" and Greek final sigma); other characters are left unchanged. */
MrsString mrs_str_to_uppercase(MrsStr s);
MrsString mrs_str_to_lowercase(MrsStr s);
MrsString mrs_str_to_ascii_uppercase(MrsStr s);
MrsString mrs_str_to_ascii_lowercase(MrsStr s);
size_t mrs_str_char_count(MrsStr s);          /* s.chars().count() */
/* Decodes the char starting at p (valid UTF-8 assumed); returns its length in bytes. */
size_t mrs_utf8_decode(const uint8_t *p, uint32_t *ch);
/* Encodes ch into buf (4 bytes); returns the length. */
size_t mrs_utf8_encode(uint32_t ch, uint8_t buf[4]);

/* Iterators: a struct holding the rest of the string, and a next function returning
 * false for None. */
typedef struct MrsChars {
    const uint8_t *ptr; /* next char */
    const uint8_t *end; /* one past the last byte */
} MrsChars;
MrsChars mrs_str_chars(MrsStr s);
bool mrs_chars_next_slow(MrsChars *it, uint32_t *out);
/* (an ASCII byte is its own char: only a multi-byte one is decoded out of line) */
static inline bool mrs_chars_next(MrsChars *it, uint32_t *out)
{
    if (it->ptr == it->end)
        return false;
    if (*it->ptr < 0x80) {
        *out = *it->ptr++;
        return true;
    }
    return mrs_chars_next_slow(it, out);
}
bool mrs_chars_next_back_slow(MrsChars *it, uint32_t *out);
static inline bool mrs_chars_next_back(MrsChars *it, uint32_t *out)
{
    if (it->ptr == it->end)
        return false;
    if (it->end[-1] < 0x80) {
        *out = *--it->end;
        return true;
    }
    return mrs_chars_next_back_slow(it, out);
}

typedef struct MrsCharIndices {
    const uint8_t *base; /* start of the string: indices are offsets from here */
    MrsChars chars;
} MrsCharIndices;
MrsCharIndices mrs_str_char_indices(MrsStr s);
bool mrs_char_indices_next(MrsCharIndices *it, size_t *idx, uint32_t *ch);
bool mrs_char_indices_next_back(MrsCharIndices *it, size_t *idx, uint32_t *ch);

/* A string pattern that is a predicate on chars: a closure or fn (test is a function the
 * generated C writes to call it, env its environment), or a set of chars (test is
 * mrs_char_in_set, env a MrsCharSet). */
typedef struct MrsCharPred {
    bool (*test)(void *env, uint32_t c);
    void *env;
} MrsCharPred;
typedef struct MrsCharSet {
    const uint32_t *ptr;
    size_t len;
} MrsCharSet;
bool mrs_char_in_set(void *set, uint32_t c);
bool mrs_str_find_pred(MrsStr s, MrsCharPred p, size_t *at, size_t *len); /* the first char p accepts */
bool mrs_str_rfind_pred(MrsStr s, MrsCharPred p, size_t *at, size_t *len); /* the last one */
MrsStr mrs_str_trim_matches_pred(MrsStr s, MrsCharPred p, bool start, bool end);
bool mrs_str_starts_with_pred(MrsStr s, MrsCharPred p);
bool mrs_str_ends_with_pred(MrsStr s, MrsCharPred p);
MrsString mrs_str_replace_pred(MrsStr s, MrsCharPred p, MrsStr to);

typedef struct MrsSplit {
    MrsStr rest;      /* not yet returned */
    MrsStr pat;       /* separator (a char separator is stored UTF-8 encoded in buf) */
    uint8_t buf[4];
    bool finished;    /* the last piece has been returned */
    bool empty_pat;   /* "" splits between every char and at both ends */
    bool started;     /* (empty_pat only) the leading "" has been returned */
    bool limited;     /* splitn: at most `left` more pieces, the last one the whole rest */
    size_t left;
    bool reverse;     /* rsplit: the pieces from the end */
    MrsCharPred pred; /* test set: split at each char it accepts (pat unused) */
    bool matches;     /* str::matches: the occurrences of the pattern, not what is between them */
} MrsSplit;
MrsSplit mrs_str_split_pred(MrsStr s, MrsCharPred p);
MrsSplit mrs_str_split(MrsStr s, MrsStr pat);
MrsSplit mrs_str_split_char(MrsStr s, uint32_t ch);
bool mrs_split_next(MrsSplit *it, MrsStr *out);
MrsSplit mrs_splitn(MrsSplit it, size_t n);   /* splitn(n, pat): it limited to n pieces */
MrsSplit mrs_rsplit(MrsSplit it);              /* rsplit(pat): the same pieces, last first */
MrsSplit mrs_split_rev(MrsSplit it);           /* .rev() of a split or an rsplit */
MrsSplit mrs_split_matches(MrsSplit it);       /* matches(pat): the pattern's occurrences */
MrsStr mrs_str_trim_matches(MrsStr s, MrsStr pat, bool start, bool end);
MrsStr mrs_str_trim_matches_char(MrsStr s, uint32_t ch, bool start, bool end);

typedef struct MrsSplitWs {
    MrsStr rest;
} MrsSplitWs;
MrsSplitWs mrs_str_split_whitespace(MrsStr s);
bool mrs_split_ws_next(MrsSplitWs *it, MrsStr *out);
bool mrs_split_ws_next_back(MrsSplitWs *it, MrsStr *out);

typedef struct MrsLines {
    MrsStr rest;
} MrsLines;
MrsLines mrs_str_lines(MrsStr s);
bool mrs_lines_next(MrsLines *it, MrsStr *out); /* strips "\n" or "\r\n"; no final empty line */
bool mrs_lines_next_back(MrsLines *it, MrsStr *out);

/* ------------------------------------------------------------------ parse.c */

enum { /* Rust's IntErrorKind / ParseFloatError, 0 is Ok */
    MRS_PARSE_OK = 0,
    MRS_PARSE_EMPTY,          /* "cannot parse integer from empty string" */
    MRS_PARSE_INVALID_DIGIT,  /* "invalid digit found in string" */
    MRS_PARSE_POS_OVERFLOW,   /* "number too large to fit in target type" */
    MRS_PARSE_NEG_OVERFLOW,   /* "number too small to fit in target type" */
    MRS_PARSE_FLOAT_EMPTY,    /* "cannot parse float from empty string" */
    MRS_PARSE_FLOAT_INVALID,  /* "invalid float literal" */
    MRS_PARSE_BOOL_INVALID,   /* "provided string was not `true` or `false`" */
};
int mrs_parse_i64(MrsStr s, int64_t min, int64_t max, int64_t *out);
int mrs_parse_u64(MrsStr s, uint64_t max, uint64_t *out);
/* (out before the bounds: then no 128-bit argument is split between a register and the
 * stack, where gcc and clang disagree) */
int mrs_parse_i128_radix(MrsStr s, uint32_t radix, __int128 *out, __int128 min, __int128 max);
int mrs_parse_u128_radix(MrsStr s, uint32_t radix, unsigned __int128 *out, unsigned __int128 max);
int mrs_parse_f64(MrsStr s, double *out);
int mrs_parse_f32(MrsStr s, float *out);
int mrs_parse_bool(MrsStr s, bool *out);      /* 0 or MRS_PARSE_BOOL_INVALID */
/* the Display text of the error, e.g. for unwrap(): "invalid digit found in string" */
const char *mrs_parse_error_text(int kind);
/* the Debug text of the error: "ParseIntError { kind: InvalidDigit }" */
const char *mrs_parse_error_debug(int kind);

/* ------------------------------------------------------------------ char.c */

/* (the Unicode tables are searched only past ASCII) */
bool mrs_char_is_alphabetic_slow(uint32_t c);
bool mrs_char_is_numeric_slow(uint32_t c);
bool mrs_char_is_alphanumeric_slow(uint32_t c);
bool mrs_char_is_whitespace_slow(uint32_t c);
static inline bool mrs_char_is_alphabetic(uint32_t c)
{
    return c < 0x80 ? ((c | 0x20) - 'a' < 26) : mrs_char_is_alphabetic_slow(c);
}
static inline bool mrs_char_is_numeric(uint32_t c) { return c < 0x80 ? c - '0' < 10 : mrs_char_is_numeric_slow(c); }
static inline bool mrs_char_is_alphanumeric(uint32_t c)
{
    return c < 0x80 ? ((c | 0x20) - 'a' < 26 || c - '0' < 10) : mrs_char_is_alphanumeric_slow(c);
}
static inline bool mrs_char_is_whitespace(uint32_t c)
{
    return c < 0x80 ? (c == ' ' || c - 9 < 5) : mrs_char_is_whitespace_slow(c);
}
bool mrs_char_is_uppercase_slow(uint32_t c);
bool mrs_char_is_lowercase_slow(uint32_t c);
static inline bool mrs_char_is_uppercase(uint32_t c) { return c < 0x80 ? c - 'A' < 26 : mrs_char_is_uppercase_slow(c); }
static inline bool mrs_char_is_lowercase(uint32_t c) { return c < 0x80 ? c - 'a' < 26 : mrs_char_is_lowercase_slow(c); }
bool mrs_char_is_control(uint32_t c);
bool mrs_char_is_ascii(uint32_t c);
bool mrs_char_is_ascii_alphabetic(uint32_t c);
bool mrs_char_is_ascii_digit(uint32_t c);
bool mrs_char_is_ascii_alphanumeric(uint32_t c);
bool mrs_char_is_ascii_whitespace(uint32_t c);
bool mrs_char_is_ascii_uppercase(uint32_t c);
bool mrs_char_is_ascii_lowercase(uint32_t c);
bool mrs_char_is_ascii_punctuation(uint32_t c);
bool mrs_char_is_ascii_hexdigit(uint32_t c);
bool mrs_char_is_ascii_graphic(uint32_t c);
bool mrs_char_is_ascii_control(uint32_t c);
uint32_t mrs_char_to_ascii_uppercase(uint32_t c);
uint32_t mrs_char_to_ascii_lowercase(uint32_t c);
bool mrs_char_eq_ignore_ascii_case(uint32_t a, uint32_t b);
bool mrs_char_is_digit(uint32_t c, uint32_t radix);
bool mrs_char_to_digit(uint32_t c, uint32_t radix, uint32_t *out); /* Option<u32> */
bool mrs_char_from_digit(uint32_t d, uint32_t radix, uint32_t *out);
bool mrs_char_from_u32(uint32_t v, uint32_t *out);
size_t mrs_char_len_utf8(uint32_t c);
/* Simple (one-char) case mappings over the ranges listed at mrs_str_to_uppercase; a char
 * whose uppercase is several chars (ß) maps to itself here. */
uint32_t mrs_char_to_uppercase(uint32_t c);
uint32_t mrs_char_to_lowercase(uint32_t c);
/* c.to_uppercase() as the chars it yields (1 to 3); returns how many */
size_t mrs_char_to_uppercase_full(uint32_t c, uint32_t out[3]);
size_t mrs_char_to_lowercase_full(uint32_t c, uint32_t out[3]);
/* c.to_uppercase(), c.to_lowercase(): an iterator over those chars, which also prints them */
typedef struct MrsCaseIter {
    uint32_t chars[3];
    uint8_t front, back; /* chars[front..back) are still to come */
} MrsCaseIter;
static inline MrsCaseIter mrs_char_upper_iter(uint32_t c)
{
    MrsCaseIter it = {{0}, 0, 0};
    it.back = (uint8_t)mrs_char_to_uppercase_full(c, it.chars);
    return it;
}
static inline MrsCaseIter mrs_char_lower_iter(uint32_t c)
{
    MrsCaseIter it = {{0}, 0, 0};
    it.back = (uint8_t)mrs_char_to_lowercase_full(c, it.chars);
    return it;
}
static inline bool mrs_case_next(MrsCaseIter *it, uint32_t *out)
{
    if (it->front == it->back)
        return false;
    *out = it->chars[it->front++];
    return true;
}
static inline bool mrs_case_next_back(MrsCaseIter *it, uint32_t *out)
{
    if (it->front == it->back)
        return false;
    *out = it->chars[--it->back];
    return true;
}

/* ------------------------------------------------------------------ vec.c */

/* Typed Vecs are `struct { T *ptr; size_t len; size_t cap; }` in the generated C; this
 * grows the buffer so that *cap >= needed, the way Rust's RawVec does: the new capacity
 * is max(2 * cap, needed, 8 if elem_size == 1, 4 if elem_size <= 1024, else 1).
 * Aborts like Rust on allocation failure. */
void *mrs_vec_grow(void *ptr, size_t *cap, size_t elem_size, size_t needed);
void *mrs_vec_reserve(void *ptr, size_t len, size_t *cap, size_t elem_size, size_t additional, bool exact);
void *mrs_vec_shrink_to(void *ptr, size_t len, size_t *cap, size_t elem_size, size_t min);
/* Allocates exactly n elements (Vec::with_capacity, vec![..]); NULL when n * elem is 0. */
void *mrs_vec_alloc(size_t n, size_t elem_size);
void mrs_vec_free(void *ptr);
/* Allocation that cannot fail (aborts like Rust's handle_alloc_error). */
void *mrs_alloc(size_t size);
void *mrs_realloc(void *ptr, size_t size);
_Noreturn void mrs_alloc_failed(size_t size);

_Noreturn void mrs_panic_bounds(MrsLoc loc, size_t index, size_t len);
_Noreturn void mrs_panic_slice_end(MrsLoc loc, size_t end, size_t len);
_Noreturn void mrs_panic_slice_start(MrsLoc loc, size_t start, size_t len);
_Noreturn void mrs_panic_slice_order(MrsLoc loc, size_t start, size_t end);
/* Checks &v[start..end] on a slice of length len, panicking the way rustc 1.95 does
 * (start > len, then end > len, then start > end). For &v[start..=end] call the
 * _inclusive form with the inclusive end: Rust reports that value in the end message. */
void mrs_slice_check(MrsLoc loc, size_t start, size_t end, size_t len);
void mrs_range_check_core(size_t start, size_t end, size_t len); /* Vec::drain's: the panic is core's */
void mrs_slice_check_inclusive(MrsLoc loc, size_t start, size_t end, size_t len);
_Noreturn void mrs_panic_vec_remove(MrsLoc loc, size_t index, size_t len);
_Noreturn void mrs_panic_vec_insert(MrsLoc loc, size_t index, size_t len);
/* Vec::swap_remove is not #[track_caller]: rustc reports a location in alloc, so no loc */
_Noreturn void mrs_panic_vec_swap_remove(size_t index, size_t len);

/* A VecDeque<T> is `struct { T *ptr; size_t len; size_t cap; size_t head; }`: its
 * elements are ptr[0..len), contiguous like a Vec's, with `head` free slots before ptr
 * (where push_front goes) and `cap` slots from ptr on (where push_back goes). std's is a
 * ring buffer; this keeps indexing and iterating a Vec's, and both ends amortized O(1).
 * shift moves the elements to the buffer's start (head = 0), so that ptr is what was
 * allocated; the grow functions make room for one more at the back or the front. */
void *mrs_deque_shift(void *ptr, size_t *cap, size_t *head, size_t len, size_t elem);
void *mrs_deque_grow_back(void *ptr, size_t *cap, size_t *head, size_t len, size_t elem);
void *mrs_deque_grow_front(void *ptr, size_t *cap, size_t *head, size_t len, size_t elem);
/* ptr[0..len) rotated so that ptr[n] comes first (slice::rotate_left, n <= len) */
void mrs_rotate_left(void *ptr, size_t len, size_t n, size_t elem);
_Noreturn void mrs_panic_deque_index(MrsLoc loc);
_Noreturn void mrs_panic_deque_swap(bool first); /* (these report a location in alloc) */
_Noreturn void mrs_panic_deque_insert(void);
_Noreturn void mrs_panic_deque_rotate(bool left);
/* A checked VecDeque index, std's "Out of bounds access". */
static inline size_t mrs_deque_idx(size_t i, size_t len, MrsLoc loc)
{
    if (i >= len)
        mrs_panic_deque_index(loc);
    return i;
}

/* slice::sort and sort_unstable of integers (and char as u32, bool as u8): a radix sort */
void mrs_sort_u8(uint8_t *v, size_t n);
void mrs_sort_i8(int8_t *v, size_t n);
void mrs_sort_u16(uint16_t *v, size_t n);
void mrs_sort_i16(int16_t *v, size_t n);
void mrs_sort_u32(uint32_t *v, size_t n);
void mrs_sort_i32(int32_t *v, size_t n);
void mrs_sort_u64(uint64_t *v, size_t n);
void mrs_sort_i64(int64_t *v, size_t n);
/* slice::sort_by_key with an integer key: keys[i] is element i's key as unsigned (sign
 * bit flipped for a signed key), computed once; a stable sort by them. */
void mrs_sort_keyed(void *base, size_t n, size_t elem, uint64_t *keys);
/* The panic of std's sorts when a comparison is found not to be a total order
 * (mrs_sort.h, the sorts of other element types, typed for each). */
_Noreturn void mrs_sort_order_violation(void);

/* ------------------------------------------------------------------ fmt.c */

typedef struct MrsFmtSpec {
    uint32_t fill;      /* fill char, default ' ' */
    char align;         /* 0 (the type's default), '<', '>', '^' */
    char sign;          /* 0 or '+' */
    bool alternate;     /* '#' */
    bool zero_pad;      /* '0' */
    int32_t width;      /* -1: none */
    int32_t precision;  /* -1: none */
} MrsFmtSpec;
#define MRS_SPEC_DEFAULT ((MrsFmtSpec){ ' ', 0, 0, false, false, -1, -1 })

typedef struct MrsFormatter {
    MrsString *out;     /* where output goes (not owned) */
    MrsFmtSpec spec;    /* spec of the current argument */
    int indent;         /* {:#?} nesting depth */
    bool at_line_start; /* the last byte written was '\n' (indent pending) */
} MrsFormatter;

MrsFormatter mrs_fmt_new(MrsString *out);
/* Raw writes. While indent > 0, every line that begins after a '\n' gets 4 * indent
 * spaces before its first byte (Rust's PadAdapter). */
void mrs_fmt_write(MrsFormatter *f, MrsStr s);
/* (inline: the length of a literal is known when compiling) */
static inline void mrs_fmt_lit(MrsFormatter *f, const char *s) { mrs_fmt_write(f, (MrsStr){ (const uint8_t *)s, strlen(s) }); }
void mrs_fmt_write_char(MrsFormatter *f, uint32_t c);
struct MrsCaseIter;
void mrs_fmt_case(MrsFormatter *f, const struct MrsCaseIter *it); /* Display of to_uppercase() */
/* Writes s with f->spec's fill/align/width and precision (truncation to that many chars),
 * like Formatter::pad. */
void mrs_fmt_pad(MrsFormatter *f, MrsStr s);
/* String::from_utf8 and str::from_utf8: true when p[0..n) is UTF-8; else where the valid
 * prefix ends and the length of the invalid sequence there (0: cut off by the end) */
bool mrs_utf8_check(const uint8_t *p, size_t n, size_t *valid_up_to, uint8_t *error_len);
/* the Display of Utf8Error and FromUtf8Error */
void mrs_fmt_utf8_error(MrsFormatter *f, size_t valid_up_to, uint8_t error_len);

/* Display ({}) */
void mrs_fmt_i64(MrsFormatter *f, int64_t v);
void mrs_fmt_u64(MrsFormatter *f, uint64_t v);
void mrs_fmt_i128(MrsFormatter *f, __int128 v);          /* i128 and u128: gcc's and clang's __int128 */
void mrs_fmt_u128(MrsFormatter *f, unsigned __int128 v);
void mrs_fmt_radix_u128(MrsFormatter *f, unsigned __int128 v, int radix, bool upper);
void mrs_fmt_f64(MrsFormatter *f, double v);
void mrs_fmt_f32(MrsFormatter *f, float v);
void mrs_fmt_bool(MrsFormatter *f, bool v);
void mrs_fmt_char(MrsFormatter *f, uint32_t c);
void mrs_fmt_str(MrsFormatter *f, MrsStr s);
/* Debug ({:?}): integers and bool are as Display; str and char ignore width */
void mrs_fmt_debug_f64(MrsFormatter *f, double v);
void mrs_fmt_debug_f32(MrsFormatter *f, float v);
void mrs_fmt_debug_str(MrsFormatter *f, MrsStr s);
void mrs_fmt_debug_char(MrsFormatter *f, uint32_t c);
/* {:x} {:X} {:o} {:b}: v is the value reinterpreted as unsigned of its own width */
void mrs_fmt_radix_u64(MrsFormatter *f, uint64_t v, int radix, bool upper);
/* {:e} {:E} */
void mrs_fmt_exp_f64(MrsFormatter *f, double v, bool upper);
void mrs_fmt_exp_f32(MrsFormatter *f, float v, bool upper);
void mrs_fmt_exp_i64(MrsFormatter *f, int64_t v, bool upper);
void mrs_fmt_exp_u64(MrsFormatter *f, uint64_t v, bool upper);

/* Conveniences (to_string), with std's capacities: an unsigned integer's, a char's and a
 * bool's text exactly; a signed integer's room for the most digits of its type (digits)
 * and, when negative, the sign */
MrsString mrs_i64_to_string(int64_t v, size_t digits);
MrsString mrs_u64_to_string(uint64_t v);
MrsString mrs_f64_to_string(double v);
MrsString mrs_f32_to_string(float v);
MrsString mrs_char_to_string(uint32_t c);
MrsString mrs_bool_to_string(bool v);

/* ------------------------------------------------------------------ fmt_debug.c */

enum {
    MRS_DBG_STRUCT, /* Name { a: 1, b: 2 } */
    MRS_DBG_TUPLE,  /* Name(1, 2); with name "" a tuple: (1, 2), (1,) */
    MRS_DBG_LIST,   /* [1, 2] */
    MRS_DBG_SET,    /* {1, 2} */
    MRS_DBG_MAP,    /* {k: v} */
};
typedef struct MrsDbg {
    MrsFormatter *f;
    int kind;          /* MRS_DBG_... */
    size_t fields;     /* entries written so far */
    bool empty_name;   /* tuple without a name */
    bool pretty;       /* {:#?} */
} MrsDbg;
/* Usage: d = mrs_dbg_begin(f, "Point", MRS_DBG_STRUCT); mrs_dbg_field(&d, "x");
 * <format x through f>; ...; mrs_dbg_end(&d). Lists, sets and tuples call
 * mrs_dbg_entry(&d) before each value; maps call mrs_dbg_key(&d) before each key and
 * mrs_dbg_value(&d) between key and value. A struct or tuple without fields prints its
 * name alone, as derived Debug does. */
MrsDbg mrs_dbg_begin(MrsFormatter *f, const char *name, int kind);
void mrs_dbg_field(MrsDbg *d, const char *name);
void mrs_dbg_entry(MrsDbg *d);
void mrs_dbg_key(MrsDbg *d);
void mrs_dbg_value(MrsDbg *d);
void mrs_dbg_end(MrsDbg *d);

/* ------------------------------------------------------------------ io.c */

/* stdout is line-buffered as in Rust (bytes up to the last '\n' of each write are
 * flushed); stderr is unbuffered. */
void mrs_print_stdout(MrsStr s);
void mrs_print_stderr(MrsStr s);
MrsString mrs_print_buf(void);
void mrs_print_buf_free(void); /* at a thread's end: its spare print buffer */
void mrs_print_string(MrsString *s);  /* print! of a formatted String; gives it back to mrs_print_buf */
void mrs_eprint_string(MrsString *s);
void mrs_flush_stdout(void);

/* ------------------------------------------------------------------ cell.c: RefCell's flag */
/* A RefCell's borrow flag is 0 when free, n > 0 while n `Ref` guards are alive, -1
 * while one `RefMut` is. The flag sits in the RefCell, which a shared reference
 * reaches: these calls write it through a `const` pointer (what UnsafeCell allows
 * in Rust). Each returns the flag for the guard, which gives the borrow back at its
 * drop (`*flag -= 1` for a Ref, `*flag = 0` for a RefMut). */
_Noreturn void mrs_refcell_panic(MrsLoc loc, bool mut);
/* borrow and borrow_mut inline: the check is a compare; only a failure calls out */
static inline intptr_t *mrs_refcell_borrow(const intptr_t *flag, MrsLoc loc) /* panics: already mutably borrowed */
{
    intptr_t *f = (intptr_t *)flag; /* the RefCell's UnsafeCell part */
    if (*f < 0)
        mrs_refcell_panic(loc, false);
    *f += 1;
    return f;
}
static inline intptr_t *mrs_refcell_borrow_mut(const intptr_t *flag, MrsLoc loc) /* panics: already borrowed */
{
    intptr_t *f = (intptr_t *)flag;
    if (*f != 0)
        mrs_refcell_panic(loc, true);
    *f = -1;
    return f;
}
intptr_t *mrs_refcell_try_borrow(const intptr_t *flag);             /* NULL where borrow would panic */
intptr_t *mrs_refcell_try_borrow_mut(const intptr_t *flag);

/* ------------------------------------------------------------------ thread.c: threads, locks, channels */
/* Arc's counts: C11 atomics. An increment needs no ordering; the decrement that
 * reaches 0 must see every other owner's writes before the value is dropped. */
static inline void mrs_arc_inc(atomic_size_t *count)
{
    atomic_fetch_add_explicit(count, 1, memory_order_relaxed);
}
static inline bool mrs_arc_dec(atomic_size_t *count) /* true: that was the last owner */
{
    if (atomic_fetch_sub_explicit(count, 1, memory_order_release) != 1)
        return false;
    atomic_thread_fence(memory_order_acquire);
    return true;
}

/* The counts at the head of every Rc and Arc block: what an `Rc<dyn Trait>` keeps a
 * pointer to, next to its object and vtable. */
typedef struct MrsRcCounts {
    size_t strong;
    size_t weak;
} MrsRcCounts;
typedef struct MrsArcCounts {
    atomic_size_t strong;
} MrsArcCounts;

/* A Mutex's lock and its poison flag (set when a thread panics holding the lock). */
typedef struct MrsMutex {
    pthread_mutex_t m;
    bool poisoned;
} MrsMutex;
#define MRS_MUTEX_INIT { PTHREAD_MUTEX_INITIALIZER, false }
MrsMutex *mrs_mutex_lock(const MrsMutex *lock);  /* waits for it; the lock, for the guard */
bool mrs_mutex_try_lock(const MrsMutex *lock);
void mrs_mutex_unlock(MrsMutex *lock);           /* a guard's drop; poisons while panicking */

/* A spawned thread: its pthread, the closure it runs and the slot of its result. */
typedef struct MrsThread MrsThread;
/* body(env, result): run the closure at env, leave its value at result */
MrsThread *mrs_thread_spawn(void (*body)(void *env, void *result), const void *env, size_t env_size,
                            size_t result_size);
bool mrs_thread_join(MrsThread *t, void *result); /* false: the thread panicked */
void mrs_thread_detach(MrsThread *t);             /* a JoinHandle dropped without join */
bool mrs_thread_is_finished(const MrsThread *t);

/* An mpsc channel: a queue of values of one size between its Senders and its Receiver. */
typedef struct MrsChannel MrsChannel;
MrsChannel *mrs_channel_new(size_t elem_size, void (*drop_elem)(void *));
bool mrs_channel_send(MrsChannel *ch, const void *value); /* false: the Receiver is gone */
bool mrs_channel_recv(MrsChannel *ch, void *out);         /* waits; false: empty with no Sender left */
int mrs_channel_try_recv(MrsChannel *ch, void *out);      /* 0 a value, 1 empty, 2 disconnected */
void mrs_channel_add_sender(MrsChannel *ch);              /* Sender::clone */
void mrs_channel_drop_sender(MrsChannel *ch);
void mrs_channel_drop_receiver(MrsChannel *ch);
typedef struct MrsRecvIter { /* rx.iter(): the Receiver's channel */
    MrsChannel *chan;
} MrsRecvIter;

/* An RwLock: readers share it, a writer has it alone; a writer's panic poisons it. */
typedef struct MrsRwLock {
    pthread_rwlock_t l;
    bool poisoned;
} MrsRwLock;
#define MRS_RWLOCK_INIT { PTHREAD_RWLOCK_INITIALIZER, false }
MrsRwLock *mrs_rwlock_read(const MrsRwLock *lock);
MrsRwLock *mrs_rwlock_write(const MrsRwLock *lock);
bool mrs_rwlock_try_read(const MrsRwLock *lock);
bool mrs_rwlock_try_write(const MrsRwLock *lock);
void mrs_rwlock_unlock_read(MrsRwLock *lock);
void mrs_rwlock_unlock_write(MrsRwLock *lock); /* poisons while panicking */

/* thread::scope: the threads its closure spawns, all joined at its end. */
typedef struct MrsScope {
    pthread_mutex_t lock;
    MrsThread **threads;
    size_t len, cap;
} MrsScope;
void mrs_scope_begin(MrsScope *s);
MrsThread *mrs_scope_spawn(const MrsScope *s, void (*body)(void *env, void *result), const void *env,
                           size_t env_size, size_t result_size);
bool mrs_scope_join(MrsThread *t, void *result); /* a ScopedJoinHandle's join: false if it panicked */
void mrs_scope_end(MrsScope *s, MrsLoc loc);     /* joins the rest; panics if one of them panicked */

/* Atomic orderings: std::sync::atomic::Ordering's variants in order. */
static inline memory_order mrs_order(int o)
{
    static const memory_order orders[] = {memory_order_relaxed, memory_order_release, memory_order_acquire,
                                          memory_order_acq_rel, memory_order_seq_cst};
    return orders[o];
}

/* std::time::Duration */
typedef struct MrsDuration {
    uint64_t secs;
    uint32_t nanos;
} MrsDuration;
static inline MrsDuration mrs_duration_from_nanos(uint64_t n)
{
    return (MrsDuration){n / 1000000000u, (uint32_t)(n % 1000000000u)};
}
static inline MrsDuration mrs_duration_from_secs(uint64_t s) { return (MrsDuration){s, 0}; }
static inline MrsDuration mrs_duration_from_millis(uint64_t ms)
{
    return (MrsDuration){ms / 1000u, (uint32_t)(ms % 1000u) * 1000000u};
}
static inline MrsDuration mrs_duration_from_micros(uint64_t us)
{
    return (MrsDuration){us / 1000000u, (uint32_t)(us % 1000000u) * 1000u};
}
static inline unsigned __int128 mrs_duration_as_nanos(MrsDuration d)
{
    return (unsigned __int128)d.secs * 1000000000u + d.nanos;
}
void mrs_thread_sleep(MrsDuration d);
struct MrsFormatter;
void mrs_fmt_duration(struct MrsFormatter *f, MrsDuration d); /* {:?}: 1.5s, 2ms, 100µs */

/* a Duration's (or an Instant's) order: <0, 0, >0 */
#define mrs_duration_cmp(a, b) mrs_duration_cmp_((a).secs, (a).nanos, (b).secs, (b).nanos)
static inline int mrs_duration_cmp_(uint64_t as, uint32_t an, uint64_t bs, uint32_t bn)
{
    return as != bs ? (as > bs) - (as < bs) : (an > bn) - (an < bn);
}
/* Duration + Duration, Duration - Duration: panics as std does when out of range */
MrsDuration mrs_duration_add(MrsDuration a, MrsDuration b, MrsLoc loc);
MrsDuration mrs_duration_sub(MrsDuration a, MrsDuration b, MrsLoc loc);

/* std::time::Instant: a reading of the monotonic clock */
typedef struct MrsInstant {
    uint64_t secs;
    uint32_t nanos;
} MrsInstant;
MrsInstant mrs_instant_now(void);
/* later - earlier, or zero when earlier is later (as Instant::duration_since saturates) */
MrsDuration mrs_instant_since(MrsInstant later, MrsInstant earlier);
static inline MrsDuration mrs_instant_elapsed(MrsInstant t) { return mrs_instant_since(mrs_instant_now(), t); }
static inline MrsInstant mrs_instant_add(MrsInstant t, MrsDuration d, MrsLoc loc)
{
    MrsDuration r = mrs_duration_add((MrsDuration){t.secs, t.nanos}, d, loc);
    return (MrsInstant){r.secs, r.nanos};
}
static inline MrsInstant mrs_instant_sub(MrsInstant t, MrsDuration d, MrsLoc loc)
{
    MrsDuration r = mrs_duration_sub((MrsDuration){t.secs, t.nanos}, d, loc);
    return (MrsInstant){r.secs, r.nanos};
}

/* ------------------------------------------------------------------ futures (task.c) */
/* What a Waker points at: the flag its executor parks on while the future is Pending.
 * Counted: the executor holds one handle and each Waker (clones too) another, so a Waker
 * kept past its block_on stays valid. Waking sets the flag and signals the parked thread. */
typedef struct MrsWakeFlag MrsWakeFlag;
/* std::task::Waker: a counted handle on a wake flag */
typedef struct MrsWaker {
    MrsWakeFlag *flag;
} MrsWaker;
/* std::task::Context<'_>: what poll receives; its waker is the executor's */
typedef struct MrsContext {
    const MrsWaker *waker;
} MrsContext;
void mrs_waker_wake_by_ref(const MrsWaker *w);
void mrs_waker_wake(MrsWaker w);                 /* wake, then drop the handle */
MrsWaker mrs_waker_clone(const MrsWaker *w);
void mrs_waker_drop(MrsWaker *w);
bool mrs_waker_will_wake(const MrsWaker *a, const MrsWaker *b);
const MrsWaker *mrs_waker_noop(void);           /* Waker::noop(): no flag, waking does nothing */
/* futures::executor::block_on's state: the task's waker and the Context made of it. The
 * generated block_on polls the future with `&ex->cx` until it is Ready, calling
 * mrs_executor_park while it is Pending: that returns at once if the future woke its
 * waker while being polled, else it waits until some thread does. */
typedef struct MrsExecutor {
    MrsWaker waker;
    MrsContext cx;
} MrsExecutor;
void mrs_executor_init(MrsExecutor *ex);
void mrs_executor_park(MrsExecutor *ex);
void mrs_executor_done(MrsExecutor *ex);

/* ------------------------------------------------------------------ map.c */

/* The index of a HashMap (see map.c): entry numbers (1-based; 0 empty) in an
 * open-addressed table of cap slots (a power of two, or 0), probed linearly. Each entry
 * starts with its uint64_t hash. */
typedef struct MrsMapIndex {
    uint32_t *slots;
    size_t cap;
} MrsMapIndex;
/* Entry n - 1 (of n, esize bytes each) was appended: place it, growing the table. */
void mrs_map_index_add(MrsMapIndex *ix, const void *entries, size_t esize, size_t n);
/* Entry i (of n) is removed; the caller then moves entry n - 1 into its place. */
void mrs_map_index_remove(MrsMapIndex *ix, const void *entries, size_t esize, size_t i, size_t n);
void mrs_map_index_clear(MrsMapIndex *ix);
MrsMapIndex mrs_map_index_clone(const MrsMapIndex *ix);
void mrs_map_index_free(MrsMapIndex *ix);
uint64_t mrs_hash_bytes(const void *p, size_t n);
uint64_t mrs_hash_u64(uint64_t x);
/* Folding one more hash into h (a tuple's or a struct's fields, in order). */
static inline uint64_t mrs_hash_combine(uint64_t h, uint64_t v) { return mrs_hash_u64(h * 31 + v + 0x9e3779b97f4a7c15ull); }

/* ------------------------------------------------------------------ codegen support */
/* The value of type `()` where C needs an object (a field, a Vec<()> element). */
typedef struct MrsUnit {
    uint8_t unit;
} MrsUnit;

/* After a C switch that covers every variant: C cannot see that. */
static inline _Noreturn void mrs_unreachable(void)
{
    mrs_panic_cstr(MRS_LOC("<mrsc>", 0, 0), "internal error: entered unreachable code");
}

/* A checked index: i when i < len, else Rust's "index out of bounds" panic. */
static inline size_t mrs_idx(size_t i, size_t len, MrsLoc loc)
{
    if (i >= len)
        mrs_panic_bounds(loc, i, len);
    return i;
}

#endif /* MRS_RT_H */
