import { cpSync, existsSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig, type Plugin } from 'vite';

/**
 * Pages that are not hydrated load their enhancements as a standalone module built like a worker
 * (`import url from './x.enhance.ts?worker&url'`, e.g. the project page). The server renders the URL of
 * the copy built with the server (its hashes differ from the client build's), so that copy is put among
 * the client files before the adapter takes them.
 */
function serveServerBuiltWorkers(): Plugin {
	let ssr = false;
	return {
		name: 'parvis:server-built-workers',
		apply: 'build',
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
		},
		closeBundle: {
			order: 'pre',
			sequential: true,
			handler() {
				const from = '.svelte-kit/output/server/_app/immutable/workers';
				if (ssr && existsSync(from))
					cpSync(from, '.svelte-kit/output/client/_app/immutable/workers', { recursive: true });
			}
		}
	};
}

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		serveServerBuiltWorkers(),
		sveltekit()
	],
	server: { port: 5173 },
	// As ES modules, what the enhancement modules import lazily (Leaflet) stays a separate file, fetched
	// only when needed.
	worker: { format: 'es' }
});
