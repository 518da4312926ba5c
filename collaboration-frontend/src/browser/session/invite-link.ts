/**
 * The invite a host hands out. Two forms:
 *
 * - a link `<serverUrl>/invite/<code>`, e.g. `https://collab.example.org/invite/ABCD-EFGH-JKLM`,
 *   which names the coordination server, so a guest whose IDE is configured
 *   for another server (or uses its own embedded one) still joins the right room;
 * - a bare code `ABCD-EFGH-JKLM`, which the guest's configured server resolves.
 *
 * The server URL may carry a path (a server behind a reverse proxy at
 * `https://example.org/ensemble`); the last `/invite/` segment separates it
 * from the code. Query strings and fragments are ignored.
 */
export const INVITE_PATH_SEGMENT = 'invite';

export interface Invite {
    readonly code: string;
    /** The coordination server named by a link; absent for a bare code. */
    readonly serverUrl?: string;
}

/** The text could not be read as an invite; the message says what a valid one looks like. */
export class InviteParseError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'InviteParseError';
    }
}

const EXAMPLES = 'an invite link (like http://127.0.0.1:8100/invite/ABCD-EFGH-JKLM) or an invite code (like ABCD-EFGH-JKLM)';
/** Letters and digits in groups separated by single dashes; what the coordination server issues (and a little more). */
const CODE_PATTERN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
const MIN_CODE_LENGTH = 4;
const MAX_CODE_LENGTH = 128;

/** `http(s)://host[:port][/path]` without a trailing slash, query or fragment: the form every invite link starts with. */
export function normalizeServerUrl(serverUrl: string): string {
    const url = parseHttpUrl(serverUrl.trim(), `"${serverUrl}" is not a server URL: use http://host:port or https://host[/path].`);
    return url.origin + url.pathname.replace(/\/+$/, '');
}

export function formatInviteLink(serverUrl: string, code: string): string {
    if (!isInviteCode(code)) {
        throw new InviteParseError(`"${code}" is not an invite code: codes are letters and digits in dash-separated groups.`);
    }
    return `${normalizeServerUrl(serverUrl)}/${INVITE_PATH_SEGMENT}/${code}`;
}

export function isInviteCode(text: string): boolean {
    return text.length >= MIN_CODE_LENGTH && text.length <= MAX_CODE_LENGTH && CODE_PATTERN.test(text);
}

/** Reads what a guest pasted: a link or a bare code, with surrounding spaces, quotes or angle brackets from chat apps. */
export function parseInvite(text: string): Invite {
    const cleaned = text.trim().replace(/^["'<(]+|[>"')]+$/g, '').trim();
    if (cleaned.length === 0) {
        throw new InviteParseError(`Paste ${EXAMPLES}.`);
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(cleaned)) {
        return parseInviteLink(cleaned);
    }
    if (isInviteCode(cleaned)) {
        return { code: cleaned };
    }
    if (cleaned.includes(`/${INVITE_PATH_SEGMENT}/`)) {
        throw new InviteParseError(`"${text.trim()}" looks like an invite link without http:// or https://; paste the whole link.`);
    }
    throw new InviteParseError(`"${text.trim()}" is neither ${EXAMPLES}.`);
}

function parseInviteLink(text: string): Invite {
    const url = parseHttpUrl(text, `"${text}" is not a valid invite link: paste ${EXAMPLES}.`);
    const segments = url.pathname.split('/');
    while (segments.length > 0 && segments[segments.length - 1] === '') {
        segments.pop(); // a trailing slash
    }
    const code = decodeSegment(segments.pop() ?? '');
    const marker = segments.pop();
    if (marker !== INVITE_PATH_SEGMENT || !isInviteCode(code)) {
        throw new InviteParseError(`"${text}" is a URL but not an invite link: it should end in /${INVITE_PATH_SEGMENT}/<code>, like http://127.0.0.1:8100/invite/ABCD-EFGH-JKLM.`);
    }
    const basePath = segments.filter(segment => segment !== '').join('/');
    return { code, serverUrl: url.origin + (basePath ? `/${basePath}` : '') };
}

function parseHttpUrl(text: string, problem: string): URL {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new InviteParseError(problem);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new InviteParseError(`${problem} (only http and https are supported, not ${url.protocol.replace(/:$/, '')})`);
    }
    return url;
}

function decodeSegment(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}
