/* thread.c — std::thread, Mutex and mpsc channels on pthreads.
 *
 * A spawned thread runs the closure the generated code hands over (its bytes
 * copied: the closure moved into the thread) and leaves the closure's value
 * in a slot its JoinHandle reads at join. A panic on the thread unwinds that
 * thread's frames (panic.c) and comes back here, which makes join() an Err.
 * A Mutex is a pthread mutex and a poison flag. A channel is a queue of
 * values of one size, guarded by a mutex, with a condition for receivers. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdlib.h>
#include <stdio.h>
#include <time.h>


struct MrsThread {
    pthread_t tid;
    void (*body)(void *env, void *result);
    void *env;
    void *result;
    size_t result_size;
    bool panicked;
    bool joined;                 /* a scoped thread its handle joined */
    atomic_int state; /* RUNNING, FINISHED, or DETACHED: whoever comes second frees the block */
};

enum { RUNNING, FINISHED, DETACHED };

static void thread_free(MrsThread *t)
{
    mrs_vec_free(t->result);
    mrs_vec_free(t);
}

static void *thread_main(void *arg)
{
    MrsThread *t = arg;
    MrsThreadExit exit_point;
    mrs_thread_exit = &exit_point;
    if (setjmp(exit_point.jmp) == 0)
        t->body(t->env, t->result);
    else
        t->panicked = true; /* a panic unwound the thread's frames and jumped back here */
    mrs_print_buf_free();
    mrs_vec_free(t->env);
    t->env = NULL;
    if (atomic_exchange(&t->state, FINISHED) == DETACHED)
        thread_free(t);
    return NULL;
}

MrsThread *mrs_thread_spawn(void (*body)(void *env, void *result), const void *env, size_t env_size,
                            size_t result_size)
{
    MrsThread *t = mrs_alloc(sizeof *t);
    t->body = body;
    t->env = mrs_alloc(env_size ? env_size : 1);
    memcpy(t->env, env, env_size);
    t->result = mrs_alloc(result_size ? result_size : 1);
    t->result_size = result_size;
    t->panicked = false;
    t->joined = false;
    atomic_init(&t->state, RUNNING);
    if (pthread_create(&t->tid, NULL, thread_main, t) != 0)
        mrs_panic_cstr(MRS_LOC("<mrsc runtime>", 0, 0), "failed to spawn thread");
    return t;
}

bool mrs_thread_join(MrsThread *t, void *result)
{
    pthread_join(t->tid, NULL);
    bool ok = !t->panicked;
    if (ok && t->result_size)
        memcpy(result, t->result, t->result_size);
    thread_free(t);
    return ok;
}

void mrs_thread_detach(MrsThread *t)
{
    pthread_detach(t->tid);
    if (atomic_exchange(&t->state, DETACHED) == FINISHED)
        thread_free(t);
}

bool mrs_thread_is_finished(const MrsThread *t)
{
    return atomic_load(&((MrsThread *)t)->state) != RUNNING;
}

/* ---- Mutex ---- */

MrsMutex *mrs_mutex_lock(const MrsMutex *lock)
{
    MrsMutex *m = (MrsMutex *)lock; /* the Mutex's UnsafeCell part */
    pthread_mutex_lock(&m->m);
    return m;
}

bool mrs_mutex_try_lock(const MrsMutex *lock)
{
    return pthread_mutex_trylock(&((MrsMutex *)lock)->m) == 0;
}

void mrs_mutex_unlock(MrsMutex *lock)
{
    if (mrs_panicking)
        lock->poisoned = true; /* a thread panicked while it held the lock */
    pthread_mutex_unlock(&lock->m);
}

/* ---- channels ---- */

struct MrsChannel {
    pthread_mutex_t lock;
    pthread_cond_t ready;        /* signalled at each send and when the last Sender goes */
    size_t elem_size;
    void (*drop_elem)(void *);   /* what is never received is dropped with the channel */
    unsigned char *buf;          /* a ring of cap values, len of them from head */
    size_t head, len, cap;
    size_t senders;
    bool receiver;
};

MrsChannel *mrs_channel_new(size_t elem_size, void (*drop_elem)(void *))
{
    MrsChannel *ch = mrs_alloc(sizeof *ch);
    pthread_mutex_init(&ch->lock, NULL);
    pthread_cond_init(&ch->ready, NULL);
    ch->elem_size = elem_size ? elem_size : 1;
    ch->drop_elem = drop_elem;
    ch->buf = NULL;
    ch->head = ch->len = ch->cap = 0;
    ch->senders = 1;
    ch->receiver = true;
    return ch;
}

/* Called with the lock held: when neither end is left, the channel goes. */
static bool release_if_done(MrsChannel *ch)
{
    if (ch->senders || ch->receiver)
        return false;
    for (size_t i = 0; i < ch->len; i++)
        if (ch->drop_elem)
            ch->drop_elem(ch->buf + ((ch->head + i) % ch->cap) * ch->elem_size);
    pthread_mutex_unlock(&ch->lock);
    pthread_mutex_destroy(&ch->lock);
    pthread_cond_destroy(&ch->ready);
    mrs_vec_free(ch->buf);
    mrs_vec_free(ch);
    return true;
}

bool mrs_channel_send(MrsChannel *ch, const void *value)
{
    pthread_mutex_lock(&ch->lock);
    if (!ch->receiver) {
        pthread_mutex_unlock(&ch->lock);
        return false; /* the value comes back in the SendError */
    }
    if (ch->len == ch->cap) { /* grow the ring, unrolling it from head */
        size_t cap = ch->cap ? 2 * ch->cap : 8;
        unsigned char *buf = mrs_alloc(cap * ch->elem_size);
        for (size_t i = 0; i < ch->len; i++)
            memcpy(buf + i * ch->elem_size, ch->buf + ((ch->head + i) % ch->cap) * ch->elem_size, ch->elem_size);
        mrs_vec_free(ch->buf);
        ch->buf = buf;
        ch->head = 0;
        ch->cap = cap;
    }
    memcpy(ch->buf + ((ch->head + ch->len) % ch->cap) * ch->elem_size, value, ch->elem_size);
    ch->len++;
    pthread_cond_signal(&ch->ready);
    pthread_mutex_unlock(&ch->lock);
    return true;
}

static void take_front(MrsChannel *ch, void *out)
{
    memcpy(out, ch->buf + ch->head * ch->elem_size, ch->elem_size);
    ch->head = (ch->head + 1) % ch->cap;
    ch->len--;
}

bool mrs_channel_recv(MrsChannel *ch, void *out)
{
    pthread_mutex_lock(&ch->lock);
    while (ch->len == 0 && ch->senders > 0)
        pthread_cond_wait(&ch->ready, &ch->lock);
    bool got = ch->len > 0;
    if (got)
        take_front(ch, out);
    pthread_mutex_unlock(&ch->lock);
    return got;
}

int mrs_channel_try_recv(MrsChannel *ch, void *out)
{
    pthread_mutex_lock(&ch->lock);
    int r = ch->len > 0 ? 0 : ch->senders > 0 ? 1 : 2;
    if (r == 0)
        take_front(ch, out);
    pthread_mutex_unlock(&ch->lock);
    return r;
}

void mrs_channel_add_sender(MrsChannel *ch)
{
    pthread_mutex_lock(&ch->lock);
    ch->senders++;
    pthread_mutex_unlock(&ch->lock);
}

void mrs_channel_drop_sender(MrsChannel *ch)
{
    pthread_mutex_lock(&ch->lock);
    if (--ch->senders == 0)
        pthread_cond_broadcast(&ch->ready); /* a waiting recv() sees the end */
    if (!release_if_done(ch))
        pthread_mutex_unlock(&ch->lock);
}

void mrs_channel_drop_receiver(MrsChannel *ch)
{
    pthread_mutex_lock(&ch->lock);
    ch->receiver = false;
    if (!release_if_done(ch))
        pthread_mutex_unlock(&ch->lock);
}

void mrs_thread_sleep(MrsDuration d)
{
    struct timespec ts = {(time_t)d.secs, (long)d.nanos};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* ---- RwLock ---- */

MrsRwLock *mrs_rwlock_read(const MrsRwLock *lock)
{
    MrsRwLock *l = (MrsRwLock *)lock;
    pthread_rwlock_rdlock(&l->l);
    return l;
}

MrsRwLock *mrs_rwlock_write(const MrsRwLock *lock)
{
    MrsRwLock *l = (MrsRwLock *)lock;
    pthread_rwlock_wrlock(&l->l);
    return l;
}

bool mrs_rwlock_try_read(const MrsRwLock *lock)
{
    return pthread_rwlock_tryrdlock(&((MrsRwLock *)lock)->l) == 0;
}

bool mrs_rwlock_try_write(const MrsRwLock *lock)
{
    return pthread_rwlock_trywrlock(&((MrsRwLock *)lock)->l) == 0;
}

void mrs_rwlock_unlock_read(MrsRwLock *lock)
{
    pthread_rwlock_unlock(&lock->l);
}

void mrs_rwlock_unlock_write(MrsRwLock *lock)
{
    if (mrs_panicking)
        lock->poisoned = true;
    pthread_rwlock_unlock(&lock->l);
}

/* ---- thread::scope ---- */

void mrs_scope_begin(MrsScope *s)
{
    pthread_mutex_init(&s->lock, NULL);
    s->threads = NULL;
    s->len = s->cap = 0;
}

MrsThread *mrs_scope_spawn(const MrsScope *scope, void (*body)(void *env, void *result), const void *env,
                           size_t env_size, size_t result_size)
{
    MrsScope *s = (MrsScope *)scope; /* its threads may spawn more through the same &Scope */
    MrsThread *t = mrs_thread_spawn(body, env, env_size, result_size);
    pthread_mutex_lock(&s->lock);
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4;
        MrsThread **grown = mrs_alloc(s->cap * sizeof *grown);
        if (s->len)
            memcpy(grown, s->threads, s->len * sizeof *grown);
        mrs_vec_free(s->threads);
        s->threads = grown;
    }
    s->threads[s->len++] = t;
    pthread_mutex_unlock(&s->lock);
    return t;
}

bool mrs_scope_join(MrsThread *t, void *result)
{
    pthread_join(t->tid, NULL);
    t->joined = true; /* the scope frees it at its end */
    if (!t->panicked && t->result_size)
        memcpy(result, t->result, t->result_size);
    return !t->panicked;
}

void mrs_scope_end(MrsScope *s, MrsLoc loc)
{
    bool panicked = false;
    for (size_t i = 0; i < s->len; i++) {
        MrsThread *t = s->threads[i];
        if (!t->joined) {
            pthread_join(t->tid, NULL);
            panicked |= t->panicked; /* a panic nobody joined */
        }
        mrs_vec_free(t->result);
        mrs_vec_free(t);
    }
    mrs_vec_free(s->threads);
    pthread_mutex_destroy(&s->lock);
    if (panicked)
        mrs_panic_cstr(loc, "a scoped thread panicked");
}

/* Duration's Debug as std prints it: the largest unit that is at least 1 (s, ms,
 * µs, ns), with the rest as a decimal fraction without trailing zeros. */
void mrs_fmt_duration(MrsFormatter *f, MrsDuration d)
{
    uint64_t whole, frac, scale;
    const char *unit;
    if (d.secs > 0) {
        whole = d.secs, frac = d.nanos, scale = 100000000u, unit = "s";
    } else if (d.nanos >= 1000000u) {
        whole = d.nanos / 1000000u, frac = d.nanos % 1000000u, scale = 100000u, unit = "ms";
    } else if (d.nanos >= 1000u) {
        whole = d.nanos / 1000u, frac = d.nanos % 1000u, scale = 100u, unit = "\xc2\xb5s";
    } else {
        whole = d.nanos, frac = 0, scale = 0, unit = "ns";
    }
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)whole);
    if (frac) {
        buf[n++] = '.';
        for (; frac && scale; scale /= 10) { /* digits until the rest is zero */
            buf[n++] = (char)('0' + frac / scale);
            frac %= scale;
        }
    }
    snprintf(buf + n, sizeof buf - (size_t)n, "%s", unit);
    mrs_fmt_lit(f, buf);
}
