import { randomBytes, randomInt } from 'node:crypto';

/** Unguessable ids: they appear in tokens and channel names, never as secrets on their own. */
export function newRoomId(): string {
    return randomBytes(12).toString('base64url');
}

export function newPeerId(): string {
    return randomBytes(9).toString('base64url');
}

export function newRequestId(): string {
    return randomBytes(9).toString('base64url');
}

/** No 0/O, 1/I/L: invite codes are read aloud and typed by people. */
const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `XXXX-XXXX-XXXX`, about 59 bits: guessing one is hopeless, and a guess still needs the host's approval. */
export function newInviteCode(): string {
    let code = '';
    for (let i = 0; i < 12; i++) {
        if (i > 0 && i % 4 === 0) {
            code += '-';
        }
        code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
    }
    return code;
}

/** Invite codes are typed by people: ignore case, spaces and dashes. */
export function normalizeInviteCode(code: string): string {
    const compact = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
    return compact.replace(/(.{4})(?=.)/g, '$1-');
}
