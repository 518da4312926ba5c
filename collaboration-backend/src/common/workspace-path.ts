/**
 * Paths inside a shared root, as they travel between guest, host frontend and
 * host backend: relative, `/`-separated, never absolute and never climbing.
 * The same rules run on every side so that a guest learns early that a path
 * is unusable; the host backend is the side that must enforce them.
 */

/** Longest relative path accepted (characters). */
export const MAX_RELATIVE_PATH_LENGTH = 4096;
/** Longest name of one path segment (characters); most file systems allow 255 bytes. */
export const MAX_SEGMENT_LENGTH = 255;

/** A location in the host's workspace: a shared root by name and a path inside it (`''` is the root itself). */
export interface SharedPath {
    readonly root: string;
    readonly path: string;
}

/**
 * Returns what is wrong with `path` as a path inside a shared root, or
 * undefined when it is acceptable. `''` denotes the root itself.
 */
export function checkRelativePath(path: string): string | undefined {
    if (path === '') {
        return undefined;
    }
    if (path.length > MAX_RELATIVE_PATH_LENGTH) {
        return `the path is longer than ${MAX_RELATIVE_PATH_LENGTH} characters`;
    }
    if (path.includes('\u0000')) {
        return 'the path contains a NUL character';
    }
    if (path.includes('\\')) {
        // A separator on Windows hosts: refusing it everywhere keeps one rule for all platforms.
        return 'the path contains a backslash; use "/" between folders';
    }
    if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
        return 'the path is absolute; paths are relative to a shared folder';
    }
    for (const segment of path.split('/')) {
        const problem = checkSegment(segment);
        if (problem) {
            return problem;
        }
    }
    return undefined;
}

/** What is wrong with one file or folder name, or undefined. */
export function checkSegment(segment: string): string | undefined {
    if (segment === '') {
        return 'the path has an empty segment ("//" or a trailing "/")';
    }
    if (segment === '.' || segment === '..') {
        return `the path contains "${segment}"; paths may not climb or repeat folders`;
    }
    if (segment.length > MAX_SEGMENT_LENGTH) {
        return `a name in the path is longer than ${MAX_SEGMENT_LENGTH} characters`;
    }
    if (segment.includes('\u0000') || segment.includes('\\') || segment.includes('/')) {
        return `"${segment}" is not a valid file name`;
    }
    return undefined;
}

/** The segments of a checked path; `''` has none. */
export function pathSegments(path: string): string[] {
    return path === '' ? [] : path.split('/');
}

/** `parent` + `/` + `name`, without a leading `/` for the root. */
export function childPath(parent: string, name: string): string {
    return parent === '' ? name : `${parent}/${name}`;
}

/** The parent of a path inside a root; the root is its own parent. */
export function parentPath(path: string): string {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? '' : path.slice(0, slash);
}

/** The last segment of a path (`''` for the root). */
export function baseName(path: string): string {
    return path.slice(path.lastIndexOf('/') + 1);
}

/** For messages: `root/path` as a person would write it. */
export function describeSharedPath(target: SharedPath): string {
    return target.path === '' ? target.root : `${target.root}/${target.path}`;
}
