// Demo content: territories, accounts and projects created through the real commands.
export { loadDemoIfEmpty, DEMO_PASSWORD, DEMO_TERRITORIES, DEMO_ACCOUNTS } from './seed';
export { DEMO_PROJECTS } from './projects';
