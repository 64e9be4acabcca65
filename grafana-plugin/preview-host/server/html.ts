/** The page Grafana would serve: base href, boot data, SystemJS with its AMD extra, the shared modules. */
export function pageHtml(boot: unknown, grafanaBootData: unknown, title: string): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  const grafana = JSON.stringify(grafanaBootData).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <base href="/" />
    <title>${title}</title>
    <link rel="stylesheet" href="/host/page/main.css" />
    <script>window.layerwatchHostBoot = ${json}; window.grafanaBootData = ${grafana};</script>
    <script src="/host/systemjs/system.min.js"></script>
  </head>
  <body>
    <div id="root"></div>
    <script src="/host/page/main.js"></script>
    <!-- After the shared modules: UMD builds in them (lodash) would see define.amd and skip their exports. -->
    <script src="/host/systemjs/extras/amd.min.js"></script>
  </body>
</html>
`;
}
