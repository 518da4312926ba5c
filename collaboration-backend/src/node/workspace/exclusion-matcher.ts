import { Minimatch } from 'minimatch';

/**
 * Names the host's backend creates for uploads in progress; guests never see
 * them, whatever the exclusions say.
 */
export const UPLOAD_TEMP_PREFIX = '.ensemble-upload-';

/**
 * Decides which paths (relative to a shared root, `/`-separated) are never
 * served. A path is excluded when a glob matches it or one of its ancestors,
 * so `**\/.git/**` hides the `.git` folder itself as well as its contents and a
 * guest cannot reach an excluded file through a folder that is not.
 * Matching ignores case: on case-insensitive file systems `.ENV` is `.env`.
 */
export class ExclusionMatcher {
    private readonly matchers: readonly Minimatch[];

    constructor(readonly globs: readonly string[]) {
        const patterns = new Set<string>();
        for (const glob of globs) {
            const pattern = glob.trim().replace(/^\.?\/+/, '');
            if (pattern === '') {
                continue;
            }
            patterns.add(pattern);
            // `x/**` matches what is inside x; the folder x itself is hidden too.
            if (pattern.endsWith('/**') && pattern.length > 3) {
                patterns.add(pattern.slice(0, -3));
            }
        }
        this.matchers = [...patterns].map(pattern => new Minimatch(pattern, { dot: true, nocase: true, nonegate: true, nocomment: true }));
    }

    /** True when `relativePath` (or one of its ancestors) must not be served. The root (`''`) never is. */
    isExcluded(relativePath: string): boolean {
        if (relativePath === '') {
            return false;
        }
        let prefix = '';
        for (const segment of relativePath.split('/')) {
            if (segment.startsWith(UPLOAD_TEMP_PREFIX)) {
                return true;
            }
            prefix = prefix === '' ? segment : `${prefix}/${segment}`;
            if (this.matchers.some(matcher => matcher.match(prefix))) {
                return true;
            }
        }
        return false;
    }
}
