// Server mode public API (Node).
export { startServer, type RunningServer, type ServeOptions } from './server';
export { accessPolicy, isLoopbackHost, type AccessPolicy } from './access';
export { createEventHub, type EventHub } from './events';
