import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the domain schemas; they are applied at start-up (src/lib/server/db/migrate.ts).
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema.ts',
	out: './drizzle'
});
