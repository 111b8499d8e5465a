// URLs of uploaded images. The server serves each at these widths (lib/server/platform/images.ts,
// IMAGE_WIDTHS; media.test.ts keeps the two lists equal), so `srcset` lets a phone take the small one.
export const MEDIA_WIDTHS = [400, 800, 1200] as const;

/** An uploaded image at one width (or the original, without `width`). */
export function mediaUrl(key: string, width?: (typeof MEDIA_WIDTHS)[number]): string {
	return width ? `/media/${key}?w=${width}` : `/media/${key}`;
}

/** The `srcset` of an uploaded image, up to `max` pixels wide. */
export function mediaSrcset(key: string, max = 1200): string {
	return MEDIA_WIDTHS.filter((w) => w <= max)
		.map((w) => `${mediaUrl(key, w)} ${w}w`)
		.join(', ');
}
