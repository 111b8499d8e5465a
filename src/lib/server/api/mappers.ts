import type { ProjectCard, LocalName, getProjectPage } from '../projects';
import type { NeedView } from '../needs';
import type { Territory, Theme } from '../territories';
import { config } from '../platform/config';
import type { ApiLanguage } from './params';

export interface ApiName {
	slug: string;
	name: string;
}

export interface ApiNeed {
	id: string;
	kind: NeedView['kind'];
	title: string;
	target: number;
	fulfilled: number;
	unit: string | null;
	currency: string | null;
	stage: string | null;
}

export interface ApiProject {
	slug: string;
	title: string;
	summary: string;
	status: ProjectCard['status'];
	territory: ApiName;
	themes: ApiName[];
	location: { lat: number; lng: number } | null;
	url: string;
	published_at: string | null;
	ends_at: string | null;
	needs: ApiNeed[];
}

export interface ApiStage {
	id: string;
	name: string;
	description: string;
	starts_on: string | null;
	ends_on: string | null;
}

export interface ApiProjectDetail extends ApiProject {
	description: string;
	stages: ApiStage[];
	carrier: { legal_form: string | null; name: string };
}

type ProjectPage = Awaited<ReturnType<typeof getProjectPage>>;

/** The public address of a project's page. */
export function projectUrl(slug: string): string {
	return `${config().publicUrl}/projects/${encodeURIComponent(slug)}`;
}

function localized(item: LocalName, lang: ApiLanguage): ApiName {
	return { slug: item.slug, name: lang === 'en' ? item.nameEn : item.nameFr };
}

function location(card: Pick<ProjectCard, 'lat' | 'lng'>): { lat: number; lng: number } | null {
	return card.lat === null || card.lng === null ? null : { lat: card.lat, lng: card.lng };
}

export function toApiNeed(n: NeedView): ApiNeed {
	return {
		id: n.id,
		kind: n.kind,
		title: n.title,
		target: n.target,
		fulfilled: n.fulfilled,
		unit: n.unit,
		currency: n.currency,
		stage: n.stageId
	};
}

/** A project as listed by the API (no internal ids, names in the asked language). */
export function toApiProject(card: ProjectCard, lang: ApiLanguage): ApiProject {
	return {
		slug: card.slug,
		title: card.title,
		summary: card.summary,
		status: card.status,
		territory: localized(card.territory, lang),
		themes: card.themes.map((t) => localized(t, lang)),
		location: location(card),
		url: projectUrl(card.slug),
		published_at: card.publishedAt ? card.publishedAt.toISOString() : null,
		ends_at: card.endsOn,
		needs: card.needs.map(toApiNeed)
	};
}

/** One project with its story (Markdown source), stages and carrier. */
export function toApiProjectDetail(page: ProjectPage, lang: ApiLanguage): ApiProjectDetail {
	const p = page.project;
	return {
		...toApiProject(p, lang),
		description: p.description,
		stages: page.stages.map((s) => ({
			id: s.id,
			name: s.name,
			description: s.description,
			starts_on: s.startsOn,
			ends_on: s.endsOn
		})),
		carrier: { legal_form: p.legalForm, name: p.carrierName }
	};
}

export interface GeoJsonFeature {
	type: 'Feature';
	geometry: { type: 'Point'; coordinates: [number, number] };
	properties: { slug: string; title: string; status: ProjectCard['status']; url: string; territory: ApiName };
}

/** A located project as a GeoJSON Point feature (RFC 7946: longitude first); null without a point. */
export function toFeature(card: ProjectCard, lang: ApiLanguage): GeoJsonFeature | null {
	if (card.lat === null || card.lng === null) return null;
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [card.lng, card.lat] },
		properties: {
			slug: card.slug,
			title: card.title,
			status: card.status,
			url: projectUrl(card.slug),
			territory: localized(card.territory, lang)
		}
	};
}

export interface ApiTerritory {
	slug: string;
	kind: Territory['kind'];
	name_fr: string;
	name_en: string;
	parent: string | null;
	center: { lat: number; lng: number } | null;
}

/** Territories with their parent as a slug (null at the top, or when the parent is archived). */
export function toApiTerritories(rows: Territory[]): ApiTerritory[] {
	const slugById = new Map(rows.map((t) => [t.id, t.slug]));
	return rows.map((t) => ({
		slug: t.slug,
		kind: t.kind,
		name_fr: t.nameFr,
		name_en: t.nameEn,
		parent: (t.parentId && slugById.get(t.parentId)) || null,
		center: t.lat === null || t.lng === null ? null : { lat: t.lat, lng: t.lng }
	}));
}

export function toApiTheme(t: Theme): { slug: string; name_fr: string; name_en: string } {
	return { slug: t.slug, name_fr: t.nameFr, name_en: t.nameEn };
}
