import { randomBytes } from 'node:crypto';
import type { PeerRole } from '@ensemble/collaboration-common';

/** What a room token proves: its holder is this peer, in this room, with this role. */
export interface RoomTokenClaims {
    readonly roomId: string;
    readonly peerId: string;
    readonly role: PeerRole;
}

export type TokenCheck =
    | { readonly valid: true; readonly claims: RoomTokenClaims }
    | { readonly valid: false; readonly reason: 'expired' | 'invalid' };

const ISSUER = 'ensemble-coordination-server';
const AUDIENCE = 'ensemble-room';
const ROLES: readonly string[] = ['host', 'read-write', 'read-only'];

/** Minimum length of a configured secret; shorter ones are refused rather than silently weak. */
export const MIN_SECRET_LENGTH = 32;

/** Creates a random signing secret (used when none is configured; never a built-in key). */
export function generateSecret(): string {
    return randomBytes(32).toString('base64url');
}

// jose is an ES module; a dynamic import loads it from this CommonJS package.
const loadJose = () => import('jose');
type Jose = Awaited<ReturnType<typeof loadJose>>;

/** Signs and verifies HS256 JWTs bound to room, peer and role, with an expiry. */
export class TokenService {
    private constructor(
        private readonly jose: Jose,
        private readonly key: Uint8Array,
        private readonly ttlSeconds: number
    ) { }

    static async create(secret: string, ttlSeconds: number): Promise<TokenService> {
        if (secret.length < MIN_SECRET_LENGTH) {
            throw new Error(`The JWT secret is too short (${secret.length} characters); use at least ${MIN_SECRET_LENGTH}, e.g. \`openssl rand -base64 48\`.`);
        }
        return new TokenService(await loadJose(), new TextEncoder().encode(secret), ttlSeconds);
    }

    async sign(claims: RoomTokenClaims): Promise<string> {
        return new this.jose.SignJWT({ room: claims.roomId, role: claims.role })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject(claims.peerId)
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setIssuedAt()
            .setExpirationTime(`${this.ttlSeconds}s`)
            .sign(this.key);
    }

    async verify(token: string): Promise<TokenCheck> {
        try {
            const { payload } = await this.jose.jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
            const { room, role, sub } = payload as { room?: unknown; role?: unknown; sub?: unknown };
            if (typeof room !== 'string' || typeof sub !== 'string' || typeof role !== 'string' || !ROLES.includes(role)) {
                return { valid: false, reason: 'invalid' };
            }
            return { valid: true, claims: { roomId: room, peerId: sub, role: role as PeerRole } };
        } catch (error) {
            return { valid: false, reason: (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
        }
    }
}
