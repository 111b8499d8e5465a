// The territories domain's public surface (territories and themes).
export {
	listTerritories,
	getTerritoryBySlug,
	getTerritory,
	territoryAncestors,
	territoryWithDescendants,
	childTerritories,
	listThemes,
	getTheme,
	localName,
	type Territory,
	type TerritoryNode,
	type Theme
} from './queries';
export {
	createTerritory,
	updateTerritory,
	setTerritoryArchived,
	moveTerritory
} from './commands/manage-territories';
export { createTheme, updateTheme, setThemeArchived, moveTheme } from './commands/manage-themes';
export { seedThemes, DEFAULT_THEMES } from './seed';
