import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject } from '../../../../tests/factories/projects';
import { imageVariant, variantKey } from '../platform/images';
import { storage } from '../platform/storage';
import type { Actor } from '../accounts';
import { setCover } from './index';

useTestDatabase();

const photo = async (width: number, height: number) =>
	new File(
		[
			new Uint8Array(
				await sharp({ create: { width, height, channels: 3, background: '#c8553d' } })
					.jpeg()
					.toBuffer()
			)
		],
		'photo.jpg',
		{ type: 'image/jpeg' }
	);

describe('cover widths', () => {
	let owner: Actor;
	let projectId: string;
	beforeAll(async () => {
		owner = (await buildUser()).actor;
		projectId = (await buildProject(owner, (await buildTerritory()).id)).id;
	});

	it('serves a new cover at 400 px and deletes the old one with its widths when it is replaced', async () => {
		const first = await setCover(owner, projectId, await photo(2000, 1250), 'Le jardin');
		const small = await imageVariant(first, 400);
		expect((await sharp(small!).metadata()).width).toBe(400);
		expect(await storage().get(variantKey(first, 400))).not.toBeNull();

		const second = await setCover(owner, projectId, await photo(1000, 625), 'Le jardin');
		expect(second).not.toBe(first);
		expect(await storage().get(first)).toBeNull();
		expect(await storage().get(variantKey(first, 400))).toBeNull();
		// A 1,000-pixel cover is not enlarged to 1,200.
		expect((await sharp((await imageVariant(second, 1200))!).metadata()).width).toBe(1000);
	});
});
