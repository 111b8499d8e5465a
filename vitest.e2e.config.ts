import { defineConfig } from 'vitest/config';

// End-to-end tests: a real browser (system Chromium through playwright-core) against the built app,
// started by scripts/e2e.js, which passes its address in E2E_BASE_URL. One file at a time: the app
// and the browser share the machine's two cores.
export default defineConfig({
	test: {
		include: ['e2e/**/*.e2e.ts'],
		environment: 'node',
		pool: 'forks',
		fileParallelism: false,
		maxWorkers: 1,
		testTimeout: 180_000,
		hookTimeout: 120_000,
		teardownTimeout: 20_000
	}
});
