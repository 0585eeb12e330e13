/* panic.c — panics and process exit.
 *
 * Provides mrs_panic and friends: the message rustc 1.95 prints with RUST_BACKTRACE unset
 * (including its leading blank line), after flushing stdout, then exit status 101.
 * Before exiting, a panic unwinds: mrs_unwind runs the drops of the guarded locals of
 * every active frame, innermost first (MINI-RUST.md section 8: a panic unwinds). */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>


_Thread_local MrsUnwindGuard *mrs_unwind_top = NULL;
_Thread_local bool mrs_panicking = false;

/* The thread a panic happens on: "main", or a spawned one (thread.c), which the
 * panic ends instead of the process. */
_Thread_local MrsThreadExit *mrs_thread_exit = NULL;
static atomic_bool backtrace_noted; /* rustc prints its RUST_BACKTRACE note once per process */

void mrs_unwind(void)
{
    while (mrs_unwind_top != NULL) {
        MrsUnwindGuard *g = mrs_unwind_top;
        mrs_unwind_top = g->prev; /* unlinked first: a panicking drop goes on with the rest */
        if (g->drop != NULL && (g->live == NULL || *g->live))
            g->drop((void *)g->obj); /* (const only for the binding: the drop owns it now) */
    }
    mrs_flush_stdout();
}

static void push_u32(MrsString *s, uint32_t v)
{
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%u", (unsigned)v);
    mrs_string_push_bytes(s, buf, (size_t)n);
}

static MrsString panic_text(MrsLoc loc, MrsStr msg, const char *thread, bool note)
{
    MrsString s = mrs_string_new();
    mrs_string_push_str(&s, MRS_STR("\nthread '"));
    mrs_string_push_bytes(&s, thread, strlen(thread));
    mrs_string_push_str(&s, MRS_STR("' panicked at "));
    mrs_string_push_bytes(&s, loc.file, strlen(loc.file));
    mrs_string_push_str(&s, MRS_STR(":"));
    push_u32(&s, loc.line);
    mrs_string_push_str(&s, MRS_STR(":"));
    push_u32(&s, loc.col);
    mrs_string_push_str(&s, MRS_STR(":\n"));
    mrs_string_push_str(&s, msg);
    mrs_string_push_str(&s, MRS_STR("\n"));
    if (note)
        mrs_string_push_str(&s, MRS_STR("note: run with `RUST_BACKTRACE=1` environment variable"
                                        " to display a backtrace\n"));
    return s;
}

MrsString mrs_panic_message(MrsLoc loc, MrsStr msg) { return panic_text(loc, msg, "main", true); }

/* Print the panic, unwind this thread's frames, then end the thread: the process
 * (status 101) on the main thread, the spawned thread otherwise (its join gives Err). */
static _Noreturn void panic_now(MrsLoc loc, MrsStr msg)
{
    mrs_flush_stdout();
    bool note = !atomic_exchange(&backtrace_noted, true);
    MrsString text = panic_text(loc, msg, mrs_thread_exit ? "<unnamed>" : "main", note);
    mrs_print_stderr(mrs_string_as_str(&text));
    mrs_string_drop(&text);
    mrs_panicking = true; /* a MutexGuard dropped from here on poisons its Mutex */
    mrs_unwind();
    if (mrs_thread_exit)
        longjmp(mrs_thread_exit->jmp, 1);
    exit(101);
}

_Noreturn void mrs_panic(MrsLoc loc, MrsStr msg)
{
    panic_now(loc, msg);
}

_Noreturn void mrs_panic_cstr(MrsLoc loc, const char *msg)
{
    mrs_panic(loc, (MrsStr){ (const uint8_t *)msg, strlen(msg) });
}

_Noreturn void mrs_panic_string(MrsLoc loc, MrsString msg)
{
    /* copied into a buffer of fixed size so that msg can be freed first: nothing
     * leaks, even when the panic ends only this thread */
    MrsString copy = mrs_string_new();
    mrs_string_push_str(&copy, mrs_string_as_str(&msg));
    mrs_string_drop(&msg);
    static _Thread_local char buf[4096];
    size_t n = copy.len < sizeof buf ? copy.len : sizeof buf;
    memcpy(buf, copy.ptr, n);
    mrs_string_drop(&copy);
    panic_now(loc, (MrsStr){(const uint8_t *)buf, n});
}

_Noreturn void mrs_process_exit(int32_t code)
{
    mrs_flush_stdout();
    exit(code);
}
