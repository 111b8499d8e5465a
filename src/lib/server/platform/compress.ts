import { brotliCompressSync, constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

/**
 * HTML and JSON compressed for clients that accept it (`Accept-Encoding`), with `Vary: Accept-Encoding`.
 *
 * - Brotli (quality 2) when accepted, else gzip (level 3): half a millisecond to 0.8 ms for the 72 KB of
 *   /projects on this machine, which they cut seven-fold (docs/performance/server.md has the figures;
 *   higher levels cost two to six times more for 5-10 % fewer bytes).
 * - Not under 1 KB (the headers weigh as much), not for a body already encoded, a HEAD, a 204/304, a
 *   `Cache-Control: no-transform`, or anything but HTML and JSON (images, PDFs, CSV downloads, streams).
 * - A stored page of the public page cache carries its gzip form, made once (`deflateParts`), so a HIT
 *   costs no compression even though its CSP nonce changes on every reply (`gzipWithNonce`).
 */

export type Encoding = 'br' | 'gzip' | null;

/** Bodies below this go out raw. */
export const MIN_COMPRESS_BYTES = 1024;
const GZIP_LEVEL = 3;
const BROTLI_QUALITY = 2;
const COMPRESSIBLE = /^(text\/html|application\/json|application\/geo\+json|application\/problem\+json)\b/i;

/** The encodings a request accepts (q=0 refuses; `*` accepts both). */
export function accepted(request: Request): { br: boolean; gzip: boolean } {
	const header = request.headers.get('accept-encoding');
	const out = { br: false, gzip: false };
	if (!header) return out;
	for (const item of header.split(',')) {
		const [name, ...params] = item.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		if (q && !(Number(q.slice(2)) > 0)) continue;
		if (name === 'br') out.br = true;
		else if (name === 'gzip' || name === 'x-gzip') out.gzip = true;
		else if (name === '*') out.br = out.gzip = true;
	}
	return out;
}

/** The encoding to use for an on-the-fly compression: brotli when accepted, else gzip, else none. */
export function negotiate(request: Request): Encoding {
	const a = accepted(request);
	return a.br ? 'br' : a.gzip ? 'gzip' : null;
}

/** A Buffer as a Response body (Node's Buffers are Uint8Arrays over an ArrayBuffer). */
export function asBody(b: Buffer): BodyInit {
	return b as Uint8Array<ArrayBuffer>;
}

/** Compresses a whole body. */
export function compress(body: Uint8Array, encoding: 'br' | 'gzip'): Buffer {
	return encoding === 'br'
		? brotliCompressSync(body, {
				params: {
					[constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
					[constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength
				}
			})
		: gzipSync(body, { level: GZIP_LEVEL });
}

/** Whether a response may be compressed at all (its type, status, headers); the body size is checked later. */
export function compressible(request: Request, response: Response): boolean {
	if (request.method === 'HEAD' || !response.body) return false;
	if (response.status < 200 || response.status === 204 || response.status === 206 || response.status === 304)
		return false;
	const h = response.headers;
	if (h.has('content-encoding') || /\bno-transform\b/i.test(h.get('cache-control') ?? '')) return false;
	return COMPRESSIBLE.test(h.get('content-type') ?? '');
}

/** Adds `Accept-Encoding` to the response's Vary header (once). */
export function varyOnEncoding(headers: Headers): void {
	const vary = headers.get('vary');
	if (!vary) headers.set('vary', 'Accept-Encoding');
	else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary))
		headers.set('vary', `${vary}, Accept-Encoding`);
}

/** A strong ETag no longer names the compressed bytes: it becomes weak (RFC 9110 8.8.1). */
function weakenEtag(headers: Headers): void {
	const etag = headers.get('etag');
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
}

/**
 * The response, compressed when the client accepts it and it is worth it. Reads the whole body: only
 * for HTML and JSON answers, which SvelteKit renders whole (a streamed type is not compressible here).
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
	if (!compressible(request, response)) return response;
	const encoding = negotiate(request);
	const length = Number(response.headers.get('content-length') ?? NaN);
	if (length < MIN_COMPRESS_BYTES) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	const init = { status: response.status, statusText: response.statusText, headers };
	if (body.byteLength < MIN_COMPRESS_BYTES) return new Response(body, init);
	varyOnEncoding(headers);
	if (!encoding) return new Response(body, init);
	const packed = compress(body, encoding);
	headers.set('content-encoding', encoding);
	headers.set('content-length', String(packed.byteLength));
	weakenEtag(headers);
	return new Response(asBody(packed), init);
}

/**
 * A body cut at each occurrence of its nonce, each part deflated on its own and ended on a byte boundary
 * (a sync flush; the last part finished), so that `gzipWithNonce` can put any nonce of the same length
 * between them as a stored (uncompressed) deflate block: one valid gzip stream, compressed once.
 */
export function deflateParts(parts: Buffer[]): Buffer[] {
	return parts.map((part, i) =>
		deflateRawSync(part, {
			level: GZIP_LEVEL,
			finishFlush: i === parts.length - 1 ? constants.Z_FINISH : constants.Z_SYNC_FLUSH
		})
	);
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** The gzip stream of `parts` joined by `nonce`, from their `deflateParts` form. */
export function gzipWithNonce(parts: Buffer[], deflated: Buffer[], nonce: Buffer | null): Buffer {
	const chunks: Buffer[] = [GZIP_HEADER];
	let crc = 0;
	let size = 0;
	let stored: Buffer | null = null;
	if (nonce && parts.length > 1) {
		stored = Buffer.alloc(5 + nonce.length);
		stored[0] = 0; // BFINAL 0, BTYPE 00 (stored), on a byte boundary after the sync flush
		stored.writeUInt16LE(nonce.length, 1);
		stored.writeUInt16LE(~nonce.length & 0xffff, 3);
		nonce.copy(stored, 5);
	}
	for (let i = 0; i < parts.length; i++) {
		chunks.push(deflated[i]!);
		crc = crc32(parts[i]!, crc);
		size += parts[i]!.length;
		if (i < parts.length - 1 && stored && nonce) {
			chunks.push(stored);
			crc = crc32(nonce, crc);
			size += nonce.length;
		}
	}
	const trailer = Buffer.alloc(8);
	trailer.writeUInt32LE(crc >>> 0, 0);
	trailer.writeUInt32LE(size >>> 0, 4);
	chunks.push(trailer);
	return Buffer.concat(chunks);
}
