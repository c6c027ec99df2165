/**
 * The version of every document template's output, part of the render cache key: bump it whenever
 * a template's output changes. Its own module, so the render cache can name it without loading the
 * renderer (which lives in the render workers, see render-pool.server.ts).
 */
export const TEMPLATE_VERSION = "2026-12-2";
