import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_WIDTHS, mediaSrcset } from '$lib/components/media';
import { IMAGE_WIDTHS, deleteImage, imageVariant, imageWidth, variantKey } from './images';
import { storage } from './storage';

describe('image widths for srcset', () => {
	let dir: string;
	let previous: string | undefined;
	beforeAll(() => {
		previous = process.env.PARVIS_DATA_DIR;
		dir = mkdtempSync(join(tmpdir(), 'parvis-images-'));
		process.env.PARVIS_DATA_DIR = dir;
	});
	afterAll(() => {
		if (previous === undefined) delete process.env.PARVIS_DATA_DIR;
		else process.env.PARVIS_DATA_DIR = previous;
		rmSync(dir, { recursive: true, force: true });
	});

	it('offers the browser the widths the server makes', () => {
		expect([...MEDIA_WIDTHS]).toEqual([...IMAGE_WIDTHS]);
		expect(mediaSrcset('projects/a/cover.webp', 800)).toBe(
			'/media/projects/a/cover.webp?w=400 400w, /media/projects/a/cover.webp?w=800 800w'
		);
		expect(imageWidth('800')).toBe(800);
		expect(imageWidth('801')).toBeNull();
		expect(imageWidth(null)).toBeNull();
	});

	it('makes a variant once, at most as wide as the original, and deletes it with the image', async () => {
		const key = 'projects/test/cover-abc.webp';
		const original = await sharp({
			create: { width: 1600, height: 1000, channels: 3, background: '#0b5c4a' }
		})
			.webp()
			.toBuffer();
		await storage().put(key, original);
		const small = await imageVariant(key, 400);
		expect(small).not.toBeNull();
		const meta = await sharp(small!).metadata();
		expect(meta.format).toBe('webp');
		expect(meta.width).toBe(400);
		expect(meta.height).toBe(250);
		expect(await storage().get(variantKey(key, 400))).toEqual(small);
		expect(await imageVariant(key, 400)).toEqual(small);
		// Never enlarged: a 1,200-pixel variant of a 1,600-pixel original is 1,200; the original stays.
		expect((await sharp((await imageVariant(key, 1200))!).metadata()).width).toBe(1200);
		// Asked for together (a new cover on a busy page): one resize, the same bytes for all.
		const together = await Promise.all(Array.from({ length: 5 }, () => imageVariant(key, 800)));
		for (const b of together) expect(b).toEqual(together[0]);
		await deleteImage(key);
		expect(await storage().get(key)).toBeNull();
		expect(await storage().get(variantKey(key, 400))).toBeNull();
		expect(await storage().get(variantKey(key, 1200))).toBeNull();
		expect(await imageVariant(key, 800)).toBeNull();
	});
});
