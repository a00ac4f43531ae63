/* The source listing of one folder tree, walked and stat-ed in C with the GIL released.
 *
 * index.py's Python walk (`_walk`) is the reference: the same files, in the same order, with
 * the same skipped entries reported. What it returns is the listing key index.py compares with
 * the manifest (`_listing_key`): a little-endian header (count, length of the names), the full
 * paths joined by NUL, then the sizes, mtimes, ctimes and inodes as native int64 columns.
 *
 * A stat costs about a microsecond of system time, so 30,000 of them are most of the freshness
 * check; reading a large folder's names costs a third of that again. The walk stats at once only
 * what it must to go on (folders, links); the files' stats are put off and handed, a block at a
 * time, to threads that stat them while the walk goes on reading names. Everything is reported
 * in walk order once all are done.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __APPLE__
#define MTIM st_mtimespec
#define CTIM st_ctimespec
#else
#define MTIM st_mtim
#define CTIM st_ctim
#endif

#define MAX_THREADS 4
#define PARALLEL_MIN 1024 /* put-off stats before other threads are worth starting */
#define BLOCK 256         /* put-off stats handed to a thread at a time */
#define ARENA_CHUNK 65536 /* bytes of names per arena chunk */
#define MAX_OPEN_DIRS 128 /* folders kept open for the put-off stats; the files of any more are
                             stat-ed by their whole path */

enum { EV_STAT = 0, EV_DIR = 1, EV_LOOP = 2, EV_PDF = 3 }; /* index.py formats these */
enum { K_TXT, K_PDF, K_OTHER };
enum { L_ENTRY, L_DIR, L_LOOP };     /* what the walk met: an entry, a folder it could not read, a loop */

typedef struct {
    char *p;
    size_t n, cap;
} Buf;

typedef struct {
    int64_t size, mtime, ctime, ino;
} Stamp;

typedef struct {
    int kind, err;
    size_t off, len; /* the path below the root, in Walk.evnames */
} Event;

typedef struct {
    size_t path, name; /* offsets in Walk.paths of its full path and of the name in it */
    int item, kind, err;
    mode_t mode;
    dev_t dev;
    ino_t ino;
    Stamp st;
} Item;

typedef struct {
    dev_t dev;
    ino_t ino;
} Id;

/* A put-off stat: the name to stat in an open folder (or a whole path, with AT_FDCWD), and
 * where its result goes in the log. Blocks never move, so threads can work on them while
 * the walk goes on growing its own arrays. */
typedef struct {
    size_t item;
    int fd;
    const char *name; /* in the arena */
    Item got;
} Deferred;

typedef struct Block {
    struct Block *next, *queued;
    size_t n;
    Deferred d[BLOCK];
} Block;

typedef struct Chunk {
    struct Chunk *next;
    size_t used, cap;
    char text[];
} Chunk;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    Block *head, *tail; /* handed over, not yet taken */
    int done;           /* no more blocks will come */
} Queue;

typedef struct {
    Buf path;        /* the folder being read: root key plus separator, then the path below it */
    size_t root_len; /* where the path below the root starts */
    Buf names;       /* every file's full path, each followed by a NUL */
    Stamp *stamps;
    size_t n, cap;
    Event *ev;
    size_t nev, capev;
    Buf evnames;
    Id *anc;
    size_t nanc, capanc;
    Item *log; /* everything met, in walk order */
    size_t nlog, caplog;
    Buf paths; /* the full paths of what is in the log, each followed by a NUL */
    DIR **dirs; /* kept open until their files are stat-ed */
    size_t ndirs, capdirs;
    Block *blocks, *filling; /* every block, newest first; the one being filled */
    Chunk *arena;
    Queue q;
    pthread_t tid[MAX_THREADS];
    int started;     /* threads running */
    size_t deferred; /* stats put off so far */
    int64_t total;
    int threads;
    int nomem;
} Walk;

static int grow(void **p, size_t *cap, size_t need, size_t item) {
    if (need <= *cap) return 0;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need) cap2 *= 2;
    void *q = realloc(*p, cap2 * item);
    if (!q) return -1;
    *p = q;
    *cap = cap2;
    return 0;
}

static int buf_add(Buf *b, const char *s, size_t n) {
    if (grow((void **)&b->p, &b->cap, b->n + n + 1, 1)) return -1;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static void event(Walk *w, int kind, int err, const char *rel, size_t len) {
    size_t off = w->evnames.n;
    if (grow((void **)&w->ev, &w->capev, w->nev + 1, sizeof(Event)) || buf_add(&w->evnames, rel, len)) {
        w->nomem = 1;
        return;
    }
    w->ev[w->nev++] = (Event){kind, err, off, len};
}

/* Notes what the walk met: `name` in the folder being read (or the folder itself, for ""). */
static Item *note(Walk *w, int item, const char *name, size_t len) {
    Item *it;
    size_t path = w->paths.n;
    if (grow((void **)&w->log, &w->caplog, w->nlog + 1, sizeof(Item)) || buf_add(&w->paths, w->path.p, w->path.n) ||
        buf_add(&w->paths, name, len + 1)) {
        w->nomem = 1;
        return NULL;
    }
    it = &w->log[w->nlog++];
    *it = (Item){.path = path, .name = w->path.n, .item = item};
    return it;
}

/* -------------------------------------------------- Python's order of str (code points) */

/* The next code point of a name as Python decodes it (UTF-8, surrogateescape). */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i) {
    unsigned char c = s[*i];
    size_t need;
    uint32_t cp;
    if (c < 0x80) return s[(*i)++];
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
    } else
        return 0xDC00 + s[(*i)++]; /* not valid UTF-8: one escaped byte */
    if (*i + need >= n) return 0xDC00 + s[(*i)++];
    for (size_t j = 1; j <= need; j++) {
        if ((s[*i + j] & 0xC0) != 0x80) return 0xDC00 + s[(*i)++];
        cp = cp << 6 | (s[*i + j] & 0x3F);
    }
    if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0xDC00 + s[(*i)++];
    *i += need + 1;
    return cp;
}

static int cmp_names(const char *a, const char *b) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t i = 0, j = 0, n = strlen(a), m = strlen(b);
    while (i < n && j < m) {
        uint32_t p = next_cp(x, n, &i), q = next_cp(y, m, &j);
        if (p != q) return p < q ? -1 : 1;
    }
    return (i < n) - (j < m);
}

typedef struct {
    char *name;
    Id id;
} Sub;

static int cmp_subs(const void *a, const void *b) {
    return cmp_names(((const Sub *)a)->name, ((const Sub *)b)->name);
}

/* ------------------------------------------------------------------------ stat-ing */

static void stat_item(int fd, const char *path, Item *it) {
    struct stat st;
    if (fstatat(fd, path, &st, 0)) {
        it->err = errno;
        return;
    }
    it->mode = st.st_mode;
    it->dev = st.st_dev;
    it->ino = st.st_ino;
    it->st = (Stamp){st.st_size, (int64_t)st.MTIM.tv_sec * 1000000000 + st.MTIM.tv_nsec,
                     (int64_t)st.CTIM.tv_sec * 1000000000 + st.CTIM.tv_nsec, (int64_t)st.st_ino};
}

/* A copy of `s` that stays put while the walk goes on. */
static const char *arena_copy(Walk *w, const char *s, size_t n) {
    Chunk *c = w->arena;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
        c = malloc(sizeof(Chunk) + cap);
        if (!c) return NULL;
        *c = (Chunk){.next = w->arena, .cap = cap};
        w->arena = c;
    }
    char *out = c->text + c->used;
    memcpy(out, s, n);
    out[n] = '\0';
    c->used += n + 1;
    return out;
}

static Block *take(Walk *w) {
    pthread_mutex_lock(&w->q.mu);
    while (!w->q.head && !w->q.done) pthread_cond_wait(&w->q.ready, &w->q.mu);
    Block *b = w->q.head;
    if (b && !(w->q.head = b->queued)) w->q.tail = NULL;
    pthread_mutex_unlock(&w->q.mu);
    return b;
}

static void stat_block(Block *b) {
    for (size_t i = 0; i < b->n; i++) stat_item(b->d[i].fd, b->d[i].name, &b->d[i].got);
}

static void *stat_blocks(void *arg) {
    Walk *w = arg;
    Block *b;
    while ((b = take(w))) stat_block(b);
    return NULL;
}

/* Hands the block being filled to the threads, starting them once there is enough to do. */
static void hand_over(Walk *w) {
    Block *b = w->filling;
    w->filling = NULL;
    if (!b) return;
    pthread_mutex_lock(&w->q.mu);
    if (w->q.tail) w->q.tail->queued = b;
    else w->q.head = b;
    w->q.tail = b;
    pthread_cond_signal(&w->q.ready);
    pthread_mutex_unlock(&w->q.mu);
    while (w->deferred >= PARALLEL_MIN && w->started < w->threads - 1 &&
           pthread_create(&w->tid[w->started], NULL, stat_blocks, w) == 0)
        w->started++;
}

/* Puts off the stat of `name` (in the folder open as `fd`, or a whole path with AT_FDCWD). */
static void defer(Walk *w, int fd, const char *name, size_t len) {
    const char *copy = arena_copy(w, name, len);
    if (w->filling && w->filling->n == BLOCK) hand_over(w);
    if (!w->filling) {
        Block *b = malloc(sizeof(Block));
        if (b) {
            b->next = w->blocks, b->queued = NULL, b->n = 0;
            w->blocks = w->filling = b;
        }
    }
    if (!copy || !w->filling) {
        w->nomem = 1;
        return;
    }
    w->filling->d[w->filling->n++] = (Deferred){.item = w->nlog - 1, .fd = fd, .name = copy};
    w->deferred++;
}

/* Waits for every put-off stat (the walk's thread takes its share) and writes them to the log. */
static void finish_stats(Walk *w) {
    hand_over(w);
    pthread_mutex_lock(&w->q.mu);
    w->q.done = 1;
    pthread_cond_broadcast(&w->q.ready);
    pthread_mutex_unlock(&w->q.mu);
    stat_blocks(w);
    for (int k = 0; k < w->started; k++) pthread_join(w->tid[k], NULL);
    w->started = 0;
    for (Block *b = w->blocks; b; b = b->next)
        for (size_t i = 0; i < b->n; i++) {
            Item *it = &w->log[b->d[i].item];
            const Item *got = &b->d[i].got;
            it->err = got->err, it->mode = got->mode, it->dev = got->dev, it->ino = got->ino, it->st = got->st;
        }
}

/* ------------------------------------------------------------------------- walking */

static int suffix_is(const char *name, size_t len, const char *ext) {
    if (len < 4) return 0;
    for (int i = 0; i < 4; i++) {
        char c = name[len - 4 + i];
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (c != ext[i]) return 0;
    }
    return 1;
}

/* Reads one folder: notes its entries in the order listed and returns its sub-folders. */
static void read_dir(Walk *w, Sub **subs, size_t *nsubs) {
    size_t capsub = 0, deferred = 0;
    int read_err = 0, keep = w->ndirs < MAX_OPEN_DIRS && !grow((void **)&w->dirs, &w->capdirs, w->ndirs + 1, sizeof(DIR *));
    int fd = open(w->path.p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    if (!d) {
        int err = errno;
        Item *it = note(w, L_DIR, "", 0);
        if (it) it->err = err;
        if (fd >= 0) close(fd);
        return;
    }
    while (!w->nomem) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            read_err = errno;
            break;
        }
        const char *name = de->d_name;
        if (name[0] == '.') continue;
        size_t len = strlen(name);
        int kind = suffix_is(name, len, ".txt") ? K_TXT : suffix_is(name, len, ".pdf") ? K_PDF : K_OTHER;
        unsigned char type = de->d_type;
        if (kind != K_TXT) { /* as Python: a folder or link by its listed type, else a .pdf */
            if (type == DT_UNKNOWN) {
                struct stat st;
                if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                    type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
                else if (errno != ENOENT) {
                    read_err = errno;
                    break;
                }
            }
            if (type != DT_DIR && type != DT_LNK && kind != K_PDF) continue;
        }
        Item *it = note(w, L_ENTRY, name, len);
        if (!it) break;
        it->kind = kind;
        if (type == DT_REG) { /* a file: its stat can wait */
            if (keep)
                defer(w, fd, name, len);
            else
                defer(w, AT_FDCWD, w->paths.p + it->path, strlen(w->paths.p + it->path));
            deferred++;
            continue;
        }
        stat_item(fd, name, it);
        if (!it->err && S_ISDIR(it->mode)) {
            if (grow((void **)subs, &capsub, *nsubs + 1, sizeof(Sub)) || !((*subs)[*nsubs].name = strdup(name))) {
                w->nomem = 1;
                break;
            }
            (*subs)[(*nsubs)++].id = (Id){it->dev, it->ino};
        }
    }
    if (read_err) {
        Item *it = note(w, L_DIR, "", 0);
        if (it) it->err = read_err;
    }
    if (keep && deferred)
        w->dirs[w->ndirs++] = d; /* closed once the put-off stats are made */
    else
        closedir(d);
}

static void walk_dir(Walk *w) {
    Sub *subs = NULL;
    size_t nsubs = 0, here = w->path.n;
    read_dir(w, &subs, &nsubs);
    if (nsubs) qsort(subs, nsubs, sizeof(Sub), cmp_subs);
    for (size_t i = 0; i < nsubs; i++) {
        const char *name = subs[i].name;
        size_t k;
        for (k = 0; k < w->nanc; k++)
            if (w->anc[k].dev == subs[i].id.dev && w->anc[k].ino == subs[i].id.ino) break;
        if (w->nomem)
            ; /* only freeing the names from here on */
        else if (k < w->nanc)
            note(w, L_LOOP, name, strlen(name));
        else if (grow((void **)&w->anc, &w->capanc, w->nanc + 1, sizeof(Id)) ||
                 buf_add(&w->path, name, strlen(name)) || buf_add(&w->path, "/", 1))
            w->nomem = 1;
        else {
            w->anc[w->nanc++] = subs[i].id;
            walk_dir(w);
            w->nanc--;
            w->path.n = here;
            w->path.p[here] = '\0';
        }
        free(subs[i].name);
    }
    free(subs);
}

static void add_file(Walk *w, const char *path, size_t len, const Stamp *st) {
    if (grow((void **)&w->stamps, &w->cap, w->n + 1, sizeof(Stamp)) || buf_add(&w->names, path, len + 1)) {
        w->nomem = 1; /* with its NUL, above */
        return;
    }
    w->stamps[w->n++] = *st;
    w->total += st->size;
}

/* The files and events of the log, in its order. */
static void replay(Walk *w) {
    for (size_t i = 0; i < w->nlog && !w->nomem; i++) {
        const Item *it = &w->log[i];
        const char *path = w->paths.p + it->path, *rel = path + w->root_len;
        size_t len = strlen(path), rlen = len - w->root_len;
        if (it->item == L_DIR)
            event(w, EV_DIR, it->err, rel, rlen ? rlen - 1 : 0); /* without the separator after it */
        else if (it->item == L_LOOP)
            event(w, EV_LOOP, 0, rel, rlen);
        else if (it->err)
            event(w, EV_STAT, it->err, rel, rlen);
        else if (S_ISDIR(it->mode))
            ; /* walked already */
        else if (it->kind == K_TXT)
            add_file(w, path, len, &it->st);
        else if (it->kind == K_PDF)
            event(w, EV_PDF, 0, rel, rlen);
    }
}

static void walk_all(Walk *w) {
    walk_dir(w);
    finish_stats(w);
    for (size_t i = 0; i < w->ndirs; i++) closedir(w->dirs[i]);
    w->ndirs = 0;
    replay(w);
}

static int thread_count(void) {
#ifdef __linux__
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
#else
    int n = (int)sysconf(_SC_NPROCESSORS_ONLN);
#endif
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

static void walk_free(Walk *w) {
    free(w->path.p);
    free(w->names.p);
    free(w->stamps);
    free(w->ev);
    free(w->evnames.p);
    free(w->anc);
    free(w->log);
    free(w->paths.p);
    for (size_t i = 0; i < w->ndirs; i++) closedir(w->dirs[i]);
    free(w->dirs);
    while (w->blocks) {
        Block *b = w->blocks;
        w->blocks = b->next;
        free(b);
    }
    while (w->arena) {
        Chunk *c = w->arena;
        w->arena = c->next;
        free(c);
    }
    pthread_cond_destroy(&w->q.ready);
    pthread_mutex_destroy(&w->q.mu);
}

/* The listing key: header, names, then one column per stamp field. */
static PyObject *listing(Walk *w) {
    size_t names = w->n ? w->names.n - 1 : 0, size = 16 + names + 32 * w->n;
    if (w->n == 0) return PyBytes_FromStringAndSize("", 0);
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (!out) return NULL;
    unsigned char *p = (unsigned char *)PyBytes_AS_STRING(out);
    uint64_t head[2] = {w->n, names};
    for (int h = 0; h < 2; h++)
        for (int b = 0; b < 8; b++) *p++ = (unsigned char)(head[h] >> (8 * b));
    memcpy(p, w->names.p, names);
    p += names;
    int64_t *col = (int64_t *)PyMem_Malloc(8 * (w->n ? w->n : 1));
    if (!col) {
        Py_DECREF(out);
        return PyErr_NoMemory();
    }
    for (int f = 0; f < 4; f++) {
        for (size_t i = 0; i < w->n; i++) {
            const Stamp *s = &w->stamps[i];
            col[i] = f == 0 ? s->size : f == 1 ? s->mtime : f == 2 ? s->ctime : s->ino;
        }
        memcpy(p, col, 8 * w->n);
        p += 8 * w->n;
    }
    PyMem_Free(col);
    return out;
}

static PyObject *events(Walk *w) {
    PyObject *out = PyList_New((Py_ssize_t)w->nev);
    for (size_t i = 0; out && i < w->nev; i++) {
        const Event *ev = &w->ev[i];
        PyObject *item = Py_BuildValue("(iy#i)", ev->kind, w->evnames.p + ev->off, (Py_ssize_t)ev->len, ev->err);
        if (!item) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, (Py_ssize_t)i, item);
    }
    return out;
}

PyDoc_STRVAR(walk_doc,
             "walk(key: bytes, dev: int, ino: int, threads: int = 0) -> (listing: bytes, total_size: int, events: list)\n\n"
             "The .txt files under the folder `key` (which ends with a separator) as a listing key;\n"
             "events are (kind, path below the folder, errno) in the order met. `dev` and `ino` are the\n"
             "folder's own; `threads` stat at once in a large folder (0: one per CPU, at most 4).");

static PyObject *walk(PyObject *self, PyObject *args) {
    (void)self;
    const char *key;
    Py_ssize_t len;
    unsigned long long dev, ino;
    int threads = 0;
    if (!PyArg_ParseTuple(args, "y#KK|i", &key, &len, &dev, &ino, &threads)) return NULL;
    Walk w = {0};
    pthread_mutex_init(&w.q.mu, NULL);
    pthread_cond_init(&w.q.ready, NULL);
    w.threads = threads > 0 && threads <= MAX_THREADS ? threads : thread_count();
    if (buf_add(&w.path, key, (size_t)len) || grow((void **)&w.anc, &w.capanc, 1, sizeof(Id))) {
        walk_free(&w);
        return PyErr_NoMemory();
    }
    w.root_len = w.path.n;
    w.anc[w.nanc++] = (Id){(dev_t)dev, (ino_t)ino};
    Py_BEGIN_ALLOW_THREADS walk_all(&w);
    Py_END_ALLOW_THREADS
    PyObject *out = NULL;
    if (w.nomem)
        PyErr_NoMemory();
    else {
        PyObject *lst = listing(&w), *evs = lst ? events(&w) : NULL;
        if (evs) out = Py_BuildValue("(NLN)", lst, (long long)w.total, evs);
        else Py_XDECREF(lst);
    }
    walk_free(&w);
    return out;
}

static PyMethodDef methods[] = {{"walk", walk, METH_VARARGS, walk_doc}, {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", "The source listing, walked in C.", -1, methods};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&module); }
