import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { db } from '../../db/client';
import { AppError, fieldError } from '../../platform/errors';
import { storage } from '../../platform/storage';
import { deleteImage } from '../../platform/images';
import type { Actor } from '../../accounts';
import { projects } from '../schema';
import { authorize, lockProject } from '../policy';

export const COVER_MAX_BYTES = 8 * 1024 * 1024;
const ALLOWED = new Set(['jpeg', 'png', 'webp']);

/**
 * Sets a project's cover photo: checks size and real type (from the bytes, not the name), resizes to at
 * most 1600×1000, strips metadata and stores it as WebP. The team can change it in any state.
 */
export async function setCover(
	actor: Actor | null,
	projectId: string,
	file: File,
	alt: string
): Promise<string> {
	if (!file || file.size === 0) throw fieldError('cover', 'projects_error_cover_missing');
	if (file.size > COVER_MAX_BYTES) throw fieldError('cover', 'projects_error_cover_size');
	const input = Buffer.from(await file.arrayBuffer());
	let meta;
	try {
		meta = await sharp(input).metadata();
	} catch {
		throw fieldError('cover', 'projects_error_cover_type');
	}
	if (!meta.format || !ALLOWED.has(meta.format)) throw fieldError('cover', 'projects_error_cover_type');
	if ((meta.width ?? 0) > 12000 || (meta.height ?? 0) > 12000)
		throw fieldError('cover', 'projects_error_cover_size');
	let output: Buffer;
	try {
		output = await sharp(input)
			.rotate()
			.resize({ width: 1600, height: 1000, fit: 'inside', withoutEnlargement: true })
			.webp({ quality: 80 })
			.toBuffer();
	} catch {
		// A valid header over damaged or truncated data: the same field error on every database.
		throw fieldError('cover', 'projects_error_cover_unreadable');
	}
	const key = `projects/${projectId}/cover-${randomBytes(6).toString('hex')}.webp`;
	const previous = await db().transaction(async (tx) => {
		await authorize(actor, 'project.manage', { id: projectId }, tx);
		const p = await lockProject(tx, projectId);
		if (p.status === 'cancelled' || p.status === 'declined')
			throw new AppError('conflict', 'projects_error_not_editable');
		await storage().put(key, output);
		await tx
			.update(projects)
			.set({ coverImage: key, coverAlt: alt.trim().slice(0, 300), updatedAt: new Date() })
			.where(eq(projects.id, projectId));
		return p.coverImage;
	});
	// With the widths made for srcset (platform/images.ts).
	if (previous) await deleteImage(previous);
	return key;
}
