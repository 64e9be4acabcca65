import { ACTIONS, alertRules, buildRuleGroups, resolveConfig } from '@layerwatch/alert-rules';
import { ACTION_NAMES } from '@layerwatch/remediation';
import { describe, expect, it } from 'vitest';

/**
 * The alert rules name remediation actions in `layerwatch_actions`; the plugin turns each
 * name into a button that calls the remediation service. Both packages list the names (the
 * rules must not depend on the service's code), so this pins them to each other.
 */
describe('remediation action names', () => {
  it('are the same list in the alert rules and the remediation registry', () => {
    expect([...ACTIONS].sort()).toEqual([...ACTION_NAMES].sort());
  });

  it('every layerwatch_actions annotation names only actions the service runs', () => {
    const named = alertRules(buildRuleGroups(resolveConfig())).flatMap((rule) =>
      (rule.annotations['layerwatch_actions'] ?? '').split(',').filter((name) => name !== ''),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !(ACTION_NAMES as readonly string[]).includes(name))).toEqual([]);
  });
});
