import sharp from 'sharp';
import { storage } from './storage';

/**
 * The widths an uploaded image is served at (`/media/<key>?w=800`), so a phone downloads a 400-pixel
 * cover rather than the 1600-pixel original. A variant is made by sharp on its first request and kept
 * in the storage beside the original (`<key>.w800.webp`).
 */
export const IMAGE_WIDTHS = [400, 800, 1200] as const;
export type ImageWidth = (typeof IMAGE_WIDTHS)[number];

/** The width asked for by `?w=`, when it is one of IMAGE_WIDTHS. */
export function imageWidth(value: string | null): ImageWidth | null {
	const w = Number(value);
	return (IMAGE_WIDTHS as readonly number[]).includes(w) ? (w as ImageWidth) : null;
}

/** The storage key of an image's variant at a width. */
export function variantKey(key: string, width: ImageWidth): string {
	return `${key}.w${width}.webp`;
}

// Variants being made: requests arriving together for a new cover wait for one resize.
const making = new Map<string, Promise<Buffer | null>>();

/** An image at a width (WebP, never enlarged); made once and kept; null when the original is missing. */
export async function imageVariant(key: string, width: ImageWidth): Promise<Buffer | null> {
	const vkey = variantKey(key, width);
	let pending = making.get(vkey);
	if (!pending) {
		pending = makeVariant(key, vkey, width).finally(() => making.delete(vkey));
		making.set(vkey, pending);
	}
	return pending;
}

async function makeVariant(key: string, vkey: string, width: ImageWidth): Promise<Buffer | null> {
	const kept = await storage().get(vkey);
	if (kept) return kept;
	const original = await storage().get(key);
	if (!original) return null;
	let out: Buffer;
	try {
		out = await sharp(original)
			.resize({ width, withoutEnlargement: true })
			.webp({ quality: width <= 400 ? 72 : 78 })
			.toBuffer();
	} catch {
		// Not an image sharp can read (every upload is checked and re-encoded): no such width.
		return null;
	}
	await storage().put(vkey, out);
	return out;
}

/** Deletes an image and its variants. */
export async function deleteImage(key: string): Promise<void> {
	await Promise.all([key, ...IMAGE_WIDTHS.map((w) => variantKey(key, w))].map((k) => storage().delete(k)));
}
