/** Largest request body read (larger ones get 413 without being buffered). */
export const MAX_BODY_BYTES = 1024 * 1024;
