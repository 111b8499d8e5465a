import { resolve, join } from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
	NODE_ENV: z.string().default('development'),
	DATABASE_URL: z.string().min(1).optional(),
	PARVIS_DATA_DIR: z.string().default('./data'),
	PARVIS_DEMO: z.enum(['0', '1']).optional(),
	/** Run the job worker inside the app (default) or not (then run `npm run worker`). */
	PARVIS_WORKER: z.enum(['0', '1']).default('1'),
	SMTP_URL: z.string().min(1).optional(),
	MAIL_FROM: z.string().default('Parvis <no-reply@parvis.localhost>'),
	ORIGIN: z.string().optional(),
	/** Map tiles ({z}/{x}/{y}); the pages keep working without them. */
	PARVIS_TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
	PARVIS_TILE_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
	PORT: z.string().optional()
});

export type Config = z.infer<typeof envSchema> & { dataDir: string; outboxDir: string; publicUrl: string };

/** The configuration, read from the environment and checked with zod (read on each call: tests change it). */
export function config(): Config {
	const env = envSchema.parse(process.env);
	const dataDir = resolve(env.PARVIS_DATA_DIR);
	const publicUrl = (env.ORIGIN || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, '');
	return { ...env, dataDir, outboxDir: join(dataDir, 'outbox'), publicUrl };
}

/** True outside production (the dev mail outbox page, for instance). */
export function isDevelopment(): boolean {
	return config().NODE_ENV !== 'production' || process.env.PARVIS_DEV_PAGES === '1';
}
