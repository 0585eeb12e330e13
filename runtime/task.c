/* task.c — what futures need from the runtime: the wake flag a Waker points at, the
 * executor of futures::executor::block_on, and std::time::Instant.
 *
 * block_on runs on the calling thread: it polls the future, and while the future is
 * Pending it parks on the task's wake flag until a Waker sets it (from this thread, in
 * the poll itself, or from another). A future that returns Pending without arranging a
 * wake parks forever, as with the futures crate. */
#include "mrs_rt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

struct MrsWakeFlag {
    atomic_size_t handles; /* the executor's and each Waker's */
    pthread_mutex_t lock;
    pthread_cond_t woken_cond;
    bool woken;
};

static MrsWakeFlag *flag_new(void)
{
    MrsWakeFlag *f = mrs_alloc(sizeof *f);
    atomic_init(&f->handles, 1);
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->woken_cond, NULL);
    f->woken = false;
    return f;
}

static void flag_release(MrsWakeFlag *f)
{
    if (atomic_fetch_sub(&f->handles, 1) == 1) {
        pthread_mutex_destroy(&f->lock);
        pthread_cond_destroy(&f->woken_cond);
        free(f);
    }
}

void mrs_waker_wake_by_ref(const MrsWaker *w)
{
    MrsWakeFlag *f = w->flag;
    if (!f) /* Waker::noop() */
        return;
    pthread_mutex_lock(&f->lock);
    f->woken = true;
    pthread_cond_signal(&f->woken_cond);
    pthread_mutex_unlock(&f->lock);
}

void mrs_waker_wake(MrsWaker w)
{
    mrs_waker_wake_by_ref(&w);
    mrs_waker_drop(&w);
}

MrsWaker mrs_waker_clone(const MrsWaker *w)
{
    if (w->flag)
        atomic_fetch_add(&w->flag->handles, 1);
    return *w;
}

const MrsWaker *mrs_waker_noop(void)
{
    static const MrsWaker noop = {NULL};
    return &noop;
}

void mrs_waker_drop(MrsWaker *w)
{
    if (w->flag)
        flag_release(w->flag);
    w->flag = NULL;
}

bool mrs_waker_will_wake(const MrsWaker *a, const MrsWaker *b) { return a->flag == b->flag; }

void mrs_executor_init(MrsExecutor *ex)
{
    ex->waker.flag = flag_new();
    ex->cx.waker = &ex->waker;
}

void mrs_executor_park(MrsExecutor *ex)
{
    MrsWakeFlag *f = ex->waker.flag;
    pthread_mutex_lock(&f->lock);
    while (!f->woken)
        pthread_cond_wait(&f->woken_cond, &f->lock);
    f->woken = false;
    pthread_mutex_unlock(&f->lock);
}

void mrs_executor_done(MrsExecutor *ex) { mrs_waker_drop(&ex->waker); }

MrsInstant mrs_instant_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (MrsInstant){(uint64_t)ts.tv_sec, (uint32_t)ts.tv_nsec};
}

MrsDuration mrs_instant_since(MrsInstant later, MrsInstant earlier)
{
    MrsDuration l = {later.secs, later.nanos}, e = {earlier.secs, earlier.nanos};
    if (mrs_duration_cmp(l, e) < 0)
        return (MrsDuration){0, 0}; /* saturates at zero, as duration_since does */
    return mrs_duration_sub(l, e, MRS_LOC("<mrsc>", 0, 0)); /* (cannot panic: l >= e) */
}

MrsDuration mrs_duration_add(MrsDuration a, MrsDuration b, MrsLoc loc)
{
    uint64_t secs = a.secs + b.secs;
    uint32_t nanos = a.nanos + b.nanos;
    if (secs < a.secs)
        mrs_panic_cstr(loc, "overflow when adding durations");
    if (nanos >= 1000000000u) {
        nanos -= 1000000000u;
        if (secs == UINT64_MAX)
            mrs_panic_cstr(loc, "overflow when adding durations");
        secs++;
    }
    return (MrsDuration){secs, nanos};
}

MrsDuration mrs_duration_sub(MrsDuration a, MrsDuration b, MrsLoc loc)
{
    if (a.secs < b.secs || (a.secs == b.secs && a.nanos < b.nanos))
        mrs_panic_cstr(loc, "overflow when subtracting durations");
    uint64_t secs = a.secs - b.secs;
    uint32_t nanos;
    if (a.nanos >= b.nanos) {
        nanos = a.nanos - b.nanos;
    } else {
        secs--;
        nanos = a.nanos + 1000000000u - b.nanos;
    }
    return (MrsDuration){secs, nanos};
}
