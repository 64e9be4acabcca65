import { describe, expect, it } from 'vitest';
import { HA_REMEDIATION_STORE, parseHaStore } from '../src/index.js';

describe("remediation-store.yml: the ha overlay's shared remediation store", () => {
  it('reads a PostgreSQL store whose password is a file', () => {
    const text = 'kind: postgres\nurl: postgres://lw@db:5432/lw\npasswordFile: /etc/pw\n';
    expect(parseHaStore(text)).toEqual({
      kind: 'postgres',
      url: 'postgres://lw@db:5432/lw',
      passwordFile: '/etc/pw',
    });
  });

  it.each([
    ['', `${HA_REMEDIATION_STORE}: expected a YAML mapping (the remediation config's store)`],
    ['- postgres', `${HA_REMEDIATION_STORE}: expected a YAML mapping`],
    [
      'kind: sqlite\npath: /var/lib/audit.db\n',
      `${HA_REMEDIATION_STORE}: kind must be postgres (replicas share one store), not sqlite`,
    ],
    [
      'kind: postgres\nurl: postgres://lw:hunter2@db:5432/lw\n',
      `${HA_REMEDIATION_STORE}: url holds a password; put it in the Secret and set passwordFile`,
    ],
  ])('refuses %j, naming the file and the mistake', (text, message) => {
    expect(() => parseHaStore(text)).toThrow(message);
  });
});
