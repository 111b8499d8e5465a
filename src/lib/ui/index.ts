// The design system: primitives only, no domain imports.
export { default as Button } from './Button.svelte';
export { default as Field } from './Field.svelte';
export { default as CheckboxGroup } from './CheckboxGroup.svelte';
export { default as ErrorSummary } from './ErrorSummary.svelte';
export { default as Alert } from './Alert.svelte';
export { default as Pagination } from './Pagination.svelte';
