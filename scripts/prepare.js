// Runs after `npm install`: generates SvelteKit's types and the compiled Paraglide messages,
// so that `npm run check` and the tests work before the first build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
if (!existsSync(bin('svelte-kit'))) process.exit(0); // production install without dev tools
execFileSync(
	bin('paraglide-js'),
	[
		'compile',
		'--project',
		'./project.inlang',
		'--outdir',
		'./src/lib/paraglide',
		'--strategy',
		'cookie',
		'preferredLanguage',
		'baseLocale',
		'--silent'
	],
	{ stdio: 'inherit' }
);
execFileSync(bin('svelte-kit'), ['sync'], { stdio: 'inherit' });
