// vitest runs lib code outside Next's server bundle, where "server-only" would throw on import.
export {};
