/* A phrase's ranking, in C: engine._chain's best in-order chain of the phrase's words, the
 * ranking of candidate sentences that uses it (rank_phrase, below), and rapidfuzz's
 * fuzz.partial_ratio for a needle of at most 64 characters (one pair, or a pool of sentences read
 * from the vocabulary: partial_ratios, at the end).
 *
 * chain() is engine._chain_py step for step (the same floating-point operations in the same
 * order, so the same scores); tests hold the two together.
 *
 * A phrase search re-scores its best candidates with partial_ratio (engine._rerank); importing
 * rapidfuzz costs a search more than the scoring itself. This is rapidfuzz's "short needle"
 * method, window for window (its Python reference is rapidfuzz/fuzz_py.py, _partial_ratio_impl):
 * the needle against every prefix, every window of its length and every suffix of the longer
 * string that ends (prefixes, windows) or starts (suffixes) with one of its characters; the best
 * normalised Indel similarity, 1 - (len1 + lenw - 2 * LCS) / (len1 + lenw), times 100. The LCS
 * is counted 64 positions at a time (Hyyro's bit-parallel method). tests/test_search_engine.py
 * holds it to rapidfuzz.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

#define MAX_NEEDLE 64
#define LOW_CHARS 256

typedef struct {
    uint64_t low[LOW_CHARS]; /* per character below 256, the needle positions holding it */
    Py_UCS4 high[MAX_NEEDLE];
    uint64_t high_bits[MAX_NEEDLE];
    int n_high;
} Block;

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static Text text_of(PyObject *s) {
    Text t = {PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)};
    return t;
}

static uint64_t positions(const Block *b, Py_UCS4 c) {
    if (c < LOW_CHARS)
        return b->low[c];
    for (int k = 0; k < b->n_high; k++)
        if (b->high[k] == c)
            return b->high_bits[k];
    return 0;
}

static void block_of(Block *b, Text needle) {
    memset(b, 0, sizeof(*b));
    for (Py_ssize_t i = 0; i < needle.len; i++) {
        Py_UCS4 c = PyUnicode_READ(needle.kind, needle.data, i);
        uint64_t bit = (uint64_t)1 << i;
        if (c < LOW_CHARS) {
            b->low[c] |= bit;
            continue;
        }
        int k = 0;
        while (k < b->n_high && b->high[k] != c)
            k++;
        if (k == b->n_high)
            b->high[b->n_high++] = c;
        b->high_bits[k] |= bit;
    }
}

/* The normalised Indel similarity of the needle and hay[start:end]. */
static double similarity(const Block *b, Py_ssize_t len1, Text hay, Py_ssize_t start, Py_ssize_t end) {
    uint64_t s = ~(uint64_t)0;
    for (Py_ssize_t j = start; j < end; j++) {
        uint64_t u = s & positions(b, PyUnicode_READ(hay.kind, hay.data, j));
        s = (s + u) | (s - u);
    }
    uint64_t mask = len1 == MAX_NEEDLE ? ~(uint64_t)0 : (((uint64_t)1 << len1) - 1);
    Py_ssize_t lcs = __builtin_popcountll(~s & mask);
    Py_ssize_t lensum = len1 + (end - start);
    double dist = (double)(lensum - 2 * lcs);
    return 1.0 - (lensum ? dist / (double)lensum : 0.0);
}

static int holds(const Block *b, Text t, Py_ssize_t i) { return positions(b, PyUnicode_READ(t.kind, t.data, i)) != 0; }

/* rapidfuzz's _partial_ratio_impl: len(needle) <= len(hay), 1 <= len(needle) <= 64; 0..100. */
static double partial_of(const Block *block, Text needle, Text hay) {
    Py_ssize_t len1 = needle.len, len2 = hay.len;
    double best = 0.0, sim;
    for (Py_ssize_t i = 1; i < len1; i++) /* prefixes */
        if (holds(block, hay, i - 1) && (sim = similarity(block, len1, hay, 0, i)) > best && (best = sim) == 1.0)
            return 100.0;
    for (Py_ssize_t i = 0; i < len2 - len1; i++) /* windows of the needle's length */
        if (holds(block, hay, i + len1 - 1) && (sim = similarity(block, len1, hay, i, i + len1)) > best &&
            (best = sim) == 1.0)
            return 100.0;
    for (Py_ssize_t i = len2 - len1; i < len2; i++) /* suffixes */
        if (holds(block, hay, i) && (sim = similarity(block, len1, hay, i, len2)) > best && (best = sim) == 1.0)
            return 100.0;
    return best * 100.0;
}

static double partial(Text needle, Text hay) {
    Block b;
    block_of(&b, needle);
    return partial_of(&b, needle, hay);
}

/* partial_ratio(s1, s2) with s1's block made already (s1 holds 1 to 64 characters). */
static double ratio_with(const Block *b1, Text s1, Text s2) {
    if (s1.len > s2.len)
        return partial(s2, s1);
    double score = partial_of(b1, s1, s2);
    if (score != 100.0 && s1.len == s2.len) { /* rapidfuzz tries both ways round */
        double other = partial(s2, s1);
        score = other > score ? other : score;
    }
    return score;
}

static PyObject *partial_ratio(PyObject *self, PyObject *args) {
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "UU", &a, &b))
        return NULL;
    Text s1 = text_of(a), s2 = text_of(b);
    Text shorter = s1.len <= s2.len ? s1 : s2, longer = s1.len <= s2.len ? s2 : s1;
    if (shorter.len < 1 || shorter.len > MAX_NEEDLE) {
        PyErr_SetString(PyExc_ValueError, "_score.partial_ratio: the shorter string must hold 1 to 64 characters");
        return NULL;
    }
    Block block;
    block_of(&block, shorter);
    return PyFloat_FromDouble(ratio_with(&block, shorter, longer));
}

PyDoc_STRVAR(partial_ratio_doc, "partial_ratio(s1, s2) -> float\n\n"
                                "rapidfuzz.fuzz.partial_ratio(s1, s2) when the shorter holds 1 to 64 characters.");

/* ------------------------------------------------------------------ the in-order chain */

typedef struct {
    Py_ssize_t p, i;
    double v;
} Match;

/* The matches of a sentence's tokens: for each token, each (term i, quality q) that emap gives
 * its id, worth weights[i] * q; in token order. -1 on an error (set). */
static Py_ssize_t matches_of(Py_buffer *toks, PyObject *emap, const double *weights, Py_ssize_t n_terms,
                             Match **out) {
    const uint32_t *tok = toks->buf;
    Py_ssize_t n = toks->len / 4, m = 0, cap = 16;
    Match *ms = PyMem_Malloc(cap * sizeof(Match));
    if (ms == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t p = 0; p < n; p++) {
        PyObject *key = PyLong_FromUnsignedLong(tok[p]);
        if (key == NULL)
            goto fail;
        PyObject *found = PyDict_GetItemWithError(emap, key); /* borrowed */
        Py_DECREF(key);
        if (found == NULL) {
            if (PyErr_Occurred())
                goto fail;
            continue;
        }
        PyObject *seq = PySequence_Tuple(found); /* a copy: converting an item cannot change it */
        if (seq == NULL)
            goto fail;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(seq); k++) {
            PyObject *pair = PyTuple_GET_ITEM(seq, k);
            Py_ssize_t i = -1;
            double q = 0.0;
            if (PyTuple_Check(pair) && PyTuple_GET_SIZE(pair) == 2) {
                i = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
                q = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
            }
            if (PyErr_Occurred() || i < 0 || i >= n_terms) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "_score.chain: emap values must be (term index, quality) "
                                                      "pairs with an index in range");
                Py_DECREF(seq);
                goto fail;
            }
            if (m == cap) {
                Match *grown = PyMem_Realloc(ms, 2 * cap * sizeof(Match));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    Py_DECREF(seq);
                    goto fail;
                }
                ms = grown;
                cap *= 2;
            }
            ms[m].p = p;
            ms[m].i = i;
            ms[m].v = weights[i] * q;
            m++;
        }
        Py_DECREF(seq);
    }
    *out = ms;
    return m;
fail:
    PyMem_Free(ms);
    return -1;
}

/* The best chain of the matches: its value, its positions (ascending, into `positions`, which
 * holds m) and how many, and the loose words' worth. 0, or -1 on an error (set). */
static int chain_of(const Match *ms, Py_ssize_t m, Py_ssize_t n_terms, double gap_cost, double *value_out,
                    double *loose_out, Py_ssize_t *positions, Py_ssize_t *length_out) {
    double *best = PyMem_Malloc(m * sizeof(double));
    Py_ssize_t *back = PyMem_Malloc(m * sizeof(Py_ssize_t));
    double *loose = PyMem_Calloc(n_terms, sizeof(double));
    Py_ssize_t *order = PyMem_Malloc(n_terms * sizeof(Py_ssize_t));
    char *used = PyMem_Calloc(n_terms, 1), *seen = PyMem_Calloc(n_terms, 1);
    int status = -1;
    if (!best || !back || !loose || !order || !used || !seen) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        double b = ms[k].v;
        Py_ssize_t bj = -1;
        for (Py_ssize_t j = 0; j < k; j++) {
            if (ms[j].p < ms[k].p && ms[j].i < ms[k].i) {
                Py_ssize_t extra = (ms[k].p - ms[j].p) - (ms[k].i - ms[j].i);
                double cand = best[j] + ms[k].v - gap_cost * (double)(extra > 0 ? extra : 0);
                if (cand > b) {
                    b = cand;
                    bj = j;
                }
            }
        }
        best[k] = b;
        back[k] = bj;
    }
    Py_ssize_t top = 0; /* the highest value, the earliest of equals */
    for (Py_ssize_t x = 1; x < m; x++)
        if (best[x] > best[top])
            top = x;
    Py_ssize_t length = 0;
    for (Py_ssize_t k = top; k >= 0; k = back[k]) {
        used[ms[k].i] = 1;
        length++;
    }
    Py_ssize_t n_loose = 0; /* the loose words' best worth, summed in the order first set, as a dict does */
    for (Py_ssize_t k = 0; k < m; k++) {
        Py_ssize_t i = ms[k].i;
        if (!used[i] && ms[k].v > loose[i]) {
            if (!seen[i]) {
                seen[i] = 1;
                order[n_loose++] = i;
            }
            loose[i] = ms[k].v;
        }
    }
    double loose_sum = 0.0;
    for (Py_ssize_t k = 0; k < n_loose; k++)
        loose_sum += loose[order[k]];
    Py_ssize_t slot = length;
    for (Py_ssize_t k = top; k >= 0; k = back[k]) /* back along the chain: positions descend */
        positions[--slot] = ms[k].p;
    *value_out = best[top];
    *loose_out = loose_sum;
    *length_out = length;
    status = 0;
done:
    PyMem_Free(best);
    PyMem_Free(back);
    PyMem_Free(loose);
    PyMem_Free(order);
    PyMem_Free(used);
    PyMem_Free(seen);
    return status;
}

static PyObject *positions_tuple(const Py_ssize_t *positions, Py_ssize_t length) {
    PyObject *out = PyTuple_New(length);
    for (Py_ssize_t k = 0; out != NULL && k < length; k++) {
        PyObject *pos = PyLong_FromSsize_t(positions[k]);
        if (pos == NULL)
            Py_CLEAR(out);
        else
            PyTuple_SET_ITEM(out, k, pos);
    }
    return out;
}

/* The best chain's value, its positions (ascending) and the loose words' worth, from the matches. */
static PyObject *best_chain(const Match *ms, Py_ssize_t m, Py_ssize_t n_terms, double gap_cost) {
    Py_ssize_t *positions = PyMem_Malloc(m * sizeof(Py_ssize_t)), length;
    double value, loose;
    PyObject *result = NULL, *tuple;
    if (positions == NULL)
        return PyErr_NoMemory();
    if (chain_of(ms, m, n_terms, gap_cost, &value, &loose, positions, &length) == 0 &&
        (tuple = positions_tuple(positions, length)) != NULL)
        result = Py_BuildValue("(dNd)", value, tuple, loose);
    PyMem_Free(positions);
    return result;
}

static PyObject *chain(PyObject *self, PyObject *args) {
    PyObject *toks_obj, *emap, *weights_obj;
    double gap_cost;
    if (!PyArg_ParseTuple(args, "OO!Od", &toks_obj, &PyDict_Type, &emap, &weights_obj, &gap_cost))
        return NULL;
    Py_buffer toks;
    if (PyObject_GetBuffer(toks_obj, &toks, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    PyObject *result = NULL, *wseq = NULL;
    double *weights = NULL;
    Match *ms = NULL;
    if (toks.itemsize != 4 || toks.format == NULL || toks.format[0] == '\0' ||
        strchr("IL", toks.format[strlen(toks.format) - 1]) == NULL) {
        PyErr_SetString(PyExc_TypeError, "_score.chain: tokens must be unsigned 32-bit integers");
        goto done;
    }
    if ((wseq = PySequence_Tuple(weights_obj)) == NULL) /* a copy: converting an item cannot change it */
        goto done;
    Py_ssize_t n_terms = PyTuple_GET_SIZE(wseq);
    if ((weights = PyMem_Malloc((n_terms ? n_terms : 1) * sizeof(double))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_terms; k++)
        if ((weights[k] = PyFloat_AsDouble(PyTuple_GET_ITEM(wseq, k))) == -1.0 && PyErr_Occurred())
            goto done;
    Py_ssize_t m = matches_of(&toks, emap, weights, n_terms, &ms);
    if (m < 0)
        goto done;
    result = m == 0 ? Py_NewRef(Py_None) : best_chain(ms, m, n_terms, gap_cost);
done:
    PyMem_Free(ms);
    PyMem_Free(weights);
    Py_XDECREF(wseq);
    PyBuffer_Release(&toks);
    return result;
}

PyDoc_STRVAR(chain_doc, "chain(tokens, emap, weights, gap_cost) -> (value, positions, loose) | None\n\n"
                        "engine._chain_py's best in-order chain of a sentence's matched words, before scaling; "
                        "None when no word matches.");

/* ------------------------------------------------------------------ a phrase's ranking
 *
 * rank_phrase() is engine._rank_phrase_py step for step: the same groups in the same order, the
 * same candidates, bounds, scores (rounded by Python's round), ties and stopping points, so the
 * same best sentences; tests hold the two together. The index's arrays are read through the
 * buffer protocol, every offset checked against its array's end: an index that points past an
 * end raises the `damage` class it is given, as reading it in Python would raise IndexFormatError.
 */

typedef struct {
    const uint32_t *v;
    Py_ssize_t n;
} U32;

enum { DIR, POST, TOFF, FWD, OOFF, OCC, DOCS, UHASH, N_ARRAYS };

typedef struct {
    Py_buffer buf[N_ARRAYS];
    int n_held; /* buffers held, to release */
    U32 a[UHASH];
    const uint64_t *uhash;
    Py_ssize_t n_texts;
    PyObject *paths;     /* borrowed */
    Py_ssize_t *ranges;  /* live sentence id ranges [a, b), flattened; NULL when all are live */
    Py_ssize_t n_ranges;
} Seg;

typedef struct {
    Py_ssize_t si, sid, uid;
} RunRec;

typedef struct { /* one scored sentence text (engine's memo), and while among the best, its runs (where) */
    uint64_t key;
    double score;
    Py_ssize_t scored_si, scored_uid; /* where it was scored: its tokens */
    Py_ssize_t heap_at;               /* -1 when not among the best */
    Py_ssize_t place_si, place_sid;   /* its place in the heap (engine's _Later) */
    PyObject *place_path;             /* its place's file, once a tie asked for it */
    Py_ssize_t place_local;
    RunRec *runs;
    Py_ssize_t n_runs, cap_runs;
} Entry;

typedef struct {
    uint32_t tid;
    Py_ssize_t i, seq;
    double q;
} Pair;

#define PAIR_FILTER 65536 /* most of a sentence's words match no query word: a bit test says so */

typedef struct {
    /* the query */
    Py_ssize_t n_terms;
    double *weights;
    Py_ssize_t *n_forms;   /* per term, its expansions */
    uint32_t **form_tid;
    double **form_q;
    Pair *pairs; /* every (tid, term, quality), by tid, then term, then expansion order (engine's emap) */
    Py_ssize_t n_pairs;
    uint64_t maybe[PAIR_FILTER / 64]; /* bit (tid % PAIR_FILTER) set for each tid with pairs */
    int exact;
    double gap_cost, loose_share, total, extra, min_score, slack;
    Py_ssize_t limit, max_scored;
    PyObject *damage, *round_fn;
    /* the index */
    Seg *segs;
    Py_ssize_t n_segs;
    /* the state */
    Entry *entries;
    Py_ssize_t n_entries, cap_entries;
    Py_ssize_t *table; /* key -> entry, open addressing; -1 empty */
    Py_ssize_t table_size;
    Py_ssize_t *heap; /* entries, worst on top */
    Py_ssize_t heap_n, heap_cap;
    Match *ms;
    Py_ssize_t ms_cap;
    Py_ssize_t *chain_pos; /* a chain's positions: room for as many as there are matches */
    Py_ssize_t pos_cap;
    Py_ssize_t n_groups;
    double *bounds;        /* per group, the best score a text holding its words could get */
    Py_ssize_t *members;   /* every group's term indices, one group after another */
    Py_ssize_t *member_at; /* where each group's begin in members (and the end) */
    Py_ssize_t *order;     /* room for the largest group's members */
} Ranking;

/* Room for `need` items in *items (holding cap): doubled from `first` until it fits. 0, or -1
 * with MemoryError set. */
static int room(void **items, Py_ssize_t need, Py_ssize_t *cap, Py_ssize_t first, size_t size) {
    if (need <= *cap)
        return 0;
    Py_ssize_t grown_cap = *cap ? *cap : first;
    while (grown_cap < need)
        grown_cap *= 2;
    void *grown = PyMem_Realloc(*items, grown_cap * size);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *items = grown;
    *cap = grown_cap;
    return 0;
}

static int damaged(Ranking *r, const char *what) {
    PyErr_Format(r->damage, "%s runs past the end of its segment", what);
    return -1;
}

/* ---- rounding as the engine rounds: Python's round(x, 1) */

static int round1(Ranking *r, double x, double *out) {
    PyObject *got = PyObject_CallFunction(r->round_fn, "di", x, 1);
    if (got == NULL)
        return -1;
    *out = PyFloat_AsDouble(got);
    Py_DECREF(got);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static double share(double value, double total) { /* min(1.0, value / total), as Python's min picks */
    double x = value / total;
    return x < 1.0 ? x : 1.0;
}

/* ---- the index's arrays */

static int posting_list(Ranking *r, Seg *s, uint32_t tid, const uint32_t **out, Py_ssize_t *n) {
    const U32 *dir = &s->a[DIR];
    *n = 0;
    *out = NULL;
    if (2 * (Py_ssize_t)tid + 1 >= dir->n)
        return 0;
    Py_ssize_t off = dir->v[2 * (Py_ssize_t)tid], count = dir->v[2 * (Py_ssize_t)tid + 1];
    if (off + count > s->a[POST].n)
        return damaged(r, "a posting list");
    *out = s->a[POST].v + off;
    *n = count;
    return 0;
}

/* A term's postings: the texts holding it, each checked to be a text of the segment. */
static int postings(Ranking *r, Seg *s, uint32_t tid, const uint32_t **out, Py_ssize_t *n) {
    if (posting_list(r, s, tid, out, n) < 0)
        return -1;
    for (Py_ssize_t k = 0; k < *n; k++)
        if ((*out)[k] >= (uint32_t)s->n_texts)
            return damaged(r, "a posting");
    return 0;
}

static int tokens_of(Ranking *r, Seg *s, Py_ssize_t uid, const uint32_t **out, Py_ssize_t *n) {
    const U32 *toff = &s->a[TOFF];
    if (uid + 1 >= toff->n || toff->v[uid] > toff->v[uid + 1] || toff->v[uid + 1] > s->a[FWD].n)
        return damaged(r, "a sentence's words");
    *out = s->a[FWD].v + toff->v[uid];
    *n = toff->v[uid + 1] - toff->v[uid];
    return 0;
}

static int occurrences(Ranking *r, Seg *s, Py_ssize_t uid, const uint32_t **out, Py_ssize_t *n) {
    const U32 *ooff = &s->a[OOFF];
    if (uid + 1 >= ooff->n || ooff->v[uid] >= ooff->v[uid + 1] || ooff->v[uid + 1] > s->a[OCC].n)
        return damaged(r, "a sentence's places");
    *out = s->a[OCC].v + ooff->v[uid];
    *n = ooff->v[uid + 1] - ooff->v[uid];
    return 0;
}

static int live(const Seg *s, Py_ssize_t sid) {
    Py_ssize_t lo = 0, hi = s->n_ranges; /* the last range starting at or before sid */
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (s->ranges[2 * mid] <= sid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && sid < s->ranges[2 * (lo - 1) + 1];
}

/* Where the first of v[0:n] not below x stands (bisect_left). */
static Py_ssize_t lower_bound(const uint32_t *v, Py_ssize_t n, Py_ssize_t x) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if ((Py_ssize_t)v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first live sentence holding text uid, as engine._Live.first: by each range's slice of its
 * places, or by a test of each place, whichever takes fewer steps; -1 for none (-2 on an error). */
static Py_ssize_t first_live(Ranking *r, Seg *s, Py_ssize_t uid) {
    const uint32_t *occ;
    Py_ssize_t n;
    if (occurrences(r, s, uid, &occ, &n) < 0)
        return -2;
    if (s->ranges == NULL)
        return occ[0];
    if (s->n_ranges > n) {
        for (Py_ssize_t k = 0; k < n; k++)
            if (live(s, occ[k]))
                return occ[k];
        return -1;
    }
    for (Py_ssize_t j = 0; j < s->n_ranges; j++) { /* the places from each range's start to its end */
        Py_ssize_t lo = lower_bound(occ, n, s->ranges[2 * j]), hi = lower_bound(occ, n, s->ranges[2 * j + 1]);
        if (lo < hi)
            return occ[lo];
    }
    return -1;
}

/* (file, sentence number in it) of a sentence, as engine._place_key; path a new reference. */
static int place_key(Ranking *r, Py_ssize_t si, Py_ssize_t sid, PyObject **path, Py_ssize_t *local) {
    const U32 *docs = &r->segs[si].a[DOCS];
    Py_ssize_t lo = 0, hi = docs->n; /* bisect_right(docs, sid) - 1 */
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if ((Py_ssize_t)docs->v[mid] <= sid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < 1)
        return damaged(r, "a document's sentences");
    *path = PySequence_GetItem(r->segs[si].paths, lo - 1);
    *local = sid - docs->v[lo - 1];
    return *path == NULL ? -1 : 0;
}

/* -1, 0 or 1 as place (pa, la) compares with (pb, lb); -2 on an error. */
static int cmp_place(PyObject *pa, Py_ssize_t la, PyObject *pb, Py_ssize_t lb) {
    int c = PyUnicode_Compare(pa, pb);
    if (c == -1 && PyErr_Occurred())
        return -2;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb;
}

static int entry_place(Ranking *r, Entry *e) {
    if (e->place_path != NULL)
        return 0;
    return place_key(r, e->place_si, e->place_sid, &e->place_path, &e->place_local);
}

/* 1 when entry a is worse than b (sorts first in the min-heap): lower score, or a tie standing
 * later; 0 when not; -1 on an error. */
static int worse(Ranking *r, Py_ssize_t a, Py_ssize_t b) {
    Entry *ea = &r->entries[a], *eb = &r->entries[b];
    if (ea->score != eb->score)
        return ea->score < eb->score;
    if (entry_place(r, ea) < 0 || entry_place(r, eb) < 0)
        return -1;
    int c = cmp_place(ea->place_path, ea->place_local, eb->place_path, eb->place_local);
    if (c == -2)
        return -1;
    return c != 0 ? c > 0 : ea->key < eb->key;
}

/* ---- the heap of the best */

static void heap_set(Ranking *r, Py_ssize_t at, Py_ssize_t e) {
    r->heap[at] = e;
    r->entries[e].heap_at = at;
}

static int sift_up(Ranking *r, Py_ssize_t at) {
    while (at > 0) {
        Py_ssize_t parent = (at - 1) / 2;
        int w = worse(r, r->heap[at], r->heap[parent]);
        if (w < 0)
            return -1;
        if (!w)
            break;
        Py_ssize_t e = r->heap[at];
        heap_set(r, at, r->heap[parent]);
        heap_set(r, parent, e);
        at = parent;
    }
    return 0;
}

static int sift_down(Ranking *r, Py_ssize_t at) {
    for (;;) {
        Py_ssize_t low = at, kids[2] = {2 * at + 1, 2 * at + 2};
        for (int k = 0; k < 2; k++) {
            if (kids[k] >= r->heap_n)
                continue;
            int w = worse(r, r->heap[kids[k]], r->heap[low]);
            if (w < 0)
                return -1;
            if (w)
                low = kids[k];
        }
        if (low == at)
            return 0;
        Py_ssize_t e = r->heap[at];
        heap_set(r, at, r->heap[low]);
        heap_set(r, low, e);
        at = low;
    }
}

static int heap_push(Ranking *r, Py_ssize_t e) {
    if (room((void **)&r->heap, r->heap_n + 1, &r->heap_cap, 64, sizeof(Py_ssize_t)) < 0)
        return -1;
    heap_set(r, r->heap_n++, e);
    return sift_up(r, r->heap_n - 1);
}

static void forget_runs(Entry *e) {
    PyMem_Free(e->runs);
    e->runs = NULL;
    e->n_runs = e->cap_runs = 0;
}

/* Put e in the top's place (the top leaves the best, and its runs are forgotten). */
static int heap_replace(Ranking *r, Py_ssize_t e) {
    Entry *old = &r->entries[r->heap[0]];
    old->heap_at = -1;
    forget_runs(old);
    heap_set(r, 0, e);
    return sift_down(r, 0);
}

static int add_run(Entry *e, Py_ssize_t si, Py_ssize_t sid, Py_ssize_t uid) {
    if (room((void **)&e->runs, e->n_runs + 1, &e->cap_runs, 2, sizeof(RunRec)) < 0)
        return -1;
    RunRec run = {si, sid, uid};
    e->runs[e->n_runs++] = run;
    return 0;
}

/* ---- scored texts by key */

static Py_ssize_t slot_of(const Ranking *r, uint64_t key) {
    Py_ssize_t mask = r->table_size - 1, at = (Py_ssize_t)((key ^ (key >> 29)) * 0x9E3779B97F4A7C15ull >> 7) & mask;
    while (r->table[at] >= 0 && r->entries[r->table[at]].key != key)
        at = (at + 1) & mask;
    return at;
}

static Entry *find(Ranking *r, uint64_t key) {
    Py_ssize_t e = r->table[slot_of(r, key)];
    return e >= 0 ? &r->entries[e] : NULL;
}

static int grow_table(Ranking *r) {
    Py_ssize_t size = r->table_size ? 2 * r->table_size : 1024;
    Py_ssize_t *table = PyMem_Malloc(size * sizeof(Py_ssize_t));
    if (table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyMem_Free(r->table);
    r->table = table;
    r->table_size = size;
    for (Py_ssize_t k = 0; k < size; k++)
        table[k] = -1;
    for (Py_ssize_t e = 0; e < r->n_entries; e++)
        table[slot_of(r, r->entries[e].key)] = e;
    return 0;
}

/* A new scored text; its index, or -1 on an error. */
static Py_ssize_t add_entry(Ranking *r, uint64_t key, double score, Py_ssize_t si, Py_ssize_t uid) {
    if (2 * (r->n_entries + 1) > r->table_size && grow_table(r) < 0)
        return -1;
    if (room((void **)&r->entries, r->n_entries + 1, &r->cap_entries, 256, sizeof(Entry)) < 0)
        return -1;
    Py_ssize_t e = r->n_entries++;
    Entry fresh = {key, score, si, uid, -1, 0, 0, NULL, 0, NULL, 0, 0};
    r->entries[e] = fresh;
    r->table[slot_of(r, key)] = e;
    return e;
}

/* ---- scoring one text */

static const Pair *pairs_of(const Ranking *r, uint32_t tid, Py_ssize_t *n) {
    Py_ssize_t lo = 0, hi = r->n_pairs;
    if (!(r->maybe[(tid % PAIR_FILTER) / 64] >> (tid % 64) & 1)) {
        *n = 0;
        return r->pairs;
    }
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (r->pairs[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    Py_ssize_t end = lo;
    while (end < r->n_pairs && r->pairs[end].tid == tid)
        end++;
    *n = end - lo;
    return r->pairs + lo;
}

/* engine._exact_chain: 100 when the words stand side by side in query order, else 0. */
static double exact_chain(const Ranking *r, const uint32_t *tok, Py_ssize_t n, Py_ssize_t *start) {
    for (Py_ssize_t p = 0; p + r->n_terms <= n; p++) {
        Py_ssize_t k = 0;
        for (; k < r->n_terms; k++) {
            Py_ssize_t np;
            const Pair *pr = pairs_of(r, tok[p + k], &np);
            Py_ssize_t j = 0;
            while (j < np && pr[j].i != k)
                j++;
            if (j == np)
                break;
        }
        if (k == r->n_terms) {
            *start = p;
            return 100.0;
        }
    }
    return 0.0;
}

/* A text's score (engine's scorer, rounded), and when `positions` is not NULL its chain's
 * positions as a tuple (a new reference). 0, or -1 on an error. */
static int score_text(Ranking *r, Py_ssize_t si, Py_ssize_t uid, double *score, PyObject **positions) {
    const uint32_t *tok;
    Py_ssize_t n;
    if (tokens_of(r, &r->segs[si], uid, &tok, &n) < 0)
        return -1;
    if (r->exact) {
        Py_ssize_t start = 0;
        *score = exact_chain(r, tok, n, &start);
        if (positions != NULL) {
            *positions = PyTuple_New(*score > 0 ? r->n_terms : 0);
            for (Py_ssize_t k = 0; *positions != NULL && *score > 0 && k < r->n_terms; k++) {
                PyObject *pos = PyLong_FromSsize_t(start + k);
                if (pos == NULL)
                    Py_CLEAR(*positions);
                else
                    PyTuple_SET_ITEM(*positions, k, pos);
            }
            return *positions == NULL ? -1 : 0;
        }
        return 0;
    }
    Py_ssize_t m = 0;
    for (Py_ssize_t p = 0; p < n; p++) {
        Py_ssize_t np;
        const Pair *pr = pairs_of(r, tok[p], &np);
        for (Py_ssize_t j = 0; j < np; j++) {
            if (room((void **)&r->ms, m + 1, &r->ms_cap, 64, sizeof(Match)) < 0 ||
                room((void **)&r->chain_pos, m + 1, &r->pos_cap, 64, sizeof(Py_ssize_t)) < 0)
                return -1;
            Match match = {p, pr[j].i, r->weights[pr[j].i] * pr[j].q};
            r->ms[m++] = match;
        }
    }
    double value = 0.0, loose = 0.0;
    Py_ssize_t length = 0;
    if (m > 0) {
        if (chain_of(r->ms, m, r->n_terms, r->gap_cost, &value, &loose, r->chain_pos, &length) < 0 ||
            round1(r, 100 * share(value + r->loose_share * loose, r->total), score) < 0)
            return -1;
    } else {
        *score = 0.0;
    }
    if (positions != NULL && (*positions = positions_tuple(r->chain_pos, length)) == NULL)
        return -1;
    return 0;
}

/* ---- one segment */

typedef struct {
    uint8_t *seen;      /* texts already taken by a group */
    uint32_t *mark;     /* stamps, for intersections */
    uint32_t stamp;
    uint32_t **unions;  /* per term, the texts holding any form of it, ascending (once asked for) */
    Py_ssize_t *n_union;
    Py_ssize_t **forms; /* per term, the indices of its forms this segment holds */
    Py_ssize_t *n_held;
    Py_ssize_t *sizes;  /* per term, how many texts its forms' postings list */
    uint8_t *checked;   /* per term, whether its held forms' postings are known to name texts of the segment */
} Local;

/* Posting list f of the forms term i holds in the segment; the first time a term is asked for,
 * every posting of its held forms is checked to name a text of the segment. */
static int held_postings(Ranking *r, Seg *s, Local *L, Py_ssize_t i, Py_ssize_t f, const uint32_t **out,
                         Py_ssize_t *n) {
    if (!L->checked[i]) {
        for (Py_ssize_t k = 0; k < L->n_held[i]; k++)
            if (postings(r, s, r->form_tid[i][L->forms[i][k]], out, n) < 0)
                return -1;
        L->checked[i] = 1;
    }
    return posting_list(r, s, r->form_tid[i][L->forms[i][f]], out, n);
}

static int held(Ranking *r, Seg *s, Local *L) {
    for (Py_ssize_t i = 0; i < r->n_terms; i++) {
        L->forms[i] = PyMem_Malloc((r->n_forms[i] ? r->n_forms[i] : 1) * sizeof(Py_ssize_t));
        if (L->forms[i] == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        L->n_held[i] = L->sizes[i] = 0;
        for (Py_ssize_t k = 0; k < r->n_forms[i]; k++) {
            const uint32_t *post;
            Py_ssize_t n;
            if (posting_list(r, s, r->form_tid[i][k], &post, &n) < 0)
                return -1;
            if (n) {
                L->forms[i][L->n_held[i]++] = k;
                L->sizes[i] += n;
            }
        }
    }
    return 0;
}

/* The texts holding any form of term i that the segment holds, ascending: set in a bitmap of
 * the segment's texts, then read off in order (no sort, and each text once). */
static int union_of(Ranking *r, Seg *s, Local *L, Py_ssize_t i) {
    if (L->unions[i] != NULL)
        return 0;
    Py_ssize_t words = s->n_texts / 64 + 1, n = 0;
    uint64_t *bits = PyMem_Calloc(words, sizeof(uint64_t));
    uint32_t *u = PyMem_Malloc((L->sizes[i] ? L->sizes[i] : 1) * sizeof(uint32_t));
    if (bits == NULL || u == NULL) {
        PyMem_Free(bits);
        PyMem_Free(u);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < L->n_held[i]; k++) {
        const uint32_t *post;
        Py_ssize_t count;
        if (held_postings(r, s, L, i, k, &post, &count) < 0) {
            PyMem_Free(bits);
            PyMem_Free(u);
            return -1;
        }
        for (Py_ssize_t j = 0; j < count; j++)
            bits[post[j] / 64] |= (uint64_t)1 << (post[j] % 64);
    }
    for (Py_ssize_t w = 0; w < words; w++)
        for (uint64_t word = bits[w]; word; word &= word - 1)
            u[n++] = (uint32_t)(w * 64 + __builtin_ctzll(word));
    PyMem_Free(bits);
    L->unions[i] = u;
    L->n_union[i] = n;
    return 0;
}

/* engine._members: the texts holding every word of the group not taken yet, ascending, into
 * `out` (room for the rarest word's texts); how many, or -1 on an error. */
static Py_ssize_t members(Ranking *r, Seg *s, Local *L, const Py_ssize_t *group, Py_ssize_t size, uint32_t **out) {
    Py_ssize_t *order = r->order, n_order = 0;
    for (Py_ssize_t k = 0; k < size; k++) { /* by how many texts each word's forms list, stably */
        Py_ssize_t at = n_order++;
        while (at > 0 && L->sizes[order[at - 1]] > L->sizes[group[k]]) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = group[k];
    }
    if (union_of(r, s, L, order[0]) < 0)
        return -1;
    uint32_t *cand = PyMem_Malloc((L->n_union[order[0]] ? L->n_union[order[0]] : 1) * sizeof(uint32_t));
    if (cand == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < L->n_union[order[0]]; k++)
        if (!L->seen[L->unions[order[0]][k]])
            cand[n++] = L->unions[order[0]][k];
    for (Py_ssize_t o = 1; o < n_order && n > 0; o++) {
        Py_ssize_t i = order[o];
        uint32_t in = ++L->stamp, kept = ++L->stamp;
        for (Py_ssize_t k = 0; k < n; k++)
            L->mark[cand[k]] = in;
        for (Py_ssize_t f = 0; f < L->n_held[i]; f++) {
            const uint32_t *post;
            Py_ssize_t count;
            if (held_postings(r, s, L, i, f, &post, &count) < 0) {
                PyMem_Free(cand);
                return -1;
            }
            for (Py_ssize_t k = 0; k < count; k++)
                if (L->mark[post[k]] == in)
                    L->mark[post[k]] = kept;
        }
        Py_ssize_t m = 0;
        for (Py_ssize_t k = 0; k < n; k++)
            if (L->mark[cand[k]] == kept)
                cand[m++] = cand[k];
        n = m;
    }
    for (Py_ssize_t k = 0; k < n; k++)
        L->seen[cand[k]] = 1;
    *out = cand;
    return n;
}

typedef struct {
    Py_ssize_t sid, uid;
    double top; /* the most the text could score (when bounded) */
    Py_ssize_t order;
} First;

static int cmp_first(const void *a, const void *b) {
    const First *x = a, *y = b;
    if (x->sid != y->sid)
        return x->sid < y->sid ? -1 : 1;
    return (x->uid > y->uid) - (x->uid < y->uid);
}

static int cmp_top(const void *a, const void *b) { /* best bound first; ties in the order they stood */
    const First *x = a, *y = b;
    if (x->top != y->top)
        return x->top > y->top ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* engine._text_bounds, into each First's top. */
static int text_bounds(Ranking *r, Seg *s, Local *L, const Py_ssize_t *group, Py_ssize_t size, First *fs,
                       Py_ssize_t n, double *value, uint32_t *at) {
    for (Py_ssize_t k = 0; k < n; k++) {
        value[k] = r->extra;
        at[fs[k].uid] = (uint32_t)k;
    }
    for (Py_ssize_t g = 0; g < size; g++) {
        Py_ssize_t i = group[g], left = n;
        uint32_t stamp = ++L->stamp;
        for (Py_ssize_t k = 0; k < n; k++)
            L->mark[fs[k].uid] = stamp;
        for (Py_ssize_t f = 0; f < L->n_held[i] && left > 0; f++) { /* best first */
            Py_ssize_t form = L->forms[i][f];
            double worth = r->weights[i] * r->form_q[i][form];
            const uint32_t *post;
            Py_ssize_t count;
            if (held_postings(r, s, L, i, f, &post, &count) < 0)
                return -1;
            for (Py_ssize_t k = 0; k < count; k++) {
                if (L->mark[post[k]] == stamp) {
                    L->mark[post[k]] = 0;
                    value[at[post[k]]] += worth;
                    left--;
                }
            }
        }
    }
    for (Py_ssize_t k = 0; k < n; k++)
        if (round1(r, 100 * share(value[k], r->total) + r->slack, &fs[k].top) < 0)
            return -1;
    return 0;
}

static double floor_of(const Ranking *r) {
    return r->limit && r->heap_n >= r->limit ? r->entries[r->heap[0]].score : 0.0;
}

/* One text standing first at sentence sid: engine._rank_phrase's inner loop. 1 to stop the
 * group (nothing after it can enter), 0 to go on, -1 on an error. */
static int consider(Ranking *r, Py_ssize_t si, const First *f, int bounded) {
    Seg *s = &r->segs[si];
    uint64_t key = s->uhash[f->uid];
    Entry *e = find(r, key);
    if (e != NULL && e->heap_at >= 0)
        return add_run(e, si, f->sid, f->uid);
    int full = r->limit && r->heap_n >= r->limit;
    if (bounded) {
        double worst = r->heap_n ? r->entries[r->heap[0]].score : 0.0;
        if (f->top < r->min_score || (full && f->top < worst))
            return 1;
        if (full && f->top == worst) {
            Entry *top = &r->entries[r->heap[0]];
            PyObject *path;
            Py_ssize_t local;
            if (entry_place(r, top) < 0 || place_key(r, si, f->sid, &path, &local) < 0)
                return -1;
            int c = cmp_place(top->place_path, top->place_local, path, local);
            Py_DECREF(path);
            if (c == -2)
                return -1;
            if (c <= 0)
                return 0; /* at best a tie with the last of the best, and it stands later */
        }
    }
    Py_ssize_t ei;
    if (e == NULL) {
        if (r->n_entries >= r->max_scored)
            return 1;
        double score;
        if (score_text(r, si, f->uid, &score, NULL) < 0 || (ei = add_entry(r, key, score, si, f->uid)) < 0)
            return -1;
    } else {
        ei = e - r->entries;
    }
    e = &r->entries[ei];
    if (e->score <= 0 || e->score < r->min_score || (full && e->score < r->entries[r->heap[0]].score))
        return 0;
    Py_CLEAR(e->place_path);
    e->place_si = si;
    e->place_sid = f->sid;
    if (!r->limit || r->heap_n < r->limit) {
        if (heap_push(r, ei) < 0)
            return -1;
    } else {
        int w = worse(r, r->heap[0], ei);
        if (w < 0)
            return -1;
        if (!w)
            return 0;
        if (heap_replace(r, ei) < 0)
            return -1;
    }
    return add_run(e, si, f->sid, f->uid);
}

static int rank_segment(Ranking *r, Py_ssize_t si) {
    Seg *s = &r->segs[si];
    Py_ssize_t nt = r->n_terms, n_texts = s->n_texts ? s->n_texts : 1;
    Local L = {0};
    int status = -1;
    L.seen = PyMem_Calloc(n_texts, 1);
    L.mark = PyMem_Calloc(n_texts, sizeof(uint32_t));
    uint32_t *at = PyMem_Malloc(n_texts * sizeof(uint32_t));
    L.unions = PyMem_Calloc(nt, sizeof(uint32_t *));
    L.n_union = PyMem_Calloc(nt, sizeof(Py_ssize_t));
    L.forms = PyMem_Calloc(nt, sizeof(Py_ssize_t *));
    L.n_held = PyMem_Calloc(nt, sizeof(Py_ssize_t));
    L.sizes = PyMem_Calloc(nt, sizeof(Py_ssize_t));
    L.checked = PyMem_Calloc(nt, 1);
    if (!L.seen || !L.mark || !at || !L.unions || !L.n_union || !L.forms || !L.n_held || !L.sizes || !L.checked) {
        PyErr_NoMemory();
        goto done;
    }
    if (held(r, s, &L) < 0)
        goto done;
    for (Py_ssize_t g = 0; g < r->n_groups; g++) {
        double bound = r->bounds[g], floor = floor_of(r);
        if (r->min_score > floor)
            floor = r->min_score;
        if (bound < floor || bound <= 0 || r->n_entries >= r->max_scored)
            break;
        const Py_ssize_t *group = r->members + r->member_at[g];
        Py_ssize_t size = r->member_at[g + 1] - r->member_at[g];
        uint32_t *cand = NULL;
        Py_ssize_t n = members(r, s, &L, group, size, &cand), n_firsts = 0;
        if (n < 0)
            goto done;
        First *fs = PyMem_Malloc((n ? n : 1) * sizeof(First));
        double *value = PyMem_Malloc((n ? n : 1) * sizeof(double));
        int stop = fs == NULL || value == NULL ? -1 : 0;
        if (stop < 0)
            PyErr_NoMemory();
        for (Py_ssize_t k = 0; stop == 0 && k < n; k++) {
            Py_ssize_t sid = first_live(r, s, cand[k]);
            if (sid == -2)
                stop = -1;
            else if (sid >= 0) {
                First f = {sid, cand[k], 0.0, 0};
                fs[n_firsts++] = f;
            }
        }
        if (stop == 0 && s->ranges != NULL) /* texts are numbered in order of first occurrence */
            qsort(fs, n_firsts, sizeof(First), cmp_first);
        int bounded = stop == 0 && r->limit && !r->exact && n_firsts > r->limit;
        if (bounded) {
            for (Py_ssize_t k = 0; k < n_firsts; k++)
                fs[k].order = k;
            if (text_bounds(r, s, &L, group, size, fs, n_firsts, value, at) < 0)
                stop = -1;
            else
                qsort(fs, n_firsts, sizeof(First), cmp_top);
        }
        for (Py_ssize_t k = 0; stop == 0 && k < n_firsts; k++)
            stop = consider(r, si, &fs[k], bounded);
        PyMem_Free(cand);
        PyMem_Free(fs);
        PyMem_Free(value);
        if (stop < 0)
            goto done;
    }
    status = 0;
done:
    for (Py_ssize_t i = 0; i < nt; i++) {
        if (L.unions)
            PyMem_Free(L.unions[i]);
        if (L.forms)
            PyMem_Free(L.forms[i]);
    }
    PyMem_Free(L.seen);
    PyMem_Free(L.mark);
    PyMem_Free(at);
    PyMem_Free(L.unions);
    PyMem_Free(L.n_union);
    PyMem_Free(L.forms);
    PyMem_Free(L.n_held);
    PyMem_Free(L.sizes);
    PyMem_Free(L.checked);
    return status;
}

/* ---- reading the arguments */

static int u32_view(Py_buffer *b, PyObject *obj, U32 *out) {
    if (PyObject_GetBuffer(obj, b, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (b->itemsize != 4 || b->format == NULL || b->format[0] == '\0' ||
        strchr("IL", b->format[strlen(b->format) - 1]) == NULL) {
        PyBuffer_Release(b);
        PyErr_SetString(PyExc_TypeError, "_score: index arrays must hold unsigned 32-bit integers");
        return -1;
    }
    out->v = b->buf;
    out->n = b->len / 4;
    return 0;
}

static void release_seg(Seg *s) {
    for (int k = 0; k < s->n_held; k++)
        PyBuffer_Release(&s->buf[k]);
    s->n_held = 0;
    PyMem_Free(s->ranges);
    s->ranges = NULL;
}

/* (dir, post, toff, fwd, ooff, occ, docs, uhash, paths, live ranges or None); live ranges out of
 * order or overlapping come from damaged document offsets. */
static int read_seg(Ranking *r, PyObject *spec, Seg *s) {
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != N_ARRAYS + 2) {
        PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: a segment is a tuple of its arrays, paths and ranges");
        return -1;
    }
    for (int k = 0; k < UHASH; k++, s->n_held++)
        if (u32_view(&s->buf[k], PyTuple_GET_ITEM(spec, k), &s->a[k]) < 0)
            return -1;
    Py_buffer *hb = &s->buf[UHASH];
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(spec, UHASH), hb, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    s->n_held++;
    if (hb->itemsize != 8 || hb->format == NULL || hb->format[0] == '\0' ||
        strchr("QLK", hb->format[strlen(hb->format) - 1]) == NULL) {
        PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: text hashes must be unsigned 64-bit integers");
        return -1;
    }
    s->uhash = hb->buf;
    s->n_texts = hb->len / 8;
    s->paths = PyTuple_GET_ITEM(spec, UHASH + 1);
    PyObject *ranges = PyTuple_GET_ITEM(spec, UHASH + 2);
    if (ranges == Py_None)
        return 0;
    PyObject *seq = PySequence_Fast(ranges, "_score.rank_phrase: live ranges must be a sequence");
    if (seq == NULL)
        return -1;
    s->n_ranges = PySequence_Fast_GET_SIZE(seq);
    s->ranges = PyMem_Malloc((s->n_ranges ? s->n_ranges : 1) * 2 * sizeof(Py_ssize_t));
    int status = s->ranges == NULL ? (PyErr_NoMemory(), -1) : 0;
    for (Py_ssize_t k = 0; status == 0 && k < s->n_ranges; k++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyArg_ParseTuple(pair, "nn", &s->ranges[2 * k], &s->ranges[2 * k + 1])) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: a live range is a pair of sentence ids");
            status = -1;
        } else if (s->ranges[2 * k] > s->ranges[2 * k + 1] || (k > 0 && s->ranges[2 * k - 1] > s->ranges[2 * k])) {
            status = damaged(r, "a document's sentences");
        }
    }
    Py_DECREF(seq);
    return status;
}

static int cmp_pair(const void *a, const void *b) {
    const Pair *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* expansions: per term a list of (term id, quality), best first. */
static int read_terms(Ranking *r, PyObject *expansions, PyObject *weights) {
    if (!PyList_Check(expansions) || !PyList_Check(weights) || PyList_GET_SIZE(expansions) != PyList_GET_SIZE(weights) ||
        PyList_GET_SIZE(weights) < 1) {
        PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: one or more terms, each with its expansions and weight");
        return -1;
    }
    Py_ssize_t nt = r->n_terms = PyList_GET_SIZE(weights), total = 0;
    r->weights = PyMem_Calloc(nt, sizeof(double));
    r->n_forms = PyMem_Calloc(nt, sizeof(Py_ssize_t));
    r->form_tid = PyMem_Calloc(nt, sizeof(uint32_t *));
    r->form_q = PyMem_Calloc(nt, sizeof(double *));
    if (!r->weights || !r->n_forms || !r->form_tid || !r->form_q) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < nt; i++) {
        if ((r->weights[i] = PyFloat_AsDouble(PyList_GET_ITEM(weights, i))) == -1.0 && PyErr_Occurred())
            return -1;
        PyObject *forms = PyList_GET_ITEM(expansions, i);
        if (!PyList_Check(forms)) {
            PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: a term's expansions must be a list");
            return -1;
        }
        Py_ssize_t n = r->n_forms[i] = PyList_GET_SIZE(forms);
        r->form_tid[i] = PyMem_Malloc((n ? n : 1) * sizeof(uint32_t));
        r->form_q[i] = PyMem_Malloc((n ? n : 1) * sizeof(double));
        if (!r->form_tid[i] || !r->form_q[i]) {
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *pair = PyList_GET_ITEM(forms, k);
            Py_ssize_t tid;
            if (!PyTuple_Check(pair) || !PyArg_ParseTuple(pair, "nd", &tid, &r->form_q[i][k]) || tid < 0 ||
                tid > (Py_ssize_t)UINT32_MAX) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: an expansion is (term id, quality)");
                return -1;
            }
            r->form_tid[i][k] = (uint32_t)tid;
        }
        total += n;
    }
    r->pairs = PyMem_Malloc((total ? total : 1) * sizeof(Pair));
    if (r->pairs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < nt; i++)
        for (Py_ssize_t k = 0; k < r->n_forms[i]; k++) {
            Pair p = {r->form_tid[i][k], i, r->n_pairs, r->form_q[i][k]};
            r->pairs[r->n_pairs++] = p;
            r->maybe[(p.tid % PAIR_FILTER) / 64] |= (uint64_t)1 << (p.tid % 64);
        }
    qsort(r->pairs, r->n_pairs, sizeof(Pair), cmp_pair);
    return 0;
}

/* The groups, read once into C arrays (checked), and room for the largest one's members. */
static int read_groups(Ranking *r, PyObject *groups) {
    Py_ssize_t largest = 1, total = 0;
    if (!PyList_Check(groups))
        goto bad;
    r->n_groups = PyList_GET_SIZE(groups);
    for (Py_ssize_t g = 0; g < r->n_groups; g++) {
        PyObject *item = PyList_GET_ITEM(groups, g);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2 || !PyFloat_Check(PyTuple_GET_ITEM(item, 0)) ||
            !PyTuple_Check(PyTuple_GET_ITEM(item, 1)) || PyTuple_GET_SIZE(PyTuple_GET_ITEM(item, 1)) < 1)
            goto bad;
        Py_ssize_t size = PyTuple_GET_SIZE(PyTuple_GET_ITEM(item, 1));
        largest = size > largest ? size : largest;
        total += size;
    }
    r->bounds = PyMem_Malloc((r->n_groups ? r->n_groups : 1) * sizeof(double));
    r->member_at = PyMem_Malloc((r->n_groups + 1) * sizeof(Py_ssize_t));
    r->members = PyMem_Malloc((total ? total : 1) * sizeof(Py_ssize_t));
    r->order = PyMem_Malloc(largest * sizeof(Py_ssize_t));
    if (!r->bounds || !r->member_at || !r->members || !r->order) {
        PyErr_NoMemory();
        return -1;
    }
    r->member_at[0] = 0;
    for (Py_ssize_t g = 0; g < r->n_groups; g++) {
        PyObject *item = PyList_GET_ITEM(groups, g), *members = PyTuple_GET_ITEM(item, 1);
        r->bounds[g] = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(item, 0));
        Py_ssize_t at = r->member_at[g];
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(members); k++) {
            PyObject *member = PyTuple_GET_ITEM(members, k);
            Py_ssize_t i = PyLong_Check(member) ? PyLong_AsSsize_t(member) : -1;
            if (i < 0 || i >= r->n_terms) {
                PyErr_Clear();
                goto bad;
            }
            r->members[at + k] = i;
        }
        r->member_at[g + 1] = at + PyTuple_GET_SIZE(members);
    }
    return 0;
bad:
    PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: groups must be a list of (bound, member term indices)");
    return -1;
}

static void free_ranking(Ranking *r) {
    for (Py_ssize_t k = 0; k < r->n_segs; k++)
        release_seg(&r->segs[k]);
    PyMem_Free(r->segs);
    for (Py_ssize_t i = 0; i < r->n_terms; i++) {
        if (r->form_tid)
            PyMem_Free(r->form_tid[i]);
        if (r->form_q)
            PyMem_Free(r->form_q[i]);
    }
    PyMem_Free(r->weights);
    PyMem_Free(r->n_forms);
    PyMem_Free(r->form_tid);
    PyMem_Free(r->form_q);
    PyMem_Free(r->pairs);
    for (Py_ssize_t e = 0; e < r->n_entries; e++) {
        Py_CLEAR(r->entries[e].place_path);
        PyMem_Free(r->entries[e].runs);
    }
    PyMem_Free(r->entries);
    PyMem_Free(r->table);
    PyMem_Free(r->heap);
    PyMem_Free(r->ms);
    PyMem_Free(r->chain_pos);
    PyMem_Free(r->bounds);
    PyMem_Free(r->members);
    PyMem_Free(r->member_at);
    PyMem_Free(r->order);
}

/* The best: [(score, key, positions, [(segment, first live sentence, text), ...]), ...]. */
static PyObject *results(Ranking *r) {
    PyObject *out = PyList_New(r->heap_n);
    for (Py_ssize_t h = 0; out != NULL && h < r->heap_n; h++) {
        Entry *e = &r->entries[r->heap[h]];
        double score;
        PyObject *positions = NULL, *runs = PyList_New(e->n_runs), *item = NULL;
        for (Py_ssize_t k = 0; runs != NULL && k < e->n_runs; k++) {
            PyObject *run = Py_BuildValue("(nnn)", e->runs[k].si, e->runs[k].sid, e->runs[k].uid);
            if (run == NULL)
                Py_CLEAR(runs);
            else
                PyList_SET_ITEM(runs, k, run);
        }
        if (runs != NULL && score_text(r, e->scored_si, e->scored_uid, &score, &positions) == 0)
            item = Py_BuildValue("(dKNN)", e->score, (unsigned long long)e->key, positions, runs);
        else
            Py_XDECREF(runs);
        if (item == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, h, item);
    }
    return out;
}

static PyObject *rank_phrase(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"segments", "expansions", "weights", "groups", "extra", "total", "limit", "min_score",
                             "exact", "max_scored", "gap_cost", "loose_share", "slack", "damage", NULL};
    PyObject *segments, *expansions, *weights, *groups, *damage;
    Ranking r = {0};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!OOOddndpndddO", kwlist, &PyList_Type, &segments, &expansions,
                                     &weights, &groups, &r.extra, &r.total, &r.limit, &r.min_score, &r.exact,
                                     &r.max_scored, &r.gap_cost, &r.loose_share, &r.slack, &damage))
        return NULL;
    if (!PyType_Check(damage) || !PyType_IsSubtype((PyTypeObject *)damage, (PyTypeObject *)PyExc_Exception)) {
        PyErr_SetString(PyExc_TypeError, "_score.rank_phrase: damage must be an exception class");
        return NULL;
    }
    r.damage = damage;
    r.round_fn = PyDict_GetItemString(PyEval_GetBuiltins(), "round"); /* borrowed */
    PyObject *out = NULL;
    if (r.round_fn == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_score.rank_phrase: no builtin round");
        return NULL;
    }
    if (r.limit < 0) {
        PyErr_SetString(PyExc_ValueError, "_score.rank_phrase: limit must be 0 or more");
        return NULL;
    }
    if (read_terms(&r, expansions, weights) < 0 || read_groups(&r, groups) < 0)
        goto done;
    r.segs = PyMem_Calloc(PyList_GET_SIZE(segments) ? PyList_GET_SIZE(segments) : 1, sizeof(Seg));
    if (r.segs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(segments); k++) {
        r.n_segs = k + 1;
        if (read_seg(&r, PyList_GET_ITEM(segments, k), &r.segs[k]) < 0)
            goto done;
    }
    if (grow_table(&r) < 0)
        goto done;
    for (Py_ssize_t si = 0; si < r.n_segs; si++)
        if (rank_segment(&r, si) < 0)
            goto done;
    out = results(&r);
done:
    free_ranking(&r);
    return out;
}

PyDoc_STRVAR(rank_phrase_doc,
             "rank_phrase(segments, expansions, weights, groups, extra, total, limit, min_score, exact, max_scored, "
             "gap_cost, loose_share, slack, damage)\n-> [(score, key, positions, [(segment, sentence, text), ...])]\n\n"
             "engine._rank_phrase_py's best distinct sentence texts and where each stands.");

/* ------------------------------------------------------------------ re-ranking a pool
 *
 * partial_ratios() is engine._rerank's loop over a phrase's candidates: each sentence's words
 * read from the vocabulary's blob (term i is blob[offsets[i]:offsets[i + 1] - 1], as Vocab.term
 * reads it) and joined by spaces, then partial_ratio against the query, whose block is made once.
 */

typedef struct {
    char *p;
    Py_ssize_t n, cap;
} Bytes;

static int add_bytes(Bytes *b, const char *s, Py_ssize_t n) {
    if (room((void **)&b->p, b->n + n, &b->cap, 256, 1) < 0)
        return -1;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    return 0;
}

/* A sentence's words joined by spaces, as a str (a new reference), or NULL on an error. */
static PyObject *sentence_of(PyObject *tokens, Py_buffer *blob, const U32 *off, PyObject *damage, Bytes *body) {
    Py_buffer tb;
    U32 toks;
    if (u32_view(&tb, tokens, &toks) < 0)
        return NULL;
    PyObject *out = NULL;
    body->n = 0;
    for (Py_ssize_t k = 0; k < toks.n; k++) {
        Py_ssize_t tid = toks.v[k];
        if (tid + 1 >= off->n || off->v[tid + 1] < 1 || off->v[tid] > off->v[tid + 1] - 1 ||
            off->v[tid + 1] - 1 > blob->len) {
            PyErr_SetString(damage, "a word of a sentence runs past the end of the vocabulary");
            goto done;
        }
        if ((k > 0 && add_bytes(body, " ", 1) < 0) ||
            add_bytes(body, (const char *)blob->buf + off->v[tid], off->v[tid + 1] - 1 - off->v[tid]) < 0)
            goto done;
    }
    out = PyUnicode_DecodeUTF8(body->p ? body->p : "", body->n, "strict");
done:
    PyBuffer_Release(&tb);
    return out;
}

static PyObject *partial_ratios(PyObject *self, PyObject *args) {
    PyObject *query, *blob_obj, *off_obj, *lists, *damage;
    if (!PyArg_ParseTuple(args, "UOOO!O", &query, &blob_obj, &off_obj, &PyList_Type, &lists, &damage))
        return NULL;
    Text needle = text_of(query);
    if (needle.len < 1 || needle.len > MAX_NEEDLE) {
        PyErr_SetString(PyExc_ValueError, "_score.partial_ratios: the query must hold 1 to 64 characters");
        return NULL;
    }
    if (!PyType_Check(damage) || !PyType_IsSubtype((PyTypeObject *)damage, (PyTypeObject *)PyExc_Exception)) {
        PyErr_SetString(PyExc_TypeError, "_score.partial_ratios: damage must be an exception class");
        return NULL;
    }
    Py_buffer blob, ob;
    U32 off;
    if (PyObject_GetBuffer(blob_obj, &blob, PyBUF_SIMPLE) < 0)
        return NULL;
    if (u32_view(&ob, off_obj, &off) < 0) {
        PyBuffer_Release(&blob);
        return NULL;
    }
    Block b;
    block_of(&b, needle);
    Bytes body = {NULL, 0, 0};
    PyObject *out = PyList_New(PyList_GET_SIZE(lists));
    for (Py_ssize_t k = 0; out != NULL && k < PyList_GET_SIZE(lists); k++) {
        PyObject *sentence = sentence_of(PyList_GET_ITEM(lists, k), &blob, &off, damage, &body), *score;
        if (sentence == NULL) {
            Py_CLEAR(out);
            break;
        }
        Text hay = text_of(sentence);
        score = hay.len >= needle.len ? PyFloat_FromDouble(ratio_with(&b, needle, hay)) : Py_NewRef(Py_None);
        Py_DECREF(sentence);
        if (score == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, score);
    }
    PyMem_Free(body.p);
    PyBuffer_Release(&ob);
    PyBuffer_Release(&blob);
    return out;
}

PyDoc_STRVAR(partial_ratios_doc,
             "partial_ratios(query, blob, offsets, sentences, damage) -> [float | None]\n\n"
             "partial_ratio(query, the sentence's words joined by spaces) for each sentence (its term ids), "
             "None for a sentence shorter than the query.");

static PyMethodDef methods[] = {{"partial_ratio", partial_ratio, METH_VARARGS, partial_ratio_doc},
                                {"chain", chain, METH_VARARGS, chain_doc},
                                {"rank_phrase", (PyCFunction)(void (*)(void))rank_phrase, METH_VARARGS | METH_KEYWORDS,
                                 rank_phrase_doc},
                                {"partial_ratios", partial_ratios, METH_VARARGS, partial_ratios_doc},
                                {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_score", "Phrase scoring, in C.", -1, methods};

PyMODINIT_FUNC PyInit__score(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "MAX_NEEDLE", MAX_NEEDLE) < 0)
        Py_CLEAR(m);
    return m;
}
