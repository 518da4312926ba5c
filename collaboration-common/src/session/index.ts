export * from './emitter';
export * from './session-errors';
export * from './room-http-client';
export * from './message-handlers';
export * from './collaboration-session';
