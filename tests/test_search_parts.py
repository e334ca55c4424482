"""The search index made in parts and merged says what one Pagefind run over the whole site says."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
from pathlib import Path

import brotli
import pytest
from mkdocs.exceptions import PluginError

from conftest import both_cores_busy, serve
from gongkai.cache import write_entry
from gongkai.search.merge import FILTER_COUNTS, SORT_ORDERS, MergeError, Part, _rounded, merge
from gongkai.search.parts import BUNDLE, index_site, indexable, run_pagefind
from gongkai.search.precompressed import SUFFIX, loaded, unpacked
from gongkai.search.stable import SIGNATURE, read_fragment, read_packed


def decoded(bundle: Path) -> dict:
    """What an index says about pages by their address: free of page numbers, chunks and file names."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    [(language, info)] = entry["languages"].items()
    _, pages, chunks, filters, _, fields = read_packed(bundle / f"pagefind.{info['hash']}.pf_meta")
    part = Part(bundle, language, info["hash"])  # the sorts from the metadata, or from the file the merge keeps them in
    sorts = [[name, [part.pages[page][0] for page in order]] for name, order in part.sorts]  # (as fragment names)
    fragments = [read_fragment(bundle / "fragment" / f"{name}.pf_fragment") for name, _ in pages]
    by_name = {name: fragment for (name, _), fragment in zip(pages, fragments)}
    urls = [fragment["url"] for fragment in fragments]

    def by_page(packed: list) -> dict:
        found, number = {}, 0
        for difference, locations, meta in packed:
            number += difference
            found[urls[number]] = (locations, [fields[-loc - 1] if loc < 0 else loc for loc in meta])
        return found

    words = {}
    for first, last, name in chunks:
        for word, packed, variants in read_packed(bundle / "index" / f"{name}.pf_index")[0]:
            assert first <= word[:len(first)] and word[:len(last)] <= last  # found in the chunk the search looks in
            words[word] = (by_page(packed), {form: by_page(more) for form, more in variants})
    values = {name: {value: sorted(urls[p] for p in numbers) for value, numbers in read_packed(bundle / "filter" / f"{file}.pf_filter")[1]}
              for name, file in filters}
    orders = {}
    for name, order in sorts:  # pages of the same value may come in any order
        keyed = [(by_name[page]["meta"]["date"], by_name[page]["url"]) for page in order]
        orders[name] = [(value, sorted(url for _, url in group)) for value, group in itertools.groupby(keyed, key=lambda k: k[0])]
    return {"language": language, "page_count": info["page_count"], "pages": sorted(zip(urls, (wc for _, wc in pages))),
            "words": words, "filters": values, "sorts": orders, "fields": fields,
            "fragments": sorted(json.dumps(f, ensure_ascii=False, sort_keys=True) for f in fragments)}


def counted_as_the_filters_say(merged: Path, filters: dict[str, dict[str, list[str]]], language: str) -> bool:
    """Whether the counts the merge publishes for the search page are the pages of each filter value of `filters`."""
    counts = json.loads(gzip.decompress((merged / FILTER_COUNTS).read_bytes()))
    return counts == {language: {name: {value: len(pages) for value, pages in values.items()} for name, values in filters.items()}}


@pytest.fixture(scope="module")
def demo_pages(demo_site, tmp_path_factory) -> Path:
    """A copy of the built demo's pages, and beside it Pagefind's own index of them all (one run, no merge)."""
    site = tmp_path_factory.mktemp("parts") / "site"
    shutil.copytree(demo_site.out, site)
    shutil.rmtree(site / BUNDLE)
    run_pagefind(site, indexable(site), site.parent / "one-run")
    return site


def copy_of(site: Path, tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    shutil.copytree(site, copy)
    return copy


@pytest.mark.parametrize(("part_pages", "sorts_apart"), [(40, True), (10, True), (40, False)])
def test_the_merged_parts_say_what_one_run_says(demo_pages, tmp_path, part_pages, sorts_apart):
    site = copy_of(demo_pages, tmp_path, "site")
    done = index_site(site, tmp_path / "project", part_pages, sorts_apart=sorts_apart)
    assert len(done.indexed_parts) == done.parts >= min(8, done.pages // part_pages)
    assert sum(done.indexed_parts) == done.pages == len(indexable(site)) > 50
    one_run, merged = decoded(demo_pages.parent / "one-run"), decoded(site / BUNDLE)
    assert merged["words"].keys() == one_run["words"].keys()
    lengths = [(url, _rounded(words)) for url, words in one_run["pages"]]  # each page's length, rounded
    assert merged["pages"] == lengths != one_run["pages"]
    for key in one_run.keys() - {"pages"}:
        assert merged[key] == one_run[key], key
    assert len(one_run["filters"]["类型"]) > 3 and counted_as_the_filters_say(site / BUNDLE, one_run["filters"], one_run["language"])
    info = json.loads((site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"][one_run["language"]]
    within = read_packed(site / BUNDLE / f"pagefind.{info['hash']}.pf_meta")[4]
    apart = json.loads(gzip.decompress((site / BUNDLE / SORT_ORDERS).read_bytes()))
    assert len(one_run["sorts"]["date"]) > 10
    assert (not within and apart) if sorts_apart else (within and apart == {})


def test_a_change_indexes_again_only_its_part_and_equals_indexing_from_nothing(demo_pages, tmp_path):
    site = copy_of(demo_pages, tmp_path, "site")
    project = tmp_path / "project"
    first = index_site(site, project, 40)
    assert index_site(site, project, 40).indexed_parts == []  # the same pages: the merged index is taken whole
    page = site / "documents/qzfb-2019-85/index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<div data-pagefind-body>", "<div data-pagefind-body><p>鹭岛晨曦</p>", 1), encoding="utf-8")
    again = index_site(site, project, 40)
    assert first.parts == 4 and len(again.indexed_parts) == 1 and again.indexed_parts[0] < first.pages / 2
    fresh = copy_of(site, tmp_path, "fresh")
    index_site(fresh, tmp_path / "nothing-kept", 40)
    files = sorted(p.relative_to(site / BUNDLE) for p in (site / BUNDLE).rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(fresh / BUNDLE) for p in (fresh / BUNDLE).rglob("*") if p.is_file())
    assert all((site / BUNDLE / f).read_bytes() == (fresh / BUNDLE / f).read_bytes() for f in files)
    assert "/documents/qzfb-2019-85/" in decoded(site / BUNDLE)["words"]["晨曦"][0]


def bundle_bytes(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site / BUNDLE): p.read_bytes() for p in (site / BUNDLE).rglob("*") if p.is_file()}


def edit(site: Path, page: str, old: str, new: str) -> None:
    file = site / page
    html = file.read_text(encoding="utf-8")
    assert old in html
    file.unlink()  # a new file, as a build writes it
    file.write_text(html.replace(old, new, 1), encoding="utf-8")


def small_chunks(monkeypatch) -> None:
    from gongkai.search import merge

    monkeypatch.setattr(merge, "CHUNK_LEAST", 40)  # many small chunks: many cuts, and most stay as they were after a change
    monkeypatch.setattr(merge, "CHUNK_MOST", 2000)
    monkeypatch.setattr(merge, "CUT_ONE_IN", 4)


def indexed_from_nothing(site: Path, tmp_path: Path, part_pages: int) -> Path:
    """A copy of the site's pages indexed with nothing kept from an earlier index."""
    fresh = copy_of(site, tmp_path, "fresh")
    shutil.rmtree(fresh / BUNDLE)
    index_site(fresh, tmp_path / "nothing-kept", part_pages)
    return fresh


BODY = "<div data-pagefind-body>"
PARTS = 80  # pages a part: two parts of the demo
EDITS = {  # what a change does to the words: each stands for a kind
    "new words in two parts": [("documents/qzfb-2019-85/index.html", BODY, BODY + "<p>鹭岛晨曦 社会救助</p>"),
                           ("disclosure/guide/index.html", BODY, BODY + "<p>社会救助 鹭岛</p>")],
    "a word gone": [("disclosure/guide/index.html", "，编制本指南。", "。")],
}


@pytest.mark.parametrize("edits", EDITS.values(), ids=EDITS.keys())
def test_a_merge_after_a_change_takes_the_unchanged_chunks_and_equals_a_merge_from_nothing(demo_pages, tmp_path, monkeypatch, edits):

    small_chunks(monkeypatch)
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"
    index_site(site, project, PARTS)
    before = {p.name: p.stat().st_ino for p in (site / BUNDLE / "index").iterdir()}  # named by their bytes' hash
    for page, old, new in edits:
        edit(site, page, old, new)
    again = index_site(site, project, PARTS)
    assert 1 <= len(again.indexed_parts) <= len(edits)
    chunks = {p.name: p.stat().st_ino for p in (site / BUNDLE / "index").iterdir()}
    kept = [name for name in chunks if name in before]
    assert len(chunks) > 30 and 0 < len(kept) < len(chunks)  # some words' pages changed, others did not
    assert all(chunks[name] == before[name] for name in kept)  # a chunk whose bytes are as they were is the last merge's file
    fresh = indexed_from_nothing(site, tmp_path, PARTS)
    assert bundle_bytes(site) == bundle_bytes(fresh)


@pytest.mark.parametrize("on_both_cores", [False, True], ids=["one process", "two processes"])
def test_each_file_a_search_loads_has_a_brotli_copy_of_what_the_browser_unpacks(demo_pages, tmp_path, monkeypatch, on_both_cores):
    from gongkai.search import precompressed

    small_chunks(monkeypatch)
    monkeypatch.setattr(precompressed, "FORK_FROM", 0 if on_both_cores else 1 << 40)
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"
    index_site(site, project, PARTS)
    bundle = site / BUNDLE
    first = {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*" + SUFFIX)}
    for page, old, new in EDITS["new words in two parts"]:
        edit(site, page, old, new)
    index_site(site, project, PARTS)
    copies = {p.relative_to(bundle) for p in bundle.rglob("*" + SUFFIX)}
    kinds = {copy.parent.name or "".join(copy.suffixes[-2:]) for copy in copies}
    assert kinds == {"index", "filter", ".pf_meta.br", ".js.br", ".pagefind.br"}  # and no fragment
    for name, quality in loaded(bundle):
        packed, copy = (bundle / name).read_bytes(), bundle / (name + SUFFIX)
        if not copy.is_file():  # only where brotli is no smaller (a chunk of a few words): the file as it is is sent
            assert len(brotli.compress(unpacked(packed), quality=quality)) >= len(packed) and name.startswith("index/")
            continue
        content = brotli.decompress(copy.read_bytes())
        assert content == unpacked(packed) and (content.startswith(SIGNATURE) or name == "pagefind.js")
        assert len(copy.read_bytes()) < len(packed)
    assert sum(1 for name, _ in loaded(bundle) if name.startswith("index/")) < 2 * sum(1 for copy in copies if copy.parent.name == "index")
    reused = [copy for copy in copies if first.get(copy) == (bundle / copy).stat().st_ino]
    assert 0 < len(reused) < len(copies)  # the copy of a file the change left as it was is the last index's


def test_a_damaged_brotli_copy_in_the_cache_is_made_again_not_published(demo_pages, tmp_path):
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"
    index_site(site, project, PARTS)
    bundle = site / BUNDLE
    with open(bundle / "pagefind.js.br", "r+b") as copy:  # the kept index's file too (a hard link)
        copy.write(b"damaged")
    edit(site, *EDITS["a word gone"][0])
    index_site(site, project, PARTS)
    for name, _ in loaded(bundle):
        copy = bundle / (name + SUFFIX)
        assert not copy.is_file() or brotli.decompress(copy.read_bytes()) == unpacked((bundle / name).read_bytes())
    assert (bundle / "pagefind.js.br").is_file()


def chunk_words(bundle: Path) -> list[list]:
    """Each word chunk's [word, its size (`merge._size`)] in order, as the merged metadata lists the chunks."""
    from gongkai.search import merge

    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    [info] = entry["languages"].values()
    chunks = read_packed(bundle / f"pagefind.{info['hash']}.pf_meta")[2]
    return [[(word, merge._size(pages)) for word, pages, _ in read_packed(bundle / "index" / f"{name}.pf_index")[0]]
            for _, _, name in chunks]


def test_words_that_begin_alike_are_in_one_chunk_unless_it_is_full(demo_pages, tmp_path, monkeypatch):
    from gongkai.search import merge

    small_chunks(monkeypatch)
    site = copy_of(demo_pages, tmp_path, "site")
    index_site(site, tmp_path / "project", PARTS)
    chunks = chunk_words(site / BUNDLE)
    assert len(chunks) > 30
    alike = [(chunk[-1][0], after[0][0]) for chunk, after in zip(chunks, chunks[1:])
             if chunk[-1][0][:2] == after[0][0][:2] and sum(size for _, size in chunk) < merge.CHUNK_MOST]
    assert alike == []  # so a query of their beginning (“鲤发改20”) reads the one chunk that holds them all


def test_a_merged_index_merged_again_keeps_its_pages_numbered_as_they_are(demo_pages, tmp_path):
    from gongkai.search.merge import _by_length

    site = copy_of(demo_pages, tmp_path, "site")
    index_site(site, tmp_path / "project", PARTS)  # two parts, each in order of length: not the whole
    entry = json.loads((site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    [(language, info)] = entry["languages"].items()
    pages = read_packed(site / BUNDLE / f"pagefind.{info['hash']}.pf_meta")[1]
    assert _by_length(pages) != list(range(len(pages)))
    part = Part(site / BUNDLE, language, info["hash"])
    assert part.pages == pages and not part.reordered  # as a shard's index is, in the final merge


def shard_indexes(site: Path, tmp_path: Path) -> list[Path]:
    """The indexes of three shards of the site's pages (by kind: their metadata fields differ), each merged from two
    parts and noting its words as a shard build does (`note_words`)."""
    from gongkai.search.merge import note_words
    from gongkai.search.parts import split

    pages = indexable(site)
    kinds = [lambda path: path.startswith("documents/"), lambda path: path.startswith("units/"), lambda path: True]
    shards: list[dict[str, str]] = [{} for _ in kinds]
    for path, sha in pages.items():
        shards[next(n for n, kind in enumerate(kinds) if kind(path))][path] = sha
    bundles = []
    for n, shard in enumerate(shards):
        parts = [tmp_path / f"shard-{n}-part-{k}" for k in range(2)]
        for part, pages_of_part in zip(parts, split(shard, len(shard) // 2 + 1)):
            run_pagefind(site, pages_of_part, part)
        bundles.append(tmp_path / f"shard-{n}")
        note_words(bundles[-1], merge(parts, bundles[-1]))
    return bundles


@pytest.mark.parametrize("damage", [None, "another file", "cut short"], ids=["as noted", "noted for another file", "note cut short"])
def test_indexes_noting_their_words_merge_as_bytes_into_what_decoding_them_gives(demo_pages, tmp_path, monkeypatch, damage):
    # the merge job of a sharded build: the words' entries joined as bytes (`search/splice.py`), the fields of an index
    # lacking one numbered anew, words with other forms decoded; a note that is not of its files: all decoded
    from gongkai.search import splice
    from gongkai.search.merge import WORDS_NOTED

    small_chunks(monkeypatch)
    site = copy_of(demo_pages, tmp_path, "site")
    edit(site, "documents/qzfb-2019-85/index.html", BODY, BODY + "<p>Café CAFÉ naïve Ærø 社会救助</p>")  # other forms of words
    bundles = shard_indexes(site, tmp_path)
    notes = [json.loads((bundle / WORDS_NOTED).read_text(encoding="utf-8")) for bundle in bundles]
    [language] = notes[0]
    assert any(end < 0 for note in notes for chunk in note[language] for end in chunk[5])  # a word with other forms
    fields = [Part(bundle, language, json.loads((bundle / "pagefind-entry.json").read_text())["languages"][language]["hash"]).fields
              for bundle in bundles]
    assert len({tuple(f) for f in fields}) == 3  # each numbered otherwise in the merge
    if damage:
        chunk = notes[1][language][-1]  # (the last: words before it are joined first)
        chunk[2:4] = [chunk[2] + "0", chunk[3]] if damage == "another file" else [chunk[2], chunk[3][:-1]]
        (bundles[1] / WORDS_NOTED).write_text(json.dumps(notes[1]), encoding="utf-8")
    decoded_copies = [copy_of(bundle, tmp_path, f"decoded-{n}") for n, bundle in enumerate(bundles)]
    for copy in decoded_copies:
        (copy / WORDS_NOTED).unlink()
    joined = []
    monkeypatch.setattr(splice, "joined", lambda entries, join=splice.joined: joined.append(1) or join(entries))
    merge(bundles, tmp_path / "spliced")
    assert bool(joined) == (damage != "another file")
    joined.clear()
    merge(decoded_copies, tmp_path / "decoded")
    assert not joined
    files = {p.relative_to(tmp_path / "decoded"): p.read_bytes() for p in (tmp_path / "decoded").rglob("*") if p.is_file()}
    assert {p.relative_to(tmp_path / "spliced"): p.read_bytes() for p in (tmp_path / "spliced").rglob("*") if p.is_file()} == files
    run_pagefind(site, indexable(site), tmp_path / "one-run")
    one_run, spliced = decoded(tmp_path / "one-run"), decoded(tmp_path / "spliced")
    assert spliced["pages"] == [(url, _rounded(words)) for url, words in one_run["pages"]]
    for key in one_run.keys() - {"pages"}:
        assert spliced[key] == one_run[key], key


def test_entries_joined_as_bytes_are_the_entry_their_pages_decoded_and_joined_encode_to():
    # numbers of every width, weights (negative) among positions, fields numbered anew: many words' pages at random
    import random

    import cbor2

    from gongkai.search import splice
    from gongkai.search.merge import _combined, _shifted

    shuffled = random.Random(17)

    def pages() -> list:
        return [[shuffled.choice([0, 3, 30, 300, 70_000, 2**33]),
                 [shuffled.choice([0, 23, 24, 37, 255, 256, 70_000, 2**33, -25, -300]) for _ in range(shuffled.randint(0, 4))],
                 [x for field in shuffled.sample(range(30), shuffled.randint(0, 3)) for x in (-field - 1, shuffled.choice([1, 37, 300]))]]
                for _ in range(shuffled.randint(1, 5))]

    for _ in range(2000):
        entries, expected, offset = [], [], 0
        for _ in range(shuffled.randint(1, 4)):
            word_pages = pages()
            numbers = sorted(shuffled.sample(range(40), 30)) if shuffled.random() < 0.5 else list(range(30))
            end = sum(page[0] for page in word_pages)
            entries.append((cbor2.dumps(["词", word_pages, []]), offset, end, splice.marks(numbers)))
            expected.append((_shifted(word_pages, offset, numbers, 0), []))
            last, offset = offset + end, offset + end + shuffled.randint(1, 100)
        assert splice.joined(entries) == (cbor2.dumps(_combined("词", expected)), last)


SMALL_PARTS = 20  # pages a part: eight parts of the demo, so that the last merge is patched (`merge._patched`)


@pytest.mark.parametrize("part_pages", [PARTS, SMALL_PARTS], ids=["merged", "patched"])
def test_a_new_word_beginning_as_a_chunks_last_word_joins_the_chunks_as_a_merge_from_nothing_does(demo_pages, tmp_path, monkeypatch, part_pages):
    from gongkai.search import merge

    small_chunks(monkeypatch)
    monkeypatch.setattr(merge, "LENGTH_DIGITS", 0)  # the pages in Pagefind's order: the new word is the one word changed
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"
    index_site(site, project, part_pages)
    chunks = chunk_words(site / BUNDLE)
    last = next(chunk[-1][0] for chunk in chunks[:-1] if chunk[-1][0].isascii() and chunk[-1][0].isalnum() and len(chunk[-1][0]) > 1)
    html = (site / "disclosure/guide/index.html").read_text(encoding="utf-8")
    body_end = html[:html.rindex("</div>", 0, html.index("</article>"))]  # after the page's other words
    edit(site, "disclosure/guide/index.html", body_end, body_end + f"<p>{last}qq</p>")  # the word after it, once merged
    index_site(site, project, part_pages)
    assert any({last, last + "qq"} <= {word for word, _ in chunk} for chunk in chunk_words(site / BUNDLE))
    fresh = indexed_from_nothing(site, tmp_path, part_pages)
    assert bundle_bytes(site) == bundle_bytes(fresh)


PATCHED = {**EDITS,
           "words moved on a page": [("disclosure/guide/index.html", BODY, BODY + "<p>前言：本指南的说明</p>")],
           "words of other forms": [("documents/qzfb-2019-85/index.html", BODY, BODY + "<p>Café CAFÉ café résumé</p>")]}


@pytest.mark.parametrize("damaged", [None, "file", "note"], ids=["sound", "damaged", "misnoted"])
@pytest.mark.parametrize("edits", PATCHED.values(), ids=PATCHED.keys())
def test_a_merge_patched_from_the_last_one_equals_a_merge_from_nothing(demo_pages, tmp_path, monkeypatch, edits, damaged):
    from gongkai.search import merge

    small_chunks(monkeypatch)
    patched, patch = [], merge._patched
    monkeypatch.setattr(merge, "_patched", lambda *args: patched.append(args[1]) or patch(*args))
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"
    assert index_site(site, project, SMALL_PARTS).parts >= 8
    # a chunk of the last merge, or where its words' entries are noted to lie: noticed, and merged from the parts instead
    note_file = project / ".cache/gongkai/search-merge.json"
    note = json.loads(note_file.read_bytes().partition(b"\n")[2])
    [chunks] = note["chunks"].values()
    middle = chunks[len(chunks) // 2]
    if damaged == "file":
        chunk = project / ".cache/gongkai/search" / note["merged"] / "index" / f"{middle[2]}.pf_index"
        chunk.write_bytes(chunk.read_bytes()[:-3])
    elif damaged == "note":  # two words' entries noted one byte apart from where they are
        middle[3][0] += 1
        middle[3][1] -= 1
        write_entry(note_file, note)
    for page, old, new in edits:
        edit(site, page, old, new)
    again = index_site(site, project, SMALL_PARTS)
    assert 1 <= len(again.indexed_parts) <= len(edits) and patched
    fresh = indexed_from_nothing(site, tmp_path, SMALL_PARTS)
    assert bundle_bytes(site) == bundle_bytes(fresh)


def test_a_merge_in_two_processes_equals_one_in_one_wherever_the_second_starts(demo_pages, tmp_path, monkeypatch):
    # the second process starts as if a chunk ended at a word; the first walks on until their chunks end alike
    from gongkai import parallel
    from gongkai.search import merge
    from gongkai.search.parts import split

    small_chunks(monkeypatch)
    site = copy_of(demo_pages, tmp_path, "site")
    parts = split(indexable(site), PARTS)
    bundles = [tmp_path / f"part-{n}" for n in range(len(parts))]
    for n, part in enumerate(parts):
        run_pagefind(site, part, bundles[n])

    def merged(name: str, bundles: list[Path], before=None, start=None, fork=True) -> tuple[list, dict]:
        with monkeypatch.context() as m:
            m.setattr(parallel, "safe_to_fork", lambda: fork)
            m.setattr(merge, "_halfway", lambda parts, old: start)
            chunks = merge.merge(bundles, tmp_path / name, before)
        return chunks, {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}

    one = merged("one", bundles, fork=False)
    [lasts] = one[0].values()
    assert len(lasts) > 30
    words = [last for _, last, *_ in lasts][1::len(lasts) // 4] + ["鹭", "\uffff"]  # chunk ends, and words that end none
    for n, word in enumerate(words):
        assert merged(f"cold-{n}", bundles, start=(0, word)) == one, word
    edit(site, "disclosure/guide/index.html", BODY, BODY + "<p>社会救助 鹭岛晨曦</p>")  # a change to one part's words
    [changed] = [n for n, part in enumerate(split(indexable(site), PARTS)) if "disclosure/guide/index.html" in part]
    again = [*bundles]
    again[changed] = tmp_path / "again"
    run_pagefind(site, split(indexable(site), PARTS)[changed], again[changed])
    before = merge.Before(bundles, tmp_path / "one", one[0], [changed])
    after = merged("after", again, before, fork=False)
    assert after[1] != one[1]
    for k in range(2, len(lasts), len(lasts) // 4):
        assert merged(f"after-{k}", again, before, start=(k, lasts[k - 1][1])) == after, k
    monkeypatch.setattr(parallel.Forked, "answer", lambda self: (os.waitpid(self._pid, 0), None)[1])  # the second failed
    assert merged("failed", again, before, start=(len(lasts) // 2, lasts[len(lasts) // 2 - 1][1])) == after


def test_a_merge_after_a_page_is_added_or_the_last_merge_is_damaged_equals_a_merge_from_nothing(demo_pages, tmp_path):
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"
    index_site(site, project, PARTS)
    shutil.copytree(site / "disclosure/guide", site / "disclosure/guide-copy")  # every later page of the merge moves
    edit(site, "disclosure/guide-copy/index.html", BODY, BODY + "<p>鹭岛晨曦</p>")
    index_site(site, project, PARTS)
    fresh = indexed_from_nothing(site, tmp_path, PARTS)
    assert bundle_bytes(site) == bundle_bytes(fresh)
    note = json.loads((project / ".cache/gongkai/search-merge.json").read_bytes().partition(b"\n")[2])
    for chunk in (project / ".cache/gongkai/search" / note["merged"] / "index").iterdir():  # the last merge's chunks, damaged
        chunk.write_bytes(chunk.read_bytes()[:-3])
    index_site(site, project, PARTS)
    assert bundle_bytes(site) == bundle_bytes(fresh)


@pytest.mark.slow
def test_parts_made_and_merged_under_load_are_byte_identical(demo_pages, tmp_path):
    bundles = []
    with both_cores_busy():
        for run in range(2):
            site = copy_of(demo_pages, tmp_path, f"run{run}")
            index_site(site, tmp_path / f"project{run}", 20)
            bundles.append({p.relative_to(site / BUNDLE): p.read_bytes() for p in (site / BUNDLE).rglob("*") if p.is_file()})
    assert bundles[0].keys() == bundles[1].keys() and len(bundles[0]) > 100
    assert [name for name in bundles[0] if bundles[0][name] != bundles[1][name]] == []


def test_a_damaged_kept_part_is_indexed_again(demo_pages, tmp_path):
    site = copy_of(demo_pages, tmp_path, "site")
    project = tmp_path / "project"
    index_site(site, project, 40)
    expected = decoded(site / BUNDLE)
    kept = sorted((project / ".cache/gongkai/search").iterdir())
    for folder in kept:  # every kept index, the merged one too
        fragment = next((folder / "fragment").iterdir())
        fragment.write_bytes(fragment.read_bytes()[:10])
    done = index_site(site, project, 40)
    assert sum(done.indexed_parts) == done.pages
    assert decoded(site / BUNDLE) == expected


def test_a_sort_value_the_merge_cannot_compare_stops_the_build_with_a_message(demo_pages, tmp_path):
    site = copy_of(demo_pages, tmp_path, "site")
    page = site / "disclosure/guide/index.html"
    html = page.read_text(encoding="utf-8")
    assert "data-pagefind-body" in html
    page.write_text(html.replace("<div data-pagefind-body>", '<div data-pagefind-body><span data-pagefind-sort="序号:3"></span>', 1),
                    encoding="utf-8")
    with pytest.raises(PluginError, match="/disclosure/guide/.*按“序号”排序.*没有同名的元数据"):
        index_site(site, tmp_path / "project", 40)


@pytest.mark.parametrize("damage", [b"not gzip", gzip.compress(b'{"zh-cn": {"date": ["no-such-page"]}}'), gzip.compress(b"[1, 2]")])
def test_a_merged_index_whose_sort_orders_are_damaged_is_refused_with_a_message(demo_pages, tmp_path, damage):
    """A shard's index is merged again in the final job: its sort orders, kept in a file of their own, are read back."""
    site = copy_of(demo_pages, tmp_path, "site")
    index_site(site, tmp_path / "project", 40)
    merge([site / BUNDLE], tmp_path / "again")  # as it was written: read back whole
    assert decoded(tmp_path / "again") == decoded(site / BUNDLE)
    (site / BUNDLE / SORT_ORDERS).write_bytes(damage)
    with pytest.raises(MergeError, match=f"{SORT_ORDERS} 已损坏，或不是这个索引的排序次序"):
        merge([site / BUNDLE], tmp_path / "damaged")


# --- In Chromium: the search page's own queries give the same results from both indexes ---------

ASK = """async ([query, filters, sort]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const { find, OPTIONS } = await import('/assets/gongkai-find.js');
  await pagefind.options(OPTIONS);
  await pagefind.init();
  await pagefind.filters();  // as the search page does: then every search counts its results by filter value
  const found = await find(pagefind, query, {filters: filters || {}, sort: sort || undefined});
  const data = await Promise.all(found.results.map(r => r.data()));
  return {results: data.map((d, i) => [found.results[i].score, d.url, d.meta.date || ""]),
          filters: found.filters, total: found.totalFilters, unfiltered: found.unfilteredResultCount, partial: found.partial || 0};
}"""

ASKED = [
    ("社会救助", None, None), ("最低生活保障 标准", None, None), ("泉鲤政办〔2020〕38号", None, None), ("政府信息公开", None, None),
    ("怎么申请政府信息公开", None, None), ("户籍", None, None), ("招生入学", None, None), ("QZ06100", None, None),
    ("规范性文件", {"有效性": "现行有效"}, None), ("实施", {"年份": "2020"}, None), ("办法", None, {"date": "desc"}),
    ("", {"类型": "文件"}, {"date": "desc"}), ("应急预案 演练", None, None), ("鲤城区", {"发布机构": "泉州市鲤城区民政局"}, None),
]


def same_results(merged: list, one_run: list, by_date: bool, rel: float = 1e-5) -> None:
    """The same pages, each with the same score (within `rel`: to f32 rounding, as Pagefind adds the pages' lengths up
    in another order), in the same order but for scores that near trading places; sorted by date, the same dates in
    order. (Pagefind's own order of equal scores or dates follows the order it happened to read the files in.)"""
    assert sorted(url for _, url, _ in merged) == sorted(url for _, url, _ in one_run)
    scores = {url: score for score, url, _ in one_run}
    if by_date:  # the scores are then places in each index's own order of its pages
        assert [date for _, _, date in merged] == [date for _, _, date in one_run]
    else:
        assert all(score == pytest.approx(scores[url], rel=rel) for score, url, _ in merged)
        assert all(scores[m[1]] == pytest.approx(scores[o[1]], rel=2 * rel + 1e-4) for m, o in zip(merged, one_run))


@pytest.mark.browser
def test_every_query_finds_the_same_from_the_parts_as_from_one_run(demo_pages, demo_site, tmp_path, browser):
    one = copy_of(demo_site.out, tmp_path, "one")
    shutil.rmtree(one / BUNDLE)
    shutil.copytree(demo_pages.parent / "one-run", one / BUNDLE)
    parts = copy_of(demo_site.out, tmp_path, "parts")
    assert index_site(parts, tmp_path / "project", 20).parts == 8
    # a page's length the merge gives is at most 1/32 off (`_rounded`), its length over the mean at most 33/31 - 1
    finds_the_same(one, parts, browser, rel=2 / 31)


@pytest.mark.browser
def test_a_server_that_sends_the_brotli_copies_finds_what_the_gzipped_files_find(demo_site, tmp_path, browser):
    site = copy_of(demo_site.out, tmp_path, "site")
    sent = finds_the_same(site, site, browser, compressing=True)
    # each kind of file a search loads came as its brotli copy, unpacked by the browser and read by Pagefind as it was
    assert {(kind, "br") for kind in ("pagefind.js", ".pf_meta", ".pf_index", ".pagefind")} <= sent
    assert (".pf_fragment", "") in sent


def finds_the_same(expected: Path, site: Path, browser, rel: float = 1e-5, compressing: bool = False) -> set[tuple[str, str]]:
    """Every query of `ASKED`, asked on the search page of both sites, finds the same (`same_results`, its scores
    within `rel`), with the same counts by filter value, count without filters and partial matches. With
    `compressing`, `site` is served as nginx serves it (`serve`); the answer is what kind of search file came
    with what encoding from it."""
    found, sent = [], set()
    for served, compressed in ((expected, False), (site, compressing)):
        with serve(served, compressing=compressed) as url:
            page = browser.new_page()
            page.on("response", lambda r: sent.add((_kind(r.url), r.headers.get("content-encoding", "")))
                    if compressed and "/pagefind/" in r.url else None)
            page.goto(url + "search/")
            found.append([page.evaluate(ASK, list(asked)) for asked in ASKED])
            page.close()
    assert sum(len(f["results"]) for f in found[0]) > 100
    for asked, wanted, got in zip(ASKED, *found):
        same_results(got.pop("results"), wanted.pop("results"), by_date=bool(asked[2]), rel=rel)
        assert got == wanted, asked
    return sent


def _kind(url: str) -> str:
    name = url.split("?")[0].rsplit("/", 1)[1]
    return name if name == "pagefind.js" else "." + name.rsplit(".", 1)[1]


@pytest.mark.parametrize("value", [0, -3, True, "很多"])
def test_a_part_size_that_is_not_a_positive_number_is_refused(value):
    from gongkai.search.plugin import SearchPlugin

    errors, _ = SearchPlugin().load_config({"part_pages": value})
    assert [name for name, _ in errors] == ["part_pages"]
    assert SearchPlugin().load_config({"part_pages": 40})[0] == []


def test_a_page_is_read_again_only_when_it_is_another_file_or_was_rewritten(tmp_path, monkeypatch):
    import time

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = site / "a" / "index.html"
    page.write_text("<main data-pagefind-body>甲</main>", encoding="utf-8")
    (site / "b.html").write_text("<p>乙</p>", encoding="utf-8")
    first = indexable(site, tmp_path)
    assert list(first) == ["a/index.html"]  # the marked pages only, as Pagefind takes them
    reads: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: (path.suffix == ".html" and reads.append(path.name)) or read_bytes(path))
    assert indexable(site, tmp_path) == first and reads == []  # the same files: nothing read
    time.sleep(0.05)  # past the file system's clock tick
    page.write_text("<main data-pagefind-body>丙</main>", encoding="utf-8")  # in place: same inode, same size
    (site / "b.html").unlink()
    (site / "b.html").write_text("<p data-pagefind-body>丁</p>", encoding="utf-8")  # another file by the same name
    again = indexable(site, tmp_path)
    assert sorted(reads) == ["b.html", "index.html"] and set(again) == {"a/index.html", "b.html"}
    assert again["a/index.html"] != first["a/index.html"]
    (tmp_path / ".cache/gongkai/search-pages.json").write_text("garbled", encoding="utf-8")
    reads.clear()
    assert indexable(site, tmp_path) == again and len(reads) == 2  # a damaged note is not believed


@pytest.mark.parametrize(("page", "marked"), [
    ("<main data-pagefind-body>甲</main>", True),
    ('<div class="x"\n  data-pagefind-body="">甲</div>', True),
    ("<div id=a data-pagefind-body/>", True),
    ("<p>在页面上写 data-pagefind-body 并不算</p>", False),  # a mention in text, not an attribute
    ("data-pagefind-body at the very start", False),
    ("<div data-pagefind-bodyguard>甲</div>", False),  # another attribute's name begins so
    ("<div data-pagefind-body-x>", False),
    ("<p>一 > data-pagefind-body ></p><div>乙</div>", False),
    ("<p>data-pagefind-body</p><section data-pagefind-body>乙</section>", True),  # the second mention counts
    ("< data-pagefind-body>", False),  # not a tag
])
def test_pages_marked_for_the_index_are_told_by_an_attribute_in_a_tag(page, marked):
    from gongkai.search.parts import _marked
    from gongkai.search.trim import BODY_TAG as MARKED

    assert _marked(page.encode()) is marked
    assert bool(MARKED.search(page.encode())) is marked  # as the whole page's search tells it


def test_fragments_are_named_by_their_place_and_part_in_few_characters():
    # every first search reads every page's name in the metadata: at 100,000 pages Pagefind's were 536 KB
    from gongkai.search.merge import _base36, _page_names

    assert [_base36(n, 3) for n in (0, 35, 36, 46655)] == ["000", "z00", "010", "zzz"]
    parts = [(400, "a1"), (1, "07"), (0, "ff"), (1296, "a1"), (37, "3c")]
    names = _page_names(parts, "zh-cn")
    flat = [name for part in names for name in part]
    assert [len(part) for part in names] == [size for size, _ in parts] and len(set(flat)) == len(flat)  # one each
    assert {len(name) for name in flat} == {len("zh-cn_") + 2 + 1 + 2}  # 1,296 places in 2 digits, 5 parts in 1, the tag
    for changed in ([(400, "a1"), (2, "07"), *parts[2:]], [(400, "a1"), (1, "9e"), *parts[2:]]):  # a page added; changed
        assert [part == before for part, before in zip(_page_names(changed, "zh-cn"), names)] == [True, False, True, True, True]


def test_a_page_added_to_a_part_renames_only_that_parts_fragments(demo_pages, tmp_path):
    site, project = copy_of(demo_pages, tmp_path, "site"), tmp_path / "project"

    def fragments() -> dict[str, bytes]:
        _, pages, *_ = read_packed(next((site / BUNDLE).glob("pagefind.*.pf_meta")))
        return {name: (site / BUNDLE / "fragment" / f"{name}.pf_fragment").read_bytes() for name, _ in pages}

    assert index_site(site, project, 20).parts == 8
    before = fragments()
    shutil.copytree(site / "disclosure/guide", site / "disclosure/guide-copy")
    edit(site, "disclosure/guide-copy/index.html", BODY, BODY + "<p>鹭岛晨曦</p>")
    index_site(site, project, 20)
    after = fragments()
    assert len(after) == len(before) + 1
    renamed = {name[-3] for name in after if name not in before}  # the part: the digit before the tag
    assert len(renamed) == 1
    assert all(before.get(name) == after[name] for name in after if name[-3] not in renamed)  # the others as they were
    # the part's tag changed: a search page still holding the last metadata finds none of its names, not other pages
    assert not any(name in before for name in after if name[-3] in renamed)
