import MarkdownIt from 'markdown-it';

// Raw HTML is disabled: whatever a person writes renders as text or Markdown, never as markup.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

// Only web and mail links; "javascript:" and the like are dropped by markdown-it's validateLink.
const defaultLinkOpen =
	md.renderer.rules.link_open ??
	((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	tokens[idx].attrSet('rel', 'nofollow ugc noopener');
	return defaultLinkOpen(tokens, idx, options, env, self);
};
// Headings written by people start at level 3 so they sit under the page's own h1/h2.
md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
	const level = Math.min(6, Number(tokens[idx].tag.slice(1)) + 2);
	tokens[idx].tag = `h${level}`;
	return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
	const level = Math.min(6, Number(tokens[idx].tag.slice(1)) + 2);
	tokens[idx].tag = `h${level}`;
	return self.renderToken(tokens, idx, options);
};

/** Renders user Markdown to safe HTML (no raw HTML, links marked nofollow ugc noopener). */
export function renderMarkdown(source: string): string {
	return md.render(source ?? '');
}
