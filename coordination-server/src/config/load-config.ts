import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Type } from '@sinclair/typebox';
import { SchemaCompiler } from '@ensemble/collaboration-common';
import { DEFAULT_LIMITS, type CoordinationServerOptions, type ServerLimits } from './server-options';

/** Thrown for configuration mistakes; the CLI prints the message and exits with status 2. */
export class ConfigError extends Error { }

const LimitsFileSchema = Type.Partial(Type.Object(
    Object.fromEntries(Object.keys(DEFAULT_LIMITS).map(key => [key, Type.Number({ minimum: 0 })]))
), { additionalProperties: false });

/** The config file has the keys of `CoordinationServerOptions` (except `logger`). */
const ConfigFileSchema = Type.Partial(Type.Object({
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    host: Type.String(),
    jwtSecret: Type.String(),
    tokenTtlSeconds: Type.Integer({ minimum: 1 }),
    redisUrl: Type.String(),
    redisKeyPrefix: Type.String(),
    accessTokens: Type.Array(Type.String({ minLength: 1 })),
    allowedCreatorAddresses: Type.Array(Type.String()),
    corsOrigins: Type.Union([Type.Literal('*'), Type.Array(Type.String())]),
    hostGracePeriodMs: Type.Integer({ minimum: 0 }),
    statusTtlMs: Type.Integer({ minimum: 1 }),
    joinRequestTimeoutMs: Type.Integer({ minimum: 1 }),
    sweepIntervalMs: Type.Integer({ minimum: 10 }),
    connectionRecoveryMs: Type.Integer({ minimum: 0 }),
    connectionRecoveryMaxPackets: Type.Integer({ minimum: 1 }),
    connectionRecoveryMaxBytes: Type.Integer({ minimum: 0 }),
    logLevel: Type.String(),
    limits: LimitsFileSchema
}), { additionalProperties: false });

export const CLI_USAGE = `Usage: ensemble-server [options]

Options (each also settable by an environment variable or the config file):
  --port <n>                 port to listen on, 0 = any free port   ENSEMBLE_PORT      (default 8100)
  --host <address>           interface to listen on                 ENSEMBLE_HOST      (default 127.0.0.1)
  --config <file>            JSON config file                       ENSEMBLE_CONFIG
  --redis-url <url>          share rooms between processes          REDIS_URL
  --access-token <token>     required to create rooms (repeatable)  ENSEMBLE_ACCESS_TOKENS (comma-separated)
  --allow-creator <ip>       only these addresses may create rooms  ENSEMBLE_ALLOWED_CREATORS (comma-separated)
  --cors-origin <origin>     allowed browser origin (repeatable)    ENSEMBLE_CORS_ORIGINS (comma-separated, default *)
  --host-grace <seconds>     how long a room waits for its host     ENSEMBLE_HOST_GRACE_SECONDS (default 60)
  --log-level <level>        fatal|error|warn|info|debug|silent     ENSEMBLE_LOG_LEVEL (default info)
  --help                     show this text
Secrets only by environment or config file (never on the command line, where ps shows them):
  ENSEMBLE_JWT_SECRET        token signing secret, at least 32 characters (default: random at start)
Limits: ENSEMBLE_MAX_MESSAGE_BYTES, ENSEMBLE_MAX_ROOMS, ENSEMBLE_MAX_PEERS_PER_ROOM, ENSEMBLE_MESSAGES_PER_SECOND,
  ENSEMBLE_BYTES_PER_SECOND, ENSEMBLE_MAX_PENDING_JOIN_REQUESTS, or "limits" in the config file.
Connection state recovery: ENSEMBLE_RECOVERY_MS (window, 0 = off; default 120000), ENSEMBLE_RECOVERY_MAX_PACKETS
  (default 10000), ENSEMBLE_RECOVERY_MAX_BYTES (default 8 MiB), or the connectionRecovery* keys of the config file.`;

export interface CliConfig {
    readonly help: boolean;
    readonly options: CoordinationServerOptions;
}

/** Merges defaults < config file < environment < command line. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): CliConfig {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: {
                'port': { type: 'string' },
                'host': { type: 'string' },
                'config': { type: 'string' },
                'redis-url': { type: 'string' },
                'access-token': { type: 'string', multiple: true },
                'allow-creator': { type: 'string', multiple: true },
                'cors-origin': { type: 'string', multiple: true },
                'host-grace': { type: 'string' },
                'log-level': { type: 'string' },
                'help': { type: 'boolean' }
            },
            strict: true
        });
    } catch (error) {
        throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
    }
    const flags = parsed.values;
    const configPath = flags.config ?? env.ENSEMBLE_CONFIG;
    const fromFile = configPath ? readConfigFile(configPath) : {};
    const fileLimits: Partial<ServerLimits> = fromFile.limits ?? {};

    const limits: Partial<ServerLimits> = {
        ...fileLimits,
        ...numberEntry('maxMessageBytes', env.ENSEMBLE_MAX_MESSAGE_BYTES, 'ENSEMBLE_MAX_MESSAGE_BYTES'),
        ...numberEntry('maxRooms', env.ENSEMBLE_MAX_ROOMS, 'ENSEMBLE_MAX_ROOMS'),
        ...numberEntry('maxPeersPerRoom', env.ENSEMBLE_MAX_PEERS_PER_ROOM, 'ENSEMBLE_MAX_PEERS_PER_ROOM'),
        ...numberEntry('messagesPerSecond', env.ENSEMBLE_MESSAGES_PER_SECOND, 'ENSEMBLE_MESSAGES_PER_SECOND'),
        ...numberEntry('bytesPerSecond', env.ENSEMBLE_BYTES_PER_SECOND, 'ENSEMBLE_BYTES_PER_SECOND'),
        ...numberEntry('maxPendingJoinRequests', env.ENSEMBLE_MAX_PENDING_JOIN_REQUESTS, 'ENSEMBLE_MAX_PENDING_JOIN_REQUESTS')
    };
    const graceSeconds = flags['host-grace'] ?? env.ENSEMBLE_HOST_GRACE_SECONDS;
    const options: CoordinationServerOptions = {
        ...fromFile,
        ...defined('port', parsePort(flags.port ?? env.ENSEMBLE_PORT)),
        ...defined('host', flags.host ?? env.ENSEMBLE_HOST),
        ...defined('jwtSecret', env.ENSEMBLE_JWT_SECRET),
        ...defined('redisUrl', flags['redis-url'] ?? env.REDIS_URL),
        ...defined('accessTokens', flags['access-token'] ?? list(env.ENSEMBLE_ACCESS_TOKENS)),
        ...defined('allowedCreatorAddresses', flags['allow-creator'] ?? list(env.ENSEMBLE_ALLOWED_CREATORS)),
        ...defined('corsOrigins', flags['cors-origin'] ?? list(env.ENSEMBLE_CORS_ORIGINS)),
        ...defined('hostGracePeriodMs', graceSeconds === undefined ? undefined : parseNumber(graceSeconds, '--host-grace') * 1000),
        ...defined('logLevel', flags['log-level'] ?? env.ENSEMBLE_LOG_LEVEL),
        ...defined('connectionRecoveryMs', optionalNumber(env.ENSEMBLE_RECOVERY_MS, 'ENSEMBLE_RECOVERY_MS')),
        ...defined('connectionRecoveryMaxPackets', optionalNumber(env.ENSEMBLE_RECOVERY_MAX_PACKETS, 'ENSEMBLE_RECOVERY_MAX_PACKETS')),
        ...defined('connectionRecoveryMaxBytes', optionalNumber(env.ENSEMBLE_RECOVERY_MAX_BYTES, 'ENSEMBLE_RECOVERY_MAX_BYTES')),
        limits
    };
    return { help: flags.help ?? false, options };
}

function readConfigFile(path: string): Partial<CoordinationServerOptions> {
    let content: unknown;
    try {
        content = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
        throw new ConfigError(`Cannot read the config file ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const problem = new SchemaCompiler().compile(ConfigFileSchema, 'config')(content);
    if (problem !== undefined) {
        throw new ConfigError(`The config file ${path} is invalid: ${problem}`);
    }
    return content as Partial<CoordinationServerOptions>;
}

function parsePort(value: string | undefined): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const port = parseNumber(value, 'the port');
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ConfigError(`The port must be an integer from 0 to 65535, not "${value}".`);
    }
    return port;
}

function parseNumber(value: string, name: string): number {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
        throw new ConfigError(`${name} must be a non-negative number, not "${value}".`);
    }
    return number;
}

function optionalNumber(value: string | undefined, name: string): number | undefined {
    return value === undefined ? undefined : parseNumber(value, name);
}

function numberEntry(key: keyof ServerLimits, value: string | undefined, name: string): Partial<ServerLimits> {
    return value === undefined ? {} : { [key]: parseNumber(value, name) };
}

function list(value: string | undefined): string[] | undefined {
    return value === undefined ? undefined : value.split(',').map(item => item.trim()).filter(item => item.length > 0);
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
