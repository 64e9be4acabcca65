export { startPluginHost, type PluginHostOptions, type RunningPluginHost } from './server.js';
export { buildHostPage, ensureHostPage } from './page-bundle.js';
export {
  matchRoute,
  matchPath,
  hasAccessToRoute,
  permissionsOf,
  interpolate,
  joinUrlFragments,
  type PluginJson,
  type PluginRoute,
  type OrgRole,
} from './routes.js';
export { DIST_DIR, PACKAGE_ROOT } from './paths.js';
