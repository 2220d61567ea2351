// Full-text search over the built site with Pagefind's index (generated after `astro build`,
// served from /pagefind/ by the site itself). The query comes from ?q=; results render as links.
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] }>;
}

const MAX_RESULTS = 20;

export async function runSearch(): Promise<void> {
  const input = document.querySelector<HTMLInputElement>('#search-query');
  const status = document.querySelector<HTMLElement>('#search-status');
  const list = document.querySelector<HTMLOListElement>('#search-results');
  if (!input || !status || !list) return;
  const query = (new URLSearchParams(location.search).get('q') ?? '').trim().slice(0, 200);
  input.value = query;
  if (query === '') {
    status.textContent = 'Type a word or phrase, for example "burn rate" or "tombstone".';
    return;
  }
  status.textContent = 'Searching…';
  let pagefind: Pagefind;
  try {
    const url = '/pagefind/pagefind.js';
    pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
  } catch {
    status.textContent = 'Search is not available: the search index was not built (run `npm run build`).';
    return;
  }
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  list.replaceChildren(
    ...data.map((d) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = d.url;
      link.textContent = d.meta.title ?? d.url;
      const excerpt = document.createElement('p');
      excerpt.className = 'muted';
      // Pagefind's excerpt is escaped text with <mark> around the matches only.
      excerpt.innerHTML = d.excerpt;
      item.append(link, excerpt);
      return item;
    }),
  );
  const n = found.results.length;
  status.textContent = n === 0 ? `No results for “${query}”.` : `${n} result${n === 1 ? '' : 's'} for “${query}”.`;
}
