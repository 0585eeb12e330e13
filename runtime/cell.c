/* cell.c — RefCell's run-time borrow checking.
 *
 * The flag protocol is in mrs_rt.h. A failed check panics with rustc 1.95's
 * text at the location of the `borrow`/`borrow_mut` call. */
#include "mrs_rt.h"

intptr_t *mrs_refcell_try_borrow(const intptr_t *flag)
{
    intptr_t *f = (intptr_t *)flag; /* the RefCell's UnsafeCell part */
    if (*f < 0)
        return NULL;
    *f += 1;
    return f;
}

intptr_t *mrs_refcell_try_borrow_mut(const intptr_t *flag)
{
    intptr_t *f = (intptr_t *)flag;
    if (*f != 0)
        return NULL;
    *f = -1;
    return f;
}

_Noreturn void mrs_refcell_panic(MrsLoc loc, bool mut)
{
    mrs_panic_cstr(loc, mut ? "RefCell already borrowed" : "RefCell already mutably borrowed");
}
