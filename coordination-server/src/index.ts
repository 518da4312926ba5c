export { startCoordinationServer, type RunningCoordinationServer } from './start-coordination-server';
export { DEFAULT_LIMITS, DEFAULT_PORT, type CoordinationServerOptions, type ServerLimits } from './config/server-options';
export { loadConfig, ConfigError, CLI_USAGE } from './config/load-config';
export type { RoomRegistry, RoomRecord, PeerRecord } from './registry/room-registry';
export { MemoryRoomRegistry } from './registry/memory-room-registry';
export { RedisRoomRegistry } from './registry/redis-room-registry';
export { startServerProcess, type ServerProcess, type ServerProcessOptions } from './process/server-process';
