import { fileURLToPath } from 'node:url';

/** Folders of the grafana-plugin package, from the compiled (build/preview-host/server) or source location. */
const here = fileURLToPath(new URL('.', import.meta.url));
export const PACKAGE_ROOT = here.replace(/\/(build\/)?preview-host\/server\/?$/, '');
export const DIST_DIR = `${PACKAGE_ROOT}/dist`;
export const HOST_PAGE_DIR = `${PACKAGE_ROOT}/build/preview-host-page`;
export const HOST_PAGE_ENTRY = `${PACKAGE_ROOT}/preview-host/page/main.tsx`;
