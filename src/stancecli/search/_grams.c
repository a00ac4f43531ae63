/* The typo table's trigram index (gram-G.bin), built and searched in C.
 *
 * index.py's `_gram_build_py`, `_gram_intersect_py` and `_gram_at_least_py` are the reference:
 * the same arrays, the same entries found. The words are the lines of a blob, each ended by a
 * newline; a word's rank is its line number. Every three bytes of a word fall in one of 2**bits
 * buckets (a hash); a bucket lists, once each and ascending, the ranks of the words with such
 * a trigram. The ranks common to a needle's buckets are a superset of the words holding it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BITS 10
#define MAX_BITS 24

static uint32_t bucket_of(const unsigned char *s, int bits) {
    uint32_t key = (uint32_t)s[0] | ((uint32_t)s[1] << 8) | ((uint32_t)s[2] << 16);
    return (uint32_t)(key * 2654435761u) >> (32 - bits);
}

static PyObject *new_array(Py_ssize_t n, uint32_t **data) {
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * 4);
    if (out != NULL)
        *data = (uint32_t *)PyBytes_AS_STRING(out);
    return out;
}

/* Each word's rank into its buckets: counted when `post` is NULL, else written at `cursor`. */
static void fill(const unsigned char *blob, const uint32_t *off, Py_ssize_t n, int bits, uint32_t *last,
                 uint32_t *cursor, uint32_t *post) {
    for (Py_ssize_t r = 0; r < n; r++) {
        uint32_t stamp = (uint32_t)r + 1;
        const unsigned char *s = blob + off[r], *end = blob + off[r + 1] - 1;
        for (; s + 3 <= end; s++) {
            uint32_t b = bucket_of(s, bits);
            if (last[b] == stamp) /* a trigram met twice in one word, or two in one bucket */
                continue;
            last[b] = stamp;
            if (post == NULL)
                cursor[b]++;
            else
                post[cursor[b]++] = (uint32_t)r;
        }
    }
}

static PyObject *build(PyObject *self, PyObject *args) {
    Py_buffer blob;
    Py_ssize_t n;
    int bits;
    if (!PyArg_ParseTuple(args, "y*ni", &blob, &n, &bits))
        return NULL;
    PyObject *result = NULL, *off_b = NULL, *at_b = NULL, *post_b = NULL;
    uint32_t *off, *at, *post, *last = NULL, *cursor = NULL;
    const unsigned char *data = blob.buf;
    size_t n_buckets = (size_t)1 << (bits >= MIN_BITS && bits <= MAX_BITS ? bits : MIN_BITS);
    Py_ssize_t pos = 0;
    if (n < 0 || bits < MIN_BITS || bits > MAX_BITS || blob.len > UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "_grams.build: bits or size out of range");
        goto done;
    }
    if (!(off_b = new_array(n + 1, &off)))
        goto done;
    for (Py_ssize_t r = 0; r < n; r++) {
        const unsigned char *nl = pos < blob.len ? memchr(data + pos, '\n', blob.len - pos) : NULL;
        if (nl == NULL) {
            PyErr_SetString(PyExc_ValueError, "_grams.build: fewer lines than words");
            goto done;
        }
        off[r] = (uint32_t)pos;
        pos = nl - data + 1;
    }
    off[n] = (uint32_t)pos;
    last = calloc(n_buckets, sizeof(uint32_t));
    cursor = calloc(n_buckets, sizeof(uint32_t));
    if (!last || !cursor) {
        PyErr_NoMemory();
        goto done;
    }
    if (!(at_b = new_array((Py_ssize_t)n_buckets + 1, &at)))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    fill(data, off, n, bits, last, cursor, NULL);
    at[0] = 0;
    for (size_t b = 0; b < n_buckets; b++)
        at[b + 1] = at[b] + cursor[b];
    Py_END_ALLOW_THREADS
    if (!(post_b = new_array(at[n_buckets], &post)))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    memcpy(cursor, at, n_buckets * sizeof(uint32_t));
    memset(last, 0, n_buckets * sizeof(uint32_t));
    fill(data, off, n, bits, last, cursor, post);
    Py_END_ALLOW_THREADS
    result = PyTuple_Pack(3, off_b, at_b, post_b);

done:
    free(last);
    free(cursor);
    Py_XDECREF(off_b);
    Py_XDECREF(at_b);
    Py_XDECREF(post_b);
    PyBuffer_Release(&blob);
    return result;
}

PyDoc_STRVAR(build_doc, "build(blob, n, bits) -> (line starts, bucket starts, ranks)\n\n"
                        "The trigram index of the first n lines of a blob, as native uint32 arrays.");

typedef struct {
    const uint32_t *v;
    Py_ssize_t n, at;
} List;

static int by_size(const void *a, const void *b) {
    Py_ssize_t x = ((const List *)a)->n, y = ((const List *)b)->n;
    return (x > y) - (x < y);
}

/* Whether `want` is in list l, moving its cursor to the first entry >= want (galloping). */
static int seek(List *l, uint32_t want) {
    Py_ssize_t lo = l->at, step = 1, hi;
    while (lo + step < l->n && l->v[lo + step] < want)
        step <<= 1;
    hi = lo + step < l->n ? lo + step : l->n;
    lo += step >> 1;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (l->v[mid] < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    l->at = lo;
    return lo < l->n && l->v[lo] == want;
}

/* The list cut to its entries in [lo, hi). */
static void cut(List *l, uint32_t lo, uint64_t hi) {
    seek(l, lo);
    Py_ssize_t a = l->at, b = l->n;
    while (a < b) {
        Py_ssize_t mid = a + (b - a) / 2;
        if (l->v[mid] < hi)
            a = mid + 1;
        else
            b = mid;
    }
    l->v += l->at;
    l->n = a - l->at;
    l->at = 0;
}

/* The buffers of the k items of `seq` into `views`: how many were got (k, or fewer with an error set). */
static Py_ssize_t get_views(PyObject *seq, Py_ssize_t k, Py_buffer *views) {
    Py_ssize_t j = 0;
    while (j < k && PyObject_GetBuffer(PySequence_Fast_GET_ITEM(seq, j), &views[j], PyBUF_SIMPLE) == 0)
        j++;
    return j;
}

static void release_views(Py_buffer *views, Py_ssize_t got) {
    for (Py_ssize_t j = 0; j < got; j++)
        PyBuffer_Release(&views[j]);
    PyMem_Free(views);
}

static PyObject *intersect(PyObject *self, PyObject *args) {
    PyObject *arg, *seq, *out = NULL;
    Py_ssize_t lo, hi, k, got = 0, done_views = 0;
    if (!PyArg_ParseTuple(args, "Onn", &arg, &lo, &hi))
        return NULL;
    if (lo < 0 || hi < lo || hi > (Py_ssize_t)UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "_grams.intersect: a range out of bounds");
        return NULL;
    }
    if ((seq = PySequence_Fast(arg, "_grams.intersect: a sequence of uint32 buffers")) == NULL)
        return NULL;
    k = PySequence_Fast_GET_SIZE(seq);
    Py_buffer *views = PyMem_Calloc(k ? k : 1, sizeof(Py_buffer));
    List *lists = PyMem_Calloc(k ? k : 1, sizeof(List));
    uint32_t *dst;
    if (views == NULL || lists == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if ((done_views = get_views(seq, k, views)) < k)
        goto done;
    for (Py_ssize_t j = 0; j < k; j++) {
        lists[j] = (List){views[j].buf, views[j].len / 4, 0};
        cut(&lists[j], (uint32_t)lo, (uint64_t)hi);
    }
    qsort(lists, k, sizeof(List), by_size);
    if (!(out = new_array(k ? lists[0].n : 0, &dst)))
        goto done;
    if (k) {
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < lists[0].n; i++) {
            uint32_t want = lists[0].v[i];
            Py_ssize_t j = 1;
            while (j < k && seek(&lists[j], want))
                j++;
            if (j == k)
                dst[got++] = want;
        }
        Py_END_ALLOW_THREADS
    }
    if (got < (k ? lists[0].n : 0) && _PyBytes_Resize(&out, got * 4) < 0)
        out = NULL;
done:
    release_views(views, done_views);
    PyMem_Free(lists);
    Py_DECREF(seq);
    return out;
}

PyDoc_STRVAR(intersect_doc, "intersect(lists, lo, hi) -> bytes\n\n"
                            "The entries in [lo, hi) common to every list (ascending uint32 buffers), as a uint32 array.");

static PyObject *at_least(PyObject *self, PyObject *args) {
    PyObject *arg, *seq, *out = NULL;
    Py_ssize_t lo, hi, t, k, done_views = 0, got = 0;
    if (!PyArg_ParseTuple(args, "Onnn", &arg, &lo, &hi, &t))
        return NULL;
    if (lo < 0 || hi < lo || hi > (Py_ssize_t)UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "_grams.at_least: a range out of bounds");
        return NULL;
    }
    if ((seq = PySequence_Fast(arg, "_grams.at_least: a sequence of uint32 buffers")) == NULL)
        return NULL;
    k = PySequence_Fast_GET_SIZE(seq);
    Py_buffer *views = PyMem_Calloc(k ? k : 1, sizeof(Py_buffer));
    uint32_t *counts = PyMem_Calloc(hi > lo ? hi - lo : 1, sizeof(uint32_t)), *dst;
    if (views == NULL || counts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if ((done_views = get_views(seq, k, views)) < k)
        goto done;
    if (!(out = new_array(hi - lo, &dst)))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t j = 0; j < k; j++) {
        List l = {views[j].buf, views[j].len / 4, 0};
        cut(&l, (uint32_t)lo, (uint64_t)hi);
        for (Py_ssize_t i = 0; i < l.n; i++)
            counts[l.v[i] - lo]++;
    }
    for (Py_ssize_t r = 0; r < hi - lo; r++)
        if ((Py_ssize_t)counts[r] >= t)
            dst[got++] = (uint32_t)(r + lo);
    Py_END_ALLOW_THREADS
    if (got < hi - lo && _PyBytes_Resize(&out, got * 4) < 0)
        out = NULL;
done:
    release_views(views, done_views);
    PyMem_Free(counts);
    Py_DECREF(seq);
    return out;
}

PyDoc_STRVAR(at_least_doc, "at_least(lists, lo, hi, t) -> bytes\n\n"
                           "The entries in [lo, hi) found in t or more of the lists (ascending uint32 buffers).");

static int holds(const unsigned char *s, Py_ssize_t n, const unsigned char *needle, Py_ssize_t m) {
    if (m == 0)
        return 1;
    for (const unsigned char *end = s + n - m + 1; s < end; s++) {
        s = memchr(s, needle[0], end - s);
        if (s == NULL)
            return 0;
        if (memcmp(s, needle, m) == 0)
            return 1;
    }
    return 0;
}

#define TERM_BIT 0x80000000u /* index.py's: in the typo table's id lists, the word itself */

static PyObject *terms_holding(PyObject *self, PyObject *args) {
    Py_buffer blob, line_at, ranks, ptr, ids, needle;
    Py_ssize_t lo, hi;
    PyObject *out = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*nny*y*y*", &blob, &line_at, &ranks, &lo, &hi, &ptr, &ids, &needle))
        return NULL;
    const uint32_t *at = line_at.buf, *rk = ranks.buf, *pt = ptr.buf, *id = ids.buf;
    Py_ssize_t n_at = line_at.len / 4, n_pt = ptr.len / 4, n_ids = ids.len / 4;
    if (lo < 0 || hi < lo || hi > ranks.len / 4) {
        PyErr_SetString(PyExc_ValueError, "_grams.terms_holding: a range out of bounds");
        goto done;
    }
    if ((out = PyList_New(0)) == NULL)
        goto done;
    for (Py_ssize_t k = lo; k < hi; k++) {
        uint32_t r = rk[k];
        if ((Py_ssize_t)r + 1 >= n_at || (Py_ssize_t)r + 1 >= n_pt || at[r] >= at[r + 1] || at[r + 1] > blob.len ||
            pt[r] > pt[r + 1] || pt[r + 1] > n_ids) {
            PyErr_SetString(PyExc_IndexError, "_grams.terms_holding: a rank out of the table");
            Py_CLEAR(out);
            goto done;
        }
        const unsigned char *word = (const unsigned char *)blob.buf + at[r];
        Py_ssize_t len = at[r + 1] - at[r] - 1;
        if (!holds(word, len, needle.buf, needle.len))
            continue;
        for (uint32_t i = pt[r]; i < pt[r + 1]; i++) {
            if (!(id[i] & TERM_BIT))
                continue;
            PyObject *item = Py_BuildValue("(Is#)", id[i] & ~TERM_BIT, (const char *)word, len);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(out);
                goto done;
            }
            Py_DECREF(item);
        }
    }
done:
    PyBuffer_Release(&blob);
    PyBuffer_Release(&line_at);
    PyBuffer_Release(&ranks);
    PyBuffer_Release(&ptr);
    PyBuffer_Release(&ids);
    PyBuffer_Release(&needle);
    return out;
}

PyDoc_STRVAR(terms_holding_doc, "terms_holding(blob, line_at, ranks, lo, hi, ptr, ids, needle) -> list\n\n"
                                "(term id, word) of the words of ranks[lo:hi] that hold `needle` and are terms.");

/* ------------------------------------------------------------------ the typo table (typo-G)
 *
 * index.py's `_typo_table_py` is the reference: the same bytes. Its words are the terms and
 * their stems, once each; a word's ids are its term id (with TERM_BIT) if it is a term, then
 * the ids of the terms it is the stem of, ascending. Every word stands in two groups (by length
 * and first letter, by length and last letter); groups ascend by key, words within a group by
 * their bytes (the order of Python's str). Sorting 16-byte entries in C and writing the files
 * through a small buffer keeps the build of a large vocabulary within tens of MB.
 */
#include <errno.h>
#include <unistd.h>

#define TERM_BIT 0x80000000u
#define MAX_TYPO_LENGTH 511
#define SECTION_BIT (1u << 30)
#define OUT_BUFFER (1 << 20)

typedef struct {
    const unsigned char *s;
    uint32_t len, id;
} Entry;

typedef struct {
    uint32_t first, n_ids, key[2]; /* its bytes are those of entries[first] */
} Word;

static int by_word_then_id(const void *pa, const void *pb) {
    const Entry *a = pa, *b = pb;
    uint32_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, m);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if ((a->id & TERM_BIT) != (b->id & TERM_BIT)) /* the word as a term first */
        return (a->id & TERM_BIT) ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const Word *sort_words; /* qsort has no context argument in C99; only used with the GIL held */
static int sort_section;

static int by_key_then_rank(const void *pa, const void *pb) {
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    uint32_t ka = sort_words[a].key[sort_section], kb = sort_words[b].key[sort_section];
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return a < b ? -1 : a > b; /* words are numbered in byte order */
}

static uint32_t code_point(const unsigned char *s) {
    if (s[0] < 0x80)
        return s[0];
    if (s[0] < 0xE0)
        return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    if (s[0] < 0xF0)
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
           (s[3] & 0x3F);
}

static void set_keys(Word *w, const Entry *e) {
    uint32_t chars = 0;
    const unsigned char *last = e->s;
    for (uint32_t i = 0; i < e->len; i++)
        if ((e->s[i] & 0xC0) != 0x80) {
            chars++;
            last = e->s + i;
        }
    uint32_t n = (chars < MAX_TYPO_LENGTH ? chars : MAX_TYPO_LENGTH) << 21;
    w->key[0] = n | code_point(e->s);
    w->key[1] = SECTION_BIT | n | code_point(last);
}

/* The lines [0, n) of a blob and its uint32 offsets (line i is off[i] .. off[i + 1] - 1) as entries. */
static int add_entries(Entry *out, Py_ssize_t *at, const Py_buffer *blob, const Py_buffer *off, Py_ssize_t n,
                       uint32_t flag) {
    const uint32_t *o = off->buf;
    if (off->len / 4 < n + 1)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (o[i + 1] <= o[i] || o[i + 1] > (uint64_t)blob->len)
            return -1;
        uint32_t len = o[i + 1] - 1 - o[i];
        if (len == 0) /* the empty word is left out */
            continue;
        out[*at].s = (const unsigned char *)blob->buf + o[i];
        out[*at].len = len;
        out[*at].id = (uint32_t)i | flag;
        (*at)++;
    }
    return 0;
}

/* The unique words of sorted entries, each with its run of entries. */
static Py_ssize_t unique_words(const Entry *e, Py_ssize_t n, Word *w) {
    Py_ssize_t u = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Entry *prev = u ? &e[w[u - 1].first] : NULL;
        if (prev && prev->len == e[i].len && memcmp(prev->s, e[i].s, e[i].len) == 0) {
            w[u - 1].n_ids++;
            continue;
        }
        w[u].first = (uint32_t)i;
        w[u].n_ids = 1;
        set_keys(&w[u], &e[i]);
        u++;
    }
    return u;
}

typedef struct {
    int fd, error;
    size_t used;
    char *buf;
} Out;

static void write_all(Out *o, const char *p, size_t n) {
    size_t done = 0;
    while (done < n && !o->error) {
        ssize_t k = write(o->fd, p + done, n - done);
        if (k < 0 && errno != EINTR)
            o->error = errno;
        else if (k > 0)
            done += (size_t)k;
    }
}

static void out_flush(Out *o) {
    write_all(o, o->buf, o->used);
    o->used = 0;
}

static void out_put(Out *o, const void *p, size_t n) {
    if (o->used + n > OUT_BUFFER)
        out_flush(o);
    if (n > OUT_BUFFER) {
        write_all(o, p, n);
        return;
    }
    memcpy(o->buf + o->used, p, n);
    o->used += n;
}

static void out_u32(Out *o, uint32_t v) { out_put(o, &v, sizeof v); }

/* The table in the order of its lines: words (+ newline), then the line starts (ptr) and the ids. */
static void write_table(const Entry *e, const Word *w, Py_ssize_t u, uint32_t *const order[2], Out *words,
                        Out *table) {
    const char nl = '\n';
    for (int sec = 0; sec < 2; sec++)
        for (Py_ssize_t i = 0; i < u; i++) {
            const Entry *first = &e[w[order[sec][i]].first];
            out_put(words, first->s, first->len);
            out_put(words, &nl, 1);
        }
    uint32_t at = 0;
    out_u32(table, at);
    for (int sec = 0; sec < 2; sec++)
        for (Py_ssize_t i = 0; i < u; i++)
            out_u32(table, at += w[order[sec][i]].n_ids);
    for (int sec = 0; sec < 2; sec++)
        for (Py_ssize_t i = 0; i < u; i++) {
            const Word *wd = &w[order[sec][i]];
            for (uint32_t k = 0; k < wd->n_ids; k++)
                out_u32(table, e[wd->first + k].id);
        }
}

static PyObject *typo_table(PyObject *self, PyObject *args) {
    Py_buffer tb, to, sb, so;
    Py_ssize_t n;
    int words_fd, table_fd;
    if (!PyArg_ParseTuple(args, "y*y*y*y*nii", &tb, &to, &sb, &so, &n, &words_fd, &table_fd))
        return NULL;
    PyObject *result = NULL;
    Entry *e = NULL;
    Word *w = NULL;
    uint32_t *order[2] = {NULL, NULL}, *groups = NULL;
    Out words = {words_fd, 0, 0, NULL}, table = {table_fd, 0, 0, NULL};
    Py_ssize_t n_e = 0, u = 0, n_keys = 0, text_len = 0;
    if (n < 0 || n > (Py_ssize_t)(TERM_BIT - 1) || tb.len > UINT32_MAX || sb.len > UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "_grams.typo_table: size out of range");
        goto done;
    }
    e = malloc((size_t)(2 * n + 1) * sizeof(Entry));
    w = malloc((size_t)(2 * n + 1) * sizeof(Word));
    words.buf = malloc(OUT_BUFFER);
    table.buf = malloc(OUT_BUFFER);
    if (!e || !w || !words.buf || !table.buf) {
        PyErr_NoMemory();
        goto done;
    }
    if (add_entries(e, &n_e, &tb, &to, n, TERM_BIT) || add_entries(e, &n_e, &sb, &so, n, 0)) {
        PyErr_SetString(PyExc_ValueError, "_grams.typo_table: offsets do not fit the blob");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    qsort(e, (size_t)n_e, sizeof(Entry), by_word_then_id);
    u = unique_words(e, n_e, w);
    Py_END_ALLOW_THREADS
    for (int sec = 0; sec < 2; sec++) {
        if (!(order[sec] = malloc((size_t)(u + 1) * sizeof(uint32_t)))) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < u; i++)
            order[sec][i] = (uint32_t)i;
        sort_words = w;
        sort_section = sec;
        qsort(order[sec], (size_t)u, sizeof(uint32_t), by_key_then_rank);
        for (Py_ssize_t i = 0; i < u; i++) {
            if (i == 0 || w[order[sec][i]].key[sec] != w[order[sec][i - 1]].key[sec])
                n_keys++;
            text_len += e[w[i].first].len + 1;
        }
    }
    if (text_len > UINT32_MAX || 2 * n_e > (Py_ssize_t)UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "_grams.typo_table: table too large");
        goto done;
    }
    /* keys, byte_at and line_at (each + end): small, one entry per group */
    if (!(groups = malloc((size_t)(3 * n_keys + 2) * sizeof(uint32_t)))) {
        PyErr_NoMemory();
        goto done;
    }
    uint32_t *keys = groups, *byte_at = keys + n_keys, *line_at = byte_at + n_keys + 1;
    Py_ssize_t g = 0, line = 0, pos = 0;
    for (int sec = 0; sec < 2; sec++)
        for (Py_ssize_t i = 0; i < u; i++) {
            const Word *wd = &w[order[sec][i]];
            if (i == 0 || wd->key[sec] != w[order[sec][i - 1]].key[sec]) {
                keys[g] = wd->key[sec];
                byte_at[g] = (uint32_t)pos;
                line_at[g] = (uint32_t)line;
                g++;
            }
            pos += e[wd->first].len + 1;
            line++;
        }
    byte_at[g] = (uint32_t)pos;
    line_at[g] = (uint32_t)line;
    uint32_t head[4] = {(uint32_t)n_keys, (uint32_t)(2 * u), (uint32_t)(2 * n_e), (uint32_t)n};
    Py_BEGIN_ALLOW_THREADS
    out_put(&table, head, sizeof head);
    out_put(&table, groups, (size_t)(3 * n_keys + 2) * sizeof(uint32_t));
    write_table(e, w, u, order, &words, &table);
    out_flush(&words);
    out_flush(&table);
    Py_END_ALLOW_THREADS
    if (words.error || table.error) {
        errno = words.error ? words.error : table.error;
        PyErr_SetFromErrno(PyExc_OSError);
        goto done;
    }
    result = Py_None;
    Py_INCREF(result);

done:
    free(e);
    free(w);
    free(order[0]);
    free(order[1]);
    free(groups);
    free(words.buf);
    free(table.buf);
    PyBuffer_Release(&tb);
    PyBuffer_Release(&to);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&so);
    return result;
}

PyDoc_STRVAR(typo_table_doc, "typo_table(terms, term_off, stems, stem_off, n, words_fd, table_fd)\n\n"
                             "Write the typo table of n terms and their stems: typo-G.txt and typo-G.off.");

#define MAX_TYPO_WORD 256 /* longer words are left to the caller's Python path */

/* Levenshtein distance (unit costs) between a[0..n) and b[0..m), or reach + 1 once it must
 * exceed reach: only a diagonal band of width 2 * reach + 1 is filled. */
static Py_ssize_t bounded_distance(const Py_UCS4 *a, Py_ssize_t n, PyObject *b, Py_ssize_t m, Py_ssize_t reach,
                                   Py_ssize_t *row) {
    int kind = PyUnicode_KIND(b);
    const void *data = PyUnicode_DATA(b);
    Py_ssize_t over = reach + 1;
    for (Py_ssize_t j = 0; j <= m; j++)
        row[j] = j <= reach ? j : over;
    for (Py_ssize_t i = 1; i <= n; i++) {
        Py_ssize_t lo = i - reach > 1 ? i - reach : 1, hi = i + reach < m ? i + reach : m;
        Py_ssize_t diag = row[lo - 1], best = over;
        row[lo - 1] = lo - 1 == 0 && i <= reach ? i : over;
        if (lo - 1 == 0)
            best = row[0];
        for (Py_ssize_t j = lo; j <= hi; j++) {
            Py_ssize_t cost = diag + (a[i - 1] != PyUnicode_READ(kind, data, j - 1));
            Py_ssize_t del = row[j] + 1, ins = row[j - 1] + 1;
            diag = row[j];
            Py_ssize_t d = cost < del ? cost : del;
            d = d < ins ? d : ins;
            row[j] = d > over ? over : d;
            best = row[j] < best ? row[j] : best;
        }
        if (hi < m)
            row[hi + 1] = over;
        if (best > reach)
            return over;
    }
    return row[m];
}

static PyObject *within(PyObject *self, PyObject *args) {
    PyObject *word, *words, *out = NULL, *seq = NULL;
    Py_ssize_t reach;
    Py_UCS4 a[MAX_TYPO_WORD];
    Py_ssize_t row[2 * MAX_TYPO_WORD + 2];
    if (!PyArg_ParseTuple(args, "UOn", &word, &words, &reach))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    if (reach < 0 || reach > MAX_TYPO_WORD || n > MAX_TYPO_WORD) {
        PyErr_SetString(PyExc_ValueError, "_grams.within: a word or a reach over 256, or a negative reach");
        return NULL;
    }
    if (PyUnicode_AsUCS4(word, a, MAX_TYPO_WORD, 0) == NULL)
        return NULL;
    if ((seq = PySequence_Fast(words, "_grams.within: words must be a sequence")) == NULL)
        return NULL;
    if ((out = PyList_New(0)) == NULL)
        goto done;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *w = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(w)) {
            PyErr_SetString(PyExc_TypeError, "_grams.within: words must be strings");
            Py_CLEAR(out);
            goto done;
        }
        Py_ssize_t m = PyUnicode_GET_LENGTH(w);
        if (m > n + reach || n > m + reach)
            continue;
        Py_ssize_t d = bounded_distance(a, n, w, m, reach, row);
        if (d > reach)
            continue;
        PyObject *pair = Py_BuildValue("(nn)", k, d);
        if (pair == NULL || PyList_Append(out, pair) < 0) {
            Py_XDECREF(pair);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(pair);
    }
done:
    Py_DECREF(seq);
    return out;
}

PyDoc_STRVAR(within_doc, "within(word, words, reach) -> [(k, edits)]\n\n"
                         "The words (by index) at most `reach` edits (Levenshtein, unit costs) from `word`.");

static PyMethodDef methods[] = {{"terms_holding", terms_holding, METH_VARARGS, terms_holding_doc},
                                {"build", build, METH_VARARGS, build_doc},
                                {"typo_table", typo_table, METH_VARARGS, typo_table_doc},
                                {"intersect", intersect, METH_VARARGS, intersect_doc},
                                {"at_least", at_least, METH_VARARGS, at_least_doc},
                                {"within", within, METH_VARARGS, within_doc},
                                {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_grams", "The typo table's trigram index, in C.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__grams(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "MAX_TYPO_WORD", MAX_TYPO_WORD) < 0)
        Py_CLEAR(m);
    return m;
}
