// Listening, closing and listen addresses, the same for every server Layerwatch starts (the
// probe daemon, remediation, the exporters' /metrics, the simulator). A subpath of its own
// (`@layerwatch/local/net`) so a service loads these few lines, not the launchers.
export { formatHostPort, parseListenAddress } from './address.js';
export { closeServer, listen } from './listen.js';
export { freePort } from './free-port.js';
export { startTcpBalancer, type Backend, type TcpBalancer } from './tcp-balancer.js';
