import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './forward.js';
import type { HostUser } from './plugin-proxy.js';
import type { PluginJson } from './routes.js';

/** The app's settings as Grafana stores them; secrets never leave the server. */
export interface HostSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

/** What the host reads of dist/plugin.json beyond the proxy's fields. */
export type HostPluginJson = PluginJson & { name?: string; info?: unknown; includes?: unknown };

interface SettingsBody {
  enabled?: boolean;
  pinned?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

function getSettings(res: ServerResponse, plugin: HostPluginJson, settings: HostSettings): void {
  sendJson(res, 200, {
    id: plugin.id,
    type: 'app',
    name: plugin.name,
    enabled: settings.enabled,
    pinned: settings.pinned,
    info: plugin.info,
    includes: plugin.includes,
    jsonData: settings.jsonData,
    // Grafana never returns secrets: only which are set.
    secureJsonFields: Object.fromEntries(
      Object.keys(settings.secureJsonData).map((k) => [k, true]),
    ),
  });
}

async function readBody(req: IncomingMessage): Promise<SettingsBody | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as SettingsBody;
  } catch {
    return undefined;
  }
}

/** `/api/plugins/<id>/settings`: GET for everyone, POST for Admins, as Grafana's API. */
export async function pluginSettings(
  req: IncomingMessage,
  res: ServerResponse,
  user: HostUser,
  plugin: HostPluginJson,
  settings: HostSettings,
): Promise<void> {
  if (req.method === 'GET') return getSettings(res, plugin, settings);
  if (req.method !== 'POST') return sendJson(res, 405, { message: 'Method not allowed' });
  if (user.role !== 'Admin') return sendJson(res, 403, { message: 'Permission denied' });
  const body = await readBody(req);
  if (!body) return sendJson(res, 400, { message: 'bad request data' });
  if (body.jsonData) settings.jsonData = body.jsonData;
  if (body.secureJsonData) Object.assign(settings.secureJsonData, body.secureJsonData);
  settings.enabled = body.enabled ?? settings.enabled;
  settings.pinned = body.pinned ?? settings.pinned;
  sendJson(res, 200, { message: 'Plugin settings updated' });
}
