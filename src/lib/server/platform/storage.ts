import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { config } from './config';

/** Where uploaded files live. One implementation today (the data directory); S3 later behind the same shape. */
export interface Storage {
	put(key: string, data: Buffer): Promise<void>;
	get(key: string): Promise<Buffer | null>;
	delete(key: string): Promise<void>;
}

function safePath(key: string): string {
	const root = join(config().dataDir, 'uploads');
	const full = normalize(join(root, key));
	if (!full.startsWith(root + '/')) throw new Error('invalid storage key');
	return full;
}

/** Files under `<data>/uploads`. */
export const diskStorage: Storage = {
	async put(key, data) {
		const path = safePath(key);
		await mkdir(dirname(path), { recursive: true });
		// Written aside, then renamed: a reader (an image width made on request) never sees half a file.
		const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
		await writeFile(tmp, data);
		await rename(tmp, path);
	},
	async get(key) {
		try {
			return await readFile(safePath(key));
		} catch {
			return null;
		}
	},
	async delete(key) {
		await unlink(safePath(key)).catch(() => {});
	}
};

/** The storage in use. */
export function storage(): Storage {
	return diskStorage;
}
