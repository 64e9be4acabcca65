import { FREE_SIM_PORTS, startSimulator } from '@layerwatch/sim';

// The layer simulator in its own process, so that a benchmark can pin it apart from the
// service it measures. Prints {"services": {...}} (name → url, port, layer) when listening.
const sim = await startSimulator({
  ports: FREE_SIM_PORTS,
});
console.log(JSON.stringify({ services: sim.services }));
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
