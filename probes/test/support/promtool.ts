// One promtool runner for every package's tests, beside the other Debian tools' launchers.
export { promtoolCheckMetrics } from '@layerwatch/local';
