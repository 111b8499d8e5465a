-- Public listings sort published projects by date: a partial index serves the page and the count.
CREATE INDEX IF NOT EXISTS projects_public_published_idx ON projects (published_at DESC, id)
	WHERE status IN ('published', 'funded', 'not_funded', 'in_progress', 'completed');
