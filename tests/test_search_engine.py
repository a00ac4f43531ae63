"""Matching on the real seeds: compounds, inflections, typos, phrases, folding, ranking."""

from pathlib import Path

import pytest

from conftest import SEEDS
from stancecli.search import engine
from stancecli.search.engine import SearchError, search


def hits(query, paths=(SEEDS,), **kw):
    return search(query, list(paths), **kw).hits


def words(hit) -> list[str]:
    return [hit.sentence[a:b] for a, b in hit.match_spans]


def test_a_word_finds_the_compounds_it_starts():
    found = {w.lower() for h in hits("anbud", limit=0) for w in words(h)}
    assert {"anbud", "anbudsutsetting", "anbudskonkurranse"} <= found


def test_a_word_finds_compounds_it_ends():
    found = {w.lower() for h in hits("konkurranse", limit=0) for w in words(h)}
    assert "anbudskonkurranse" in found


def test_inflections_are_found_from_either_form():
    for query in ("tiltak", "tiltakene", "tiltakenes"):  # the last one is not in the sources
        found = {w.lower() for h in hits(query, limit=0) for w in words(h)}
        assert {"tiltak", "tiltaket", "tiltakene"} <= found, query


def test_the_exact_form_ranks_above_inflections_and_compounds():
    ranked = hits("tiltaket", limit=0)
    assert ranked[0].score == 100 and "tiltaket" in [w.lower() for w in words(ranked[0])]
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:]))


def test_typos_find_the_word_meant():
    top = hits("anbudsutseting")[0]
    assert top.sentence == "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."
    assert (top.path.name[:3], top.line, top.col) == ("001", 12, 9)
    found = {w for h in hits("overslagsbevilling") for w in words(h)}
    assert {"overslagsbevilging", "overslagsbevilgninger"} <= found


def test_ascii_spelling_finds_norwegian_letters():
    assert set(words(hits("oppfolging")[0])) == {"oppfølging"}
    assert any("målgrupper" in words(h) for h in hits("maalgrupper"))
    assert words(hits("saerlig")[0]) == ["særlig"]
    assert hits("Horingsuttalelse")[0].sentence.startswith("Høringsuttalelse")


def test_a_phrase_matches_across_a_hyphenated_line_break():
    top = hits("skottene som er mellom NAV-kontorene")[0]
    assert top.score == 100
    assert (top.line, top.end_line) == (23, 24)
    assert words(top) == ["skottene som er mellom NAV-kontorene"]
    assert top.sentence == "Dette forutsetter nedbygging av de tette skottene som er mellom NAV-kontorene og forvaltningen."


def test_a_phrase_matches_across_a_blank_line_in_double_spaced_text():
    top = hits("dermed større valgfrihet i tjenestetilbudet")[0]
    assert top.score == 100 and top.path.name.startswith("004")


def test_words_that_stand_closer_rank_higher():
    ranked = hits("tett oppfølging", limit=0)
    adjacent = [h for h in ranked if "tett oppfølging" in h.sentence.lower()]
    apart = [h for h in ranked if "tettere og bedre oppfølging" in h.sentence]
    assert adjacent and apart
    assert min(h.score for h in adjacent) > apart[0].score
    assert ranked[: len(adjacent)] == adjacent


def test_phrase_ranks_sentences_holding_most_of_it_together_first():
    ranked = hits("tett oppfølging av brukere")
    assert [words(h) for h in ranked[:3]] == [
        ["oppfølgingen av bruker"], ["oppfølging av brukere"], ["tett oppfølging av"]]
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:]))


def test_exact_takes_the_words_as_typed():
    assert hits("NAV-kontorene", exact=True)
    assert not hits("oppfolging", exact=True)
    exact = {w.lower() for h in hits("anbud", exact=True, limit=0) for w in words(h)}
    assert exact == {"anbud"}


def test_limit_min_score_and_file_filter():
    assert len(hits("tiltak", limit=3)) == 3
    assert all(h.score >= 90 for h in hits("anbud", min_score=90, limit=0))
    ntl = next(SEEDS.glob("001_*.txt"))
    assert {h.path.name for h in hits("anbud", only=[ntl], limit=0)} == {ntl.name}


def test_context_lines_skip_blank_lines():
    hit = hits("anbudsutseting", context=1)[0]
    assert hit.context_before == ((11, "arbeidsgivere."),)
    assert hit.context_after[0][0] == 15


def test_document_ids_are_attached():
    ntl = next(SEEDS.glob("001_*.txt"))
    assert hits("anbudsutseting", doc_ids={ntl: "ntl-2012"})[0].doc_id == "ntl-2012"


def test_index_and_memory_give_the_same_hits(tmp_path):
    for query in ("anbud", "tett oppfølging av brukere", "overslagsbevilling"):
        assert hits(query, index_dir=tmp_path / "ix") == hits(query, use_index=False), query


def test_bad_queries_and_paths_are_errors(tmp_path):
    with pytest.raises(SearchError):
        hits("  -- ")
    with pytest.raises(SearchError, match="no such file"):
        hits("anbud", [tmp_path / "missing"])
    with pytest.raises(SearchError, match="no .txt sources"):
        hits("anbud", [tmp_path])


def test_a_missing_path_is_an_error_with_an_index_already_built(tmp_path):
    hits("anbud", index_dir=tmp_path / "ix")  # the index is opened while the files are listed
    with pytest.raises(SearchError, match="no such file"):
        hits("anbud", [SEEDS, tmp_path / "missing"], index_dir=tmp_path / "ix")


def test_the_index_opened_while_listing_is_dropped_when_the_files_changed(tmp_path):
    import shutil

    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    assert not hits("rørleggerlaugets", [folder], index_dir=tmp_path / "ix")
    (folder / "new.txt").write_text("Rørleggerlaugets høringssvar om tiltak.\n", encoding="utf-8")
    result = search("rørleggerlaugets", [folder], index_dir=tmp_path / "ix")
    assert [h.path.name for h in result.hits] == ["new.txt"] and result.indexed == 1
    victim = next(folder.glob("001_*.txt"))
    victim.write_text("Ingen anbud her lenger.\n", encoding="utf-8")
    assert {h.sentence for h in hits("anbud", [folder], index_dir=tmp_path / "ix", limit=0)
            if h.path == victim} == {"Ingen anbud her lenger."}
    assert hits("anbud", [folder], index_dir=tmp_path / "ix", limit=0) == hits("anbud", [folder], use_index=False,
                                                                             limit=0)


def test_a_search_started_with_its_listing_finds_what_one_without_finds(tmp_path):
    from stancecli.search.listing import start_collect

    hits("anbud", index_dir=tmp_path / "ix")
    for query in ("anbud", "tett oppfølging av brukere"):
        early = search(query, [SEEDS], index_dir=tmp_path / "ix", listing=start_collect([SEEDS]))
        assert early.hits == hits(query, index_dir=tmp_path / "ix") and early.indexed == 0


def test_a_line_end_hyphen_in_a_new_file(tmp_path):
    (tmp_path / "a.txt").write_text("Vi er imot anbuds-\nutsetting av tiltak.\n", encoding="utf-8")
    top = hits("anbudsutsetting", [tmp_path])[0]
    assert top.score == 100 and top.sentence == "Vi er imot anbudsutsetting av tiltak."
    assert (top.line, top.col, top.end_line, top.end_col) == (1, 12, 2, 9)


def test_unreadable_sources_are_reported_not_fatal(tmp_path):
    (tmp_path / "good.txt").write_text("Tiltak virker.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("Tiltak p\xe5 latin-1.\n".encode("latin-1"))
    result = search("tiltak", [tmp_path])
    assert [h.path.name for h in result.hits] == ["good.txt"]
    assert list(map(Path, result.errors)) == [tmp_path / "bad.txt"]


def test_a_phrase_repeated_in_many_files_lists_only_their_current_versions(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    repeated = "Vi vil ha tett oppfølging av brukerne i ordinært arbeid.\n"
    for name in ("a", "b", "c", "d"):
        (folder / f"{name}.txt").write_text("Innledning om saken.\n\n" + repeated, encoding="utf-8")
    index = tmp_path / "ix"
    query = "tett oppfølging av brukerne"
    assert [h.path.name for h in hits(query, [folder], index_dir=index, limit=0)] == [
        "a.txt", "b.txt", "c.txt", "d.txt"]
    (folder / "b.txt").write_text("Vi vil ha noe helt annet.\n", encoding="utf-8")
    assert [h.path.name for h in hits(query, [folder], index_dir=index, limit=0)] == ["a.txt", "c.txt", "d.txt"]
    assert [h.path.name for h in hits(query, [folder], index_dir=index, limit=2)] == ["a.txt", "c.txt"]
    only = hits(query, [folder], index_dir=index, limit=0, only=[folder / "d.txt"])
    assert [h.path.name for h in only] == ["d.txt"]
    exact = hits(query, [folder], index_dir=index, limit=0, exact=True)
    assert [h.path.name for h in exact] == ["a.txt", "c.txt", "d.txt"]


def _folder_of(tmp_path, bodies: dict[str, str]) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, body in bodies.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def test_repeated_sentences_are_listed_in_file_order_wherever_they_first_stand(tmp_path):
    x = "Anbud gir svakere tilbud for brukerne.\n\n"
    y = "Vi er imot anbud i arbeidsmarkedstiltak.\n\n"
    filler = "Innledning om saken.\n\n"
    folder = _folder_of(tmp_path, {"a.txt": x + filler + y, "b.txt": y + filler + x, "c.txt": filler + x,
                                   "d.txt": y + y})
    expected = [("a.txt", 1), ("a.txt", 5), ("b.txt", 1), ("b.txt", 5), ("c.txt", 3), ("d.txt", 1), ("d.txt", 3)]
    for index in (tmp_path / "ix", None):
        kw = {"index_dir": index} if index else {"use_index": False}
        found = [(h.path.name, h.line) for h in hits("anbud", [folder], limit=0, **kw)]
        assert found == expected
        assert [(h.path.name, h.line) for h in hits("anbud", [folder], limit=3, **kw)] == expected[:3]


def test_a_document_filter_finds_a_repeated_sentence_only_in_the_documents_chosen(tmp_path):
    repeated = "Vi vil ha tett oppfølging av brukerne i ordinært arbeid.\n\n"
    bodies = {f"{n:02d}.txt": (repeated if n % 10 == 3 else "") + f"Innspill nummer {n} om saken.\n\n"
              for n in range(30)}
    folder = _folder_of(tmp_path, bodies)
    files = sorted(folder.glob("*.txt"))
    few = [files[23], files[25]]  # fewer documents than places of the sentence
    many = files[1::2]  # more separate stretches of documents than places of the sentence
    for only in (few, many):
        want = [p.name for p in only if p.name in {"03.txt", "13.txt", "23.txt"}]
        for query in ("tett oppfølging av brukerne", "oppfølging"):
            found = [h.path.name for h in hits(query, [folder], index_dir=tmp_path / "ix", limit=0, only=only)]
            assert found == want, (query, only)


def test_a_sentence_repeated_in_many_files_is_indexed_once(tmp_path):
    boilerplate = "".join(f"Dette er standardsetning nummer {n} i alle høringssvarene.\n" for n in range(40))
    folder = _folder_of(tmp_path, {f"{n:03d}.txt": f"Svar {n}.\n\n{boilerplate}" for n in range(200)})
    text_bytes = sum(p.stat().st_size for p in folder.iterdir())
    assert len(hits("standardsetning nummer 7", [folder], index_dir=tmp_path / "ix", limit=0)) >= 200
    index_bytes = sum(p.stat().st_size for p in (tmp_path / "ix").iterdir())
    assert index_bytes < 0.5 * text_bytes


def test_a_limit_keeps_the_best_of_the_full_word_level_ranking(tmp_path):
    """Scoring stops early once no other sentence can enter the best; ties go to the earlier place."""
    from stancecli.search import text
    from stancecli.search.engine import plan, rank
    from stancecli.search.index import IndexStore, memory_snapshot
    from stancecli.search.listing import collect

    bodies = {}
    for n in range(12):
        lines = [f"Setning {n} {k} nevner tiltak og ikke noe mer." for k in range(n, n + 8)]
        lines += [f"Varige tiltak gir trygghet for {n} brukere.", f"Tiltakene er varige for mange {n % 3}.",
                  f"Vi vil ha tett oppfølging av brukere nummer {n % 4}.", "Tiltak er ikke varige."]
        bodies[f"{n:02d}.txt"] = "\n\n".join(lines[n % 5:] + lines[:n % 5]) + "\n"
    folder = _folder_of(tmp_path, bodies)
    store = IndexStore(tmp_path / "ix")
    store.sync(collect([folder]))
    for name in ("00.txt", "03.txt"):  # indexed again into a segment of its own, ahead in file order
        (folder / name).write_text(bodies[name] + "\nEt nytt tiltak for brukere.\n", encoding="utf-8")
    for snap in (memory_snapshot(collect([folder])), store.sync(collect([folder]))):
        for query in ("varige tiltak", "tett oppfølging av brukere", "tiltak brukere"):
            terms = plan(text.query_terms(query), snap.vocab)
            full = [(r.score, r.order) for r in rank(terms, snap.segments, 0)]
            assert len(full) > 20
            for limit in (1, 5, 17):
                assert [(r.score, r.order) for r in rank(terms, snap.segments, limit)] == full[:limit], (query, limit)
    assert len(snap.segments) == 2


def test_a_common_word_expands_to_the_same_terms_with_or_without_the_length_table(tmp_path):
    """Expansions are walked shortest first and stop once no longer compound can enter them: the
    terms and qualities are those of walking every term, here with far more compounds than kept."""
    import random

    from stancecli.search.engine import MAX_EXPANSIONS, WALK_ALL_BELOW
    from stancecli.search.index import IndexStore, memory_snapshot
    from stancecli.search.listing import collect

    rng = random.Random(7)
    word = _random_words(rng)
    words = ["tiltak", "tiltaket", "tiltakene", "anbud", "anbudet"]
    for _ in range(WALK_ALL_BELOW + MAX_EXPANSIONS):  # enough to be walked by length: prefix, suffix, inner
        kind = rng.randrange(3)
        part = word(rng.randint(1, 14))
        words.append({0: "tiltaks" + part, 1: part + "tiltak", 2: part + "tiltaks" + word(3)}[kind])
        words.append({0: "anbuds" + part, 1: part + "anbud", 2: part + "anbuds" + word(2)}[kind])
    bodies = {f"{n:02d}.txt": " ".join(words[n::9]) + ".\n" for n in range(9)}
    folder = _folder_of(tmp_path, bodies)
    on_disk = IndexStore(tmp_path / "ix").sync(collect([folder]))
    in_memory = memory_snapshot(collect([folder]))

    for query in ("tiltak", "tiltaks", "anbud", "anbudet", "tiltakene", "tilta"):
        assert _expansions(on_disk, query) == _expansions(in_memory, query), query
    assert len(_expansions(on_disk, "tiltak")[0]) == MAX_EXPANSIONS


def test_a_word_found_only_inside_long_compounds_expands_the_same_with_or_without_the_trigram_table(tmp_path):
    """Past the longest term that begins with the word, the walk by length may stop sooner (a
    compound that only holds it scores less): still the terms and qualities of walking all."""
    import random

    from stancecli.search.engine import MAX_EXPANSIONS
    from stancecli.search.index import IndexStore, memory_snapshot
    from stancecli.search.listing import collect

    rng = random.Random(11)
    word = _random_words(rng)
    words = ["utsetting", "utsettingen", "utsettingsvedtak", "bevilling", "tilleggsbevilling"]
    for _ in range(2 * MAX_EXPANSIONS):
        words.append(word(rng.randint(4, 30)) + "utsetting" + word(rng.choice([0, 0, 2])))
        words.append(word(rng.randint(4, 30)) + "sbevilling")
    words += ["utsetting" + word(n) for n in (3, 8, 12)] + ["bevilling" + word(9)]
    bodies = {f"{n:02d}.txt": " ".join(words[n::7]) + ".\n" for n in range(7)}
    folder = _folder_of(tmp_path, bodies)
    on_disk = IndexStore(tmp_path / "ix").sync(collect([folder]))
    in_memory = memory_snapshot(collect([folder]))
    vocab = on_disk.vocab
    longest = max(len(t) for t in vocab.all_terms() + vocab.all_stems() if t.startswith("utsetting"))
    assert vocab.walks_by_length and vocab.longest_starting("utsetting") == longest < 40

    for query in ("utsetting", "utsettingen", "bevilling", "tilleggsbevilling", "utsetingen"):
        assert _expansions(on_disk, query) == _expansions(in_memory, query), query
    assert len(_expansions(on_disk, "utsetting")[0]) == MAX_EXPANSIONS


def _random_words(rng):
    """word(n): n random letters, æøå among them."""
    letters = "abdefgiklmnoprstuvæøå"
    return lambda n: "".join(rng.choice(letters) for _ in range(n))


def _expansions(snap, query: str) -> list[list[tuple[str, float]]]:
    """Each query word's expansions as (term, quality)."""
    from stancecli.search import text
    from stancecli.search.engine import plan

    return [[(snap.vocab.term(tid), q) for tid, q in t.expansions] for t in plan(text.query_terms(query), snap.vocab)]


WORD_LETTERS = "abeknæøå\u0301"  # with a combining accent: a letter of its own to both scans


@pytest.mark.skipif(engine._grams is None, reason="the C typo scan is not built here")
def test_the_typo_scan_finds_what_rapidfuzz_finds(monkeypatch):
    """Words within one, two or three edits: the C scan against rapidfuzz's Levenshtein, on words of
    every length from empty, with Norwegian letters and combining marks."""
    from hypothesis import example, given, settings
    from hypothesis import strategies as st

    word = st.text(WORD_LETTERS, max_size=12)
    long = "anbud" * 51 + "s"  # 256 letters, the longest the C scan takes; one more goes to rapidfuzz

    @settings(max_examples=400, deadline=None)
    @example(long, [long[:-1], long + "x", long[1:] + "t", "anbud"], 2)
    @example(long + "e", [long, long + "er"], 1)
    @example("tiltak\U0001f600", ["tiltak", "tiltak\U0001f601", "\U0001f600"], 1)
    @given(word, st.lists(word, max_size=12), st.integers(0, 3))
    def check(typed, words, reach):
        with monkeypatch.context() as m:
            m.setattr(engine, "_grams", None)
            reference = sorted(engine._within(typed, words, reach))
        assert sorted(engine._within(typed, words, reach)) == reference

    check()


@pytest.mark.skipif(engine._score is None, reason="the C phrase scoring is not built here")
def test_phrase_scoring_in_c_gives_rapidfuzz_partial_ratio():
    """Phrases of 1 to 64 letters against sentences as long or longer, and of the same length
    (rapidfuzz then tries both ways round): the same float, so the same rounded score."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rapidfuzz.fuzz import partial_ratio

    letters = st.sampled_from(["abc", "ab cdeøå", "tiltak anbud", "a\u0301\u00e9x", "\u4e00\u4e01a",
                               "\U0001f600\U0001d11ea b"])

    @settings(max_examples=600, deadline=None)
    @given(letters.flatmap(lambda alphabet: st.tuples(st.text(alphabet, min_size=1, max_size=64),
                                                      st.text(alphabet, max_size=90))))
    def check(pair):
        phrase, sentence = pair
        sentence = sentence if len(sentence) >= len(phrase) else phrase[::-1]
        assert engine._score.partial_ratio(phrase, sentence) == partial_ratio(phrase, sentence)

    check()


def test_phrase_hits_are_the_same_without_the_c_scoring(monkeypatch):
    queries = ["tett oppfølging av brukere", "varige tiltak", "ordinært arbeidsliv", "NAV selv"]
    with_c = [[(h.score, str(h.path), h.line) for h in hits(q, limit=0)] for q in queries]
    monkeypatch.setattr(engine, "_score", None)
    assert [[(h.score, str(h.path), h.line) for h in hits(q, limit=0)] for q in queries] == with_c
    assert all(with_c)


@pytest.mark.skipif(engine._score is None, reason="the C phrase scoring is not built here")
def test_the_chain_in_c_scores_and_marks_as_the_python_chain():
    """Random sentences of term ids against random phrases (repeats, words matching several
    terms, weights that tie): the same score, to the last bit, and the same chain."""
    from array import array

    from hypothesis import example, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=500, deadline=None)
    @example(([1.0, 1.0, 1.0], {1: [(0, 1.0)], 2: [(2, 1.0)]}, [1, 1, 2]))  # two chains of one worth
    @given(st.integers(1, 6).flatmap(lambda n: st.tuples(
        st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0, 6.5]), min_size=n, max_size=n),  # ties are common
        st.dictionaries(st.integers(0, 9), st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from([0.25, 0.5, 1.0])),
                                                     min_size=1, max_size=3), max_size=6),
        st.lists(st.integers(0, 12), max_size=40))))
    def check(case):
        weights, emap, tokens = case
        total = sum(weights)
        toks = memoryview(array("I", tokens))
        assert engine._chain(toks, emap, weights, total) == engine._chain_py(toks, emap, weights, total)

    check()


def _recombined_corpus(folder: Path, n: int, rnd) -> list[Path]:
    """n sources built from the seeds' lines, so that sentences repeat across files (ties)."""
    lines = [line for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()
             if len(line.split()) > 3]
    folder.mkdir()
    out = []
    for k in range(n):
        path = folder / f"{k:03d}.txt"
        path.write_text("\n".join(rnd.sample(lines, 12)) + "\n", encoding="utf-8")
        out.append(path)
    return out


def test_phrase_ranking_in_c_keeps_the_python_ranking(tmp_path, monkeypatch):
    """Phrases of two to four words (typed, inflected, with typos), at several limits, score floors
    and file filters, exact or not, over an index updated file by file (several segments, replaced
    documents left behind): the same hits, in the same order, with and without the C ranking."""
    import random

    rnd = random.Random(14)
    sources = _recombined_corpus(tmp_path / "c", 40, rnd)
    index_dir = tmp_path / "ix"
    search("anbud", [tmp_path / "c"], index_dir=index_dir)
    changed = rnd.sample(sources, 12)
    for batch in (changed[:4], changed[4:8], changed[8:]):  # replaced documents: segments with dead slots
        for path in batch:
            path.write_text(path.read_text(encoding="utf-8") + "Tett oppfølging av brukere i ordinært arbeidsliv.\n",
                            encoding="utf-8")
        search("anbud", [tmp_path / "c"], index_dir=index_dir)
    words = [w.strip(".,:;()«»") for p in sources[:5] for w in p.read_text(encoding="utf-8").split()]
    words = [w for w in words if len(w) > 2]
    queries = ["tett oppfølging av brukere", "ordinært arbeidsliv", "oppfolging brukre", "varige tiltak NAV"]
    queries += [" ".join(rnd.sample(words, rnd.randint(2, 4))) for _ in range(12)]
    cases = [(q, rnd.choice([0, 1, 5, 20]), rnd.choice([0, 0, 60, 85]), rnd.random() < 0.25,
              rnd.sample(sources, 10) if rnd.random() < 0.3 else None) for q in queries for _ in range(3)]
    # Ties at the edge of a small limit: a text found in a later segment that only ties the last
    # of the best, and stands in an earlier file.
    cases += [(q, limit, 0, False, None) for q in queries[:4] for limit in (1, 2, 3, 4)]

    def run_all():
        return [[(h.score, str(h.path), h.line, h.col, h.match_spans) for h in
                 search(q, [tmp_path / "c"], index_dir=index_dir, limit=limit, min_score=floor, exact=exact,
                        only=only).hits] for q, limit, floor, exact, only in cases]

    with_c = run_all()
    # A search asks the ranking for a pool larger than its limit: below it, at the pool's edge,
    # texts tie far more often. The pool itself, at small sizes, is the same too.
    from stancecli.search import text
    from stancecli.search.index import IndexStore

    _, snap = IndexStore(index_dir, in_cache=False).open_as_is()
    for q, _limit, floor, exact, only in cases:
        terms = engine.plan(text.query_terms(q), snap.vocab, exact)
        keep = engine._allowed_slots(snap, only) if only is not None else None
        for size in (1, 2, 3, 5, 8, 13):
            pools = [sorted((s.score, s.positions, [(r.si, r.first, r.uid) for r in s.runs]) for s in
                            rank(terms, snap.segments, size, floor, exact, keep))
                     for rank in (engine._rank_phrase, engine._rank_phrase_py)]
            assert pools[0] == pools[1], (q, size, floor, exact)
    monkeypatch.setattr(engine, "_score", None)
    assert run_all() == with_c
    assert sum(map(bool, with_c)) > len(cases) // 2  # most cases find something


def test_a_query_of_seventy_words_ranks_the_same_in_c_and_python(monkeypatch):
    """A pasted paragraph as the query, scored and --exact: hits, and the same without the C ranking."""
    sentence = "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."
    query = " ".join([sentence] * 10)  # 70 words
    assert len(engine.text.query_terms(query)) >= 70
    with_c = [[(h.score, str(h.path), h.line) for h in hits(query, exact=exact, limit=0)] for exact in (False, True)]
    assert with_c[0] and with_c[1] == []  # nowhere does the sentence stand ten times in a row
    monkeypatch.setattr(engine, "_score", None)
    assert [[(h.score, str(h.path), h.line) for h in hits(query, exact=exact, limit=0)]
            for exact in (False, True)] == with_c


@pytest.mark.skipif(engine._score is None, reason="the C phrase scoring is not built here")
def test_rescoring_a_pool_in_c_reads_the_words_as_the_vocabulary_does():
    """A pool's sentences as term ids of a vocabulary (Norwegian letters, accents, CJK, emoji):
    the same ratio as rapidfuzz's partial_ratio of the words joined by spaces, to the last bit,
    and None for a sentence shorter than the query; a term id past the vocabulary is damage."""
    from array import array

    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rapidfuzz.fuzz import partial_ratio

    from stancecli.search.index import IndexFormatError, VocabBuilder

    words = ["anbud", "tett", "oppfølging", "av", "brukere", "æøå", "a\u0301", "\u4e00\u4e01", "\U0001f600x", ""]
    vocab = VocabBuilder(list(words)).frozen()

    @settings(max_examples=400, deadline=None)
    @given(st.text("abcæøå é\u4e00\U0001f600", min_size=1, max_size=64),
           st.lists(st.lists(st.integers(0, len(words) - 1), max_size=30), max_size=6))
    def check(query, sentences):
        got = engine._score.partial_ratios(query, *vocab.term_store(), [array("I", s) for s in sentences],
                                           IndexFormatError)
        bodies = [" ".join(words[t] for t in s) for s in sentences]
        assert got == [partial_ratio(query, b) if len(b) >= len(query) else None for b in bodies]

    check()
    with pytest.raises(IndexFormatError):
        engine._score.partial_ratios("anbud", *vocab.term_store(), [array("I", [0, len(words)])], IndexFormatError)


@pytest.mark.parametrize("in_c", [True, False])
def test_a_posting_list_past_its_segment_met_while_ranking_a_phrase_is_damage(tmp_path, monkeypatch, in_c):
    """The ranking reads the index as the search opened it: a word's posting list said to run past
    the end of its segment raises IndexFormatError (which the search repairs), in C as in Python."""
    from array import array

    from stancecli.search import text
    from stancecli.search.index import IndexFormatError, IndexStore

    if in_c and engine._score is None:
        pytest.skip("the C phrase scoring is not built here")
    if not in_c:
        monkeypatch.setattr(engine, "_score", None)
    search("anbud", [SEEDS], index_dir=tmp_path / "ix")
    _, snap = IndexStore(tmp_path / "ix", in_cache=False).open_as_is()
    terms = engine.plan(text.query_terms("tett oppfølging av brukere"), snap.vocab)
    assert engine.rank(terms, snap.segments, 20, vocab=snap.vocab)  # intact: hits
    seg = snap.segments[0]
    tid = terms[0].expansions[0][0]
    damaged = array("I", seg.dir)
    damaged[2 * tid + 1] = len(seg.post) + 1  # its count runs past the postings
    seg.dir = memoryview(damaged)
    with pytest.raises(IndexFormatError):
        engine.rank(terms, snap.segments, 20, vocab=snap.vocab)
