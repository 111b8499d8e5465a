import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
	it('renders Markdown and escapes raw HTML', () => {
		const html = renderMarkdown('**Bonjour** <script>alert(1)</script> <img src=x onerror=alert(1)>');
		expect(html).toContain('<strong>Bonjour</strong>');
		expect(html).not.toContain('<script>');
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;script&gt;');
	});

	it('marks links nofollow ugc noopener and drops javascript: links', () => {
		const html = renderMarkdown(
			'[site](https://example.org) [bad](javascript:alert(1)) https://parvis.example'
		);
		expect(html).toContain('<a href="https://example.org" rel="nofollow ugc noopener">site</a>');
		expect(html).not.toContain('href="javascript:');
		expect(html).toContain('href="https://parvis.example"');
	});

	it('shifts headings below the page headings', () => {
		expect(renderMarkdown('# Titre')).toBe('<h3>Titre</h3>\n');
	});
});
