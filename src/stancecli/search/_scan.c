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
 * in walk order once all are done. What the walk met is logged once, in chunks that never move
 * (the threads write each stat into its entry), with each name once and each folder's path
 * once; the full paths are put together only in the listing returned.
 *
 * A folder's names need not be read again while it is unchanged. The walk is given the memo
 * the last walk left (search/memo.py keeps it beside the index): for each folder read, its
 * stamp (device, inode, mtime, ctime) and the entries the walk noted there, in the order
 * listed. A folder whose stamp is the same now is walked from its record; any other is read.
 * A record is left only for a folder that stood still while it was read and whose times are
 * older than the racy margin, so that no later change can leave the same stamp. Adding or
 * removing a name changes a folder's mtime; a file's own changes show in its stat, which is
 * made every time. Records are left only on the local Linux file systems known to keep folder
 * times so (`keeps_folder_times`): FAT written by Windows, for one, does not.
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
#ifdef __linux__
#include <sys/vfs.h>
#endif
#include <time.h>
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
#define LOG_CHUNK 4096    /* entries per chunk of the log */
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

/* What the walk met: an entry of a folder, a folder it could not read (named ""), a loop. */
typedef struct {
    const char *name; /* in the arena, with its NUL */
    uint32_t folder;  /* where it was met, in Walk.folders */
    uint16_t len;
    unsigned char item, kind;
    int err;
    mode_t mode;
    Stamp st;
} Item;

typedef struct {
    size_t off, len; /* its full path (with a separator after it) in Walk.folder_paths */
} Folder;

typedef struct {
    dev_t dev;
    ino_t ino;
} Id;

/* A put-off stat: the name to stat in an open folder (or a whole path, with AT_FDCWD), and
 * the entry its result goes to. Blocks never move, so threads can work on them while the
 * walk goes on. */
typedef struct {
    Item *it;
    int fd;
    const char *name; /* in the arena */
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

/* The memo: records found by folder path in an open-addressed table. */
typedef struct {
    const unsigned char *p; /* the memo given, NULL when there is none or it does not parse */
    size_t n;
    size_t *slots; /* record offsets + 1, 0 for an empty slot */
    size_t nslots;
} Memo;

typedef struct {
    Buf path;        /* the folder being read: root key plus separator, then the path below it */
    size_t root_len; /* where the path below the root starts */
    Event *ev;
    size_t nev, capev;
    Buf evnames;
    Id *anc;
    size_t nanc, capanc;
    Item **log; /* everything met, in walk order, LOG_CHUNK to a chunk */
    size_t nlog, nchunks, capchunks;
    Folder *folders; /* every folder read, in walk order */
    size_t nfolders, capfolders;
    Buf folder_paths;
    size_t files, names; /* the .txt files found, and the bytes of their full paths joined by NUL */
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
    Memo memo;
    Buf out;         /* the records of the memo this walk leaves */
    int64_t racy_ns;   /* a folder's times this close to the walk's start cannot vouch for it */
    int64_t coarse_ns; /* nor, when a time is in whole seconds, this close */
    int64_t began;   /* the wall clock when the walk began, in ns */
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

/* A copy of the two pieces `a` and `b` as one string, that stays put while the walk goes on. */
static const char *arena_copy(Walk *w, const char *a, size_t na, const char *b, size_t nb) {
    size_t n = na + nb;
    Chunk *c = w->arena;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
        c = malloc(sizeof(Chunk) + cap);
        if (!c) return NULL;
        *c = (Chunk){.next = w->arena, .cap = cap};
        w->arena = c;
    }
    char *out = c->text + c->used;
    memcpy(out, a, na);
    memcpy(out + na, b, nb);
    out[n] = '\0';
    c->used += n + 1;
    return out;
}

/* Notes what the walk met: `name` in folder `folder` ("" for the folder itself). */
static Item *note(Walk *w, uint32_t folder, int item, const char *name, size_t len) {
    size_t k = w->nlog / LOG_CHUNK;
    if (k == w->nchunks) {
        if (grow((void **)&w->log, &w->capchunks, k + 1, sizeof(Item *)) || !(w->log[k] = malloc(LOG_CHUNK * sizeof(Item)))) {
            w->nomem = 1;
            return NULL;
        }
        w->nchunks++;
    }
    const char *copy = len ? arena_copy(w, name, len, "", 0) : "";
    if (!copy) {
        w->nomem = 1;
        return NULL;
    }
    Item *it = &w->log[k][w->nlog++ % LOG_CHUNK];
    *it = (Item){.name = copy, .folder = folder, .len = (uint16_t)len, .item = (unsigned char)item};
    return it;
}

/* Starts a folder: the one being read (`w->path`). */
static uint32_t add_folder(Walk *w) {
    size_t off = w->folder_paths.n;
    if (w->nfolders >= UINT32_MAX || grow((void **)&w->folders, &w->capfolders, w->nfolders + 1, sizeof(Folder)) ||
        buf_add(&w->folder_paths, w->path.p, w->path.n)) {
        w->nomem = 1;
        return 0;
    }
    w->folders[w->nfolders] = (Folder){off, w->path.n};
    return (uint32_t)w->nfolders++;
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

/* A time in ns; times past what int64 holds in ns (before 1678, after 2262) are clamped, as
 * listing.py clamps them. */
static int64_t ns_of(const struct timespec *t) {
    int64_t ns;
    if (__builtin_mul_overflow((int64_t)t->tv_sec, (int64_t)1000000000, &ns) ||
        __builtin_add_overflow(ns, (int64_t)t->tv_nsec, &ns))
        return t->tv_sec < 0 ? INT64_MIN : INT64_MAX;
    return ns;
}

/* Stats `path` (in the folder open as `fd`) into `it`; `dev`, if given, gets its device. */
static void stat_item(int fd, const char *path, Item *it, dev_t *dev) {
    struct stat st;
    if (fstatat(fd, path, &st, 0)) {
        it->err = errno;
        return;
    }
    it->mode = st.st_mode;
    if (dev) *dev = st.st_dev;
    it->st = (Stamp){st.st_size, ns_of(&st.MTIM), ns_of(&st.CTIM), (int64_t)st.st_ino};
}

static Block *take(Walk *w) {
    pthread_mutex_lock(&w->q.mu);
    while (!w->q.head && !w->q.done) pthread_cond_wait(&w->q.ready, &w->q.mu);
    Block *b = w->q.head;
    if (b && !(w->q.head = b->queued)) w->q.tail = NULL;
    pthread_mutex_unlock(&w->q.mu);
    return b;
}

/* A folder open for one thread alone. Threads that stat through one shared descriptor all
 * count references on one open file, and that count moves between their CPUs at every stat. */
typedef struct {
    int64_t folder; /* the folder (in Walk.folders) open as `fd`, -1 for none */
    int fd;
} Own;

static int own_fd(Own *o, const Deferred *d) {
    if (d->fd == AT_FDCWD) return d->fd;
    if (d->it->folder != o->folder) {
        if (o->fd >= 0) close(o->fd);
        o->folder = d->it->folder;
        o->fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    return o->fd >= 0 ? o->fd : d->fd;
}

static void stat_block(Block *b, Own *o) {
    for (size_t i = 0; i < b->n; i++) stat_item(o ? own_fd(o, &b->d[i]) : b->d[i].fd, b->d[i].name, b->d[i].it, NULL);
}

/* The walk's own thread stats through the folders' descriptors; the others, through their own. */
static void stat_all(Walk *w, int own) {
    Own o = {-1, -1};
    Block *b;
    while ((b = take(w))) stat_block(b, own ? &o : NULL);
    if (o.fd >= 0) close(o.fd);
}

static void *stat_blocks(void *arg) {
    stat_all(arg, 1);
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

/* Puts off the stat of `it`: `name` in the folder open as `fd`, or a whole path with AT_FDCWD. */
static void defer(Walk *w, Item *it, int fd, const char *name) {
    if (w->filling && w->filling->n == BLOCK) hand_over(w);
    if (!w->filling) {
        Block *b = malloc(sizeof(Block));
        if (b) {
            b->next = w->blocks, b->queued = NULL, b->n = 0;
            w->blocks = w->filling = b;
        }
    }
    if (!name || !w->filling) {
        w->nomem = 1;
        return;
    }
    w->filling->d[w->filling->n++] = (Deferred){.it = it, .fd = fd, .name = name};
    w->deferred++;
}

/* Waits for every put-off stat (the walk's thread takes its share). */
static void finish_stats(Walk *w) {
    hand_over(w);
    pthread_mutex_lock(&w->q.mu);
    w->q.done = 1;
    pthread_cond_broadcast(&w->q.ready);
    pthread_mutex_unlock(&w->q.mu);
    stat_all(w, 0);
    for (int k = 0; k < w->started; k++) pthread_join(w->tid[k], NULL);
    w->started = 0;
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

/* ---------------------------------------------------------------------------- memo */

/* A record: its length after this field, then the folder's path length, device, inode, mtime,
 * ctime and entry count, its path, and each entry as kind, type, name length, name. */
#define REC_FIXED 40 /* the fields after the length, up to the path */
#define ENTRY_FIXED 4
#define MEMO_CRC 4 /* after the head: a CRC-32 of the records, checked by memo.py before a walk is given them */
static const char MEMO_HEAD[8] = {'S', 'C', 'L', 'M', 'E', 'M', 'O', '2'};

/* The memo's numbers are little-endian, `size` bytes each. */
static uint64_t get(const unsigned char *p, int size) {
    uint64_t v = 0;
    for (int i = size - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void put(unsigned char *p, uint64_t v, int size) {
    for (int i = 0; i < size; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t hash_bytes(const unsigned char *p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static int kind_of(const char *name, size_t len) {
    return suffix_is(name, len, ".txt") ? K_TXT : suffix_is(name, len, ".pdf") ? K_PDF : K_OTHER;
}

/* Whether the entries of a record, `n` of them in [p, end), are ones a walk could have noted. */
static int entries_ok(const unsigned char *p, const unsigned char *end, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        if (end - p < ENTRY_FIXED) return 0;
        int kind = p[0], type = p[1];
        size_t len = (size_t)get(p + 2, 2);
        const char *name = (const char *)p + ENTRY_FIXED;
        if (len == 0 || len > 255 || (size_t)(end - p) - ENTRY_FIXED < len || name[0] == '.' ||
            memchr(name, '/', len) || memchr(name, '\0', len) || kind != kind_of(name, len) ||
            (kind == K_OTHER && type != DT_DIR && type != DT_LNK))
            return 0;
        p += ENTRY_FIXED + len;
    }
    return p == end;
}

/* Reads the memo given into a table by folder path; a memo that does not parse is not used. */
static int memo_load(Walk *w, const unsigned char *p, size_t n) {
    size_t count = 0, at;
    if (n < sizeof MEMO_HEAD + MEMO_CRC || memcmp(p, MEMO_HEAD, sizeof MEMO_HEAD)) return 0;
    for (at = sizeof MEMO_HEAD + MEMO_CRC; at < n; count++) {
        if (n - at < 4 + REC_FIXED) return 0;
        size_t len = (size_t)get(p + at, 4), plen = (size_t)get(p + at + 4, 4);
        if (len < REC_FIXED || len > n - at - 4 || plen == 0 || plen > len - REC_FIXED) return 0;
        const unsigned char *rec = p + at + 4;
        if (!entries_ok(rec + REC_FIXED + plen, rec + len, (uint32_t)get(rec + 36, 4))) return 0;
        at += 4 + len;
    }
    size_t nslots = 16;
    while (nslots < 2 * count) nslots *= 2;
    w->memo.slots = calloc(nslots, sizeof(size_t));
    if (!w->memo.slots) return -1;
    w->memo.nslots = nslots;
    for (at = sizeof MEMO_HEAD + MEMO_CRC; at < n; at += 4 + (size_t)get(p + at, 4)) {
        const unsigned char *rec = p + at + 4;
        size_t plen = (size_t)get(rec, 4);
        size_t k = (size_t)hash_bytes(rec + REC_FIXED, plen) & (nslots - 1);
        while (w->memo.slots[k]) k = (k + 1) & (nslots - 1);
        w->memo.slots[k] = at + 1;
    }
    w->memo.p = p, w->memo.n = n;
    return 0;
}

static int same_times(const struct stat *a, const struct stat *b) {
    return a->MTIM.tv_sec == b->MTIM.tv_sec && a->MTIM.tv_nsec == b->MTIM.tv_nsec &&
           a->CTIM.tv_sec == b->CTIM.tv_sec && a->CTIM.tv_nsec == b->CTIM.tv_nsec;
}

static int same_stamp(const unsigned char *rec, const struct stat *st) {
    return get(rec + 4, 8) == (uint64_t)st->st_dev && get(rec + 12, 8) == (uint64_t)st->st_ino &&
           (int64_t)get(rec + 20, 8) == ns_of(&st->MTIM) &&
           (int64_t)get(rec + 28, 8) == ns_of(&st->CTIM);
}

/* The record (from its length field on) of the folder being read, if its stamp is still `st`. */
static const unsigned char *memo_find(Walk *w, const struct stat *st) {
    if (!w->memo.p) return NULL;
    const unsigned char *path = (const unsigned char *)w->path.p;
    size_t k = (size_t)hash_bytes(path, w->path.n) & (w->memo.nslots - 1);
    for (; w->memo.slots[k]; k = (k + 1) & (w->memo.nslots - 1)) {
        const unsigned char *at = w->memo.p + w->memo.slots[k] - 1, *rec = at + 4;
        size_t plen = (size_t)get(rec, 4);
        if (plen == w->path.n && !memcmp(rec + REC_FIXED, path, plen)) return same_stamp(rec, st) ? at : NULL;
    }
    return NULL;
}

static int64_t wall_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return ns_of(&t);
}

/* Leaves a record of the folder being read: stamp `st`, `n` entries encoded in `ents`. */
static void memo_add(Walk *w, const struct stat *st, const Buf *ents, uint32_t n) {
    size_t len = REC_FIXED + w->path.n + ents->n, at = w->out.n;
    if (len > UINT32_MAX) return; /* a folder too large to remember: read it every time */
    if (grow((void **)&w->out.p, &w->out.cap, at + 4 + len, 1)) {
        w->nomem = 1;
        return;
    }
    unsigned char *p = (unsigned char *)w->out.p + at;
    put(p, len, 4), put(p + 4, w->path.n, 4), put(p + 8, (uint64_t)st->st_dev, 8), put(p + 16, (uint64_t)st->st_ino, 8);
    put(p + 24, (uint64_t)ns_of(&st->MTIM), 8);
    put(p + 32, (uint64_t)ns_of(&st->CTIM), 8);
    put(p + 40, n, 4);
    memcpy(p + 4 + REC_FIXED, w->path.p, w->path.n);
    if (ents->n) memcpy(p + 4 + REC_FIXED + w->path.n, ents->p, ents->n);
    w->out.n = at + 4 + len;
}

/* Whether a folder's stamp can vouch for its names: set well before the walk began (a time in
 * whole seconds may come from a clock that ticks in seconds, or two: older still, as memo.py says). */
static int settled(const Walk *w, const struct stat *st) {
    int coarse = st->MTIM.tv_nsec == 0 || st->CTIM.tv_nsec == 0;
    int64_t before = w->began - (coarse ? w->coarse_ns : w->racy_ns);
    return ns_of(&st->MTIM) < before && ns_of(&st->CTIM) < before;
}

/* Whether the file system of the folder open as `fd` changes a folder's times with its names:
 * the local ones that do, by their magic numbers (linux/magic.h); elsewhere none is assumed to.
 * Not overlayfs: a merged folder shows its upper layer's stamp, which a change made to a lower
 * layer while it was not mounted leaves as it was. */
static int keeps_folder_times(int fd) {
#ifdef __linux__
    static const unsigned long known[] = {
        0xEF53,     /* ext2, ext3, ext4 */
        0x58465342, /* XFS */
        0x9123683E, /* btrfs */
        0x01021994, /* tmpfs */
        0x2FC12FC1, /* ZFS */
        0xF2F52010, /* F2FS */
    };
    struct statfs fs;
    if (fstatfs(fd, &fs)) return 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (((unsigned long)fs.f_type & 0xFFFFFFFFUL) == known[i]) return 1;
#else
    (void)fd;
#endif
    return 0;
}

/* ------------------------------------------------------------------------- reading */

typedef struct {
    int fd, keep;
    uint32_t folder;
    size_t deferred, capsub;
    Sub **subs;
    size_t *nsubs;
} Reading;

/* Notes one entry the walk keeps (`type` as listed); 0 when the walk must stop. */
static int take_entry(Walk *w, Reading *r, const char *name, size_t len, int kind, unsigned char type) {
    Item *it = note(w, r->folder, L_ENTRY, name, len);
    if (!it) return 0;
    it->kind = (unsigned char)kind;
    if (type == DT_REG) { /* a file: its stat can wait */
        if (r->keep)
            defer(w, it, r->fd, it->name);
        else
            defer(w, it, AT_FDCWD, arena_copy(w, w->path.p, w->path.n, it->name, len));
        r->deferred++;
        return !w->nomem;
    }
    dev_t dev = 0;
    stat_item(r->fd, it->name, it, &dev);
    if (!it->err && S_ISDIR(it->mode)) {
        if (grow((void **)r->subs, &r->capsub, *r->nsubs + 1, sizeof(Sub)) ||
            !((*r->subs)[*r->nsubs].name = strndup(name, len))) {
            w->nomem = 1;
            return 0;
        }
        (*r->subs)[(*r->nsubs)++].id = (Id){dev, (ino_t)it->st.ino};
    }
    return 1;
}

/* Walks a folder's entries from its record in the memo. */
static void replay_dir(Walk *w, Reading *r, const unsigned char *at) {
    size_t len = (size_t)get(at, 4);
    const unsigned char *rec = at + 4, *p = rec + REC_FIXED + get(rec, 4);
    uint32_t n = (uint32_t)get(rec + 36, 4);
    for (uint32_t i = 0; i < n; i++) {
        size_t nlen = (size_t)get(p + 2, 2);
        if (!take_entry(w, r, (const char *)p + ENTRY_FIXED, nlen, p[0], p[1])) return;
        p += ENTRY_FIXED + nlen;
    }
    if (grow((void **)&w->out.p, &w->out.cap, w->out.n + 4 + len, 1)) {
        w->nomem = 1;
        return;
    }
    memcpy(w->out.p + w->out.n, at, 4 + len); /* unchanged: the same record again */
    w->out.n += 4 + len;
}

/* Reads a folder's names; returns the error that stopped the reading, or 0. `ents`, if given,
 * gets the entries noted, encoded as in a record, and `n` their count. */
static int list_dir(Walk *w, Reading *r, DIR *d, Buf *ents, uint32_t *n) {
    while (!w->nomem) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) return errno;
        const char *name = de->d_name;
        if (name[0] == '.') continue;
        size_t len = strlen(name);
        int kind = kind_of(name, len);
        unsigned char type = de->d_type;
        if (kind != K_TXT) { /* as Python: a folder or link by its listed type, else a .pdf */
            if (type == DT_UNKNOWN) {
                struct stat st;
                if (fstatat(r->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                    type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
                else if (errno != ENOENT)
                    return errno;
            }
            if (type != DT_DIR && type != DT_LNK && kind != K_PDF) continue;
        }
        if (ents) {
            unsigned char head[ENTRY_FIXED] = {(unsigned char)kind, type};
            put(head + 2, len, 2);
            if (buf_add(ents, (const char *)head, ENTRY_FIXED) || buf_add(ents, name, len)) {
                w->nomem = 1;
                return 0;
            }
            (*n)++;
        }
        if (!take_entry(w, r, name, len, kind, type)) return 0;
    }
    return 0;
}

/* Reads one folder (or walks it from the memo): notes its entries in the order listed and
 * returns its sub-folders. */
static void read_dir(Walk *w, uint32_t folder, Sub **subs, size_t *nsubs) {
    Reading r = {.subs = subs, .nsubs = nsubs, .folder = folder};
    int read_err = 0;
    r.keep = w->ndirs < MAX_OPEN_DIRS && !grow((void **)&w->dirs, &w->capdirs, w->ndirs + 1, sizeof(DIR *));
    r.fd = open(w->path.p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = r.fd < 0 ? NULL : fdopendir(r.fd);
    if (!d) {
        int err = errno;
        Item *it = note(w, folder, L_DIR, "", 0);
        if (it) it->err = err;
        if (r.fd >= 0) close(r.fd);
        return;
    }
    struct stat before, after;
    int stamped = fstat(r.fd, &before) == 0;
    const unsigned char *rec = stamped ? memo_find(w, &before) : NULL;
    if (rec)
        replay_dir(w, &r, rec);
    else {
        /* Entries are put in a record only for a folder whose stamp can vouch for them. */
        Buf ents = {0};
        uint32_t n = 0;
        int remember = stamped && settled(w, &before) && keeps_folder_times(r.fd);
        read_err = list_dir(w, &r, d, remember ? &ents : NULL, &n);
        if (remember && !read_err && !w->nomem && fstat(r.fd, &after) == 0 && before.st_dev == after.st_dev &&
            before.st_ino == after.st_ino && same_times(&before, &after))
            memo_add(w, &before, &ents, n);
        free(ents.p);
    }
    if (read_err) {
        Item *it = note(w, folder, L_DIR, "", 0);
        if (it) it->err = read_err;
    }
    if (r.keep && r.deferred)
        w->dirs[w->ndirs++] = d; /* closed once the put-off stats are made */
    else
        closedir(d);
}

static void walk_dir(Walk *w) {
    Sub *subs = NULL;
    size_t nsubs = 0, here = w->path.n;
    uint32_t folder = add_folder(w);
    if (!w->nomem) read_dir(w, folder, &subs, &nsubs);
    if (nsubs) qsort(subs, nsubs, sizeof(Sub), cmp_subs);
    for (size_t i = 0; i < nsubs; i++) {
        const char *name = subs[i].name;
        size_t k;
        if (i && !strcmp(name, subs[i - 1].name)) continue; /* only a doctored record names one twice */
        for (k = 0; k < w->nanc; k++)
            if (w->anc[k].dev == subs[i].id.dev && w->anc[k].ino == subs[i].id.ino) break;
        if (w->nomem)
            ; /* nothing more is walked */
        else if (k < w->nanc)
            note(w, folder, L_LOOP, name, strlen(name));
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
    }
    for (size_t i = 0; i < nsubs; i++) free(subs[i].name);
    free(subs);
}

/* Adds an event: `name` in `folder` (the folder itself, without its separator, for ""). */
static void event(Walk *w, int kind, int err, const Item *it) {
    const Folder *f = &w->folders[it->folder];
    const char *rel = w->folder_paths.p + f->off + w->root_len;
    size_t rlen = f->len - w->root_len, off = w->evnames.n;
    if (!it->len && rlen) rlen--;
    if (grow((void **)&w->ev, &w->capev, w->nev + 1, sizeof(Event)) || buf_add(&w->evnames, rel, rlen) ||
        buf_add(&w->evnames, it->name, it->len)) {
        w->nomem = 1;
        return;
    }
    w->ev[w->nev++] = (Event){kind, err, off, rlen + it->len};
}

static const Item *item_at(const Walk *w, size_t i) { return &w->log[i / LOG_CHUNK][i % LOG_CHUNK]; }

static int is_file(const Item *it) {
    return it->item == L_ENTRY && !it->err && !S_ISDIR(it->mode) && it->kind == K_TXT;
}

/* Goes over the log once all is stat-ed: the events in its order, the files' count and size. */
static void tally(Walk *w) {
    for (size_t i = 0; i < w->nlog && !w->nomem; i++) {
        const Item *it = item_at(w, i);
        if (it->item == L_DIR)
            event(w, EV_DIR, it->err, it);
        else if (it->item == L_LOOP)
            event(w, EV_LOOP, 0, it);
        else if (it->err)
            event(w, EV_STAT, it->err, it);
        else if (S_ISDIR(it->mode))
            ; /* walked already */
        else if (it->kind == K_TXT) {
            w->names += (w->files ? 1 : 0) + w->folders[it->folder].len + it->len;
            w->files++;
            w->total += it->st.size;
        } else if (it->kind == K_PDF)
            event(w, EV_PDF, 0, it);
    }
}

static void walk_all(Walk *w) {
    walk_dir(w);
    finish_stats(w);
    for (size_t i = 0; i < w->ndirs; i++) closedir(w->dirs[i]);
    w->ndirs = 0;
    tally(w);
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
    free(w->ev);
    free(w->evnames.p);
    free(w->anc);
    for (size_t k = 0; k < w->nchunks; k++) free(w->log[k]);
    free(w->log);
    free(w->folders);
    free(w->folder_paths.p);
    for (size_t i = 0; i < w->ndirs; i++) closedir(w->dirs[i]);
    free(w->dirs);
    free(w->memo.slots);
    free(w->out.p);
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

/* Writes the listing key into `p`: header, full paths joined by NUL, one column per stamp field. */
static void fill_listing(const Walk *w, unsigned char *p) {
    uint64_t head[2] = {w->files, w->names};
    for (int h = 0; h < 2; h++)
        for (int b = 0; b < 8; b++) *p++ = (unsigned char)(head[h] >> (8 * b));
    unsigned char *col = p + w->names;
    int64_t stamp[4];
    size_t k = 0;
    for (size_t i = 0; i < w->nlog; i++) {
        const Item *it = item_at(w, i);
        if (!is_file(it)) continue;
        const Folder *f = &w->folders[it->folder];
        if (k) *p++ = '\0';
        memcpy(p, w->folder_paths.p + f->off, f->len);
        memcpy(p + f->len, it->name, it->len);
        p += f->len + it->len;
        stamp[0] = it->st.size, stamp[1] = it->st.mtime, stamp[2] = it->st.ctime, stamp[3] = it->st.ino;
        for (int c = 0; c < 4; c++) memcpy(col + 8 * (c * w->files + k), &stamp[c], 8);
        k++;
    }
}

/* The listing key as bytes, filled without the GIL (nothing else can see it yet). */
static PyObject *listing(const Walk *w) {
    if (w->files == 0) return PyBytes_FromStringAndSize("", 0);
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(16 + w->names + 32 * w->files));
    if (!out) return NULL;
    unsigned char *p = (unsigned char *)PyBytes_AS_STRING(out);
    Py_BEGIN_ALLOW_THREADS fill_listing(w, p);
    Py_END_ALLOW_THREADS return out;
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
             "walk(key: bytes, dev: int, ino: int, threads: int = 0, memo: bytes | None = None, racy_ns: int = 0,\n"
             "     coarse_ns: int = 0)\n"
             "    -> (listing: bytes, total_size: int, events: list, records: bytes)\n\n"
             "The .txt files under the folder `key` (which ends with a separator) as a listing key;\n"
             "events are (kind, path below the folder, errno) in the order met. `dev` and `ino` are the\n"
             "folder's own; `threads` stat at once in a large folder (0: one per CPU, at most 4).\n"
             "`memo` (MEMO_HEAD, a CRC-32 of the records, the records) spares reading the names of a folder\n"
             "that is unchanged;\n"
             "`records` are this walk's, for the next: folders whose times are `racy_ns` older than the walk\n"
             "(`coarse_ns` for times in whole seconds).");

static PyObject *walk(PyObject *self, PyObject *args) {
    (void)self;
    const char *key;
    Py_ssize_t len;
    unsigned long long dev, ino;
    int threads = 0;
    long long racy_ns = 0, coarse_ns = 0;
    PyObject *memo = Py_None;
    if (!PyArg_ParseTuple(args, "y#KK|iOLL", &key, &len, &dev, &ino, &threads, &memo, &racy_ns, &coarse_ns))
        return NULL;
    if (memo != Py_None && !PyBytes_Check(memo)) {
        PyErr_SetString(PyExc_TypeError, "walk: memo must be bytes or None");
        return NULL;
    }
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
    w.racy_ns = racy_ns > 0 ? racy_ns : 0;
    w.coarse_ns = coarse_ns > w.racy_ns ? coarse_ns : w.racy_ns;
    const unsigned char *kept = memo != Py_None ? (const unsigned char *)PyBytes_AS_STRING(memo) : NULL;
    size_t nkept = memo != Py_None ? (size_t)PyBytes_GET_SIZE(memo) : 0;
    /* `memo` stays alive while the walk reads it: the call's arguments hold it */
    Py_BEGIN_ALLOW_THREADS w.began = wall_ns();
    if (kept && memo_load(&w, kept, nkept))
        w.nomem = 1;
    else
        walk_all(&w);
    Py_END_ALLOW_THREADS
    PyObject *out = NULL;
    if (w.nomem)
        PyErr_NoMemory();
    else {
        PyObject *lst = listing(&w), *evs = lst ? events(&w) : NULL;
        PyObject *recs = evs ? PyBytes_FromStringAndSize(w.out.p ? w.out.p : "", (Py_ssize_t)w.out.n) : NULL;
        if (recs) out = Py_BuildValue("(NLNN)", lst, (long long)w.total, evs, recs);
        else Py_XDECREF(evs);
        if (!recs) Py_XDECREF(lst);
    }
    walk_free(&w);
    return out;
}

static PyMethodDef methods[] = {{"walk", walk, METH_VARARGS, walk_doc}, {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", "The source listing, walked in C.", -1, methods};

PyMODINIT_FUNC PyInit__scan(void) {
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddObject(m, "MEMO_HEAD", PyBytes_FromStringAndSize(MEMO_HEAD, sizeof MEMO_HEAD))) Py_CLEAR(m);
    return m;
}
