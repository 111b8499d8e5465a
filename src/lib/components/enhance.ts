// For the enhancement modules of pages that are not hydrated (*.enhance.ts). Such a page is usually a
// whole document of its own, but a signed-in person coming from a hydrated page gets it rendered by the
// client router, and a module runs once per document: so each module also watches for elements added
// later, and marks those it has handled (two builds of a module may both be loaded: the server's copy on
// a first load, the client's after a client-side navigation; the mark keeps them from doubling up).

/** Runs `fn` once for every element matching `selector`, now and whenever one is added. */
export function enhanceEach<E extends HTMLElement>(selector: string, fn: (el: E) => void): void {
	const run = () => {
		for (const el of document.querySelectorAll<E>(selector)) {
			if (el.dataset.enhanced) continue;
			el.dataset.enhanced = '1';
			fn(el);
		}
	};
	run();
	new MutationObserver(run).observe(document.body, { childList: true, subtree: true });
}
