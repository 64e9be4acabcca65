import { describe, expect, it } from 'vitest';
import { CATALOG, prometheusNameOf, type LayerInstrumentation } from '../src/index.js';
import { promtoolCheckMetrics } from './support/promtool.js';
import { samples, startTestInstrumentation, startTestService } from './support/service.js';

/** Records something on every helper, as a busy layer service would. */
function recordEverything(t: LayerInstrumentation): void {
  t.layer4.queueWait.record(0.8, { queue: 'agent-tasks' });
  t.layer4.processing.record(0.3, { queue: 'agent-tasks' });
  t.layer4.tasksProcessed.inc({ queue: 'agent-tasks' });
  t.layer4.tasksFailed.add(2, { queue: 'agent-tasks', reason: 'timeout' });
  t.layer4.wasmFailures.inc({ module: 'scorer', reason: 'trap' });
  t.layer4.setCircuitBreakerState('payments-api', 'half_open');
  t.layer5.optimization.record(0.042);
  t.layer5.setModelHealth('refiner-large', true);
  t.layer5.setModelHealth('refiner-small', false);
  t.layer5.experiments.set(3, { status: 'running' });
  t.layer5.assignments.inc({ experiment: 'prompt-v2', variant: 'b' });
  t.layer5.kpiIngestionLag.set(2.5);
  t.layer7.generationsToConverge.record(37);
  t.layer7.diversity.set(0.73);
  t.layer7.bestFitness.set(0.91);
  t.layer7.recordDeployment('succeeded');
  t.layer7.recordDeployment('failed');
  t.layer7.rollbacks.inc();
  t.layer8.setGpuAllocation('gpu-node-1', 6, 8);
  t.layer8.costPerHour.set(14.2, { node: 'gpu-node-1' });
  t.common.authFailures.inc({ reason: 'expired_token' });
  t.common.validationGate.received();
  t.common.validationGate.received();
  t.common.validationGate.accepted();
  t.common.validationGate.rejected('schema');
  t.telemetryExports.exports.inc();
  t.telemetryExports.bytes.add(1234);
}

describe('per-layer helpers', () => {
  it('write the documented series', async () => {
    const instrumentation = await startTestInstrumentation({ layer: '7' });
    recordEverything(instrumentation);
    const text = await instrumentation.render();
    const lines = (name: string): string[] => samples(text, name);
    // Each family's series, exactly: name → sample lines.
    const expected: Record<string, string[]> = {
      layerwatch_circuit_breaker_state: [
        'layerwatch_circuit_breaker_state{breaker="payments-api",state="closed",layer="7"} 0',
        'layerwatch_circuit_breaker_state{breaker="payments-api",state="open",layer="7"} 0',
        'layerwatch_circuit_breaker_state{breaker="payments-api",state="half_open",layer="7"} 1',
      ],
      layerwatch_tasks_failed_total: [
        'layerwatch_tasks_failed_total{queue="agent-tasks",reason="timeout",layer="7"} 2',
      ],
      layerwatch_model_healthy: [
        'layerwatch_model_healthy{model="refiner-large",layer="7"} 1',
        'layerwatch_model_healthy{model="refiner-small",layer="7"} 0',
      ],
      layerwatch_genome_deployments_total: [
        'layerwatch_genome_deployments_total{outcome="succeeded",layer="7"} 1',
        'layerwatch_genome_deployments_total{outcome="failed",layer="7"} 1',
      ],
      layerwatch_gpu_allocated: ['layerwatch_gpu_allocated{node="gpu-node-1",layer="7"} 6'],
      layerwatch_gpu_capacity: ['layerwatch_gpu_capacity{node="gpu-node-1",layer="7"} 8'],
      layerwatch_gpu_cost_usd_per_hour: [
        'layerwatch_gpu_cost_usd_per_hour{node="gpu-node-1",layer="7"} 14.2',
      ],
      auth_failures_total: ['auth_failures_total{reason="expired_token",layer="7"} 1'],
      layerwatch_enhancements_received_total: [
        'layerwatch_enhancements_received_total{layer="7"} 2',
      ],
      layerwatch_enhancements_accepted_total: [
        'layerwatch_enhancements_accepted_total{layer="7"} 1',
      ],
      layerwatch_enhancements_rejected_total: [
        'layerwatch_enhancements_rejected_total{reason="schema",layer="7"} 1',
      ],
    };
    for (const [name, series] of Object.entries(expected)) {
      expect(lines(name), name).toEqual(series);
    }
    expect(
      lines('layerwatch_optimization_duration_seconds').filter(
        (l) => l.includes('le="0.05"') || l.includes('le="0.1"'),
      ),
    ).toEqual([
      'layerwatch_optimization_duration_seconds_bucket{layer="7",le="0.05"} 1',
      'layerwatch_optimization_duration_seconds_bucket{layer="7",le="0.1"} 1',
    ]);
    expect(text).toContain(
      'target_info{service_name="test-service",service_version="1.0.0",layer="7",telemetry_sdk_language="nodejs",telemetry_sdk_name="opentelemetry",telemetry_sdk_version="2.12.0"} 1\n',
    );
  });

  it('declares the gate’s rejection reasons at 0, so the first rejection is a rate change', async () => {
    const instrumentation = await startTestInstrumentation({ layer: '7' });
    instrumentation.common.validationGate.declareReasons(['schema', 'safety_check']);
    instrumentation.common.validationGate.rejected('schema');
    expect(
      samples(await instrumentation.render(), 'layerwatch_enhancements_rejected_total'),
    ).toEqual([
      'layerwatch_enhancements_rejected_total{reason="schema",layer="7"} 1',
      'layerwatch_enhancements_rejected_total{reason="safety_check",layer="7"} 0',
    ]);
  });

  it('every catalogued family appears once recorded, and the whole exposition is promtool-clean', async () => {
    const service = await startTestService(
      (app, instrumentation) => {
        app.get('/call', async (req, res) => {
          // Port 1 refuses: a cross-layer call that fails, and its duration.
          await instrumentation
            .layerFetch('5', 'http://127.0.0.1:1/', { parent: req })
            .catch(() => undefined);
          res.end();
        });
      },
      { maxSeriesPerInstrument: 1 },
    );
    recordEverything(service.instrumentation);
    service.instrumentation.layer5.setModelHealth('over-the-cap', true); // refused: the dropped counter
    await service.get('/call');
    const text = await service.metrics();
    const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]));
    expect(CATALOG.map(prometheusNameOf).filter((name) => !families.has(name))).toEqual([]);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('misuse fails where it is written, naming the value', async () => {
    const instrumentation = await startTestInstrumentation();
    expect(() => instrumentation.layer4.setCircuitBreakerState('b', 'broken' as never)).toThrow(
      'circuit breaker "b": state "broken" is not one of closed, open, half_open',
    );
    expect(() => instrumentation.layer7.recordDeployment('maybe' as never)).toThrow(
      'genome deployment outcome "maybe" is not "succeeded" or "failed"',
    );
    expect(() =>
      instrumentation.instruments.counter({
        name: 'auth_failures',
        kind: 'counter',
        unit: '',
        description: '',
        labels: [],
      }),
    ).toThrow('instrument "auth_failures" is already defined');
    expect(() =>
      instrumentation.instruments.gauge({
        name: 'x.y',
        kind: 'counter',
        unit: '',
        description: '',
        labels: [],
      }),
    ).toThrow('instrument "x.y": kind counter cannot be created as gauge');
  });
});
