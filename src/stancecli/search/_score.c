/* How closely a sentence matches a phrase, in C: engine._chain's best in-order chain of the
 * phrase's words, and rapidfuzz's fuzz.partial_ratio for a needle of at most 64 characters.
 *
 * chain() is engine._chain_py step for step (the same floating-point operations in the same
 * order, so the same scores); tests hold the two together.
 *
 * A phrase search scores its candidate sentences with partial_ratio (engine._rerank); importing
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
static double partial(Text needle, Text hay) {
    Block b;
    block_of(&b, needle);
    Py_ssize_t len1 = needle.len, len2 = hay.len;
    double best = 0.0, sim;
    for (Py_ssize_t i = 1; i < len1; i++) /* prefixes */
        if (holds(&b, hay, i - 1) && (sim = similarity(&b, len1, hay, 0, i)) > best && (best = sim) == 1.0)
            return 100.0;
    for (Py_ssize_t i = 0; i < len2 - len1; i++) /* windows of the needle's length */
        if (holds(&b, hay, i + len1 - 1) && (sim = similarity(&b, len1, hay, i, i + len1)) > best &&
            (best = sim) == 1.0)
            return 100.0;
    for (Py_ssize_t i = len2 - len1; i < len2; i++) /* suffixes */
        if (holds(&b, hay, i) && (sim = similarity(&b, len1, hay, i, len2)) > best && (best = sim) == 1.0)
            return 100.0;
    return best * 100.0;
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
    double score = partial(shorter, longer);
    if (score != 100.0 && s1.len == s2.len) { /* rapidfuzz tries both ways round */
        double other = partial(longer, shorter);
        score = other > score ? other : score;
    }
    return PyFloat_FromDouble(score);
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

/* The best chain's value, its positions (ascending) and the loose words' worth, from the matches. */
static PyObject *best_chain(const Match *ms, Py_ssize_t m, Py_ssize_t n_terms, double gap_cost) {
    double *best = PyMem_Malloc(m * sizeof(double));
    Py_ssize_t *back = PyMem_Malloc(m * sizeof(Py_ssize_t));
    double *loose = PyMem_Calloc(n_terms, sizeof(double));
    Py_ssize_t *order = PyMem_Malloc(n_terms * sizeof(Py_ssize_t));
    char *used = PyMem_Calloc(n_terms, 1), *seen = PyMem_Calloc(n_terms, 1);
    PyObject *result = NULL;
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
    double value = best[top];
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
    PyObject *positions = PyTuple_New(length);
    if (positions == NULL)
        goto done;
    Py_ssize_t slot = length;
    for (Py_ssize_t k = top; k >= 0; k = back[k]) { /* back along the chain: positions descend */
        PyObject *pos = PyLong_FromSsize_t(ms[k].p);
        if (pos == NULL) {
            Py_DECREF(positions);
            goto done;
        }
        PyTuple_SET_ITEM(positions, --slot, pos);
    }
    result = Py_BuildValue("(dNd)", value, positions, loose_sum);
done:
    PyMem_Free(best);
    PyMem_Free(back);
    PyMem_Free(loose);
    PyMem_Free(order);
    PyMem_Free(used);
    PyMem_Free(seen);
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

static PyMethodDef methods[] = {{"partial_ratio", partial_ratio, METH_VARARGS, partial_ratio_doc},
                                {"chain", chain, METH_VARARGS, chain_doc},
                                {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_score", "Phrase scoring, in C.", -1, methods};

PyMODINIT_FUNC PyInit__score(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "MAX_NEEDLE", MAX_NEEDLE) < 0)
        Py_CLEAR(m);
    return m;
}
