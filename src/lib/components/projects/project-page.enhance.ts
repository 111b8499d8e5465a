// What JavaScript adds to a project page, which is not hydrated (`csr = false` in its +page.server.ts:
// everything on it works without JavaScript, and hydrating it would ship the Svelte runtime, SvelteKit's
// router, the page's template and its messages, ~57 KB gzipped, for two enhancements). This module
// is built on its own by Vite (`?worker&url` in PlaceMap.svelte) and loaded by a `<script type="module">`:
// - the place map: Leaflet (~40 KB gzipped) and its stylesheet load only when the map comes near the
//   screen;
// - the gift form's total (gift + tip) as the person chooses, read as the server reads it.
import leafletCss from 'leaflet/dist/leaflet.css?url';
import { m } from '$lib/paraglide/messages.js';
import { formatMoney } from '$lib/i18n/format';
import { giftMinor, tipMinor } from '../contributions/gift-total';
import { enhanceEach } from '../enhance';

type Locale = 'fr' | 'en';

function showMap(el: HTMLElement): void {
	const { lat, lng, label, tileUrl, attribution } = el.dataset;
	if (!document.querySelector(`link[href="${leafletCss}"]`)) {
		const link = document.createElement('link');
		link.rel = 'stylesheet';
		link.href = leafletCss;
		document.head.append(link);
	}
	void import('leaflet').then(({ default: L }) => {
		const map = L.map(el, { scrollWheelZoom: false }).setView([Number(lat), Number(lng)], 15);
		L.tileLayer(tileUrl ?? '', { attribution: attribution ?? '', maxZoom: 19 }).addTo(map);
		L.circleMarker([Number(lat), Number(lng)], { radius: 9, color: '#0b5c4a', weight: 3, fillOpacity: 0.5 })
			.addTo(map)
			.bindTooltip(label ?? '');
	});
}

function watchMaps(): void {
	let observer: IntersectionObserver | undefined;
	enhanceEach('[data-place-map]', (el) => {
		if (typeof IntersectionObserver === 'undefined') return showMap(el);
		observer ??= new IntersectionObserver(
			(entries) => {
				for (const e of entries) {
					if (!e.isIntersecting) continue;
					observer?.unobserve(e.target);
					showMap(e.target as HTMLElement);
				}
			},
			{ rootMargin: '200px' }
		);
		observer.observe(el);
	});
}

/** The total line of a gift form, from what is chosen or typed (empty while an amount is invalid). */
function giftTotal(form: HTMLFormElement): string {
	const { currency = 'EUR', fmt = 'fr-FR', locale = 'fr' } = form.dataset;
	const money = (minor: number) => formatMoney(minor, currency, fmt);
	const f = new FormData(form);
	const other = String(f.get('amountOther') ?? '').trim();
	const amount = other ? giftMinor(other) : Number(f.get('amount') ?? 0) * 100 || null;
	const tipOther = String(f.get('tipOther') ?? '').trim();
	const tip =
		amount === null
			? null
			: tipOther
				? tipMinor(tipOther)
				: Math.round((amount * Number(f.get('tip') ?? 0)) / 100);
	if (amount === null || tip === null) return '';
	return m.give_total(
		{ gift: money(amount), tip: money(tip), total: money(amount + tip) },
		{ locale: locale as Locale }
	);
}

function watchGiftForms(): void {
	enhanceEach<HTMLFormElement>('form[data-gift-total]', (form) => {
		const out = form.querySelector('.give-total');
		if (!out) return;
		const update = () => (out.textContent = giftTotal(form));
		form.addEventListener('input', update);
		form.addEventListener('change', update);
		update();
	});
}

watchMaps();
watchGiftForms();
