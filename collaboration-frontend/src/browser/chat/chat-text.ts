import { MAX_CHAT_MESSAGE_LENGTH } from './chat-messages';

/** Why `text` cannot be sent as a chat message (empty, too long), in words for the user; undefined when it can. */
export function chatTextProblem(text: string): string | undefined {
    if (text.trim().length === 0) {
        return 'The message is empty: type something first.';
    }
    if (text.length > MAX_CHAT_MESSAGE_LENGTH) {
        return `The message has ${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_CHAT_MESSAGE_LENGTH.toLocaleString('en-US')}. `
            + 'Shorten it or split it into several messages.';
    }
    return undefined;
}

/** A `path:line[:column]` reference to a file of the shared workspace, relative to a shared folder. */
export interface FileReference {
    readonly path: string;
    /** 1-based. */
    readonly line: number;
    /** 1-based, when given. */
    readonly column?: number;
}

export type ChatTextPart =
    | { readonly kind: 'text'; readonly text: string }
    | { readonly kind: 'file'; readonly text: string; readonly reference: FileReference };

/**
 * `src/app.ts:12`, `README.md:3:5`, `./lib/x.js:7`: a path of segments
 * (letters, digits, `_ . @ + -`), then `:line` and maybe `:column`. It must
 * start a word (so `http://host.com:80` is no reference) and end one.
 */
const FILE_REFERENCE = /(^|[\s([{<"'`])((?:\.\/)?(?:[\w@+-][\w.@+-]*\/)*[\w@+-][\w.@+-]*):([1-9]\d{0,6})(?::([1-9]\d{0,4}))?(?=$|[\s)\]}>"'`,;.!?])/g;

/**
 * Splits a message into text and file references, for the view to show the
 * references as links. Plain text stays plain text: the view renders every
 * part as text, never as HTML.
 */
export function parseChatText(text: string): ChatTextPart[] {
    const parts: ChatTextPart[] = [];
    let done = 0;
    for (const match of text.matchAll(FILE_REFERENCE)) {
        const [, lead, rawPath, line, column] = match;
        const path = rawPath.startsWith('./') ? rawPath.slice(2) : rawPath;
        if (!looksLikeFile(path)) {
            continue;
        }
        const start = match.index! + lead.length;
        if (start > done) {
            parts.push({ kind: 'text', text: text.slice(done, start) });
        }
        const end = match.index! + match[0].length;
        parts.push({
            kind: 'file',
            text: text.slice(start, end),
            reference: { path, line: Number(line), ...(column ? { column: Number(column) } : {}) }
        });
        done = end;
    }
    if (done < text.length) {
        parts.push({ kind: 'text', text: text.slice(done) });
    }
    return parts;
}

/** A file name with an extension (`a.ts`) or a path with a folder (`src/Makefile`); no `..` segments, nothing ending in a dot. */
function looksLikeFile(path: string): boolean {
    const segments = path.split('/');
    if (segments.some(segment => segment === '.' || segment === '..') || path.endsWith('.')) {
        return false;
    }
    return segments.length > 1 || /[^.]\.[A-Za-z0-9]+$/.test(path);
}

/** True when `text` mentions `name` as `@name` (any case), not as the start of a longer word (`@Ana` is not in `@Anabel`). */
export function mentions(text: string, name: string): boolean {
    const wanted = `@${name}`.toLocaleLowerCase();
    const lower = text.toLocaleLowerCase();
    for (let at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + 1)) {
        const before = at === 0 ? '' : lower[at - 1];
        const after = lower.charAt(at + wanted.length);
        if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) {
            return true;
        }
    }
    return false;
}
