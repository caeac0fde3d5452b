/**
 * @module The examples dialog: the catalogue built from Kyverno's sample-policy library at build
 * time (catalogue.js, loaded with the page), searchable by title and category.
 */

/** One example: a policy with a resource from its test suite (and values or context when it has them). */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly kind: string;
  readonly policies: string;
  readonly resources: string;
  readonly values?: string;
  readonly context?: string;
}

declare global {
  var PALISADE_CATALOGUE: readonly CatalogueEntry[] | undefined;
}

export function catalogue(): readonly CatalogueEntry[] {
  return globalThis.PALISADE_CATALOGUE ?? [];
}

/** Entries whose title or category holds every word of `query`, in `category` when one is given. */
export function searchCatalogue(
  entries: readonly CatalogueEntry[],
  query: string,
  category: string,
): CatalogueEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => {
    if (category !== '' && e.category !== category) return false;
    const hay = `${e.title} ${e.category} ${e.id}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function setUpCatalogue(onPick: (entry: CatalogueEntry) => void): void {
  const dialog = document.getElementById('examples-dialog') as HTMLDialogElement;
  const search = document.getElementById('examples-search') as HTMLInputElement;
  const select = document.getElementById('examples-category') as HTMLSelectElement;
  const list = document.getElementById('examples-list') as HTMLUListElement;
  const count = document.getElementById('examples-count') as HTMLElement;
  let filled = false;
  const render = (): void => {
    const found = searchCatalogue(catalogue(), search.value, select.value);
    count.textContent = `${found.length} of ${catalogue().length} examples`;
    list.replaceChildren(
      ...found.slice(0, 300).map((e) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.id = e.id;
        button.append(e.title);
        const small = document.createElement('small');
        small.textContent = `${e.category} · ${e.kind}`;
        button.append(small);
        button.addEventListener('click', () => {
          dialog.close();
          onPick(e);
        });
        li.append(button);
        return li;
      }),
    );
  };
  (document.getElementById('open-examples') as HTMLButtonElement).addEventListener('click', () => {
    if (!filled) {
      const categories = [...new Set(catalogue().map((e) => e.category))].sort();
      for (const c of categories) select.append(new Option(c, c));
      filled = true;
    }
    render();
    dialog.showModal();
    search.focus();
  });
  search.addEventListener('input', render);
  select.addEventListener('change', render);
}
