/* How closely a sentence spells a phrase: rapidfuzz's fuzz.partial_ratio for a needle of at most
 * 64 characters, in C.
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

static PyMethodDef methods[] = {{"partial_ratio", partial_ratio, METH_VARARGS, partial_ratio_doc},
                                {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_score", "Phrase scoring, in C.", -1, methods};

PyMODINIT_FUNC PyInit__score(void) { return PyModule_Create(&module); }
