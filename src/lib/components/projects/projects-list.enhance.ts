// What JavaScript adds to /projects, which is not hydrated (`csr = false` in its +page.server.ts: the
// filters are a GET form and the rest is links): the "use my location" button, which fills the "near"
// field from the browser's position. The server renders the button hidden with its messages in the
// page's language (data-locating, data-located, data-failed); it is shown only when the browser can
// locate. Built on its own by Vite (`?worker&url` in the page), it ships no message catalogue.
import { enhanceEach } from '../enhance';

enhanceEach<HTMLButtonElement>('button[data-locate-for]', (button) => {
	const input = document.getElementById(button.dataset.locateFor ?? '') as HTMLInputElement | null;
	const status = button.nextElementSibling as HTMLElement | null;
	if (!input || !('geolocation' in navigator)) return;
	const say = (text: string | undefined) => {
		if (status) status.textContent = text ?? '';
	};
	button.hidden = false;
	if (status) status.hidden = false;
	button.addEventListener('click', () => {
		say(button.dataset.locating);
		navigator.geolocation.getCurrentPosition(
			(pos) => {
				input.value = `${pos.coords.latitude.toFixed(4)},${pos.coords.longitude.toFixed(4)}`;
				say(button.dataset.located);
			},
			() => say(button.dataset.failed),
			{ timeout: 10000 }
		);
	});
});
