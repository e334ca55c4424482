/* gongkai: how what a reader types becomes a Pagefind search, used by the search page (and by the
   relevance benchmark and the tests, so that they measure what readers get).

   Each indexed page carries hidden fields of the pairs of adjacent characters of its title, names,
   numbers and text (plugins/gongkai/pages/search.py). A query is asked as the same pairs, so a
   word that stands in a page finds it however jieba cut the page; Pagefind requires every pair
   that occurs anywhere on the site, and ranks a page up by how much of the query each field
   covers, weighted as below. */

export const RANKING = {
  metaWeights: {
    title: 0,   // Pagefind's own title field, and the other names as shown: one word per name in
    aka: 0,     // Chinese, so they match only as prefixes; the names count through `t` instead
    rank: 0,
    n: 30,      // 文号, 索引号: an exact number first
    t: 12,      // the title and the page's other names
    t2: 5,      // the same, of a page that yields to another or is no longer in force
    y: 6,       // the year the page belongs to
    k: 5,       // keywords and codes
    b: 1,       // the text
  },
};

/* How much lower a page ranks that yields to another (a 解读 to its document, a unit's guide to
   the platform's) or is no longer in force, by its metadata `rank`. */
export const PRIOR = { yields: 0.75, inactive: 0.55, "inactive-yields": 0.4 };

/* In the page's own thread: a worker would cut the pairs again with its own word segmenter (below). */
export const OPTIONS = { noWorker: true, excerptLength: 40, ranking: RANKING };

const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const ALL_HAN = new RegExp(`^[${HAN}]+$`, "u");
/* 泉鲤政办〔2020〕38号, 泉鲤政办2020 38, 鲤政办[2022]6号: an issuer's code (its last four characters
   at most: the index holds every ending of it), a year, a serial. */
const NUMBER_WITH_YEAR = new RegExp(
  `([${HAN}]{0,4})[〔\\[【(]\\s*((?:19|20)\\d\\d)\\s*[〕\\]】)]\\s*第?\\s*(\\d{1,5})\\s*号?`
  + `|([${HAN}]{1,4})((?:19|20)\\d\\d)\\s*年?\\s*第?\\s*(\\d{1,5})(?:\\s*号|(?![\\d${HAN}]))`, "gu");
const SERIAL = /(\d{1,5})\s*号/gu;               // “38号”, “85号文”
/* Words of a question that no page holds: “怎么申请政府信息公开” asks for 申请政府信息公开. */
const ASKING = /怎么|怎样|如何|哪里|哪儿|哪些|什么|请问|我想|我要|的|了|吗|呢|吧/gu;

/** The words to ask Pagefind for: numbers whole, Chinese as pairs, other words as typed. */
export function queryWords(query) {
  let text = query.normalize("NFKC").toLowerCase();
  const words = [];
  text = text.replace(NUMBER_WITH_YEAR, (_, p1, y1, s1, p2, y2, s2) => {
    words.push(`${p1 ?? p2 ?? ""}${y1 ?? y2}${s1 ?? s2}号`);
    return " ";
  });
  text = text.replace(SERIAL, (_, serial) => { words.push(`${serial}号`); return " "; });
  text = text.replace(ASKING, " ");
  for (const chunk of text.split(/\s+/)) {
    for (const part of chunk.split(new RegExp(`([${HAN}]+)`, "u"))) {
      if (ALL_HAN.test(part)) {
        words.push(...pairs(part));
      } else {
        const latin = part.replace(/[^\p{L}\p{N}]/gu, "");  // QZ06101-2015-2020-00038 as one word, as indexed
        if (latin) words.push(latin);
      }
    }
  }
  return [...new Set(words)];
}

function pairs(run) {
  if (run.length < 2) return [run];
  return Array.from({ length: run.length - 1 }, (_, i) => run.slice(i, i + 2));
}

/** Search as the search page does: the pages that hold every word of the query the site has;
    when fewer than a page of them and no filter is chosen, then those that hold all the words
    but one, ranked as if they held a little less (`partial` counts them: the filters' counts
    are of the first kind only). */
export async function find(pagefind, query, options = {}) {
  const words = query ? queryWords(query) : [];
  if (query && !words.length) return { results: [], unfilteredResultCount: 0, filters: {}, totalFilters: {} };
  const sorted = options.sort && await sorter(options.sort);
  const found = await asWords(pagefind, words.length ? words.join(" ") : null, sorted ? { ...options, sort: undefined } : options);
  if (sorted) return { ...found, results: sorted(found.results) };
  if (!query || options.sort) return found;
  const filtered = Object.values(options.filters || {}).some((value) => value && value.length);
  const scored = found.results.map((result) => ({ result, score: result.score }));
  const relax = scored.length < FIRST && words.length > 1 && !filtered && (words.length <= LONG || !scored.length);
  const partial = relax ? await fewerWords(pagefind, words, options, scored) : [];
  scored.push(...partial);
  const weighed = scored.map((s, order) => ({ result: s.result, order, score: s.score }));
  const first = weighed.slice(0, FIRST);
  await Promise.all(first.map(async (w) => {
    const data = await w.result.data();
    w.score *= prior(data, words) * (1 + NAMED * named(data, words));
  }));
  first.sort(byScore);
  const results = [...first, ...weighed.slice(FIRST)].map((w) => w.result);
  return { ...found, results, partial: partial.length };
}

/* A query cut into pairs asks for pairs that span two words the reader ran together (障标 of
   “最低生活保障标准”): a page that lacks one of them is nearly as good. After those, the pages that
   hold any of the words, those holding most first, so that a page which says it another way is
   still in the list; but not when there are more results than anyone reads already (RELAXING):
   Pagefind takes time for each page a search finds times the pages its words are on, and a word
   on each of 100,000 pages is a search of a minute. Each word is a search of its own (of index
   chunks already loaded): a long query (a pasted title) is relaxed only when nothing holds it all. */
const LONG = 8;
export const RELAXING = { enough: 1000 };  // (the tests lower it to see it on the demo)

async function fewerWords(pagefind, words, options, found) {
  const pages = new Map();
  const keep = (result, score) => {
    if (!found.some((f) => f.result.id === result.id) && !(pages.get(result.id)?.score >= score)) pages.set(result.id, { result, score });
  };
  const share = ((words.length - 1) / words.length) ** 2;
  for (const left of words) {
    const rest = words.filter((word) => word !== left).join(" ");
    for (const result of (await asWords(pagefind, rest, options)).results) keep(result, result.score * share);
  }
  if (found.length + pages.size >= RELAXING.enough) return [...pages.values()];
  const lowest = Math.min(...found.map((f) => f.score), ...[...pages.values()].map((p) => p.score));
  const some = new Map();
  for (const word of words) {
    for (const result of (await asWords(pagefind, word, options)).results) {
      const page = some.get(result.id) || { result, held: 0, sum: 0 };
      page.held += 1;
      page.sum += result.score;
      some.set(result.id, page);
    }
  }
  for (const page of some.values()) keep(page.result, Math.min(page.sum * (page.held / words.length) ** 2, lowest * 0.99));
  return [...pages.values()];
}

const byScore = (a, b) => b.score - a.score || a.order - b.order;

/* The first results are ordered again with what their fragments say, which the search page loads
   to show them anyway (the index itself knows no page as a whole): a page that yields or is no
   longer in force ranks lower (PRIOR), and a page whose title or other name the query covers more
   of ranks higher: “司法局” is the 司法局's page before the 司法局's notices, though both titles
   hold the word. */
const FIRST = 10;
const NAMED = 0.6;

/** How much lower the page ranks by its `rank`; a 解读 does not yield to its document when the
    query asks for 解读 (the query names the kind of page). */
function prior(data, words) {
  const kind = (data.filters["类型"] || [])[0] || "";
  const asked = kind.length > 1 && pairs(kind).every((pair) => words.includes(pair));
  const rank = asked ? (data.meta.rank || "").replace(/-?yields$/, "") : data.meta.rank;
  return PRIOR[rank] ?? 1;
}

/** How much of the page's title, or of its best-covered other name, the query covers, times how
    much of the query stands in that name (0–1). */
function named(data, words) {
  const names = [data.meta.title || "", ...(data.meta.aka || "").split(" / ")].filter(Boolean)
    .map((name) => name.normalize("NFKC").toLowerCase());
  return Math.max(0, ...names.map((name) => {
    const covered = new Set();
    let held = 0;
    for (const word of words) {
      held += name.includes(word) ? 1 : 0;
      for (let at = name.indexOf(word); word.length > 1 && at >= 0; at = name.indexOf(word, at + 1)) {
        for (let i = at; i < at + word.length; i++) covered.add(i);
      }
    }
    return (covered.size / name.length) * (held / words.length);
  }));
}

/* The index keeps its sort orders apart from the metadata every first search loads (each order's
   fragment names, in plugins/gongkai/search/merge.py): the first search that sorts loads them and
   sorts as Pagefind would, leaving out the pages without a value. Where the file is not there (a
   search page that merges other sites' indexes), Pagefind sorts. */
const orders = new Map();

async function sorter(sort) {
  const [name, direction] = Object.entries(sort)[0];
  if (!orders.has(name)) {
    const order = ((await readPublished("gongkai-sorts.pf_order")) || {})[name];
    orders.set(name, order && new Map(order.map((id, place) => [id, place])));
  }
  const place = orders.get(name);
  const sign = direction === "asc" ? 1 : -1;
  return place && ((results) => results.filter((r) => place.has(r.id)).sort((a, b) => sign * (place.get(a.id) - place.get(b.id))));
}

/** A file the build writes beside Pagefind's for this page's language (gzipped JSON, by language);
    null when it is not there or cannot be read (an older browser without DecompressionStream). */
export async function readPublished(name) {
  try {
    const response = await fetch(new URL(`../pagefind/${name}`, import.meta.url), { cache: "no-cache" });
    if (!response.ok) return null;
    let bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) { // gzipped, unless the host has unpacked it on the way
      const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(unpacked).arrayBuffer());
    }
    const languages = JSON.parse(new TextDecoder().decode(bytes));
    return languages[document.documentElement.lang.toLowerCase()] || Object.values(languages)[0] || null;
  } catch (error) {
    console.warn(`gongkai: ${name}`, error);
    return null;
  }
}

/* Pagefind would cut the words again with the browser's word segmenter (商环 → 商 + 环); without
   one it keeps them as given, split at spaces. */
async function asWords(pagefind, term, options) {
  const segmenter = Intl.Segmenter;
  try {
    Intl.Segmenter = undefined;
    return await pagefind.search(term, options);
  } finally {
    Intl.Segmenter = segmenter;
  }
}
