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
export { createTerritory } from './commands/create-territory';
export { updateTerritory } from './commands/update-territory';
export { setTerritoryArchived } from './commands/set-territory-archived';
export { moveTerritory } from './commands/move-territory';
export { createTheme } from './commands/create-theme';
export { updateTheme } from './commands/update-theme';
export { setThemeArchived } from './commands/set-theme-archived';
export { moveTheme } from './commands/move-theme';
export { can, authorize, type TerritoriesRule, territoriesPolicy } from './policy';
export { seedThemes, DEFAULT_THEMES } from './seed';
