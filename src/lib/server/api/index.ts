// The JSON API v1: endpoints over the domains' queries, with its OpenAPI document.
export * from './endpoints';
