import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';
import parvis from './eslint/module-boundaries.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'src/lib/paraglide/',
			'drizzle/',
			'test-results/',
			'bench-results/',
			// Breaks the module boundaries on purpose: tests/module-boundaries.test.ts lints it.
			'tests/fixtures/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			// Links to our own routes are plain paths; no base path is configured.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Domains are reached through their index.ts (schema.ts for joins); platform/ imports no domain.
		files: ['src/**/*.ts', 'src/**/*.svelte', 'scripts/**/*.ts', 'tests/**/*.ts', 'e2e/**/*.ts'],
		plugins: { parvis },
		rules: { 'parvis/module-boundaries': 'error' }
	},
	{
		// Server-only code must never reach the browser bundle.
		files: [
			'src/lib/ui/**',
			'src/lib/components/**',
			'src/lib/shared/**',
			'src/**/*.svelte',
			'src/lib/i18n.ts'
		],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['$lib/server', '$lib/server/*', '**/lib/server/**'],
							message: 'Server-only code cannot be imported from client code.'
						}
					]
				}
			]
		}
	}
);
