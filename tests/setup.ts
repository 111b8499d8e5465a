// Runs before every test file: gives it its own data directory (mail outbox, uploads).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.PARVIS_DATA_DIR = mkdtempSync(join(tmpdir(), 'parvis-test-'));
process.env.ORIGIN ??= 'http://localhost:3000';
delete process.env.SMTP_URL;
delete process.env.DATABASE_URL;
