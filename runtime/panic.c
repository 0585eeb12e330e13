/* panic.c — panics and process exit.
 *
 * Provides mrs_panic and friends: the message rustc 1.95 prints with RUST_BACKTRACE unset
 * (including its leading blank line), after flushing stdout, then exit status 101.
 * Before exiting, a panic unwinds: mrs_unwind runs the drops of the guarded locals of
 * every active frame, innermost first (MINI-RUST.md section 8: a panic unwinds). */
#include <stdio.h>
#include <stdlib.h>

#include "mrs_rt.h"

MrsUnwindGuard *mrs_unwind_top = NULL;

void mrs_unwind(void)
{
    while (mrs_unwind_top != NULL) {
        MrsUnwindGuard *g = mrs_unwind_top;
        mrs_unwind_top = g->prev; /* unlinked first: a panicking drop goes on with the rest */
        if (g->drop != NULL && (g->live == NULL || *g->live))
            g->drop(g->obj);
    }
    mrs_flush_stdout();
}

static void push_u32(MrsString *s, uint32_t v)
{
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%u", (unsigned)v);
    mrs_string_push_bytes(s, buf, (size_t)n);
}

MrsString mrs_panic_message(MrsLoc loc, MrsStr msg)
{
    MrsString s = mrs_string_new();
    mrs_string_push_str(&s, MRS_STR("\nthread 'main' panicked at "));
    mrs_string_push_bytes(&s, loc.file, strlen(loc.file));
    mrs_string_push_str(&s, MRS_STR(":"));
    push_u32(&s, loc.line);
    mrs_string_push_str(&s, MRS_STR(":"));
    push_u32(&s, loc.col);
    mrs_string_push_str(&s, MRS_STR(":\n"));
    mrs_string_push_str(&s, msg);
    mrs_string_push_str(&s, MRS_STR("\nnote: run with `RUST_BACKTRACE=1` environment variable"
                                    " to display a backtrace\n"));
    return s;
}

_Noreturn void mrs_panic(MrsLoc loc, MrsStr msg)
{
    mrs_flush_stdout();
    MrsString text = mrs_panic_message(loc, msg);
    mrs_print_stderr(mrs_string_as_str(&text));
    mrs_string_drop(&text);
    mrs_unwind();
    exit(101);
}

_Noreturn void mrs_panic_cstr(MrsLoc loc, const char *msg)
{
    mrs_panic(loc, (MrsStr){ (const uint8_t *)msg, strlen(msg) });
}

_Noreturn void mrs_panic_string(MrsLoc loc, MrsString msg)
{
    /* copy the text so that msg can be freed before exiting: nothing leaks */
    MrsString text = mrs_panic_message(loc, mrs_string_as_str(&msg));
    mrs_string_drop(&msg);
    mrs_flush_stdout();
    mrs_print_stderr(mrs_string_as_str(&text));
    mrs_string_drop(&text);
    mrs_unwind();
    exit(101);
}

_Noreturn void mrs_process_exit(int32_t code)
{
    mrs_flush_stdout();
    exit(code);
}
