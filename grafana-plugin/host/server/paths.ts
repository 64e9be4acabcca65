import { fileURLToPath } from 'node:url';

/** Folders of the grafana-plugin package, from the compiled (build/host/server) or source location. */
const here = fileURLToPath(new URL('.', import.meta.url));
export const PACKAGE_ROOT = here.replace(/\/(build\/)?host\/server\/?$/, '');
export const DIST_DIR = `${PACKAGE_ROOT}/dist`;
export const HOST_PAGE_DIR = `${PACKAGE_ROOT}/build/host-page`;
export const HOST_PAGE_ENTRY = `${PACKAGE_ROOT}/host/page/main.tsx`;
