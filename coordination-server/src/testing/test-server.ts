import { pino } from 'pino';
import { startCoordinationServer, type RunningCoordinationServer } from '../start-coordination-server';
import type { CoordinationServerOptions } from '../config/server-options';

/** A server on a free loopback port with short timers, so tests of expiries take milliseconds. */
export function startTestServer(options: CoordinationServerOptions = {}): Promise<RunningCoordinationServer> {
    return startCoordinationServer({
        port: 0,
        host: '127.0.0.1',
        jwtSecret: 'test-secret-that-is-long-enough-for-hs256-0123456789',
        logger: pino({ level: process.env.ENSEMBLE_TEST_LOG_LEVEL ?? 'silent' }),
        sweepIntervalMs: 50,
        ...options
    });
}
