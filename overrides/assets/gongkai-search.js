/* gongkai: the search page, on Pagefind's JS API. Loaded only on /search/.
   The query, filters and sort live in the address, so a search can be bookmarked or shared. */
import { find, OPTIONS, readPublished } from "./gongkai-find.js";

const FILTERS = ["类型", "发布机构", "信息类别", "年份", "有效性", "主题分类"];
const PAGE = 10;

const root = document.querySelector(".gk-search");
if (root) start(root).catch((error) => {
  root.querySelector(".gk-search__status").textContent = "检索服务加载失败，请稍后再试。";
  console.error(error);
});

async function start(root) {
  const config = JSON.parse(root.dataset.config || "{}");
  const form = root.querySelector("form");
  const status = root.querySelector(".gk-search__status");
  const list = root.querySelector(".gk-search__results");
  const more = root.querySelector(".gk-search__more");
  const fieldset = form.querySelector("fieldset");
  const sort = form.elements.sort;
  const input = form.elements.q;

  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  status.textContent = "正在加载检索索引……";

  const pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
  await pagefind.options(OPTIONS);
  const sites = config.merge || [];
  for (const site of sites) {
    await pagefind.mergeIndex(site.url, { indexWeight: site.weight, baseUrl: new URL("../", site.url).href });
  }
  await pagefind.init();

  const counting = new Counting(pagefind, sites.length > 0);
  const everywhere = await counting.everywhere();
  const selects = buildFilters(fieldset, everywhere, params);
  const active = root.querySelector(".gk-search__active");
  sort.value = params.get("sort") || "";
  fieldset.hidden = false;
  status.textContent = "";

  let results = [];
  let shown = 0;
  let generation = 0;

  async function run() {
    const mine = ++generation;
    const filters = {};
    for (const [name, select] of selects) if (select.value) filters[name] = select.value;
    const term = input.value.trim();
    remember(term, filters);
    showActive(active, filters, selects, run);
    status.classList.toggle("gk-search__status--filtered", Object.keys(filters).length > 0); // room for “已按所选条件筛选”
    list.replaceChildren();
    more.hidden = true;
    if (!term && !Object.keys(filters).length) {
      status.textContent = "";
      countFilters(selects, everywhere, everywhere);
      return;
    }
    status.textContent = "正在检索……";
    if (Object.keys(filters).length) await counting.load();
    const found = await find(pagefind, term || null, { filters, sort: sort.value ? { date: "desc" } : undefined });
    if (mine !== generation) return; // a newer search has started
    results = found.results;
    const counted = counting.loaded;
    countFilters(selects, counted && (found.filters || everywhere), counted && (found.totalFilters || everywhere));
    shown = 0;
    await showMore(mine);
    if (mine !== generation) return;
    // announced (aria-live) once the results are there to read
    const narrowed = Object.keys(filters).length && found.unfilteredResultCount > results.length;
    const partial = found.partial || 0;
    const also = partial ? `，另有 ${partial} 条只含部分检索词` : "";
    status.textContent = (results.length ? `共找到 ${results.length - partial} 条结果${also}` : "没有找到符合条件的结果，请换一个检索词或减少筛选条件。")
      + (narrowed ? `（已按所选条件筛选；不筛选共 ${found.unfilteredResultCount} 条）` : "");
  }

  async function showMore(mine) {
    const batch = results.slice(shown, shown + PAGE);
    const data = await Promise.all(batch.map((result) => result.data()));
    if (mine !== generation) return;
    for (const item of data) list.append(resultItem(item, sites));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  function remember(term, filters) {
    const query = new URLSearchParams();
    if (term) query.set("q", term);
    if (sort.value) query.set("sort", sort.value);
    for (const [name, value] of Object.entries(filters)) query.set(name, value);
    const search = query.toString();
    window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  /* A reader turning to the filters wants to know what each value leaves of this search: count it once loaded. */
  async function countOnce() {
    if (counting.loaded) return;
    fieldset.setAttribute("aria-busy", "true");
    try {
      await counting.load();
      const mine = generation;
      const term = input.value.trim();
      if (term && results.length) {
        const found = await find(pagefind, term, { sort: sort.value ? { date: "desc" } : undefined });
        if (mine === generation) countFilters(selects, found.filters, found.totalFilters);
      }
    } finally {
      fieldset.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  for (const [, select] of selects) select.addEventListener("focus", countOnce);
  sort.addEventListener("change", run);
  for (const [, select] of selects) select.addEventListener("change", run);
  more.querySelector("button").addEventListener("click", () => showMore(generation));
  if (input.value || [...selects.values()].some((s) => s.value)) run();
}

function buildFilters(fieldset, counts, params) {
  const selects = new Map();
  const sortBox = fieldset.querySelector(".gk-search__sort");
  // The usual filters first, then any other a kind of page brings (预案类别, 预案层级 …).
  const others = Object.keys(counts).filter((name) => !FILTERS.includes(name));
  const names = [...FILTERS, ...others.sort((a, b) => a.localeCompare(b, "zh-CN"))];
  names.forEach((name, i) => {
    const values = Object.keys(counts[name] || {});
    if (!values.length) return;
    values.sort(name === "年份" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b, "zh-CN"));
    const id = `gk-search-f${i}`;
    const box = document.createElement("span");
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = name;
    const select = document.createElement("select");
    select.id = id;
    select.name = name;
    select.append(new Option("全部", ""));
    for (const value of values) select.append(new Option(`${value}（${counts[name][value]}）`, value));
    select.value = params.get(name) || "";
    box.append(label, select);
    fieldset.insertBefore(box, sortBox);
    selects.set(name, select);
  });
  return selects;
}

/* Each option says how many results it would leave for this query: for a filter not yet chosen,
   on top of the chosen ones; for the chosen filter itself, instead of its current value. Only its
   value, while the search is not counted (`Counting`). */
function countFilters(selects, added, instead) {
  for (const [name, select] of selects) {
    const counts = added && (select.value ? instead : added)[name] || {};
    for (const option of select.options) {
      if (option.value) option.textContent = added ? `${option.value}（${counts[option.value] || 0}）` : option.value;
    }
  }
}

/* Pagefind counts a search's results by each filter's values only once every filter's file is
   loaded: 1.1 MB at 100,000 documents, more than the rest of a first search. So they are loaded
   when a filter is chosen or a reader turns to one; until then the filters' values and their
   pages come counted by the build (gongkai-filters.pf_counts, in the index's folder). With other
   sites' indexes merged in, or where that file cannot be read, they are loaded at once as before. */
class Counting {
  constructor(pagefind, now) {
    this.pagefind = pagefind;
    this.loaded = false;
    this.loading = now ? this.load() : null;
  }

  load() {
    this.loading ??= this.pagefind.filters().then((counts) => { this.loaded = true; return counts; });
    return this.loading;
  }

  async everywhere() {
    return (!this.loading && await readPublished("gongkai-filters.pf_counts")) || this.load();
  }
}

/* The chosen filters, visible above the results, each with the way to drop it, and all at once. */
function showActive(box, filters, selects, rerun) {
  const names = Object.keys(filters);
  box.replaceChildren();
  box.hidden = !names.length;
  if (!names.length) return;
  box.append("已筛选：");
  for (const name of names) {
    const drop = document.createElement("button");
    drop.type = "button";
    drop.textContent = `${name}：${filters[name]} ×`;
    drop.setAttribute("aria-label", `取消筛选 ${name}：${filters[name]}`);
    drop.addEventListener("click", () => { selects.get(name).value = ""; rerun(); });
    box.append(drop);
  }
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "清除全部筛选";
  clear.addEventListener("click", () => { for (const [, select] of selects) select.value = ""; rerun(); });
  box.append(clear);
}

function resultItem(data, sites) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "gk-search__meta";
  const site = sites.find((s) => data.url.startsWith(new URL("../", s.url).href));
  const facts = [
    site && site.label, (data.filters["类型"] || [])[0], data.meta["文号"], data.meta["发布机构"],
    data.meta["发布日期"] || data.meta["更新日期"], data.meta["有效性"],
  ].filter(Boolean);
  meta.textContent = facts.join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "gk-search__excerpt";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
  item.append(heading, meta, excerpt);
  return item;
}
