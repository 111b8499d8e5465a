import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests get a fresh database per file (tests/setup.ts):
// PGlite by default, the real PostgreSQL server when TEST_DATABASE_URL is set.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		setupFiles: ['tests/setup.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		fileParallelism: true,
		maxWorkers: 2
	}
});
